//! Typed identifiers. Every id is a UUID on the wire; the types keep a user id
//! from being passed where an inbox id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id (UUID v7), so that rows created together
            /// sit together in an index.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    };
}

id_type!(
    /// A professional's personal account (R1).
    UserId
);
id_type!(
    /// A care organisation: a GP practice, a home-care team, a pharmacy.
    TeamId
);
id_type!(
    /// A set of teams that work together.
    NetworkId
);
id_type!(
    /// A shared inbox of one team.
    InboxId
);
id_type!(
    /// A conversation.
    ConversationId
);
id_type!(
    /// A message in a conversation's timeline.
    MessageId
);
id_type!(
    /// A file shared in a conversation.
    AttachmentId
);
