//! What the calendar-feed endpoints take and return.

use chrono::{DateTime, Utc};
use persistence::calendar::feeds::{Feed, Owner};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// A new feed. A teacher or a customer leaves both fields out (their own calendar); an admin
/// names exactly one.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCalendarFeed {
    /// The teacher whose lessons the feed shows (admin only).
    pub teacher_id: Option<Uuid>,
    /// The customer whose bookings the feed shows (admin only).
    pub customer_id: Option<Uuid>,
}

/// Whose calendar a feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedOwner {
    /// A teacher's lessons (no student is named in them).
    Teacher,
    /// A customer's booked lessons.
    Customer,
}

/// A calendar feed, without its secret URL.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarFeedView {
    pub id: Uuid,
    pub owner: FeedOwner,
    /// The teacher's account id or the customer's id.
    pub owner_id: Uuid,
    pub created_at: DateTime<Utc>,
    /// When the current URL was made (the creation or the last rotation).
    pub token_made_at: DateTime<Utc>,
}

impl From<Feed> for CalendarFeedView {
    fn from(f: Feed) -> Self {
        let (owner, owner_id) = match f.owner {
            Owner::Teacher(id) => (FeedOwner::Teacher, id),
            Owner::Customer(id) => (FeedOwner::Customer, id),
        };
        Self {
            id: f.id,
            owner,
            owner_id,
            created_at: f.created_at,
            token_made_at: f.token_made_at,
        }
    }
}

/// A feed with its secret URL: shown only in the answer that made the URL. Anyone holding
/// the URL reads the calendar, so keep it like a password; rotate it if it leaks.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedCalendarFeed {
    pub feed: CalendarFeedView,
    /// The `text/calendar` (RFC 5545) URL to subscribe to.
    #[schema(format = "uri", max_length = 300)]
    pub url: String,
}
