//! The careinbox domain: the words of SPEC.md as types, and its rules as pure
//! functions. Nothing in this crate performs I/O; the service layer loads the
//! facts a rule needs, asks the rule, and stores the outcome.

pub mod error;
pub mod ids;
pub mod rules;
pub mod values;

pub use error::{Conflict, Error, FieldError};
pub use ids::{AttachmentId, ConversationId, InboxId, MessageId, NetworkId, TeamId, UserId};
pub use values::{
    ContentType, Description, Email, FileName, Guidelines, MessageBody, Name, Password, Profession,
    Source, Subject, TeamRole, View,
};
