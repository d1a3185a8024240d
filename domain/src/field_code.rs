//! The codes a 422 or 400 gives each invalid field: one closed list, so a client can switch on
//! them exhaustively and translate each into its own words.

use serde::Serialize;
use utoipa::ToSchema;

/// Why a field was refused. Stable: a code is never renamed, and a new one is announced in the
/// changelog.
///
/// - `required`: missing or empty.
/// - `invalid_type`: a JSON value of the wrong type (a number for a string, an array for an
///   object).
/// - `invalid_value`: the right type but not one of the accepted values (an unknown enum
///   member, a date that does not exist).
/// - `invalid_format`: a path or query parameter that does not have its documented form.
/// - `invalid_characters`: NUL, control characters, or invisible or direction-changing
///   characters in text.
/// - `unknown_field`: a field this operation does not have (a misspelling, usually).
/// - `length`, `range`: text too short or long, a number too small or large.
/// - `email`, `phone`, `postal_code`, `country`, `birth_date`: not a valid value of that kind.
/// - `same_as_email`, `too_common`, `unchanged`, `incorrect`: password rules.
/// - `not_found`: the id names nothing. `not_allowed`: this caller may not set the field.
/// - `unknown_version`: not an edition of the privacy notice. `invalid_or_expired`: a token
///   that is wrong, used or expired.
/// - `duplicate`, `unknown_question`: survey questions and answers.
/// - `transition`, `closed`: a privacy request's status cannot change that way.
/// - `contact_required`: a customer (or a minor's guardian) needs an email or a phone.
///   `required_for_minor`: a customer under 18 needs a guardian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    InvalidType,
    InvalidValue,
    InvalidFormat,
    InvalidCharacters,
    UnknownField,
    Length,
    Range,
    Email,
    Phone,
    PostalCode,
    Country,
    BirthDate,
    SameAsEmail,
    TooCommon,
    Unchanged,
    Incorrect,
    NotFound,
    NotAllowed,
    UnknownVersion,
    InvalidOrExpired,
    Duplicate,
    UnknownQuestion,
    Transition,
    Closed,
    ContactRequired,
    RequiredForMinor,
}

impl FieldCode {
    /// The code of a rule checked by `validator` (`#[validate(length(...))]` and its kin), whose
    /// codes are the rule's name.
    pub fn of_validator_rule(rule: &str) -> Self {
        match rule {
            "length" => Self::Length,
            "range" => Self::Range,
            "email" => Self::Email,
            "required" => Self::Required,
            _ => Self::InvalidValue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FieldCode;

    #[test]
    fn codes_are_written_in_snake_case() {
        let written = serde_json::to_string(&FieldCode::InvalidOrExpired).unwrap();
        assert_eq!(written, "\"invalid_or_expired\"");
    }
}
