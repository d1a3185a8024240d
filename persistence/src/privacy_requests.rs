//! Privacy requests and their deadlines.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use domain::privacy_request::{FiledBy, RequestKind, RequestStatus};
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::privacy_requests as p;
use crate::sql_types::{DbTime, DbUuid};

/// A data-subject request and where it stands.
#[derive(Debug, Clone)]
pub struct PrivacyRequest {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub description: Option<String>,
    pub filed_by: FiledBy,
    pub identity_verification: Option<String>,
    pub received_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    pub extension_reason: Option<String>,
    pub resolution: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = p)]
struct Row {
    id: DbUuid,
    customer_id: DbUuid,
    kind: String,
    status: String,
    description: Option<String>,
    filed_by: String,
    identity_verification: Option<String>,
    received_at: DbTime,
    due_on: NaiveDate,
    extension_reason: Option<String>,
    resolution: Option<String>,
    recorded_by: Option<DbUuid>,
    updated_at: DbTime,
    version: i64,
}

impl TryFrom<Row> for PrivacyRequest {
    type Error = DbError;
    fn try_from(row: Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.id.0,
            customer_id: row.customer_id.0,
            kind: RequestKind::parse(&row.kind)
                .ok_or_else(|| DbError::corrupt("privacy_requests.kind"))?,
            status: RequestStatus::parse(&row.status)
                .ok_or_else(|| DbError::corrupt("privacy_requests.status"))?,
            description: row.description,
            filed_by: FiledBy::parse(&row.filed_by)
                .ok_or_else(|| DbError::corrupt("privacy_requests.filed_by"))?,
            identity_verification: row.identity_verification,
            received_at: row.received_at.get(),
            due_on: row.due_on,
            extension_reason: row.extension_reason,
            resolution: row.resolution,
            recorded_by: row.recorded_by.map(|id| id.0),
            updated_at: row.updated_at.get(),
            version: row.version,
        })
    }
}

#[derive(Debug)]
pub struct NewRequest<'a> {
    pub customer_id: Uuid,
    pub kind: RequestKind,
    pub description: Option<&'a str>,
    pub filed_by: FiledBy,
    pub identity_verification: Option<&'a str>,
    pub due_on: NaiveDate,
    pub recorded_by: Option<Uuid>,
}

pub fn insert(
    conn: &mut AnyConnection,
    new: &NewRequest<'_>,
    now: DateTime<Utc>,
) -> Result<PrivacyRequest, DbError> {
    let id = Uuid::now_v7();
    let at = DbTime::new(now);
    diesel::insert_into(p::table)
        .values((
            p::id.eq(DbUuid(id)),
            p::customer_id.eq(DbUuid(new.customer_id)),
            p::kind.eq(new.kind.as_str()),
            p::status.eq(RequestStatus::Received.as_str()),
            p::description.eq(new.description),
            p::filed_by.eq(new.filed_by.as_str()),
            p::identity_verification.eq(new.identity_verification),
            p::received_at.eq(at),
            p::due_on.eq(new.due_on),
            p::recorded_by.eq(new.recorded_by.map(DbUuid)),
            p::updated_at.eq(at),
        ))
        .execute(conn)?;
    find(conn, id)?.ok_or(DbError::NotFound)
}

pub fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<PrivacyRequest>, DbError> {
    p::table
        .find(DbUuid(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(PrivacyRequest::try_from)
        .transpose()
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub status: Option<RequestStatus>,
    pub customer_id: Option<Uuid>,
    /// Open requests whose deadline passed before this day.
    pub overdue_on: Option<NaiveDate>,
}

/// One page, oldest deadline first, after `after`.
pub fn list(
    conn: &mut AnyConnection,
    filter: &Filter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<PrivacyRequest>, DbError> {
    let mut query = p::table.select(Row::as_select()).into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(p::status.eq(status.as_str()));
    }
    if let Some(customer) = filter.customer_id {
        query = query.filter(p::customer_id.eq(DbUuid(customer)));
    }
    if let Some(today) = filter.overdue_on {
        let open = [
            RequestStatus::Received.as_str(),
            RequestStatus::InProgress.as_str(),
        ];
        query = query
            .filter(p::status.eq_any(open))
            .filter(p::due_on.lt(today));
    }
    if let Some(after) = after {
        query = query.filter(p::id.gt(DbUuid(after)));
    }
    query
        .order(p::id.asc())
        .limit(limit)
        .load::<Row>(conn)?
        .into_iter()
        .map(PrivacyRequest::try_from)
        .collect()
}

/// A change to a request, guarded by its version.
#[derive(Debug, Default)]
pub struct Changes<'a> {
    pub status: Option<RequestStatus>,
    pub due_on: Option<NaiveDate>,
    pub extension_reason: Option<&'a str>,
    pub resolution: Option<&'a str>,
}

/// Applies `changes` if the row is still at `version`; false when it moved on meanwhile.
pub fn update(
    conn: &mut AnyConnection,
    id: Uuid,
    version: i64,
    changes: &Changes<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let Some(current) = find(conn, id)? else {
        return Ok(false);
    };
    let changed = diesel::update(p::table.find(DbUuid(id)).filter(p::version.eq(version)))
        .set((
            p::status.eq(changes.status.unwrap_or(current.status).as_str()),
            p::due_on.eq(changes.due_on.unwrap_or(current.due_on)),
            p::extension_reason.eq(changes
                .extension_reason
                .or(current.extension_reason.as_deref())),
            p::resolution.eq(changes.resolution.or(current.resolution.as_deref())),
            p::updated_at.eq(DbTime::new(now)),
            p::version.eq(version + 1),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}
