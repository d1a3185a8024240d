//! Lessons as iCalendar events, the same in an email's attachment and in a calendar feed.

use chrono::{DateTime, Utc};
use domain::Language;
use domain::calendar::ical::{self, EventStatus};
use persistence::calendar::lessons::{Lesson, Location};

/// The name calendar applications show for our calendars.
pub const CALENDAR_NAME: &str = "UniikkiÄäni";

/// `lesson` as an event: `sequence` raised on every change of what the reader sees.
pub fn event(
    lesson: &Lesson,
    sequence: i64,
    changed_at: DateTime<Utc>,
    status: EventStatus,
    language: Language,
) -> ical::Event {
    let (location, url) = match &lesson.location {
        Location::Room(room) => (room.clone(), None),
        Location::Online(url) => (
            super::wording::place(&lesson.location, language),
            Some(url.clone()),
        ),
    };
    ical::Event {
        lesson_id: lesson.id,
        sequence,
        changed_at,
        starts_at: lesson.starts_at,
        ends_at: lesson.ends_at,
        summary: super::wording::summary(lesson, language),
        location,
        description: super::wording::when(lesson, language),
        url,
        status,
    }
}
