//! What customer endpoints take and return.

use chrono::{DateTime, NaiveDate, Utc};
use domain::customer::Source;
use domain::person::{age_on, is_minor};
use domain::{Language, PhoneNumber};
use persistence::customers::Customer;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// A postal address, for deliveries and invoices.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"street": "Lehmustie 4", "postal_code": "11910", "city": "Riihimäki", "country": "FI"}))]
pub struct AddressDto {
    #[schema(min_length = 1, max_length = 200)]
    pub street: String,
    /// Five digits in Finland.
    #[schema(max_length = 12, pattern = r"^[A-Za-z0-9 -]{2,12}$")]
    pub postal_code: String,
    #[schema(min_length = 1, max_length = 100)]
    pub city: String,
    /// ISO 3166-1 alpha-2, e.g. `FI`.
    #[schema(max_length = 8, pattern = r"^\s*[A-Za-z]{2}\s*$")]
    pub country: String,
}

/// The guardian of a minor; required under 18, with an email or a phone number.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Matti Meikäläinen", "email": "matti@example.fi", "phone": "+358401234567"}))]
pub struct GuardianDto {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(max_length = 254, pattern = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$")]
    pub email: Option<String>,
    #[schema(max_length = 32, pattern = r"^[+0-9 ().-]+$")]
    pub phone: Option<String>,
}

/// A customer as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerView {
    pub id: Uuid,
    #[schema(example = "Maija")]
    #[schema(max_length = 100)]
    pub first_name: String,
    #[schema(example = "Meikäläinen")]
    #[schema(max_length = 100)]
    pub last_name: String,
    #[schema(example = "maija.meikalainen@example.fi")]
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// E.164.
    #[schema(example = "+358401234567")]
    #[schema(max_length = 16)]
    pub phone: Option<String>,
    pub address: Option<AddressDto>,
    pub birth_date: Option<NaiveDate>,
    /// Full years, when the birth date is known.
    pub age: Option<u32>,
    /// Under 18 by the birth date; a minor always has a guardian.
    pub is_minor: bool,
    pub language: Language,
    pub guardian: Option<GuardianDto>,
    /// How the customer relationship began.
    pub source: Source,
    /// Whether the customer can log in (staff have issued a one-time password).
    pub has_account: bool,
    /// Processing is restricted (GDPR Art. 18): the data is kept but not used.
    pub restricted: bool,
    #[schema(max_length = 1000)]
    pub restriction_reason: Option<String>,
    /// When the person was erased; the record is then an anonymous placeholder that no request
    /// can change (409).
    pub erased_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Also the `ETag`; send it back in `If-Match` to update safely.
    pub version: i64,
}

impl CustomerView {
    pub fn new(c: Customer, today: NaiveDate) -> Self {
        let p = c.profile;
        let age = p.birth_date.map(|born| age_on(born, today));
        Self {
            id: c.id,
            first_name: p.first_name.into(),
            last_name: p.last_name.into(),
            email: p.email.map(Into::into),
            phone: p.phone.map(Into::into),
            address: p.address.map(|a| AddressDto {
                street: a.street,
                postal_code: a.postal_code,
                city: a.city,
                country: a.country,
            }),
            birth_date: p.birth_date,
            age,
            is_minor: age.is_some_and(is_minor),
            language: p.language,
            guardian: p.guardian.map(|g| GuardianDto {
                name: g.name.into(),
                email: g.email.map(Into::into),
                phone: g.phone.map(PhoneNumber::into),
            }),
            source: c.source,
            has_account: c.account_id.is_some(),
            restricted: c.restriction.is_some(),
            restriction_reason: c.restriction.map(|r| r.reason),
            erased_at: c.erased_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
            version: c.version,
        }
    }
}

/// How a customer was first met, as staff may record it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StaffSource {
    Staff,
    Calendar,
    Webshop,
}

impl From<StaffSource> for Source {
    fn from(s: StaffSource) -> Self {
        match s {
            StaffSource::Staff => Source::Staff,
            StaffSource::Calendar => Source::Calendar,
            StaffSource::Webshop => Source::Webshop,
        }
    }
}

/// A new customer. An email or a phone number is required; a guardian is required under 18.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "first_name": "Maija", "last_name": "Meikäläinen", "email": "maija.meikalainen@example.fi",
    "phone": "040 123 4567", "birth_date": "2012-05-01", "language": "fi",
    "address": {"street": "Lehmustie 4", "postal_code": "11910", "city": "Riihimäki", "country": "FI"},
    "guardian": {"name": "Matti Meikäläinen", "phone": "040 765 4321"}
}))]
pub struct NewCustomer {
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: String,
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: String,
    #[schema(max_length = 254, pattern = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$")]
    pub email: Option<String>,
    /// Any common form; stored as E.164 (`040 123 4567` → `+358401234567`).
    #[schema(max_length = 32, pattern = r"^[+0-9 ().-]+$")]
    pub phone: Option<String>,
    pub address: Option<AddressDto>,
    pub birth_date: Option<NaiveDate>,
    /// Defaults to `fi`.
    pub language: Option<Language>,
    pub guardian: Option<GuardianDto>,
    /// Defaults to `staff`.
    pub source: Option<StaffSource>,
}

/// Changes to a customer. An absent field stays as it is; `null` clears it (names and
/// language cannot be cleared). The result must still satisfy every rule.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+358 40 111 2222", "address": null}))]
pub struct CustomerPatch {
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 254, pattern = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 32, pattern = r"^[+0-9 ().-]+$")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<AddressDto>)]
    pub address: Option<Option<AddressDto>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub birth_date: Option<Option<NaiveDate>>,
    pub language: Option<Language>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<GuardianDto>)]
    pub guardian: Option<Option<GuardianDto>>,
}

/// Tells a field sent as `null` (`Some(None)`: clear it) from one not sent (`None`: keep it).
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
