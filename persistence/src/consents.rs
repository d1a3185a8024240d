//! Consents (append-only history per person and purpose) and the editions of the privacy
//! notice they are given under.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::{consents as c, privacy_notice_versions as v};
use crate::sql_types::{DbTime, DbUuid};

/// Stores an edition of the notice unless it is stored already; returns whether it was new.
pub fn publish_notice(
    conn: &mut AnyConnection,
    version: &str,
    content: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    if notice_exists(conn, version)? {
        return Ok(false);
    }
    diesel::insert_into(v::table)
        .values((
            v::version.eq(version),
            v::published_at.eq(DbTime::new(now)),
            v::content.eq(content),
        ))
        .execute(conn)?;
    Ok(true)
}

pub fn notice_exists(conn: &mut AnyConnection, version: &str) -> Result<bool, DbError> {
    Ok(v::table.find(version).count().get_result::<i64>(conn)? > 0)
}

/// Every edition, newest first: (version, published at).
pub fn notice_versions(conn: &mut AnyConnection) -> Result<Vec<(String, DateTime<Utc>)>, DbError> {
    Ok(v::table
        .select((v::version, v::published_at))
        .order(v::published_at.desc())
        .load::<(String, DbTime)>(conn)?
        .into_iter()
        .map(|(version, at)| (version, at.get()))
        .collect())
}

/// One recorded consent or withdrawal.
#[derive(Debug, Clone)]
pub struct Consent {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub purpose: String,
    pub granted: bool,
    pub source: String,
    pub given_by: String,
    pub privacy_notice_version: String,
    pub recorded_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = c)]
struct Row {
    id: DbUuid,
    customer_id: DbUuid,
    purpose: String,
    granted: bool,
    source: String,
    given_by: String,
    privacy_notice_version: String,
    recorded_by: Option<DbUuid>,
    created_at: DbTime,
}

impl From<Row> for Consent {
    fn from(row: Row) -> Self {
        Self {
            id: row.id.0,
            customer_id: row.customer_id.0,
            purpose: row.purpose,
            granted: row.granted,
            source: row.source,
            given_by: row.given_by,
            privacy_notice_version: row.privacy_notice_version,
            recorded_by: row.recorded_by.map(|id| id.0),
            created_at: row.created_at.get(),
        }
    }
}

#[derive(Debug)]
pub struct NewConsent<'a> {
    pub customer_id: Uuid,
    pub purpose: &'a str,
    pub granted: bool,
    pub source: &'a str,
    pub given_by: &'a str,
    pub privacy_notice_version: &'a str,
    pub recorded_by: Option<Uuid>,
}

pub fn record(
    conn: &mut AnyConnection,
    new: &NewConsent<'_>,
    now: DateTime<Utc>,
) -> Result<Consent, DbError> {
    let id = Uuid::now_v7();
    diesel::insert_into(c::table)
        .values((
            c::id.eq(DbUuid(id)),
            c::customer_id.eq(DbUuid(new.customer_id)),
            c::purpose.eq(new.purpose),
            c::granted.eq(new.granted),
            c::source.eq(new.source),
            c::given_by.eq(new.given_by),
            c::privacy_notice_version.eq(new.privacy_notice_version),
            c::recorded_by.eq(new.recorded_by.map(DbUuid)),
            c::created_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    Ok(c::table
        .find(DbUuid(id))
        .select(Row::as_select())
        .first::<Row>(conn)?
        .into())
}

/// The newest `limit` consent records of a customer, oldest first.
pub fn recent(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    limit: i64,
) -> Result<Vec<Consent>, DbError> {
    let mut newest: Vec<Consent> = c::table
        .filter(c::customer_id.eq(DbUuid(customer_id)))
        .order((c::created_at.desc(), c::id.desc()))
        .limit(limit)
        .select(Row::as_select())
        .load::<Row>(conn)?
        .into_iter()
        .map(Consent::from)
        .collect();
    newest.reverse();
    Ok(newest)
}

/// A customer's latest consent record for `purpose`, if they were ever asked.
pub fn latest(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    purpose: &str,
) -> Result<Option<Consent>, DbError> {
    Ok(c::table
        .filter(c::customer_id.eq(DbUuid(customer_id)))
        .filter(c::purpose.eq(purpose))
        .order((c::created_at.desc(), c::id.desc()))
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(Consent::from))
}

/// The (customer, purpose) pairs whose latest consent among `customer_ids` is a withdrawal,
/// in one query so a notice to many subscribers does not ask once per subscriber.
pub fn withdrawals(
    conn: &mut AnyConnection,
    customer_ids: &[Uuid],
) -> Result<HashSet<(Uuid, String)>, DbError> {
    let ids: Vec<DbUuid> = customer_ids.iter().copied().map(DbUuid).collect();
    let rows: Vec<(DbUuid, String, bool)> = c::table
        .filter(c::customer_id.eq_any(ids))
        .order((c::created_at.asc(), c::id.asc()))
        .select((c::customer_id, c::purpose, c::granted))
        .load(conn)?;
    let mut latest = HashMap::new();
    for (customer, purpose, granted) in rows {
        latest.insert((customer.0, purpose), granted);
    }
    Ok(latest
        .into_iter()
        .filter_map(|(key, granted)| (!granted).then_some(key))
        .collect())
}
