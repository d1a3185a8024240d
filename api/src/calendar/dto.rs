//! What the lesson and booking endpoints take and return.

use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::{
    BookingEvent, BookingSource, BookingStatus, LessonKind, LessonStatus, LocationKind,
};
use persistence::calendar::bookings::{Booking, Event};
use persistence::calendar::lessons::{Lesson, Location};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use domain::audit::ActorKind;

/// Where a lesson is held: a room at the school, or online at a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum LessonLocation {
    /// A room at the school; rooms differing only in case or spacing are one room.
    Room {
        #[schema(min_length = 1, max_length = 60, pattern = "\\S")]
        room: String,
    },
    /// Online, at an https link.
    Online {
        #[schema(min_length = 9, max_length = 500, pattern = "^https://[^\\s]+$")]
        url: String,
    },
}

impl From<Location> for LessonLocation {
    fn from(location: Location) -> Self {
        match location {
            Location::Room(room) => Self::Room { room },
            Location::Online(url) => Self::Online { url },
        }
    }
}

/// A lesson to schedule.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"teacher_id": "01934b6e-8f5e-7bd2-9c1a-3f4e5d6c7b8a",
    "starts_at": "2027-01-12T15:00:00Z", "ends_at": "2027-01-12T15:45:00Z",
    "location": {"kind": "room", "room": "Studio 1"}, "kind": "private", "capacity": 1,
    "price_cents": 4500}))]
pub struct NewLesson {
    /// The teacher's account. A teacher scheduling their own lesson may leave it out.
    pub teacher_id: Option<Uuid>,
    /// UTC. A lesson lasts 15 minutes to 8 hours.
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: LessonLocation,
    pub kind: LessonKind,
    /// Places: 1 for a private lesson, 2–100 for a group.
    #[schema(minimum = 1, maximum = 100)]
    pub capacity: i32,
    /// The price of one place, in euro cents.
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub price_cents: i32,
}

/// A weekly series of lessons: the first at `lesson`'s time, then the same Helsinki
/// wall-clock time every week (across the daylight-saving changes).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLessonSeries {
    pub lesson: NewLesson,
    /// How many weeks, counting the first.
    #[schema(minimum = 1, maximum = 52)]
    pub weeks: u32,
    /// Helsinki dates on which no lesson is made (holidays).
    #[serde(default)]
    #[schema(max_items = 52)]
    pub skip_dates: Vec<NaiveDate>,
}

/// A lesson. `free_places` is what can still be booked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonView {
    pub id: Uuid,
    pub teacher_id: Uuid,
    /// The teacher's display name.
    #[schema(max_length = 100)]
    pub teacher_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: LessonLocation,
    pub kind: LessonKind,
    #[schema(minimum = 1, maximum = 100)]
    pub capacity: i32,
    #[schema(minimum = 0, maximum = 100)]
    pub free_places: i32,
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub price_cents: i32,
    pub status: LessonStatus,
    /// Raised on every change (a place taken or freed, a cancellation); the ETag.
    #[schema(minimum = 1)]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Lesson> for LessonView {
    fn from(l: Lesson) -> Self {
        Self {
            id: l.id,
            teacher_id: l.teacher_id,
            teacher_name: l.teacher_name,
            starts_at: l.starts_at,
            ends_at: l.ends_at,
            location: l.location.into(),
            kind: l.kind,
            capacity: l.capacity,
            free_places: l.capacity - l.booked,
            price_cents: l.price_cents,
            status: l.status,
            version: l.version,
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

/// The lessons a series made, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct LessonSeriesView {
    #[schema(max_items = 52)]
    pub lessons: Vec<LessonView>,
}

/// Which lessons to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LessonQuery {
    /// One teacher's lessons (a teacher sees only their own, whatever this says).
    pub teacher_id: Option<Uuid>,
    /// Lessons ending after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Lessons starting before this instant.
    pub to: Option<DateTime<Utc>>,
    pub status: Option<LessonStatus>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{32}$", max_length = 32)]
    pub cursor: Option<String>,
}

/// Which free times to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SlotQuery {
    /// One teacher's free times.
    pub teacher_id: Option<Uuid>,
    /// Times starting at or after this instant (default: now).
    pub from: Option<DateTime<Utc>>,
    /// Times starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{32}$", max_length = 32)]
    pub cursor: Option<String>,
}

/// A bookable free time: nothing about who else is booked.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotView {
    /// The lesson to book.
    pub lesson_id: Uuid,
    pub teacher_id: Uuid,
    #[schema(max_length = 100)]
    pub teacher_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location_kind: LocationKind,
    pub kind: LessonKind,
    #[schema(minimum = 1, maximum = 100)]
    pub free_places: i32,
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub price_cents: i32,
}

impl From<Lesson> for SlotView {
    fn from(l: Lesson) -> Self {
        Self {
            lesson_id: l.id,
            teacher_id: l.teacher_id,
            teacher_name: l.teacher_name,
            starts_at: l.starts_at,
            ends_at: l.ends_at,
            location_kind: l.location.kind(),
            kind: l.kind,
            free_places: l.capacity - l.booked,
            price_cents: l.price_cents,
        }
    }
}

/// A booking to make: a customer books for themselves (neither `customer_id` nor `person`),
/// staff name the customer by id, the calendar integration by id or as a `person`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBooking {
    pub lesson_id: Uuid,
    /// The customer; staff and the calendar integration only.
    pub customer_id: Option<Uuid>,
    /// The person who booked in the online calendar (the calendar integration only), named by
    /// `email`: the customer with that email, or else a new customer with source `calendar`
    /// (every rule of a new customer applies: a minor needs a guardian). An existing
    /// customer's details are not changed. `source` may not be given.
    pub person: Option<crate::customers::dto::NewCustomer>,
}

/// Move a booking to another lesson.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reschedule {
    pub lesson_id: Uuid,
}

/// One step of a booking's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingEventView {
    pub event: BookingEvent,
    /// The lesson the booking was on after this step.
    pub lesson_id: Uuid,
    /// A cancellation after the cut-off.
    pub late: bool,
    pub actor_kind: ActorKind,
    pub occurred_at: DateTime<Utc>,
}

impl From<Event> for BookingEventView {
    fn from(e: Event) -> Self {
        Self {
            event: e.event,
            lesson_id: e.lesson_id,
            late: e.late,
            actor_kind: e.actor_kind,
            occurred_at: e.occurred_at,
        }
    }
}

/// A customer's place on a lesson.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingView {
    pub id: Uuid,
    pub lesson_id: Uuid,
    pub customer_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: BookingStatus,
    /// Cancelled after the cut-off: the lesson may be charged.
    pub late_cancellation: bool,
    pub source: BookingSource,
    /// The ETag.
    #[schema(minimum = 1)]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What happened to the booking, oldest first (on a single booking; empty in lists).
    #[schema(max_items = 200)]
    pub history: Vec<BookingEventView>,
}

impl From<Booking> for BookingView {
    fn from(b: Booking) -> Self {
        Self {
            id: b.id,
            lesson_id: b.lesson_id,
            customer_id: b.customer_id,
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            status: b.status,
            late_cancellation: b.late_cancellation,
            source: b.source,
            version: b.version,
            created_at: b.created_at,
            updated_at: b.updated_at,
            history: Vec::new(),
        }
    }
}

/// Which of a customer's bookings to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BookingQuery {
    /// Lessons starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Lessons starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{32}$", max_length = 32)]
    pub cursor: Option<String>,
}

/// A page of a list in order of time: its size and where to continue.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimePageQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{32}$", max_length = 32)]
    pub cursor: Option<String>,
}

/// What became of a participant of a lesson.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRecord {
    pub outcome: domain::calendar::Attendance,
}
