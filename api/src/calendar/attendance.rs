//! Attendance: what became of each participant of a lesson, and a customer's lessons held.

use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, Touched};
use domain::calendar::{Attendance, BookingStatus};
use persistence::calendar::bookings::{self, Window};
use persistence::calendar::lessons;
use uuid::Uuid;

use super::actor_of;
use super::bookings::{Whose, list};
use super::dto::*;
use super::lessons::scope_of;
use crate::auth::{Caller, Reader};
use crate::plumbing::error::ApiError;
use crate::plumbing::http::Page;
use crate::plumbing::state::AppState;

/// Records `outcome` for `customer_id` on lesson `lesson_id` (its teacher, office or admin).
/// `cancelled_by_school` frees the place of a live booking; the others are recorded once the
/// lesson has started, and may be corrected afterwards.
pub async fn record(
    state: &AppState,
    caller: Caller,
    lesson_id: Uuid,
    customer_id: Uuid,
    outcome: Attendance,
) -> Result<BookingView, ApiError> {
    let scope = scope_of(&caller)?;
    let actor = actor_of(&caller);
    let entry = caller.entry(AuditAction::BookingAttendance);
    state
        .writer
        .write_audited(entry, move |conn, now| {
            let lesson = lessons::find(conn, lesson_id)?
                .filter(|l| scope.reaches(l.teacher_id))
                .ok_or(ApiError::NotFound)?;
            crate::customers::service::for_write(conn, customer_id)?;
            let booking =
                bookings::attendable(conn, lesson_id, customer_id)?.ok_or(ApiError::NotFound)?;
            let refused = |detail: &str| ApiError::Conflict {
                detail: detail.to_owned(),
                existing_id: None,
            };
            if booking.status == BookingStatus::CancelledBySchool {
                return Err(refused(
                    "the school cancelled this booking; it stays cancelled",
                ));
            }
            if outcome == Attendance::CancelledBySchool {
                if !booking.status.is_live() {
                    return Err(refused(
                        "only a live booking can be cancelled by the school",
                    ));
                }
            } else if lesson.starts_at > now {
                return Err(refused(
                    "attendance is recorded once the lesson has started",
                ));
            }
            if booking.status != outcome.status() {
                let changed = bookings::change_status(
                    conn,
                    &booking,
                    outcome.status(),
                    outcome.event(),
                    false,
                    None,
                    actor,
                    now,
                )?;
                if !changed {
                    return Err(refused("the booking changed meanwhile; read it again"));
                }
                if outcome == Attendance::CancelledBySchool {
                    lessons::free_place(conn, lesson_id, now)?;
                }
            }
            let booking = bookings::find(conn, booking.id)?.ok_or(ApiError::NotFound)?;
            let touched = Touched::thing(booking.id, Some(customer_id));
            Ok((BookingView::from(booking), touched))
        })
        .await
}

/// A customer's lessons up to now: their times and what became of each (attended, no-show,
/// excused, cancelled), newest last.
pub async fn history(
    state: &AppState,
    caller: Reader,
    whose: Whose,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<BookingView>, ApiError> {
    let window = Window {
        from: None,
        to: Some(Utc::now()),
    };
    list(state, caller, whose, window, after, limit).await
}
