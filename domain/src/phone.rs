//! Phone numbers, normalised to E.164 so that one number has one spelling.

use serde::{Deserialize, Serialize};

/// A phone number in E.164 form (`+358401234567`). Finnish national input (`040 123 4567`) is
/// read as +358; `00` is read as `+`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("is required")]
    Empty,
    #[error("may hold only digits, spaces, hyphens, parentheses and a leading +")]
    InvalidCharacters,
    #[error("must be a full phone number like 040 123 4567 or +358 40 123 4567")]
    WrongLength,
}

impl crate::ErrorCode for PhoneError {
    fn code(&self) -> crate::FieldCode {
        match self {
            Self::Empty => crate::FieldCode::Required,
            Self::InvalidCharacters | Self::WrongLength => crate::FieldCode::Phone,
        }
    }
}

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, PhoneError> {
        let compact: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let international = if let Some(rest) = compact.strip_prefix('+') {
            rest.to_owned()
        } else if let Some(rest) = compact.strip_prefix("00") {
            rest.to_owned()
        } else if let Some(rest) = compact.strip_prefix('0') {
            format!("358{rest}")
        } else {
            return Err(PhoneError::WrongLength);
        };
        if !international.chars().all(|c| c.is_ascii_digit()) {
            return Err(PhoneError::InvalidCharacters);
        }
        // E.164: at most 15 digits; a Finnish number has at least 5 after the 358.
        let finnish_too_short = international.starts_with("358") && international.len() < 8;
        if !(8..=15).contains(&international.len())
            || finnish_too_short
            || international.starts_with('0')
        {
            return Err(PhoneError::WrongLength);
        }
        Ok(Self(format!("+{international}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The E.164 beginning that a partly typed number (`040 12`, `+35840`, `0035840`) stands
    /// for, read as [`PhoneNumber::parse`] reads a whole one, so that a search finds stored
    /// numbers however the start was typed. `None` when the term is not the start of a number
    /// (fewer than three digits, or anything but digits, separators and a leading `+`).
    pub fn search_prefix(term: &str) -> Option<String> {
        let digits: String = term
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let is_number = digits.len() >= 3
            && digits
                .strip_prefix('+')
                .unwrap_or(&digits)
                .chars()
                .all(|c| c.is_ascii_digit());
        if !is_number {
            return None;
        }
        Some(if let Some(rest) = digits.strip_prefix("00") {
            format!("+{rest}")
        } else if let Some(rest) = digits.strip_prefix('0') {
            format!("+358{rest}")
        } else if digits.starts_with('+') {
            digits
        } else {
            format!("+{digits}")
        })
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<PhoneNumber> for String {
    fn from(phone: PhoneNumber) -> Self {
        phone.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partly_typed_number_is_searched_as_its_e164_beginning() {
        assert_eq!(
            PhoneNumber::search_prefix("040 12").as_deref(),
            Some("+3584012")
        );
        assert_eq!(
            PhoneNumber::search_prefix("+358 40").as_deref(),
            Some("+35840")
        );
        assert_eq!(
            PhoneNumber::search_prefix("0035840").as_deref(),
            Some("+35840")
        );
        assert_eq!(
            PhoneNumber::search_prefix("35840").as_deref(),
            Some("+35840")
        );
        assert_eq!(PhoneNumber::search_prefix("(09) 1"), Some("+35891".into()));
        assert_eq!(
            PhoneNumber::search_prefix("04"),
            None,
            "too short to mean a number"
        );
        assert_eq!(PhoneNumber::search_prefix("mäki"), None);
        assert_eq!(PhoneNumber::search_prefix("40+1"), None);
        // What a search finds is what parse stores.
        let stored = PhoneNumber::parse("040 123 4567").unwrap();
        assert!(
            stored
                .as_str()
                .starts_with(&PhoneNumber::search_prefix("040 123").unwrap())
        );
    }

    #[test]
    fn finnish_and_international_input_normalise_to_e164() {
        let cases = [
            ("040 123 4567", "+358401234567"),
            ("040-1234567", "+358401234567"),
            ("+358 40 123 4567", "+358401234567"),
            ("00358401234567", "+358401234567"),
            ("(09) 123 456", "+358912345 6"),
            ("+46 70 123 45 67", "+46701234567"),
        ];
        for (raw, expected) in cases {
            let expected = expected.replace(' ', "");
            assert_eq!(PhoneNumber::parse(raw).unwrap().as_str(), expected, "{raw}");
        }
    }

    #[test]
    fn refuses_what_cannot_be_dialled() {
        let cases = [
            ("", PhoneError::Empty),
            ("  ", PhoneError::Empty),
            ("040 123 456a", PhoneError::InvalidCharacters),
            ("12345", PhoneError::WrongLength),
            ("040", PhoneError::WrongLength),
            ("+1234567890123456", PhoneError::WrongLength),
            ("+0401234567", PhoneError::WrongLength),
        ];
        for (raw, expected) in cases {
            assert_eq!(PhoneNumber::parse(raw), Err(expected), "{raw:?}");
        }
    }
}
