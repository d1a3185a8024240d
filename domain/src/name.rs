//! Names people are shown by.

use serde::{Deserialize, Serialize};

/// A name to show a person by: 1–200 characters after trimming, in Unicode NFC, with no
/// control, bidirectional-override or invisible characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("is required")]
    Empty,
    #[error("must be at most {0} characters")]
    TooLong(usize),
    #[error("must not contain control, bidirectional-override or invisible characters")]
    ControlCharacters,
}

impl crate::ErrorCode for NameError {
    fn code(&self) -> crate::FieldCode {
        match self {
            Self::Empty => crate::FieldCode::Required,
            Self::TooLong(_) => crate::FieldCode::Length,
            Self::ControlCharacters => crate::FieldCode::InvalidCharacters,
        }
    }
}

impl DisplayName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, NameError> {
        check_name(raw, Self::MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Trims `raw`, composes it (NFC: `A\u{308}` is stored as `Ä`, so a name is found whatever
/// form the client sent) and checks it is a usable name of at most `max` characters. Characters
/// that make a name look other than it is — controls, bidirectional overrides and isolates,
/// zero-width and other invisible format characters — are refused.
pub(crate) fn check_name(raw: &str, max: usize) -> Result<String, NameError> {
    let name = crate::text::nfc(raw.trim());
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > max {
        return Err(NameError::TooLong(max));
    }
    if name.chars().any(crate::text::is_hidden) {
        return Err(NameError::ControlCharacters);
    }
    Ok(name)
}

impl TryFrom<String> for DisplayName {
    type Error = NameError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<DisplayName> for String {
    fn from(name: DisplayName) -> Self {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keeps_finnish_letters() {
        assert_eq!(
            DisplayName::parse("  Åsa Ääninen ").unwrap().as_str(),
            "Åsa Ääninen"
        );
    }

    #[test]
    fn refuses_empty_long_and_control_characters() {
        assert_eq!(DisplayName::parse(" "), Err(NameError::Empty));
        assert_eq!(
            DisplayName::parse(&"a".repeat(201)),
            Err(NameError::TooLong(200))
        );
        assert!(
            DisplayName::parse(&"ä".repeat(200)).is_ok(),
            "counts characters, not bytes"
        );
        assert_eq!(
            DisplayName::parse("a\u{0}b"),
            Err(NameError::ControlCharacters)
        );
        assert_eq!(
            DisplayName::parse("a\nb"),
            Err(NameError::ControlCharacters)
        );
    }

    #[test]
    fn composes_and_refuses_what_disguises_a_name() {
        assert_eq!(
            DisplayName::parse("A\u{308}ija\u{308}la\u{308}")
                .unwrap()
                .as_str(),
            "Äijälä"
        );
        for disguised in [
            "Maija\u{202e}nenialleM",
            "Ma\u{200b}ija",
            "\u{2067}Maija",
            "Ma\u{feff}ija",
        ] {
            assert_eq!(
                DisplayName::parse(disguised),
                Err(NameError::ControlCharacters),
                "{disguised:?}"
            );
        }
    }
}
