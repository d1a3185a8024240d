//! Bookings: a customer's place on a lesson, and its history.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use domain::audit::ActorKind;
use domain::calendar::{BookingEvent, BookingSource, BookingStatus};
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::{booking_events as e, bookings as b, lessons as l};
use crate::sql_types::{DbTime, DbUuid};

/// Who changed a booking: an account, an integration, or the system itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: Option<Uuid>,
}

/// A booking as stored (the lesson's times copied in).
#[derive(Debug, Clone)]
pub struct Booking {
    pub id: Uuid,
    pub lesson_id: Uuid,
    pub customer_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: BookingStatus,
    pub late_cancellation: bool,
    pub source: BookingSource,
    /// Who made it.
    pub created_by: Actor,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One step of a booking's history.
#[derive(Debug, Clone)]
pub struct Event {
    pub event: BookingEvent,
    pub lesson_id: Uuid,
    pub late: bool,
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
}

type Row = (
    DbUuid,
    DbUuid,
    DbUuid,
    DbTime,
    DbTime,
    String,
    bool,
    String,
    String,
    DbUuid,
    i64,
    DbTime,
    DbTime,
);

type Columns = (
    b::id,
    b::lesson_id,
    b::customer_id,
    b::starts_at,
    b::ends_at,
    b::status,
    b::late_cancellation,
    b::source,
    b::created_by_kind,
    b::created_by,
    b::version,
    b::created_at,
    b::updated_at,
);

const COLUMNS: Columns = (
    b::id,
    b::lesson_id,
    b::customer_id,
    b::starts_at,
    b::ends_at,
    b::status,
    b::late_cancellation,
    b::source,
    b::created_by_kind,
    b::created_by,
    b::version,
    b::created_at,
    b::updated_at,
);

fn from_row(row: Row) -> Result<Booking, DbError> {
    let (
        id,
        lesson,
        customer,
        starts,
        ends,
        status,
        late,
        source,
        by_kind,
        by,
        version,
        created,
        updated,
    ) = row;
    Ok(Booking {
        id: id.0,
        lesson_id: lesson.0,
        customer_id: customer.0,
        starts_at: starts.get(),
        ends_at: ends.get(),
        status: BookingStatus::parse(&status).ok_or_else(|| DbError::corrupt("bookings.status"))?,
        late_cancellation: late,
        source: BookingSource::parse(&source).ok_or_else(|| DbError::corrupt("bookings.source"))?,
        created_by: Actor {
            kind: ActorKind::parse(&by_kind)
                .ok_or_else(|| DbError::corrupt("bookings.created_by_kind"))?,
            id: Some(by.0),
        },
        version,
        created_at: created.get(),
        updated_at: updated.get(),
    })
}

/// The live booking of `customer_id` overlapping `starts_at`–`ends_at` (other than
/// `except`). On SQLite, inside the writer's transaction, this check keeps a customer from
/// being in two places at once; on PostgreSQL the exclusion constraint settles races.
pub fn customer_busy(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except: Option<Uuid>,
) -> Result<Option<Uuid>, DbError> {
    let mut query = b::table
        .filter(b::customer_id.eq(DbUuid(customer_id)))
        .filter(b::status.eq(BookingStatus::Booked.as_str()))
        .filter(b::starts_at.lt(DbTime::new(ends_at)))
        .filter(b::ends_at.gt(DbTime::new(starts_at)))
        .select(b::id)
        .limit(1)
        .into_boxed();
    if let Some(except) = except {
        query = query.filter(b::id.ne(DbUuid(except)));
    }
    Ok(query.first::<DbUuid>(conn).optional()?.map(|id| id.0))
}

/// A booking to store.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub lesson_id: Uuid,
    pub customer_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub source: BookingSource,
}

/// Stores a live booking and its first event; returns it.
pub fn insert(
    conn: &mut AnyConnection,
    new: &NewBooking,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<Booking, DbError> {
    let id = Uuid::now_v7();
    let at = DbTime::new(now);
    diesel::insert_into(b::table)
        .values((
            b::id.eq(DbUuid(id)),
            b::lesson_id.eq(DbUuid(new.lesson_id)),
            b::customer_id.eq(DbUuid(new.customer_id)),
            b::starts_at.eq(DbTime::new(new.starts_at)),
            b::ends_at.eq(DbTime::new(new.ends_at)),
            b::status.eq(BookingStatus::Booked.as_str()),
            b::late_cancellation.eq(false),
            b::source.eq(new.source.as_str()),
            b::created_by_kind.eq(actor.kind.as_str()),
            b::created_by.eq(DbUuid(actor.id.unwrap_or_default())),
            b::version.eq(1_i64),
            b::created_at.eq(at),
            b::updated_at.eq(at),
        ))
        .execute(conn)?;
    record(
        conn,
        id,
        BookingEvent::Booked,
        new.lesson_id,
        false,
        actor,
        now,
    )?;
    find(conn, id)?.ok_or(DbError::NotFound)
}

/// Appends a step to a booking's history.
fn record(
    conn: &mut AnyConnection,
    booking_id: Uuid,
    event: BookingEvent,
    lesson_id: Uuid,
    late: bool,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(e::table)
        .values((
            e::id.eq(DbUuid(Uuid::now_v7())),
            e::booking_id.eq(DbUuid(booking_id)),
            e::event.eq(event.as_str()),
            e::lesson_id.eq(DbUuid(lesson_id)),
            e::late.eq(late),
            e::actor_kind.eq(actor.kind.as_str()),
            e::actor_id.eq(actor.id.map(DbUuid)),
            e::occurred_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The booking `id`.
pub fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<Booking>, DbError> {
    b::table
        .find(DbUuid(id))
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(from_row)
        .transpose()
}

/// Every booking on `lesson_id`, live or not, oldest first.
pub fn on_lesson(conn: &mut AnyConnection, lesson_id: Uuid) -> Result<Vec<Booking>, DbError> {
    b::table
        .filter(b::lesson_id.eq(DbUuid(lesson_id)))
        .order(b::id.asc())
        .select(COLUMNS)
        .load::<Row>(conn)?
        .into_iter()
        .map(from_row)
        .collect()
}

/// The latest booking of `customer_id` on `lesson_id` that attendance can be recorded on
/// (not one the customer cancelled).
pub fn attendable(
    conn: &mut AnyConnection,
    lesson_id: Uuid,
    customer_id: Uuid,
) -> Result<Option<Booking>, DbError> {
    b::table
        .filter(b::lesson_id.eq(DbUuid(lesson_id)))
        .filter(b::customer_id.eq(DbUuid(customer_id)))
        .filter(b::status.ne(BookingStatus::Cancelled.as_str()))
        .order(b::id.desc())
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(from_row)
        .transpose()
}

/// Which of a customer's bookings a list returns.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    /// Lessons starting at or after this.
    pub from: Option<DateTime<Utc>>,
    /// Lessons starting before this.
    pub to: Option<DateTime<Utc>>,
}

/// Up to `limit` of a customer's bookings in order of the lesson's start (then id), after the
/// position `after`.
pub fn of_customer(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    window: Window,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Booking>, DbError> {
    let mut query = b::table
        .filter(b::customer_id.eq(DbUuid(customer_id)))
        .order((b::starts_at.asc(), b::id.asc()))
        .limit(limit)
        .select(COLUMNS)
        .into_boxed();
    if let Some(from) = window.from {
        query = query.filter(b::starts_at.ge(DbTime::new(from)));
    }
    if let Some(to) = window.to {
        query = query.filter(b::starts_at.lt(DbTime::new(to)));
    }
    if let Some((start, id)) = after {
        let start = DbTime::new(start);
        query = query.filter(
            b::starts_at
                .gt(start)
                .or(b::starts_at.eq(start).and(b::id.gt(DbUuid(id)))),
        );
    }
    query.load::<Row>(conn)?.into_iter().map(from_row).collect()
}

/// Moves a booking out of `from` (its current status) into `to`, at `version` when given:
/// one conditional update, so two concurrent changes cannot both win. Records the event.
/// Returns whether it changed.
#[allow(clippy::too_many_arguments)] // one step of the state machine, every part named
pub fn change_status(
    conn: &mut AnyConnection,
    booking: &Booking,
    to: BookingStatus,
    event: BookingEvent,
    late: bool,
    version: Option<i64>,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = diesel::update(
        b::table
            .filter(b::id.eq(DbUuid(booking.id)))
            .filter(b::status.eq(booking.status.as_str()))
            .filter(b::version.eq(version.unwrap_or(booking.version))),
    )
    .set((
        b::status.eq(to.as_str()),
        b::late_cancellation.eq(late),
        b::version.eq(b::version + 1),
        b::updated_at.eq(DbTime::new(now)),
    ))
    .execute(conn)?;
    if changed == 1 {
        record(conn, booking.id, event, booking.lesson_id, late, actor, now)?;
    }
    Ok(changed == 1)
}

/// Moves a live booking to another lesson (its times copied), at `version` when given.
/// Returns whether it moved.
pub fn move_to(
    conn: &mut AnyConnection,
    booking: &Booking,
    lesson_id: Uuid,
    (starts_at, ends_at): (DateTime<Utc>, DateTime<Utc>),
    version: Option<i64>,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = diesel::update(
        b::table
            .filter(b::id.eq(DbUuid(booking.id)))
            .filter(b::status.eq(BookingStatus::Booked.as_str()))
            .filter(b::version.eq(version.unwrap_or(booking.version))),
    )
    .set((
        b::lesson_id.eq(DbUuid(lesson_id)),
        b::starts_at.eq(DbTime::new(starts_at)),
        b::ends_at.eq(DbTime::new(ends_at)),
        b::version.eq(b::version + 1),
        b::updated_at.eq(DbTime::new(now)),
        // A new time earns a new reminder.
        b::reminded_at.eq(None::<DbTime>),
    ))
    .execute(conn)?;
    if changed == 1 {
        record(
            conn,
            booking.id,
            BookingEvent::Rescheduled,
            lesson_id,
            false,
            actor,
            now,
        )?;
    }
    Ok(changed == 1)
}

/// Live bookings starting after `now` and by `until` whose reminder has not gone, soonest
/// first.
pub fn due_reminders(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Uuid>, DbError> {
    let ids: Vec<DbUuid> = b::table
        .filter(b::status.eq(BookingStatus::Booked.as_str()))
        .filter(b::reminded_at.is_null())
        .filter(b::starts_at.gt(DbTime::new(now)))
        .filter(b::starts_at.le(DbTime::new(until)))
        .order((b::starts_at.asc(), b::id.asc()))
        .limit(limit)
        .select(b::id)
        .load(conn)?;
    Ok(ids.into_iter().map(|id| id.0).collect())
}

/// Marks the live booking reminded, unless it already is: one conditional update, so of two
/// servers (or a reminder and a booking made inside the reminder window) only one reminds.
/// Returns whether this one did.
pub fn mark_reminded(
    conn: &mut AnyConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = diesel::update(
        b::table
            .filter(b::id.eq(DbUuid(id)))
            .filter(b::status.eq(BookingStatus::Booked.as_str()))
            .filter(b::reminded_at.is_null()),
    )
    .set(b::reminded_at.eq(DbTime::new(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A booking's history, oldest first.
pub fn history(conn: &mut AnyConnection, booking_id: Uuid) -> Result<Vec<Event>, DbError> {
    e::table
        .filter(e::booking_id.eq(DbUuid(booking_id)))
        .order(e::id.asc())
        .select((
            e::event,
            e::lesson_id,
            e::late,
            e::actor_kind,
            e::actor_id,
            e::occurred_at,
        ))
        .load::<(String, DbUuid, bool, String, Option<DbUuid>, DbTime)>(conn)?
        .into_iter()
        .map(|(event, lesson, late, kind, actor, at)| {
            Ok(Event {
                event: BookingEvent::parse(&event)
                    .ok_or_else(|| DbError::corrupt("booking_events.event"))?,
                lesson_id: lesson.0,
                late,
                actor_kind: ActorKind::parse(&kind)
                    .ok_or_else(|| DbError::corrupt("booking_events.actor_kind"))?,
                actor_id: actor.map(|a| a.0),
                occurred_at: at.get(),
            })
        })
        .collect()
}

/// Erases a customer's bookings and their history, giving back the places their live
/// bookings held; returns (bookings, events) deleted. Part of erasure, in its transaction.
pub fn erase(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(usize, usize), DbError> {
    let customer = DbUuid(customer_id);
    let live: Vec<DbUuid> = b::table
        .filter(b::customer_id.eq(customer))
        .filter(b::status.eq(BookingStatus::Booked.as_str()))
        .select(b::lesson_id)
        .load(conn)?;
    diesel::update(l::table.filter(l::id.eq_any(&live)).filter(l::booked.gt(0)))
        .set((
            l::booked.eq(l::booked - 1),
            l::version.eq(l::version + 1),
            l::updated_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    let ids: Vec<DbUuid> = b::table
        .filter(b::customer_id.eq(customer))
        .select(b::id)
        .load(conn)?;
    let events = diesel::delete(e::table.filter(e::booking_id.eq_any(&ids))).execute(conn)?;
    let bookings = diesel::delete(b::table.filter(b::id.eq_any(&ids))).execute(conn)?;
    Ok((bookings, events))
}
