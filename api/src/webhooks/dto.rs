//! What the webhook receiver takes and answers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::customers::dto::NewCustomer;

/// The kinds of change a sender reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
pub enum EventType {
    /// A booking was made: `booking_id`, `lesson_id`, and `customer_id` or `person`.
    #[serde(rename = "booking.created")]
    BookingCreated,
    /// A booking moved to another lesson: `booking_id`, `lesson_id`.
    #[serde(rename = "booking.rescheduled")]
    BookingRescheduled,
    /// A booking was cancelled: `booking_id`.
    #[serde(rename = "booking.cancelled")]
    BookingCancelled,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BookingCreated => "booking.created",
            Self::BookingRescheduled => "booking.rescheduled",
            Self::BookingCancelled => "booking.cancelled",
        }
    }
}

/// A delivery's body in the Standard Webhooks form: the kind of change, the sender's time of
/// it, and what changed. Changes of one booking are applied in the order of `timestamp`, so a
/// late delivery of an older change does nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"type": "booking.created", "timestamp": "2026-12-07T10:15:00Z",
    "data": {"booking_id": "kal-20931", "lesson_id": "01938a40-1111-7222-8333-444455556666",
        "person": {"first_name": "Aino", "last_name": "Järvinen",
            "email": "aino.jarvinen@example.fi", "phone": "040 123 4567"}}}))]
pub struct WebhookEvent {
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When the change happened at the sender.
    pub timestamp: DateTime<Utc>,
    pub data: BookingChange,
}

/// One booking's change, as the sender knows the booking.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingChange {
    /// The sender's own id of the booking.
    #[schema(min_length = 1, max_length = 100, pattern = "^[!-~]+$")]
    pub booking_id: String,
    /// The lesson booked or moved to (`booking.created`, `booking.rescheduled`).
    pub lesson_id: Option<Uuid>,
    /// The customer, by our id (`booking.created`; or `person`).
    pub customer_id: Option<Uuid>,
    /// The person who booked (`booking.created`; or `customer_id`): matched by email to a
    /// customer, or made one with source `calendar`.
    pub person: Option<NewCustomer>,
}

/// What came of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The change was made.
    Applied,
    /// A newer change of the booking was applied before: nothing was done.
    Stale,
    /// The change could not be made (`problem` says why); nothing was changed.
    Refused,
}

/// The receipt of a delivery: it was received and filed, whatever came of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookReceipt {
    /// The delivery in the inbox.
    pub id: Uuid,
    #[schema(max_length = 255)]
    pub webhook_id: String,
    pub outcome: Outcome,
    /// Our booking, where there is one.
    pub booking_id: Option<Uuid>,
    /// The problem type of a refusal, e.g. `https://api.uniikkiaani.fi/problems/lesson-full`.
    #[schema(format = "uri", max_length = 200)]
    pub problem: Option<String>,
}
