//! Email addresses: the login name of accounts and a contact detail of customers.

use serde::{Deserialize, Serialize};

/// A syntactically valid email address, trimmed and lower-cased so that the same mailbox
/// always compares (and is stored) the same way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("is required")]
    Empty,
    #[error("must be at most 254 characters")]
    TooLong,
    #[error("must be an email address like name@example.fi")]
    Invalid,
}

impl crate::ErrorCode for EmailError {
    fn code(&self) -> crate::FieldCode {
        match self {
            Self::Empty => crate::FieldCode::Required,
            Self::TooLong => crate::FieldCode::Length,
            Self::Invalid => crate::FieldCode::Email,
        }
    }
}

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(EmailError::Invalid);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.chars().count() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        if !(domain_ok && local_ok) {
            return Err(EmailError::Invalid);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, for rules such as "the password is not the email".
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or(&self.0, |(local, _)| local)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<EmailAddress> for String {
    fn from(email: EmailAddress) -> Self {
        email.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_whitespace() {
        let email = EmailAddress::parse("  Maija.Meikäläinen@UniikkiAani.FI ").unwrap();
        assert_eq!(email.as_str(), "maija.meikäläinen@uniikkiaani.fi");
        assert_eq!(email.local_part(), "maija.meikäläinen");
    }

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in [
            "a@b.fi",
            "first.last+tag@sub.example.com",
            "o'brien@example.ie",
        ] {
            assert!(EmailAddress::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        let cases = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("plain", EmailError::Invalid),
            ("@example.fi", EmailError::Invalid),
            ("a@", EmailError::Invalid),
            ("a@localhost", EmailError::Invalid),
            ("a b@example.fi", EmailError::Invalid),
            ("a@exa mple.fi", EmailError::Invalid),
            ("a..b@example.fi", EmailError::Invalid),
            ("a@example..fi", EmailError::Invalid),
            ("a@-example.fi", EmailError::Invalid),
            ("<a@example.fi>", EmailError::Invalid),
        ];
        for (raw, expected) in cases {
            assert_eq!(EmailAddress::parse(raw), Err(expected), "{raw:?}");
        }
        let long = format!("{}@example.fi", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
    }
}
