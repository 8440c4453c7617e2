//! The ways a use case can refuse. The HTTP layer maps each variant to one
//! status code in one place; nothing else decides a status.

use std::fmt;

/// One invalid field of a request, named as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub reason: &'static str,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// A rule of SPEC.md that refuses an otherwise valid request (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// R8: the professional already participates, by any source.
    AlreadyParticipant,
    /// R8: the inbox is already a party of the conversation.
    InboxAlreadyParty,
    /// R12: a deactivated inbox receives no new conversations.
    InboxDeactivated,
    /// The professional is already a member of the inbox or team.
    AlreadyMember,
    /// An account with this email address exists.
    EmailTaken,
    /// The team is already part of the network.
    AlreadyInNetwork,
}

impl Conflict {
    pub fn message(self) -> &'static str {
        match self {
            Conflict::AlreadyParticipant => "already a participant",
            Conflict::InboxAlreadyParty => "the inbox is already linked to this conversation",
            Conflict::InboxDeactivated => {
                "the inbox is deactivated and receives no new conversations"
            }
            Conflict::AlreadyMember => "already a member",
            Conflict::EmailTaken => "an account with this email address exists",
            Conflict::AlreadyInNetwork => "the team is already part of this network",
        }
    }
}

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is not well-formed (400).
    #[error("malformed request: {0}")]
    Malformed(String),
    /// One or more fields are invalid (422).
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Not logged in, or the session expired (401).
    #[error("not logged in")]
    Unauthenticated,
    /// A known object the caller may not change (403).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// Not there, or not visible to the caller (404, R15).
    #[error("not found")]
    NotFound,
    /// A rule refuses it (409).
    #[error("{}", .0.message())]
    Conflict(Conflict),
    /// Too many requests (429).
    #[error("rate limited")]
    RateLimited,
    /// Something broke inside; the cause is logged, never shown.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    pub fn invalid(field: &'static str, reason: &'static str) -> Self {
        Error::Invalid(vec![FieldError { field, reason }])
    }

    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Internal(Box::new(e))
    }
}

impl From<Conflict> for Error {
    fn from(c: Conflict) -> Self {
        Error::Conflict(c)
    }
}
