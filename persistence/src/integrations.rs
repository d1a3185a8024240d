//! Integration clients: the online calendar and the webshop, which call us with an API key.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use domain::{IntegrationKind, Scope};
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::integrations as i;
use crate::sql_types::{DbTime, DbUuid};

#[derive(Debug, Clone)]
pub struct Integration {
    pub id: Uuid,
    pub name: String,
    pub kind: IntegrationKind,
    pub scopes: Vec<Scope>,
    pub processor_company: String,
    pub processor_country: String,
    pub processor_in_eea: bool,
    pub key_prefix: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = i)]
struct IntegrationRow {
    id: DbUuid,
    name: String,
    kind: String,
    scopes: String,
    processor_company: String,
    processor_country: String,
    processor_in_eea: bool,
    key_prefix: String,
    created_by: Option<DbUuid>,
    created_at: DbTime,
    last_used_at: Option<DbTime>,
    revoked_at: Option<DbTime>,
}

impl TryFrom<IntegrationRow> for Integration {
    type Error = DbError;
    fn try_from(row: IntegrationRow) -> Result<Self, DbError> {
        Ok(Self {
            id: row.id.0,
            name: row.name,
            kind: row
                .kind
                .parse()
                .map_err(|_| DbError::corrupt("integrations.kind"))?,
            scopes: Scope::parse_stored(&row.scopes),
            processor_company: row.processor_company,
            processor_country: row.processor_country,
            processor_in_eea: row.processor_in_eea,
            key_prefix: row.key_prefix,
            created_by: row.created_by.map(|id| id.0),
            created_at: row.created_at.get(),
            last_used_at: row.last_used_at.map(DbTime::get),
            revoked_at: row.revoked_at.map(DbTime::get),
        })
    }
}

/// Scopes as the database keeps them: space-separated names.
fn stored_scopes(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug)]
pub struct NewIntegration<'a> {
    pub name: &'a str,
    pub kind: IntegrationKind,
    pub scopes: &'a [Scope],
    pub processor_company: &'a str,
    pub processor_country: &'a str,
    pub processor_in_eea: bool,
    pub key_prefix: &'a str,
    pub key_hash: &'a str,
    pub webhook_secret: &'a str,
    pub created_by: Option<Uuid>,
}

pub fn insert(
    conn: &mut AnyConnection,
    new: &NewIntegration<'_>,
    now: DateTime<Utc>,
) -> Result<Integration, DbError> {
    let id = Uuid::now_v7();
    diesel::insert_into(i::table)
        .values((
            i::id.eq(DbUuid(id)),
            i::name.eq(new.name),
            i::kind.eq(new.kind.as_str()),
            i::scopes.eq(stored_scopes(new.scopes)),
            i::processor_company.eq(new.processor_company),
            i::processor_country.eq(new.processor_country),
            i::processor_in_eea.eq(new.processor_in_eea),
            i::key_prefix.eq(new.key_prefix),
            i::key_hash.eq(new.key_hash),
            i::webhook_secret.eq(new.webhook_secret),
            i::created_by.eq(new.created_by.map(DbUuid)),
            i::created_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    find(conn, id)?.ok_or(DbError::NotFound)
}

pub fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<Integration>, DbError> {
    i::table
        .find(DbUuid(id))
        .select(IntegrationRow::as_select())
        .first(conn)
        .optional()?
        .map(Integration::try_from)
        .transpose()
}

/// The integration a presented API key belongs to, if the key is known and not revoked.
pub fn find_active_by_key_hash(
    conn: &mut AnyConnection,
    key_hash: &str,
) -> Result<Option<Integration>, DbError> {
    i::table
        .filter(i::key_hash.eq(key_hash))
        .filter(i::revoked_at.is_null())
        .select(IntegrationRow::as_select())
        .first(conn)
        .optional()?
        .map(Integration::try_from)
        .transpose()
}

/// One page in creation order, after `after`.
pub fn list(
    conn: &mut AnyConnection,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Integration>, DbError> {
    let mut query = i::table.select(IntegrationRow::as_select()).into_boxed();
    if let Some(after) = after {
        query = query.filter(i::id.gt(DbUuid(after)));
    }
    query
        .order(i::id.asc())
        .limit(limit)
        .load(conn)?
        .into_iter()
        .map(Integration::try_from)
        .collect()
}

/// Revokes the key; returns false when there was no such integration.
pub fn revoke(conn: &mut AnyConnection, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbError> {
    let exists = find(conn, id)?.is_some();
    diesel::update(i::table.find(DbUuid(id)).filter(i::revoked_at.is_null()))
        .set(i::revoked_at.eq(DbTime::new(now)))
        .execute(conn)?;
    Ok(exists)
}

/// Records use of the key, at most once a minute so a busy integration does not write on
/// every request.
pub fn touch_last_used(
    conn: &mut AnyConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let stale_before = DbTime::new(now - chrono::Duration::seconds(60));
    diesel::update(
        i::table.find(DbUuid(id)).filter(
            i::last_used_at
                .is_null()
                .or(i::last_used_at.lt(stale_before)),
        ),
    )
    .set(i::last_used_at.eq(DbTime::new(now)))
    .execute(conn)?;
    Ok(())
}
