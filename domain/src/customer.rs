//! Customers: the people of the register, and the rules a customer's details must satisfy
//! as a whole.

use crate::FieldCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::email::EmailAddress;
use crate::person::{Language, PersonName, age_on, is_minor};
use crate::phone::PhoneNumber;

/// A restriction of processing (GDPR Art. 18): while it stands the person's data is kept, and
/// can be read, exported and erased, but is not changed or used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restriction {
    pub since: DateTime<Utc>,
    pub reason: String,
}

/// A change or use of a restricted person's data was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "processing of this customer's data is restricted; an admin must lift the restriction first"
)]
pub struct ProcessingRestricted;

/// The restriction rule, for every change or use of a customer's data: refused while a
/// restriction stands.
pub fn ensure_processable(restriction: Option<&Restriction>) -> Result<(), ProcessingRestricted> {
    match restriction {
        Some(_) => Err(ProcessingRestricted),
        None => Ok(()),
    }
}

/// How the customer relationship began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Entered by staff.
    Staff,
    /// From a single-lesson booking in the online calendar.
    Calendar,
    /// From a webshop order.
    Webshop,
    /// The person registered themselves.
    #[serde(rename = "self")]
    SelfService,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Calendar => "calendar",
            Self::Webshop => "webshop",
            Self::SelfService => "self",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "staff" => Some(Self::Staff),
            "calendar" => Some(Self::Calendar),
            "webshop" => Some(Self::Webshop),
            "self" => Some(Self::SelfService),
            _ => None,
        }
    }
}

/// A postal address, for deliveries and invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
}

/// One broken rule: which field, a stable code, and words for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: &'static str,
    pub code: FieldCode,
    pub message: String,
}

fn violation(field: &'static str, code: FieldCode, message: impl Into<String>) -> Violation {
    Violation {
        field,
        code,
        message: message.into(),
    }
}

impl Address {
    /// Trims and checks each part; a Finnish postal code is five digits.
    pub fn parse(
        street: &str,
        postal_code: &str,
        city: &str,
        country: &str,
    ) -> Result<Self, Vec<Violation>> {
        let mut problems = Vec::new();
        let (street, postal_code, city) = (street.trim(), postal_code.trim(), city.trim());
        let country = country.trim().to_uppercase();
        let text_ok = |s: &str, max: usize| {
            !s.is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
        };
        if !text_ok(street, 200) {
            problems.push(violation(
                "address.street",
                FieldCode::Length,
                "must be 1 to 200 characters",
            ));
        }
        if !text_ok(city, 100) {
            problems.push(violation(
                "address.city",
                FieldCode::Length,
                "must be 1 to 100 characters",
            ));
        }
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            problems.push(violation(
                "address.country",
                FieldCode::Country,
                "must be a two-letter country code like FI",
            ));
        }
        let postal_ok = if country == "FI" {
            postal_code.len() == 5 && postal_code.chars().all(|c| c.is_ascii_digit())
        } else {
            (2..=12).contains(&postal_code.len())
                && postal_code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        };
        if !postal_ok {
            problems.push(violation(
                "address.postal_code",
                FieldCode::PostalCode,
                "must be a postal code (five digits in Finland)",
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            street: street.to_owned(),
            postal_code: postal_code.to_owned(),
            city: city.to_owned(),
            country,
        })
    }
}

/// The guardian of a minor: who consents and whom we contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guardian {
    pub name: PersonName,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
}

/// Everything the register keeps about a customer's identity and contact, validated field by
/// field; [`CustomerProfile::violations`] checks the rules that span fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerProfile {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
    pub address: Option<Address>,
    pub birth_date: Option<NaiveDate>,
    pub language: Language,
    pub guardian: Option<Guardian>,
}

impl CustomerProfile {
    /// A minor is someone whose birth date says they are under 18 on `today`.
    pub fn is_minor(&self, today: NaiveDate) -> bool {
        self.birth_date
            .is_some_and(|born| is_minor(age_on(born, today)))
    }

    /// The rules that span fields: someone must be reachable, and a minor has a guardian who is.
    pub fn violations(&self, today: NaiveDate) -> Vec<Violation> {
        let mut out = Vec::new();
        if self.email.is_none() && self.phone.is_none() {
            out.push(violation(
                "email",
                FieldCode::ContactRequired,
                "give an email address or a phone number",
            ));
        }
        if self.is_minor(today) && self.guardian.is_none() {
            out.push(violation(
                "guardian",
                FieldCode::RequiredForMinor,
                "is required for a customer under 18",
            ));
        }
        if let Some(guardian) = &self.guardian
            && guardian.email.is_none()
            && guardian.phone.is_none()
        {
            out.push(violation(
                "guardian",
                FieldCode::ContactRequired,
                "give the guardian's email address or phone number",
            ));
        }
        out
    }
}

/// The key names are searched and sorted by, identical on every database: lower-case, with
/// `å` placed before `ä` so that plain code-point order is the Finnish alphabet's
/// (… x y z å ä ö).
pub fn name_key(name: &str) -> String {
    crate::text::nfc(name.trim())
        .to_lowercase()
        .chars()
        .map(|c| if c == 'å' { '\u{e3}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restriction_refuses_processing_until_lifted() {
        let restriction = Restriction {
            since: Utc::now(),
            reason: "a dispute about the invoice".into(),
        };
        assert_eq!(
            ensure_processable(Some(&restriction)),
            Err(ProcessingRestricted)
        );
        assert_eq!(ensure_processable(None), Ok(()));
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn adult() -> CustomerProfile {
        CustomerProfile {
            first_name: PersonName::parse("Maija").unwrap(),
            last_name: PersonName::parse("Meikäläinen").unwrap(),
            email: Some(EmailAddress::parse("maija@example.fi").unwrap()),
            phone: None,
            address: None,
            birth_date: NaiveDate::from_ymd_opt(1990, 5, 1),
            language: Language::Fi,
            guardian: None,
        }
    }

    #[test]
    fn an_adult_with_one_contact_is_fine() {
        assert!(adult().violations(today()).is_empty());
    }

    #[test]
    fn a_minor_needs_a_reachable_guardian() {
        let mut minor = adult();
        minor.birth_date = NaiveDate::from_ymd_opt(2015, 1, 1);
        assert_eq!(
            minor.violations(today())[0].code,
            FieldCode::RequiredForMinor
        );
        minor.guardian = Some(Guardian {
            name: PersonName::parse("Matti").unwrap(),
            email: None,
            phone: None,
        });
        assert_eq!(
            minor.violations(today())[0].code,
            FieldCode::ContactRequired
        );
        minor.guardian.as_mut().unwrap().phone = Some(PhoneNumber::parse("040 123 4567").unwrap());
        assert!(minor.violations(today()).is_empty());
    }

    #[test]
    fn someone_must_be_reachable() {
        let mut nobody = adult();
        nobody.email = None;
        assert_eq!(nobody.violations(today())[0].field, "email");
    }

    #[test]
    fn finnish_postal_codes_are_five_digits() {
        assert!(Address::parse("Lehmustie 4", "11910", "Riihimäki", "fi").is_ok());
        let errors = Address::parse("", "1191", "Riihimäki", "FI").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|v| v.field).collect();
        assert_eq!(fields, ["address.street", "address.postal_code"]);
        let errors = Address::parse("Lehmustie 4", "11910", "Riihimäki", "Finland").unwrap_err();
        assert_eq!(errors[0].field, "address.country");
        assert!(Address::parse("Storgatan 1", "111 22", "Stockholm", "SE").is_ok());
    }

    #[test]
    fn name_keys_sort_in_the_finnish_alphabet() {
        let mut names = vec!["Öhman", "Åberg", "Ärväs", "Zetterberg", "aalto", "Virtanen"];
        names.sort_by_key(|n| name_key(n));
        assert_eq!(
            names,
            ["aalto", "Virtanen", "Zetterberg", "Åberg", "Ärväs", "Öhman"]
        );
        assert_eq!(name_key(" MEIKÄLÄINEN"), name_key("meikäläinen"));
    }
}
