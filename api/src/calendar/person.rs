//! The person the online calendar books for: found by email, or made a customer.

use chrono::{DateTime, Utc};
use domain::FieldCode;
use domain::audit::AuditAction;
use domain::customer::Source;
use persistence::audit;
use persistence::{AnyConnection, DbError, customers};
use uuid::Uuid;

use crate::auth::Caller;
use crate::customers::dto::NewCustomer;
use crate::customers::profile::ProfileInput;
use crate::plumbing::error::{ApiError, FieldError};

/// The customer with `person`'s email, or a new one with source `calendar` (its creation
/// audited in the booking's transaction). Every field at fault is named under `person.`.
pub fn customer_for(
    conn: &mut AnyConnection,
    caller: &Caller,
    person: &NewCustomer,
    now: DateTime<Utc>,
) -> Result<Uuid, ApiError> {
    let mut profile = ProfileInput::from(person)
        .parse(crate::customers::service::today())
        .map_err(|e| e.under("person"));
    if person.source.is_some() {
        let source = FieldError::new(
            "person.source",
            FieldCode::NotAllowed,
            "a person from the calendar is a customer with source calendar",
        );
        profile = Err(match profile {
            Err(ApiError::Validation(mut errors)) => {
                errors.push(source);
                ApiError::Validation(errors)
            }
            _ => ApiError::Validation(vec![source]),
        });
    }
    let profile = profile?;
    let Some(email) = profile.email.as_ref() else {
        return Err(ApiError::Validation(vec![FieldError::new(
            "person.email",
            FieldCode::Required,
            "the calendar names the person by email",
        )]));
    };
    if let Some(existing) = customers::find_by_email(conn, email)? {
        return Ok(existing.id);
    }
    let customer =
        customers::insert(conn, &profile, Source::Calendar, now).map_err(|e| match e {
            // Another request added the same person a moment ago (PostgreSQL): asked again, the
            // booking finds them.
            DbError::UniqueViolation { .. } => ApiError::Conflict {
                detail: "the person was being added by another request; send the booking again"
                    .to_owned(),
                existing_id: None,
            },
            other => other.into(),
        })?;
    let entry = caller.audit(
        AuditAction::CustomerCreate,
        Some(customer.id.to_string()),
        Some(customer.id),
    );
    audit::append(conn, entry, now)?;
    Ok(customer.id)
}
