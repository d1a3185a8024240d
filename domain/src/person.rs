//! A person's name, birth date and language.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::name::{NameError, check_name};

/// A first or last name: 1–100 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, NameError> {
        check_name(raw, Self::MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = NameError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<PersonName> for String {
    fn from(name: PersonName) -> Self {
        name.0
    }
}

/// Age of majority in Finland: a younger customer has a guardian.
pub const ADULT_AGE: u32 = 18;

/// Under this age a guardian gives consent for the child (Finnish Data Protection Act
/// 1050/2018, section 5).
pub const AGE_OF_DIGITAL_CONSENT: u32 = 13;

/// Whether a person of `age` is a minor, who needs a guardian.
pub fn is_minor(age: u32) -> bool {
    age < ADULT_AGE
}

/// Whether a person of `age` consents through their guardian rather than themselves.
pub fn consents_through_guardian(age: u32) -> bool {
    age < AGE_OF_DIGITAL_CONSENT
}

/// Who gave a consent: the person, or their guardian (for a child under 13, or as staff
/// recorded it).
// Stored as `self` / `guardian`, the only values the tables' CHECK constraints allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GivenBy {
    #[serde(rename = "self")]
    Person,
    Guardian,
}

impl GivenBy {
    /// Who consents for a person of `age`.
    pub fn for_age(age: u32) -> Self {
        if consents_through_guardian(age) {
            Self::Guardian
        } else {
            Self::Person
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "self",
            Self::Guardian => "guardian",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "self" => Some(Self::Person),
            "guardian" => Some(Self::Guardian),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BirthDateError {
    #[error("must not be in the future")]
    InFuture,
    #[error("must be after 1900-01-01")]
    TooEarly,
}

impl crate::ErrorCode for BirthDateError {
    fn code(&self) -> crate::FieldCode {
        crate::FieldCode::BirthDate
    }
}

/// Checks a birth date against today.
pub fn check_birth_date(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, BirthDateError> {
    if date > today {
        return Err(BirthDateError::InFuture);
    }
    if date < NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date") {
        return Err(BirthDateError::TooEarly);
    }
    Ok(date)
}

/// Full years of age on `today`.
pub fn age_on(birth_date: NaiveDate, today: NaiveDate) -> u32 {
    let mut years = today.year() - birth_date.year();
    if (today.month(), today.day()) < (birth_date.month(), birth_date.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// The latest birth date of an adult on `today`: anyone born after it is a minor. Lets a
/// database compare birth dates without computing ages.
pub fn adult_born_by(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(chrono::Months::new(12 * ADULT_AGE))
        .unwrap_or(NaiveDate::MIN)
}

/// The language a person is served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fi,
    Sv,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fi => "fi",
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "fi" => Some(Self::Fi),
            "sv" => Some(Self::Sv),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_adult_cut_off_agrees_with_age_on_every_day_of_a_leap_span() {
        let mut today = date(2027, 12, 20);
        while today < date(2029, 3, 10) {
            let cut_off = adult_born_by(today);
            let mut born = date(2009, 12, 1);
            while born < date(2011, 4, 1) {
                assert_eq!(
                    born > cut_off,
                    is_minor(age_on(born, today)),
                    "born {born}, today {today}"
                );
                born = born.succ_opt().unwrap();
            }
            today = today.succ_opt().unwrap();
        }
    }

    #[test]
    fn age_counts_full_years_including_leap_days() {
        assert_eq!(age_on(date(2008, 11, 25), date(2026, 11, 25)), 18);
        assert_eq!(age_on(date(2008, 11, 26), date(2026, 11, 25)), 17);
        assert_eq!(age_on(date(2008, 2, 29), date(2026, 2, 28)), 17);
        assert_eq!(age_on(date(2008, 2, 29), date(2026, 3, 1)), 18);
    }

    #[test]
    fn birth_dates_are_in_a_plausible_past() {
        let today = date(2026, 11, 25);
        assert!(check_birth_date(date(2026, 11, 25), today).is_ok());
        assert_eq!(
            check_birth_date(date(2026, 11, 26), today),
            Err(BirthDateError::InFuture)
        );
        assert_eq!(
            check_birth_date(date(1899, 12, 31), today),
            Err(BirthDateError::TooEarly)
        );
    }

    #[test]
    fn person_names_keep_finnish_letters_and_refuse_long_ones() {
        assert_eq!(
            PersonName::parse(" Äänislinna ").unwrap().as_str(),
            "Äänislinna"
        );
        assert!(PersonName::parse(&"ö".repeat(101)).is_err());
    }
}
