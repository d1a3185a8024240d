//! Lessons: the teaching calendar's times, and the places on them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use domain::calendar::{LessonKind, LessonStatus, LocationKind, room_key};
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::{accounts as a, lessons as l};
use crate::sql_types::{DbTime, DbUuid};

/// Where a lesson is held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Room(String),
    Online(String),
}

impl Location {
    pub fn kind(&self) -> LocationKind {
        match self {
            Self::Room(_) => LocationKind::Room,
            Self::Online(_) => LocationKind::Online,
        }
    }
}

/// A lesson as stored, with its teacher's display name.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub id: Uuid,
    pub teacher_id: Uuid,
    pub teacher_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Location,
    pub kind: LessonKind,
    pub capacity: i32,
    pub price_cents: i32,
    pub status: LessonStatus,
    pub booked: i32,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A lesson to create.
#[derive(Debug, Clone)]
pub struct NewLesson {
    pub teacher_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Location,
    pub kind: LessonKind,
    pub capacity: i32,
    pub price_cents: i32,
}

/// What a new or moved lesson would overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    /// Another lesson of the same teacher.
    Teacher(Uuid),
    /// Another lesson in the same room.
    Room(Uuid),
}

type Row = (
    (
        DbUuid,
        DbUuid,
        DbTime,
        DbTime,
        String,
        Option<String>,
        Option<String>,
        String,
        i32,
        i32,
        String,
        i32,
        i64,
        DbTime,
        DbTime,
    ),
    String,
);

type Columns = (
    (
        l::id,
        l::teacher_id,
        l::starts_at,
        l::ends_at,
        l::location_kind,
        l::room,
        l::online_url,
        l::kind,
        l::capacity,
        l::price_cents,
        l::status,
        l::booked,
        l::version,
        l::created_at,
        l::updated_at,
    ),
    a::display_name,
);

const COLUMNS: Columns = (
    (
        l::id,
        l::teacher_id,
        l::starts_at,
        l::ends_at,
        l::location_kind,
        l::room,
        l::online_url,
        l::kind,
        l::capacity,
        l::price_cents,
        l::status,
        l::booked,
        l::version,
        l::created_at,
        l::updated_at,
    ),
    a::display_name,
);

fn from_row(row: Row) -> Result<Lesson, DbError> {
    let (
        (
            id,
            teacher_id,
            starts_at,
            ends_at,
            location_kind,
            room,
            online_url,
            kind,
            capacity,
            price_cents,
            status,
            booked,
            version,
            created_at,
            updated_at,
        ),
        teacher_name,
    ) = row;
    let location = match (location_kind.as_str(), room, online_url) {
        ("room", Some(room), None) => Location::Room(room),
        ("online", None, Some(url)) => Location::Online(url),
        _ => return Err(DbError::corrupt("lessons.location_kind")),
    };
    Ok(Lesson {
        id: id.0,
        teacher_id: teacher_id.0,
        teacher_name,
        starts_at: starts_at.get(),
        ends_at: ends_at.get(),
        location,
        kind: LessonKind::parse(&kind).ok_or_else(|| DbError::corrupt("lessons.kind"))?,
        capacity,
        price_cents,
        status: LessonStatus::parse(&status).ok_or_else(|| DbError::corrupt("lessons.status"))?,
        booked,
        version,
        created_at: created_at.get(),
        updated_at: updated_at.get(),
    })
}

/// Takes this transaction's turn at the teacher's and the room's calendar (PostgreSQL advisory
/// locks, teacher first, released at commit), so that schedulers of one teacher or one room go
/// one at a time and each overlap check sees what the one before committed. Without it, two
/// inserts each waiting on the other's uncommitted row in the exclusion constraint could end
/// in a deadlock instead of one clear refusal. On SQLite the writer's lock is the turn.
pub fn take_turn(
    conn: &mut AnyConnection,
    teacher_id: Uuid,
    location: &Location,
) -> Result<(), DbError> {
    if !matches!(conn, AnyConnection::Postgresql(_)) {
        return Ok(());
    }
    let mut keys = vec![format!("lessons.teacher:{teacher_id}")];
    if let Location::Room(room) = location {
        keys.push(format!("lessons.room:{}", room_key(room)));
    }
    for key in keys {
        let mut query = crate::raw_sql::RawQuery::default();
        query
            .sql("SELECT pg_advisory_xact_lock(hashtextextended(")
            .bind(crate::raw_sql::Bind::Text(key))
            .sql(", 0))");
        RunQueryDsl::execute(query, conn)?;
    }
    Ok(())
}

/// What `new` would overlap among the live lessons (other than `except`): its teacher's, then
/// its room's. On SQLite this check, inside the writer's transaction, is what keeps overlaps
/// out; on PostgreSQL it gives the common case a clear answer and the exclusion constraints
/// settle races.
pub fn clash(
    conn: &mut AnyConnection,
    teacher_id: Uuid,
    location: &Location,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except: Option<Uuid>,
) -> Result<Option<Clash>, DbError> {
    let live_overlapping = || {
        let mut query = l::table
            .filter(l::status.ne(LessonStatus::Cancelled.as_str()))
            .filter(l::starts_at.lt(DbTime::new(ends_at)))
            .filter(l::ends_at.gt(DbTime::new(starts_at)))
            .select(l::id)
            .limit(1)
            .into_boxed();
        if let Some(except) = except {
            query = query.filter(l::id.ne(DbUuid(except)));
        }
        query
    };
    if let Some(id) = live_overlapping()
        .filter(l::teacher_id.eq(DbUuid(teacher_id)))
        .first::<DbUuid>(conn)
        .optional()?
    {
        return Ok(Some(Clash::Teacher(id.0)));
    }
    if let Location::Room(room) = location
        && let Some(id) = live_overlapping()
            .filter(l::room_key.eq(room_key(room)))
            .first::<DbUuid>(conn)
            .optional()?
    {
        return Ok(Some(Clash::Room(id.0)));
    }
    Ok(None)
}

/// Stores a scheduled lesson with no places taken; returns its id.
pub fn insert(
    conn: &mut AnyConnection,
    new: &NewLesson,
    created_by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    let at = DbTime::new(now);
    let (room, key, url) = match &new.location {
        Location::Room(room) => (Some(room.as_str()), Some(room_key(room)), None),
        Location::Online(url) => (None, None, Some(url.as_str())),
    };
    diesel::insert_into(l::table)
        .values((
            l::id.eq(DbUuid(id)),
            l::teacher_id.eq(DbUuid(new.teacher_id)),
            l::starts_at.eq(DbTime::new(new.starts_at)),
            l::ends_at.eq(DbTime::new(new.ends_at)),
            l::location_kind.eq(new.location.kind().as_str()),
            l::room.eq(room),
            l::room_key.eq(key),
            l::online_url.eq(url),
            l::kind.eq(new.kind.as_str()),
            l::capacity.eq(new.capacity),
            l::price_cents.eq(new.price_cents),
            l::status.eq(LessonStatus::Scheduled.as_str()),
            l::booked.eq(0),
            l::version.eq(1_i64),
            l::created_by.eq(created_by.map(DbUuid)),
            l::created_at.eq(at),
            l::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The lesson `id`.
pub fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<Lesson>, DbError> {
    l::table
        .inner_join(a::table)
        .filter(l::id.eq(DbUuid(id)))
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(from_row)
        .transpose()
}

/// The lessons `ids`, in the order of their start.
pub fn find_many(conn: &mut AnyConnection, ids: &[Uuid]) -> Result<Vec<Lesson>, DbError> {
    l::table
        .inner_join(a::table)
        .filter(l::id.eq_any(ids.iter().copied().map(DbUuid)))
        .order((l::starts_at.asc(), l::id.asc()))
        .select(COLUMNS)
        .load::<Row>(conn)?
        .into_iter()
        .map(from_row)
        .collect()
}

/// Which lessons a list returns.
#[derive(Debug, Clone, Default)]
pub struct LessonFilter {
    pub teacher_id: Option<Uuid>,
    /// Lessons ending after this.
    pub from: Option<DateTime<Utc>>,
    /// Lessons starting before this.
    pub to: Option<DateTime<Utc>>,
    /// Lessons starting at or after this.
    pub starts_from: Option<DateTime<Utc>>,
    pub status: Option<LessonStatus>,
    /// Only lessons with a free place (the public slots).
    pub free_only: bool,
}

/// Up to `limit` lessons matching `filter`, in order of start (then id), after the position
/// `after`.
pub fn list(
    conn: &mut AnyConnection,
    filter: &LessonFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<Lesson>, DbError> {
    let mut query = l::table
        .inner_join(a::table)
        .select(COLUMNS)
        .order((l::starts_at.asc(), l::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(teacher) = filter.teacher_id {
        query = query.filter(l::teacher_id.eq(DbUuid(teacher)));
    }
    if let Some(from) = filter.from {
        query = query.filter(l::ends_at.gt(DbTime::new(from)));
    }
    if let Some(to) = filter.to {
        query = query.filter(l::starts_at.lt(DbTime::new(to)));
    }
    if let Some(start) = filter.starts_from {
        query = query.filter(l::starts_at.ge(DbTime::new(start)));
    }
    if let Some(status) = filter.status {
        query = query.filter(l::status.eq(status.as_str()));
    }
    if filter.free_only {
        query = query.filter(l::booked.lt(l::capacity));
    }
    if let Some((start, id)) = after {
        let start = DbTime::new(start);
        query = query.filter(
            l::starts_at
                .gt(start)
                .or(l::starts_at.eq(start).and(l::id.gt(DbUuid(id)))),
        );
    }
    query.load::<Row>(conn)?.into_iter().map(from_row).collect()
}

/// Takes a place on a scheduled lesson that has one and has not started by `now`: one
/// conditional update, so of any number of concurrent takers exactly as many win as there are
/// places. Returns whether this one did.
pub fn take_place(conn: &mut AnyConnection, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbError> {
    let taken = diesel::update(
        l::table
            .filter(l::id.eq(DbUuid(id)))
            .filter(l::status.eq(LessonStatus::Scheduled.as_str()))
            .filter(l::booked.lt(l::capacity))
            .filter(l::starts_at.gt(DbTime::new(now))),
    )
    .set((
        l::booked.eq(l::booked + 1),
        l::version.eq(l::version + 1),
        l::updated_at.eq(DbTime::new(now)),
    ))
    .execute(conn)?;
    Ok(taken == 1)
}

/// Gives a place back (a booking cancelled or moved away).
pub fn free_place(conn: &mut AnyConnection, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(
        l::table
            .filter(l::id.eq(DbUuid(id)))
            .filter(l::booked.gt(0)),
    )
    .set((
        l::booked.eq(l::booked - 1),
        l::version.eq(l::version + 1),
        l::updated_at.eq(DbTime::new(now)),
    ))
    .execute(conn)?;
    Ok(())
}

/// Cancels a scheduled lesson at `version` (any version when `None`): one conditional
/// update. Returns whether it did.
pub fn cancel(
    conn: &mut AnyConnection,
    id: Uuid,
    version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let at = DbTime::new(now);
    let changed = diesel::update(
        l::table
            .filter(l::id.eq(DbUuid(id)))
            .filter(l::status.eq(LessonStatus::Scheduled.as_str()))
            .filter(l::version.ge(version.unwrap_or(i64::MIN)))
            .filter(l::version.le(version.unwrap_or(i64::MAX))),
    )
    .set((
        l::status.eq(LessonStatus::Cancelled.as_str()),
        l::booked.eq(0),
        l::version.eq(l::version + 1),
        l::updated_at.eq(at),
        l::cancelled_at.eq(Some(at)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
