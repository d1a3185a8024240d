//! Calendar feeds: the owner (a teacher for their lessons, a customer for their bookings) or an
//! admin makes a secret URL that calendar applications subscribe to. The token is shown once,
//! when it is made; rotating replaces it and revoking ends the feed.

use chrono::{DateTime, Duration, Utc};
use domain::audit::{AuditAction, Touched};
use domain::calendar::ical::{self, EventStatus};
use domain::calendar::{BookingStatus, LessonStatus};
use domain::{FieldCode, Language, Role};
use persistence::calendar::bookings::{self, Window};
use persistence::calendar::feeds::{self, Feed, Owner};
use persistence::calendar::lessons::{self, LessonFilter};
use persistence::{AnyConnection, accounts, customers};
use uuid::Uuid;

use super::feed_dto::{CalendarFeedView, IssuedCalendarFeed, NewCalendarFeed};
use super::ics;
use crate::auth::{Caller, Principal, secrets};
use crate::plumbing::db;
use crate::plumbing::error::{ApiError, FieldError};
use crate::plumbing::http::{Page, page};
use crate::plumbing::state::AppState;

/// How far back a feed shows lessons held.
const HISTORY: Duration = Duration::days(90);
/// How long a cancelled lesson stays in a feed as `STATUS:CANCELLED`, so that subscribed
/// calendars remove it.
const CANCELLED_KEPT: Duration = Duration::days(30);
/// The most events one feed holds.
const MAX_EVENTS: i64 = 2000;
/// Bytes of randomness in a feed token (32 characters of base64url).
const TOKEN_BYTES: usize = 24;

fn field(name: &str, code: FieldCode, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldError::new(name, code, message)])
}

/// The calendar the caller owns: a teacher's lessons or a customer's bookings; `None` for an
/// admin, who may reach every feed.
fn own_calendar(conn: &mut AnyConnection, caller: &Caller) -> Result<Option<Owner>, ApiError> {
    match caller.principal {
        Principal::Account {
            role: Role::Admin, ..
        } => Ok(None),
        Principal::Account {
            role: Role::Teacher,
            id,
            ..
        } => Ok(Some(Owner::Teacher(id))),
        Principal::Account {
            role: Role::Customer,
            id,
            ..
        } => {
            let own = customers::find_by_account(conn, id)?.ok_or(ApiError::NotFound)?;
            Ok(Some(Owner::Customer(own.id)))
        }
        _ => Err(ApiError::Forbidden),
    }
}

/// Whose calendar a new feed shows: the caller's own, or for an admin the one named.
fn owner_of_new(
    conn: &mut AnyConnection,
    caller: &Caller,
    body: &NewCalendarFeed,
) -> Result<Owner, ApiError> {
    let named = match (body.teacher_id, body.customer_id) {
        (Some(_), Some(_)) => {
            return Err(field(
                "customer_id",
                FieldCode::NotAllowed,
                "name a teacher or a customer, not both",
            ));
        }
        (Some(id), None) => Some(Owner::Teacher(id)),
        (None, Some(id)) => Some(Owner::Customer(id)),
        (None, None) => None,
    };
    match (own_calendar(conn, caller)?, named) {
        (Some(own), None) => Ok(own),
        (Some(own), Some(named)) if own == named => Ok(own),
        (Some(_), Some(_)) => Err(field(
            "teacher_id",
            FieldCode::NotAllowed,
            "you make feeds of your own calendar only; leave teacher_id and customer_id out",
        )),
        (None, None) => Err(field(
            "teacher_id",
            FieldCode::Required,
            "name the teacher or the customer whose calendar this is",
        )),
        (None, Some(Owner::Teacher(id))) => {
            let teacher = accounts::find(conn, id)?;
            if !teacher.is_some_and(|a| a.active && a.role == Role::Teacher) {
                return Err(field(
                    "teacher_id",
                    FieldCode::NotFound,
                    "no active teacher has this id",
                ));
            }
            Ok(Owner::Teacher(id))
        }
        (None, Some(Owner::Customer(id))) => match crate::customers::service::for_write(conn, id) {
            Ok(_) => Ok(Owner::Customer(id)),
            Err(ApiError::NotFound) => Err(field(
                "customer_id",
                FieldCode::NotFound,
                "no customer has this id",
            )),
            Err(other) => Err(other),
        },
    }
}

/// The feed `id` if the caller owns it (or is an admin); 404 otherwise.
fn reachable(conn: &mut AnyConnection, caller: &Caller, id: Uuid) -> Result<Feed, ApiError> {
    let own = own_calendar(conn, caller)?;
    feeds::find(conn, id)?
        .filter(|feed| own.is_none_or(|own| own == feed.owner))
        .ok_or(ApiError::NotFound)
}

fn subject_of(owner: Owner) -> Option<Uuid> {
    match owner {
        Owner::Customer(id) => Some(id),
        Owner::Teacher(_) => None,
    }
}

fn issued(state: &AppState, feed: Feed, token: &str) -> IssuedCalendarFeed {
    IssuedCalendarFeed {
        url: format!("{}/api/v1/ical/{token}", state.settings.http.public_url),
        feed: feed.into(),
    }
}

pub async fn create(
    state: &AppState,
    caller: Caller,
    body: NewCalendarFeed,
) -> Result<IssuedCalendarFeed, ApiError> {
    let token = secrets::random_token(TOKEN_BYTES);
    let hash = secrets::sha256_hex(&token);
    let Principal::Account { id: maker, .. } = caller.principal else {
        return Err(ApiError::Forbidden);
    };
    let feed = state
        .writer
        .write_audited(
            caller.entry(AuditAction::CalendarFeedCreate),
            move |conn, now| {
                let owner = owner_of_new(conn, &caller, &body)?;
                let feed = feeds::insert(conn, owner, &hash, maker, now)?;
                let touched = Touched::thing(feed.id, subject_of(owner));
                Ok((feed, touched))
            },
        )
        .await?;
    Ok(issued(state, feed, &token))
}

pub async fn rotate(
    state: &AppState,
    caller: Caller,
    id: Uuid,
) -> Result<IssuedCalendarFeed, ApiError> {
    let token = secrets::random_token(TOKEN_BYTES);
    let hash = secrets::sha256_hex(&token);
    let feed = state
        .writer
        .write_audited(
            caller.entry(AuditAction::CalendarFeedRotate),
            move |conn, now| {
                let feed = reachable(conn, &caller, id)?;
                if !feeds::rotate(conn, id, &hash, now)? {
                    return Err(ApiError::NotFound);
                }
                let touched = Touched::thing(id, subject_of(feed.owner));
                Ok((
                    Feed {
                        token_made_at: now,
                        ..feed
                    },
                    touched,
                ))
            },
        )
        .await?;
    Ok(issued(state, feed, &token))
}

pub async fn revoke(state: &AppState, caller: Caller, id: Uuid) -> Result<(), ApiError> {
    state
        .writer
        .write_audited(
            caller.entry(AuditAction::CalendarFeedRevoke),
            move |conn, _| {
                let feed = reachable(conn, &caller, id)?;
                if !feeds::revoke(conn, id)? {
                    return Err(ApiError::NotFound);
                }
                Ok(((), Touched::thing(id, subject_of(feed.owner))))
            },
        )
        .await
}

/// The caller's own feeds; an admin sees every feed.
pub async fn list(
    state: &AppState,
    caller: Caller,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<CalendarFeedView>, ApiError> {
    let rows = db::run(&state.pool, move |conn| {
        let own = own_calendar(conn, &caller)?;
        Ok(feeds::list(conn, own, after, limit + 1)?)
    })
    .await?;
    Ok(page(rows, limit, |f| f.id, CalendarFeedView::from))
}

/// The iCalendar text of the feed whose token is `token`, or 404.
pub async fn render(state: &AppState, token: String) -> Result<String, ApiError> {
    let hash = secrets::sha256_hex(&token);
    db::run(&state.pool, move |conn| {
        let feed = feeds::by_token(conn, &hash)?.ok_or(ApiError::NotFound)?;
        let now = Utc::now();
        let events = match feed.owner {
            Owner::Teacher(id) => teacher_events(conn, id, now)?,
            Owner::Customer(id) => customer_events(conn, id, now)?,
        };
        Ok(ical::calendar(ics::CALENDAR_NAME, None, &events))
    })
    .await
}

/// Whether a cancellation at `at` is still shown.
fn still_shown(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    at >= now - CANCELLED_KEPT
}

/// A teacher's lessons from the history period on. Lessons name no student: a feed URL may
/// end up in a shared calendar.
fn teacher_events(
    conn: &mut AnyConnection,
    teacher_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<ical::Event>, ApiError> {
    let active = accounts::find(conn, teacher_id)?.is_some_and(|a| a.active);
    if !active {
        return Err(ApiError::NotFound);
    }
    let filter = LessonFilter {
        teacher_id: Some(teacher_id),
        from: Some(now - HISTORY),
        ..LessonFilter::default()
    };
    Ok(lessons::list(conn, &filter, None, MAX_EVENTS)?
        .into_iter()
        .filter_map(|lesson| {
            let status = match lesson.status {
                LessonStatus::Scheduled => EventStatus::Confirmed,
                LessonStatus::Cancelled if still_shown(lesson.updated_at, now) => {
                    EventStatus::Cancelled
                }
                LessonStatus::Cancelled => return None,
            };
            let changed = lesson.updated_at;
            Some(ics::event(
                &lesson,
                lesson.version,
                changed,
                status,
                Language::Fi,
            ))
        })
        .collect())
}

/// A customer's booked lessons from the history period on: one event per lesson, the live
/// booking winning over an earlier cancelled one of the same lesson.
fn customer_events(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<ical::Event>, ApiError> {
    let customer = customers::find(conn, customer_id, customers::CustomerScope::All)?
        .ok_or(ApiError::NotFound)?;
    let language = customer.profile.language;
    let window = Window {
        from: Some(now - HISTORY),
        to: None,
    };
    let booked = bookings::of_customer(conn, customer_id, window, None, MAX_EVENTS)?;
    let ids: Vec<Uuid> = booked.iter().map(|b| b.lesson_id).collect();
    let lessons: std::collections::HashMap<Uuid, lessons::Lesson> = lessons::find_many(conn, &ids)?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut chosen: std::collections::BTreeMap<Uuid, ical::Event> = Default::default();
    for booking in booked {
        let Some(lesson) = lessons.get(&booking.lesson_id) else {
            continue;
        };
        let cancelled = matches!(
            booking.status,
            BookingStatus::Cancelled | BookingStatus::CancelledBySchool
        ) || lesson.status == LessonStatus::Cancelled;
        let changed = booking.updated_at.max(lesson.updated_at);
        if cancelled && !still_shown(changed, now) {
            continue;
        }
        let status = if cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        };
        let sequence = ical::booking_sequence(lesson.version, booking.version);
        let event = ics::event(lesson, sequence, changed, status, language);
        let replaces = chosen.get(&lesson.id).is_none_or(|earlier| {
            earlier.status == EventStatus::Cancelled
                && (status == EventStatus::Confirmed || earlier.changed_at < changed)
        });
        if replaces {
            chosen.insert(lesson.id, event);
        }
    }
    let mut events: Vec<ical::Event> = chosen.into_values().collect();
    events.sort_by_key(|e| (e.starts_at, e.lesson_id));
    Ok(events)
}
