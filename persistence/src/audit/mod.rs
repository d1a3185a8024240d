//! The audit log: recorded in the same transaction as the change it records, chained by hash,
//! never updated or deleted (database triggers refuse it).

mod chain;
mod verify;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
pub use domain::audit::AuditEntry;
use domain::audit::{ActorKind, AuditRecord};
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::audit_events as ae;
use crate::sql_types::{DbTime, DbUuid};

pub use chain::{Pending, append, chain, chain_pending, pending_count};
pub use verify::{ChainReport, verify};

/// A stored entry.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub record: AuditRecord,
    pub prev_hash: String,
    pub hash: String,
}

/// A chained entry as `audit_events` stores it. An entry's fields are declared four times, once
/// per thing that differs: the typed new entry (`domain::audit::AuditEntry`), what is hashed
/// (`AuditRecord`, with the names as stored), and one row per table, this one and
/// `chain::Unchained` (`audit_pending`). The two rows cannot share a struct: diesel's
/// `Selectable` and `QueryableByName` derives take one table each.
#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = ae)]
struct Row {
    seq: i64,
    id: DbUuid,
    occurred_at: DbTime,
    actor_kind: String,
    actor_id: Option<DbUuid>,
    action: String,
    target_type: String,
    target_id: Option<String>,
    subject_id: Option<DbUuid>,
    request_id: Option<String>,
    client_ip: Option<String>,
    prev_hash: String,
    hash: String,
}

fn from_row(row: Row) -> Result<AuditEvent, DbError> {
    let actor_kind = ActorKind::parse(&row.actor_kind)
        .ok_or_else(|| DbError::corrupt("audit_events.actor_kind"))?;
    Ok(AuditEvent {
        record: AuditRecord {
            seq: row.seq,
            id: row.id.0,
            occurred_at: row.occurred_at.get(),
            actor_kind,
            actor_id: row.actor_id.map(|a| a.0),
            action: row.action,
            target_type: row.target_type,
            target_id: row.target_id,
            subject_id: row.subject_id.map(|s| s.0),
            request_id: row.request_id,
            client_ip: row.client_ip,
        },
        prev_hash: row.prev_hash,
        hash: row.hash,
    })
}

/// Which entries a listing wants.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Newest first, before sequence number `before`.
pub fn list(
    conn: &mut AnyConnection,
    filter: &AuditFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEvent>, DbError> {
    let mut query = ae::table.select(Row::as_select()).into_boxed();
    if let Some(actor) = filter.actor_id {
        query = query.filter(ae::actor_id.eq(DbUuid(actor)));
    }
    if let Some(subject) = filter.subject_id {
        query = query.filter(ae::subject_id.eq(DbUuid(subject)));
    }
    if let Some(action) = &filter.action {
        query = query.filter(ae::action.eq(action.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(ae::occurred_at.ge(DbTime::new(from)));
    }
    if let Some(to) = filter.to {
        query = query.filter(ae::occurred_at.lt(DbTime::new(to)));
    }
    if let Some(before) = before {
        query = query.filter(ae::seq.lt(before));
    }
    query
        .order(ae::seq.desc())
        .limit(limit)
        .load::<Row>(conn)?
        .into_iter()
        .map(from_row)
        .collect()
}
