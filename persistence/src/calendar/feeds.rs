//! Calendar feeds: secret URLs through which a teacher's lessons or a customer's bookings
//! reach their own calendar application. Only a hash of each feed's token is stored.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::calendar_feeds as f;
use crate::sql_types::{DbTime, DbUuid};

/// Whose calendar a feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A teacher's lessons (by their account id).
    Teacher(Uuid),
    /// A customer's bookings.
    Customer(Uuid),
}

#[derive(Debug, Clone)]
pub struct Feed {
    pub id: Uuid,
    pub owner: Owner,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    /// When the current token was made: the creation or the last rotation.
    pub token_made_at: DateTime<Utc>,
}

type Row = (
    DbUuid,
    Option<DbUuid>,
    Option<DbUuid>,
    DbUuid,
    DbTime,
    DbTime,
);

const COLUMNS: (
    f::id,
    f::teacher_id,
    f::customer_id,
    f::created_by,
    f::created_at,
    f::token_made_at,
) = (
    f::id,
    f::teacher_id,
    f::customer_id,
    f::created_by,
    f::created_at,
    f::token_made_at,
);

fn from_row(
    (id, teacher, customer, created_by, created_at, made_at): Row,
) -> Result<Feed, DbError> {
    let owner = match (teacher, customer) {
        (Some(teacher), None) => Owner::Teacher(teacher.0),
        (None, Some(customer)) => Owner::Customer(customer.0),
        _ => return Err(DbError::corrupt("calendar_feeds.owner")),
    };
    Ok(Feed {
        id: id.0,
        owner,
        created_by: created_by.0,
        created_at: created_at.get(),
        token_made_at: made_at.get(),
    })
}

fn owner_columns(owner: Owner) -> (Option<DbUuid>, Option<DbUuid>) {
    match owner {
        Owner::Teacher(id) => (Some(DbUuid(id)), None),
        Owner::Customer(id) => (None, Some(DbUuid(id))),
    }
}

pub fn insert(
    conn: &mut AnyConnection,
    owner: Owner,
    token_hash: &str,
    created_by: Uuid,
    now: DateTime<Utc>,
) -> Result<Feed, DbError> {
    let id = Uuid::now_v7();
    let (teacher, customer) = owner_columns(owner);
    diesel::insert_into(f::table)
        .values((
            f::id.eq(DbUuid(id)),
            f::teacher_id.eq(teacher),
            f::customer_id.eq(customer),
            f::token_hash.eq(token_hash),
            f::created_by.eq(DbUuid(created_by)),
            f::created_at.eq(DbTime::new(now)),
            f::token_made_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    Ok(Feed {
        id,
        owner,
        created_by,
        created_at: now,
        token_made_at: now,
    })
}

pub fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<Feed>, DbError> {
    f::table
        .find(DbUuid(id))
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(from_row)
        .transpose()
}

/// The feed whose token hashes to `token_hash`.
pub fn by_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<Feed>, DbError> {
    f::table
        .filter(f::token_hash.eq(token_hash))
        .select(COLUMNS)
        .first::<Row>(conn)
        .optional()?
        .map(from_row)
        .transpose()
}

/// Up to `limit` feeds, of `owner` only when given, in order of id after `after`.
pub fn list(
    conn: &mut AnyConnection,
    owner: Option<Owner>,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Feed>, DbError> {
    let mut query = f::table
        .select(COLUMNS)
        .order(f::id.asc())
        .limit(limit)
        .into_boxed();
    match owner {
        Some(Owner::Teacher(id)) => query = query.filter(f::teacher_id.eq(DbUuid(id))),
        Some(Owner::Customer(id)) => query = query.filter(f::customer_id.eq(DbUuid(id))),
        None => {}
    }
    if let Some(after) = after {
        query = query.filter(f::id.gt(DbUuid(after)));
    }
    query.load::<Row>(conn)?.into_iter().map(from_row).collect()
}

/// Replaces the feed's token: the old URL stops working at once. Returns whether the feed
/// exists.
pub fn rotate(
    conn: &mut AnyConnection,
    id: Uuid,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = diesel::update(f::table.find(DbUuid(id)))
        .set((
            f::token_hash.eq(token_hash),
            f::token_made_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Deletes the feed. Returns whether it existed.
pub fn revoke(conn: &mut AnyConnection, id: Uuid) -> Result<bool, DbError> {
    Ok(diesel::delete(f::table.find(DbUuid(id))).execute(conn)? == 1)
}
