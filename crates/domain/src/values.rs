//! Values that are valid once they exist ("parse, don't validate"). Types that
//! may hold personal or patient data print as `[redacted]` in `Debug`, so a
//! stray `?value` in a log line leaks nothing.

use std::fmt;

use crate::error::{Error, FieldError};
use crate::ids::InboxId;

/// The longest message body, in bytes of UTF-8 text (SPEC section 4).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, min: $min:expr, max: $max:expr, redacted: $redacted:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Trims surrounding white space and checks the length in
            /// characters; `field` names the request field in the error.
            pub fn parse(field: &'static str, raw: &str) -> Result<Self, FieldError> {
                let text = raw.trim();
                let chars = text.chars().count();
                let min: usize = $min;
                if chars < min {
                    return Err(FieldError { field, reason: "must not be empty" });
                }
                if chars > $max {
                    return Err(FieldError { field, reason: "is too long" });
                }
                if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
                    return Err(FieldError { field, reason: "contains control characters" });
                }
                Ok(Self(text.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if $redacted {
                    f.write_str("[redacted]")
                } else {
                    fmt::Debug::fmt(&self.0, f)
                }
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// A person's, team's, network's or inbox's display name.
    Name, min: 1, max: 200, redacted: true
);
text_type!(
    /// A profession label such as "huisarts" or "POH-GGZ".
    Profession, min: 1, max: 100, redacted: false
);
text_type!(
    /// A conversation's subject; may mention a patient, so it is redacted.
    Subject, min: 1, max: 200, redacted: true
);
text_type!(
    /// What a shared inbox is for; may be empty.
    Description, min: 0, max: 2000, redacted: false
);
text_type!(
    /// When partners should write to the inbox rather than to a person (R13).
    Guidelines, min: 0, max: 4000, redacted: false
);

/// The text of a message: 1 byte to 64 KiB of UTF-8. Never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct MessageBody(String);

impl MessageBody {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        if raw.trim().is_empty() {
            return Err(FieldError {
                field: "body",
                reason: "must not be empty",
            });
        }
        if raw.len() > MAX_BODY_BYTES {
            return Err(FieldError {
                field: "body",
                reason: "is longer than 64 KiB",
            });
        }
        if raw.contains('\0') {
            return Err(FieldError {
                field: "body",
                reason: "contains a NUL character",
            });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for MessageBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The name of a shared file: 1 to 200 characters, no path, no control
/// characters. May name a patient, so it is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct FileName(String);

impl FileName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        let invalid = |reason| FieldError {
            field: "name",
            reason,
        };
        if name.is_empty() || name == "." || name == ".." {
            return Err(invalid("must name the file"));
        }
        if name.chars().count() > 200 {
            return Err(invalid("is too long"));
        }
        if name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
        {
            return Err(invalid("may not contain slashes or control characters"));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A media type such as `image/jpeg`, as the uploader declared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType(String);

impl ContentType {
    /// Keeps `type/subtype` (lower case) and drops parameters; anything
    /// else becomes `application/octet-stream`, which browsers download
    /// rather than render.
    pub fn parse(raw: Option<&str>) -> Self {
        let essence = raw
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let valid = essence.len() <= 100
            && essence.split_once('/').is_some_and(|(t, s)| {
                let token = |x: &str| {
                    !x.is_empty()
                        && x.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
                };
                token(t) && token(s)
            });
        if valid {
            Self(essence)
        } else {
            Self("application/octet-stream".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, trimmed and lower-cased so that it identifies one
/// account however it is typed.
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim().to_lowercase();
        let invalid = FieldError {
            field: "email",
            reason: "is not an email address",
        };
        if email.len() > 254 || email.chars().any(char::is_whitespace) {
            return Err(invalid);
        }
        match email.split_once('@') {
            Some((local, domain)) if !local.is_empty() && domain.contains('.') => {
                if domain.starts_with('.') || domain.ends_with('.') || domain.contains('@') {
                    return Err(invalid);
                }
                Ok(Self(email))
            }
            _ => Err(invalid),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A password as typed: at least 10 characters, at most 1024 bytes.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        if raw.chars().count() < 10 {
            return Err(FieldError {
                field: "password",
                reason: "needs at least 10 characters",
            });
        }
        if raw.len() > 1024 {
            return Err(FieldError {
                field: "password",
                reason: "is too long",
            });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A professional's role in a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamRole {
    /// Manages the team's staff and every inbox of the team (R12).
    Admin,
    Member,
}

impl TeamRole {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "admin" => Ok(TeamRole::Admin),
            "member" => Ok(TeamRole::Member),
            _ => Err(FieldError {
                field: "role",
                reason: "must be \"admin\" or \"member\"",
            }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Admin => "admin",
            TeamRole::Member => "member",
        }
    }
}

/// Where a participation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Addressed or added as a person, or started the conversation personally.
    Direct,
    /// A member of this inbox when it became a party (R4).
    Via(InboxId),
}

impl Source {
    pub fn inbox(self) -> Option<InboxId> {
        match self {
            Source::Direct => None,
            Source::Via(inbox) => Some(inbox),
        }
    }
}

/// Which part of a view's conversations to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Active,
    Archived,
    /// Only for the personal view: every conversation, by any source.
    All,
}

impl View {
    pub fn parse(raw: &str) -> Result<Self, Error> {
        match raw {
            "active" => Ok(View::Active),
            "archived" => Ok(View::Archived),
            "all" => Ok(View::All),
            _ => Err(Error::invalid("view", "must be active, archived or all")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_is_trimmed_and_must_not_be_empty() {
        assert_eq!(
            Subject::parse("subject", "  Wond  ").unwrap().as_str(),
            "Wond"
        );
        assert!(Subject::parse("subject", "   ").is_err());
        assert!(Subject::parse("subject", &"x".repeat(201)).is_err());
    }

    #[test]
    fn body_limit_is_64_kib_of_utf8() {
        assert!(MessageBody::parse(&"a".repeat(MAX_BODY_BYTES)).is_ok());
        assert!(MessageBody::parse(&"a".repeat(MAX_BODY_BYTES + 1)).is_err());
        assert!(MessageBody::parse(" \n ").is_err());
    }

    #[test]
    fn email_is_lower_cased_and_checked() {
        assert_eq!(
            Email::parse(" Iris@Example.NL ").unwrap().as_str(),
            "iris@example.nl"
        );
        for bad in [
            "",
            "iris",
            "@example.nl",
            "iris@",
            "iris@nl",
            "a b@example.nl",
            "a@.nl",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn file_names_have_no_path_and_types_fall_back_to_a_download() {
        assert_eq!(FileName::parse(" wond.jpg ").unwrap().as_str(), "wond.jpg");
        for bad in ["", "..", "a/b.pdf", "c:\\x.pdf", "x\u{0}.pdf"] {
            assert!(FileName::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            ContentType::parse(Some("Image/JPEG; q=1")).as_str(),
            "image/jpeg"
        );
        assert_eq!(
            ContentType::parse(Some("text/html<script>")).as_str(),
            "application/octet-stream"
        );
        assert_eq!(
            ContentType::parse(None).as_str(),
            "application/octet-stream"
        );
    }

    #[test]
    fn personal_data_is_redacted_in_debug() {
        let body = MessageBody::parse("wondverzorging mevrouw Jansen").unwrap();
        let subject = Subject::parse("subject", "mevrouw Jansen").unwrap();
        let email = Email::parse("iris@example.nl").unwrap();
        let shown = format!("{body:?} {subject:?} {email:?}");

        assert!(!shown.contains("Jansen") && !shown.contains("iris"));
    }
}
