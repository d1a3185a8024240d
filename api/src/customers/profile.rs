//! Turning request fields into a validated customer profile, every problem reported at once.

use chrono::NaiveDate;
use domain::customer::{Address, CustomerProfile, Guardian};
use domain::person::check_birth_date;
use domain::{EmailAddress, Language, PersonName, PhoneNumber};

use super::dto::{AddressDto, CustomerPatch, GuardianDto, NewCustomer};
use crate::plumbing::error::ApiError;
use crate::plumbing::http::Fields;

/// The raw profile fields of a request, before validation.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<AddressDto>,
    pub birth_date: Option<NaiveDate>,
    pub language: Language,
    pub guardian: Option<GuardianDto>,
}

impl From<&NewCustomer> for ProfileInput {
    fn from(n: &NewCustomer) -> Self {
        Self {
            first_name: n.first_name.clone(),
            last_name: n.last_name.clone(),
            email: n.email.clone(),
            phone: n.phone.clone(),
            address: n.address.clone(),
            birth_date: n.birth_date,
            language: n.language.unwrap_or_default(),
            guardian: n.guardian.clone(),
        }
    }
}

impl ProfileInput {
    /// The stored profile as input, so a patch can be applied and the result checked whole.
    pub fn of(p: &CustomerProfile) -> Self {
        Self {
            first_name: p.first_name.as_str().to_owned(),
            last_name: p.last_name.as_str().to_owned(),
            email: p.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: p.phone.as_ref().map(|ph| ph.as_str().to_owned()),
            address: p.address.as_ref().map(|a| AddressDto {
                street: a.street.clone(),
                postal_code: a.postal_code.clone(),
                city: a.city.clone(),
                country: a.country.clone(),
            }),
            birth_date: p.birth_date,
            language: p.language,
            guardian: p.guardian.as_ref().map(|g| GuardianDto {
                name: g.name.as_str().to_owned(),
                email: g.email.as_ref().map(|e| e.as_str().to_owned()),
                phone: g.phone.as_ref().map(|ph| ph.as_str().to_owned()),
            }),
        }
    }

    pub fn apply(mut self, patch: CustomerPatch) -> Self {
        if let Some(v) = patch.first_name {
            self.first_name = v;
        }
        if let Some(v) = patch.last_name {
            self.last_name = v;
        }
        if let Some(v) = patch.email {
            self.email = v;
        }
        if let Some(v) = patch.phone {
            self.phone = v;
        }
        if let Some(v) = patch.address {
            self.address = v;
        }
        if let Some(v) = patch.birth_date {
            self.birth_date = v;
        }
        if let Some(v) = patch.language {
            self.language = v;
        }
        if let Some(v) = patch.guardian {
            self.guardian = v;
        }
        self
    }

    /// Validates every field, then the rules across fields (contact, guardian of a minor).
    pub fn parse(&self, today: NaiveDate) -> Result<CustomerProfile, ApiError> {
        let mut fields = Fields::default();
        let first_name = fields.check("first_name", PersonName::parse(&self.first_name));
        let last_name = fields.check("last_name", PersonName::parse(&self.last_name));
        let email = self
            .email
            .as_deref()
            .and_then(|e| fields.check("email", EmailAddress::parse(e)));
        let phone = self
            .phone
            .as_deref()
            .and_then(|p| fields.check("phone", PhoneNumber::parse(p)));
        let address = self.address.as_ref().and_then(|a| {
            Address::parse(&a.street, &a.postal_code, &a.city, &a.country)
                .map_err(|violations| {
                    for v in violations {
                        fields.push(v.field, v.code, &v.message);
                    }
                })
                .ok()
        });
        let birth_date = self
            .birth_date
            .and_then(|d| fields.check("birth_date", check_birth_date(d, today)));
        let guardian = self.guardian.as_ref().map(|g| {
            let name = fields.check("guardian.name", PersonName::parse(&g.name));
            let email = g
                .email
                .as_deref()
                .and_then(|e| fields.check("guardian.email", EmailAddress::parse(e)));
            let phone = g
                .phone
                .as_deref()
                .and_then(|p| fields.check("guardian.phone", PhoneNumber::parse(p)));
            (name, email, phone)
        });
        fields.finish()?;
        let (Some(first_name), Some(last_name)) = (first_name, last_name) else {
            unreachable!("reported above")
        };
        let guardian = guardian.map(|(name, email, phone)| Guardian {
            name: name.expect("reported above"),
            email,
            phone,
        });
        let profile = CustomerProfile {
            first_name,
            last_name,
            email,
            phone,
            address,
            birth_date,
            language: self.language,
            guardian,
        };
        let mut rules = Fields::default();
        for v in profile.violations(today) {
            rules.push(v.field, v.code, &v.message);
        }
        rules.finish()?;
        Ok(profile)
    }
}
