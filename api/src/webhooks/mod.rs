//! The signed webhook receiver (Standard Webhooks): a delivery is verified on its raw body
//! before anything reads it, filed in the inbox once per `webhook-id`, and applied in the
//! order of the sender's own change times, so that a late "created" never revives a booking
//! cancelled since. Generic over senders: the calendar's booking changes are the first kind
//! of event; the webshop's orders will be the next.

pub mod dto;

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use domain::FieldCode;
use domain::audit::{AuditAction, Touched};
use domain::integration::Scope;
use domain::webhook::{self, Refusal};
use persistence::webhooks::{self as inbox, Delivery, State};
use persistence::{AnyConnection, DbError, write_transaction};
use uuid::Uuid;

use crate::auth::{Caller, Principal, RequestMeta};
use crate::calendar::bookings::{book_in, cancel_in, reschedule_in};
use crate::calendar::dto::NewBooking;
use crate::plumbing::db;
use crate::plumbing::error::{ApiError, FieldError, WebhookRefusal};
use crate::plumbing::extract::parse;
use crate::plumbing::state::AppState;
use crate::settings::Settings;
use dto::{EventType, Outcome, WebhookEvent, WebhookReceipt};

/// The three headers of a delivery: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
pub struct Signed {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
}

fn refused(refusal: Refusal) -> ApiError {
    let header = |name: &str, message: &str| {
        ApiError::InvalidParameter(vec![FieldError::new(
            name,
            FieldCode::InvalidValue,
            message,
        )])
    };
    match refusal {
        Refusal::Id => header("webhook-id", "1 to 255 printable ASCII characters"),
        Refusal::TimestampForm => header("webhook-timestamp", "whole seconds since 1970"),
        Refusal::TimestampWindow => ApiError::Webhook(WebhookRefusal::Stale),
        Refusal::Signature => ApiError::Webhook(WebhookRefusal::Signature),
    }
}

fn invalid(field: &str, code: FieldCode, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldError::new(field, code, message)])
}

/// The event's fields fit its type, and the sender may send it.
fn check(event: &WebhookEvent, scopes: &[Scope]) -> Result<(), ApiError> {
    if !scopes.contains(&Scope::Calendar) {
        return Err(invalid(
            "type",
            FieldCode::NotAllowed,
            "this integration does not send booking changes",
        ));
    }
    let data = &event.data;
    let needs_lesson = event.event_type != EventType::BookingCancelled;
    if needs_lesson != data.lesson_id.is_some() {
        let (code, message) = if needs_lesson {
            (FieldCode::Required, "the lesson booked or moved to")
        } else {
            (
                FieldCode::NotAllowed,
                "a cancellation names the booking only",
            )
        };
        return Err(invalid("data.lesson_id", code, message));
    }
    let names_customer = data.customer_id.is_some() || data.person.is_some();
    if event.event_type != EventType::BookingCreated && names_customer {
        return Err(invalid(
            "data.customer_id",
            FieldCode::NotAllowed,
            "only booking.created names the customer",
        ));
    }
    Ok(())
}

/// Receives one delivery from the integration `integration_id`.
pub async fn receive(
    state: &AppState,
    integration_id: Uuid,
    signed: Signed,
    body: Bytes,
    meta: RequestMeta,
) -> Result<WebhookReceipt, ApiError> {
    let now = Utc::now();
    let sender = db::run(&state.pool, move |conn| {
        Ok(inbox::sender(conn, integration_id, now)?)
    })
    .await?;
    // An unknown or revoked integration is told what a wrong secret is told.
    let (integration, secrets) = sender.ok_or(ApiError::Webhook(WebhookRefusal::Signature))?;
    let headers = (
        signed.id.as_str(),
        signed.timestamp.as_str(),
        signed.signature.as_str(),
    );
    webhook::verify(&secrets, headers, &body, now).map_err(refused)?;
    let event: WebhookEvent = parse(&body)?;
    check(&event, &integration.scopes)?;
    let caller = Caller {
        principal: Principal::Integration {
            id: integration.id,
            kind: integration.kind,
            scopes: integration.scopes.clone(),
        },
        meta,
    };
    let delivery = Delivery {
        integration_id,
        webhook_id: signed.id,
        event_type: event.event_type.as_str().to_owned(),
        changed_at: event.timestamp,
        payload: String::from_utf8_lossy(&body).into_owned(),
    };
    let settings = state.settings.clone();
    let entry = caller.entry(AuditAction::WebhookReceive);
    state
        .writer
        .write_audited(entry, move |conn, now| {
            file(conn, &caller, delivery, event, &settings, now)
        })
        .await
}

/// What applying an event did.
struct Applied {
    outcome: Outcome,
    booking: Option<Uuid>,
    customer: Option<Uuid>,
}

/// Applies the event in a savepoint (undone alone if refused) and files the delivery with
/// what came of it; a `webhook-id` filed before is a replay, and the inbox's unique key
/// settles two deliveries of one id at once.
fn file(
    conn: &mut AnyConnection,
    caller: &Caller,
    delivery: Delivery,
    event: WebhookEvent,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<(WebhookReceipt, Touched), ApiError> {
    let replayed = || ApiError::Webhook(WebhookRefusal::Replayed);
    if inbox::received_before(conn, delivery.integration_id, &delivery.webhook_id)? {
        return Err(replayed());
    }
    let applied = write_transaction(conn, |conn| {
        apply(conn, caller, delivery.integration_id, event, settings, now)
    });
    let (applied, problem) = match applied {
        Ok(applied) => (applied, None),
        Err(error) if is_refusal(&error) => {
            let applied = Applied {
                outcome: Outcome::Refused,
                booking: None,
                customer: None,
            };
            (applied, Some(error.kind().uri()))
        }
        Err(error) => return Err(error),
    };
    let outcome = match applied.outcome {
        Outcome::Applied => inbox::Outcome::Applied,
        Outcome::Stale => inbox::Outcome::Stale,
        Outcome::Refused => inbox::Outcome::Refused,
    };
    let id = inbox::file(conn, &delivery, (outcome, problem), applied.customer, now).map_err(
        |error| match error {
            DbError::UniqueViolation { .. } => replayed(),
            other => other.into(),
        },
    )?;
    let receipt = WebhookReceipt {
        id,
        webhook_id: delivery.webhook_id,
        outcome: applied.outcome,
        booking_id: applied.booking,
        problem: problem.map(str::to_owned),
    };
    Ok((receipt, Touched::thing(id, applied.customer)))
}

/// A refusal of the change itself (the lesson is full, the booking is gone…): filed as such
/// and answered 200, because sending it again would not help. Anything else fails the delivery.
fn is_refusal(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Calendar(_)
            | ApiError::Validation(_)
            | ApiError::Conflict { .. }
            | ApiError::NotFound
    )
}

/// Applies one change of a sender's booking, unless the sender has reported a newer one.
fn apply(
    conn: &mut AnyConnection,
    caller: &Caller,
    integration_id: Uuid,
    event: WebhookEvent,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Applied, ApiError> {
    let external_id = event.data.booking_id.clone();
    let key = (integration_id, external_id.as_str());
    let known = inbox::external_for_update(conn, integration_id, &external_id)?;
    let stale = Applied {
        outcome: Outcome::Stale,
        booking: known.booking_id,
        customer: None,
    };
    let live = known.booking_id.filter(|_| known.state == State::Live);
    if known.changed_at >= event.timestamp
        || (event.event_type == EventType::BookingCreated && live.is_some())
    {
        return Ok(stale);
    }
    let changed_at = event.timestamp;
    let done = |view: crate::calendar::dto::BookingView| Applied {
        outcome: Outcome::Applied,
        booking: Some(view.id),
        customer: Some(view.customer_id),
    };
    match (event.event_type, live) {
        (EventType::BookingCreated, _) => {
            let body = NewBooking {
                lesson_id: event.data.lesson_id.unwrap_or_default(),
                customer_id: event.data.customer_id,
                person: event.data.person,
            };
            let (view, _) = book_in(conn, caller, &body, settings, now)?;
            inbox::set_external(conn, key, Some(view.id), State::Live, changed_at)?;
            Ok(done(view))
        }
        (EventType::BookingCancelled, Some(id)) => {
            let (view, _) = cancel_in(conn, caller, id, settings, now)?;
            inbox::set_external(conn, key, Some(id), State::Cancelled, changed_at)?;
            Ok(done(view))
        }
        // Cancelled before we heard of it: remembered, so that the late "created" does nothing.
        (EventType::BookingCancelled, None) => {
            inbox::set_external(conn, key, known.booking_id, State::Cancelled, changed_at)?;
            Ok(Applied {
                outcome: Outcome::Applied,
                booking: known.booking_id,
                customer: None,
            })
        }
        (EventType::BookingRescheduled, Some(id)) => {
            let lesson = event.data.lesson_id.unwrap_or_default();
            let (view, _) = reschedule_in(conn, caller, id, lesson, settings, now)?;
            inbox::set_external(conn, key, Some(id), State::Live, changed_at)?;
            Ok(done(view))
        }
        (EventType::BookingRescheduled, None) => Err(ApiError::Conflict {
            detail: "the booking is not live here: it was never made or is cancelled".to_owned(),
            existing_id: None,
        }),
    }
}
