//! Scheduling lessons: one, or a weekly series in one request; listing them; cancelling one.

use chrono::{DateTime, Utc};
use domain::Role;
use domain::audit::{AuditAction, Touched};
use domain::calendar::{BookingEvent, BookingStatus, check_lesson, time};
use domain::{FieldCode, text};
use persistence::calendar::bookings;
use persistence::calendar::lessons::{self, Clash, LessonFilter, Location};
use persistence::{AnyConnection, DbError, accounts, customers};
use uuid::Uuid;

use super::actor_of;
use super::dto::*;
use super::notices;
use super::wording::Occasion;
use crate::auth::policy::{self, LessonScope};
use crate::auth::{Action, Caller};
use crate::plumbing::db;
use crate::plumbing::error::{ApiError, CalendarRefusal, FieldError};
use crate::plumbing::http::{Page, page};
use crate::plumbing::state::AppState;

/// The caller's reach over lessons, or 403.
pub fn scope_of(caller: &Caller) -> Result<LessonScope, ApiError> {
    caller.require(Action::TeachLessons)?;
    policy::lesson_scope(&caller.principal).ok_or(ApiError::Forbidden)
}

/// The lesson as it will be stored, every field checked at once.
fn checked(
    conn: &mut AnyConnection,
    scope: LessonScope,
    body: &NewLesson,
) -> Result<lessons::NewLesson, ApiError> {
    let mut errors = Vec::new();
    let teacher_id = match (body.teacher_id, scope) {
        (Some(id), _) if scope.reaches(id) => Some(id),
        (Some(_), _) => {
            errors.push(FieldError::new(
                "teacher_id",
                FieldCode::NotAllowed,
                "a teacher schedules their own lessons only",
            ));
            None
        }
        (None, LessonScope::Teacher(own)) => Some(own),
        (None, LessonScope::All) => {
            errors.push(FieldError::new(
                "teacher_id",
                FieldCode::Required,
                "name the teacher",
            ));
            None
        }
    };
    if let Some(id) = teacher_id {
        let teaches =
            accounts::find(conn, id)?.is_some_and(|a| a.active && a.role == Role::Teacher);
        if !teaches {
            errors.push(FieldError::new(
                "teacher_id",
                FieldCode::NotFound,
                "no active teacher has this id",
            ));
        }
    }
    for problem in check_lesson(body.kind, body.capacity, body.starts_at, body.ends_at) {
        errors.push(FieldError::new(
            problem.field,
            problem.code,
            problem.message,
        ));
    }
    let location = match &body.location {
        LessonLocation::Room { room } => {
            let room = text::nfc(room.trim());
            if room.chars().any(text::is_hidden) {
                errors.push(FieldError::new(
                    "location.room",
                    FieldCode::InvalidCharacters,
                    "must not contain control or invisible characters",
                ));
            }
            Location::Room(room)
        }
        LessonLocation::Online { url } => Location::Online(url.clone()),
    };
    match teacher_id {
        Some(teacher_id) if errors.is_empty() => Ok(lessons::NewLesson {
            teacher_id,
            starts_at: body.starts_at,
            ends_at: body.ends_at,
            location,
            kind: body.kind,
            capacity: body.capacity,
            price_cents: body.price_cents,
        }),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// The refusal for a lesson that would overlap another.
fn overlap(clash: Clash) -> ApiError {
    ApiError::Calendar(match clash {
        Clash::Teacher(id) => CalendarRefusal::Overlap {
            what: "another lesson of the same teacher",
            existing_id: id,
        },
        Clash::Room(id) => CalendarRefusal::Overlap {
            what: "another lesson in the same room",
            existing_id: id,
        },
    })
}

/// Stores one lesson after the overlap checks; on PostgreSQL a race the check missed is
/// refused by the exclusion constraints and answered the same way.
fn schedule(
    conn: &mut AnyConnection,
    new: &lessons::NewLesson,
    created_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Uuid, ApiError> {
    lessons::take_turn(conn, new.teacher_id, &new.location)?;
    if let Some(clash) = lessons::clash(
        conn,
        new.teacher_id,
        &new.location,
        new.starts_at,
        new.ends_at,
        None,
    )? {
        return Err(overlap(clash));
    }
    lessons::insert(conn, new, created_by, now).map_err(|e| match e {
        DbError::ExclusionViolation { constraint } => {
            let what = if constraint == "lessons_room_overlap" {
                "another lesson in the same room"
            } else {
                "another lesson of the same teacher"
            };
            ApiError::Calendar(CalendarRefusal::Overlap {
                what,
                existing_id: Uuid::nil(),
            })
        }
        other => other.into(),
    })
}

fn account_of(caller: &Caller) -> Option<Uuid> {
    match caller.principal {
        crate::auth::Principal::Account { id, .. } => Some(id),
        crate::auth::Principal::Integration { .. } => None,
    }
}

pub async fn create(
    state: &AppState,
    caller: Caller,
    body: NewLesson,
) -> Result<LessonView, ApiError> {
    let scope = scope_of(&caller)?;
    let created_by = account_of(&caller);
    state
        .writer
        .write_audited(caller.entry(AuditAction::LessonCreate), move |conn, now| {
            let new = checked(conn, scope, &body)?;
            let id = schedule(conn, &new, created_by, now)?;
            let lesson = lessons::find(conn, id)?.ok_or(ApiError::NotFound)?;
            Ok((lesson.into(), Touched::thing(id, None)))
        })
        .await
}

pub async fn create_series(
    state: &AppState,
    caller: Caller,
    body: NewLessonSeries,
) -> Result<LessonSeriesView, ApiError> {
    let scope = scope_of(&caller)?;
    let created_by = account_of(&caller);
    let times = time::weekly(
        body.lesson.starts_at,
        body.lesson.ends_at,
        body.weeks,
        &body.skip_dates,
    )
    .map_err(|e| {
        let field = match e {
            time::SeriesError::Empty => "skip_dates",
            time::SeriesError::Weeks => "weeks",
            time::SeriesError::NoSuchTime(_) => "lesson.starts_at",
        };
        ApiError::Validation(vec![FieldError::new(
            field,
            FieldCode::InvalidValue,
            e.to_string(),
        )])
    })?;
    state
        .writer
        .write_audited(caller.entry(AuditAction::LessonCreate), move |conn, now| {
            let first = checked(conn, scope, &body.lesson).map_err(|e| e.under("lesson"))?;
            let mut ids = Vec::with_capacity(times.len());
            for (starts_at, ends_at) in times {
                let new = lessons::NewLesson {
                    starts_at,
                    ends_at,
                    ..first.clone()
                };
                ids.push(schedule(conn, &new, created_by, now)?);
            }
            let lessons = lessons::find_many(conn, &ids)?;
            let target = ids.first().copied().unwrap_or_default();
            Ok((
                LessonSeriesView {
                    lessons: lessons.into_iter().map(Into::into).collect(),
                },
                Touched::thing(target, None),
            ))
        })
        .await
}

pub async fn get(state: &AppState, caller: Caller, id: Uuid) -> Result<LessonView, ApiError> {
    let scope = scope_of(&caller)?;
    db::run(&state.pool, move |conn| {
        let lesson = lessons::find(conn, id)?
            .filter(|l| scope.reaches(l.teacher_id))
            .ok_or(ApiError::NotFound)?;
        Ok(lesson.into())
    })
    .await
}

pub async fn list(
    state: &AppState,
    caller: Caller,
    mut filter: LessonFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<LessonView>, ApiError> {
    if let LessonScope::Teacher(own) = scope_of(&caller)? {
        if filter.teacher_id.is_some_and(|t| t != own) {
            return Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        filter.teacher_id = Some(own);
    }
    let rows = db::run(&state.pool, move |conn| {
        Ok(lessons::list(conn, &filter, after, limit + 1)?)
    })
    .await?;
    Ok(page(rows, limit, |l| (l.starts_at, l.id), Into::into))
}

/// The public free times: scheduled lessons with a place left, starting from `from` (never
/// before now).
pub async fn slots(
    state: &AppState,
    teacher_id: Option<Uuid>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<SlotView>, ApiError> {
    let now = Utc::now();
    let filter = LessonFilter {
        teacher_id,
        from: None,
        to,
        status: Some(domain::calendar::LessonStatus::Scheduled),
        free_only: true,
        starts_from: Some(from.map_or(now, |f| f.max(now))),
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(lessons::list(conn, &filter, after, limit + 1)?)
    })
    .await?;
    Ok(page(rows, limit, |l| (l.starts_at, l.id), Into::into))
}

/// The school cancels a lesson: every live booking on it becomes `cancelled_by_school`.
pub async fn cancel(
    state: &AppState,
    caller: Caller,
    id: Uuid,
    expected: Option<i64>,
) -> Result<LessonView, ApiError> {
    let scope = scope_of(&caller)?;
    let actor = actor_of(&caller);
    let settings = state.settings.clone();
    state
        .writer
        .write_audited(caller.entry(AuditAction::LessonCancel), move |conn, now| {
            let lesson = lessons::find(conn, id)?
                .filter(|l| scope.reaches(l.teacher_id))
                .ok_or(ApiError::NotFound)?;
            if expected.is_some_and(|v| v != lesson.version) {
                return Err(ApiError::PreconditionFailed);
            }
            if !lessons::cancel(conn, id, Some(lesson.version), now)? {
                return Err(ApiError::Conflict {
                    detail: "the lesson is already cancelled or changed meanwhile".to_owned(),
                    existing_id: None,
                });
            }
            let lesson = lessons::find(conn, id)?.ok_or(ApiError::NotFound)?;
            for booking in bookings::on_lesson(conn, id)? {
                if booking.status != BookingStatus::Booked {
                    continue;
                }
                let customer = customers::find_for_write(conn, booking.customer_id)?
                    .ok_or(ApiError::NotFound)?;
                bookings::change_status(
                    conn,
                    &booking,
                    BookingStatus::CancelledBySchool,
                    BookingEvent::CancelledBySchool,
                    false,
                    None,
                    actor,
                    now,
                )?;
                let occasion = Occasion::CancelledBySchool;
                let told = (&lesson, None);
                notices::tell(conn, &settings, &customer, &booking, told, occasion, now)?;
            }
            Ok((lesson.into(), Touched::thing(id, None)))
        })
        .await
}
