//! The password policy: long enough, not the email, not a well-known password. No
//! composition rules (NIST SP 800-63B): they make passwords harder to remember, not to guess.

use crate::email::EmailAddress;

/// A password that passed the policy. Never printed.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be at least {} characters", NewPassword::MIN_CHARS)]
    TooShort,
    #[error("must be at most {} characters", NewPassword::MAX_CHARS)]
    TooLong,
    #[error("must not be your email address")]
    SameAsEmail,
    #[error("is one of the most common passwords; choose another")]
    TooCommon,
}

impl crate::ErrorCode for PasswordError {
    fn code(&self) -> crate::FieldCode {
        match self {
            Self::TooShort | Self::TooLong => crate::FieldCode::Length,
            Self::SameAsEmail => crate::FieldCode::SameAsEmail,
            Self::TooCommon => crate::FieldCode::TooCommon,
        }
    }
}

/// Well-known passwords of 12 or more characters (shorter ones fail on length anyway), from
/// public breach-frequency lists, with Finnish favourites added. Compared case-insensitively.
const COMMON: &str = include_str!("common_passwords.txt");

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str, email: &EmailAddress) -> Result<Self, PasswordError> {
        let length = raw.chars().count();
        if length < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if length > Self::MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        let folded = raw.trim().to_lowercase();
        if folded == email.as_str() || folded == email.local_part() {
            return Err(PasswordError::SameAsEmail);
        }
        let one_character_repeated = folded.chars().all(|c| folded.starts_with(c));
        if one_character_repeated || COMMON.lines().any(|common| common.trim() == folded) {
            return Err(PasswordError::TooCommon);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> EmailAddress {
        EmailAddress::parse("maija.meikalainen@example.fi").unwrap()
    }

    #[test]
    fn accepts_a_long_uncommon_passphrase_without_composition_rules() {
        assert!(NewPassword::parse("laulan aina aamulla", &email()).is_ok());
        assert!(NewPassword::parse(&"ä".repeat(11).replace('ä', "äö"), &email()).is_ok());
    }

    #[test]
    fn table_of_refusals() {
        let cases = [
            ("short", PasswordError::TooShort),
            ("elevenchars", PasswordError::TooShort),
            ("Maija.Meikalainen@example.fi", PasswordError::SameAsEmail),
            ("maija.meikalainen", PasswordError::SameAsEmail),
            ("123456789012", PasswordError::TooCommon),
            ("PasswordPassword", PasswordError::TooCommon),
            ("salasana1234", PasswordError::TooCommon),
            ("aaaaaaaaaaaaaa", PasswordError::TooCommon),
        ];
        for (raw, expected) in cases {
            assert_eq!(
                NewPassword::parse(raw, &email()).unwrap_err(),
                expected,
                "{raw}"
            );
        }
        assert_eq!(
            NewPassword::parse(&"x".repeat(200).replace('x', "xy"), &email()).unwrap_err(),
            PasswordError::TooLong
        );
    }

    #[test]
    fn the_common_list_is_loaded_and_normalised() {
        let entries: Vec<&str> = COMMON.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(entries.len() >= 100, "{} entries", entries.len());
        for entry in entries {
            assert_eq!(entry, entry.trim().to_lowercase(), "entries are lower-case");
            assert!(
                entry.chars().count() >= NewPassword::MIN_CHARS,
                "{entry} is too short to matter"
            );
        }
    }

    #[test]
    fn debug_never_shows_the_password() {
        let password = NewPassword::parse("laulan aina aamulla", &email()).unwrap();
        assert!(!format!("{password:?}").contains("laulan"));
    }
}
