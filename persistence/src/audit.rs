//! The audit log: appended in the same transaction as the change it records, chained by hash,
//! never updated or deleted (database triggers refuse it).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use domain::audit::{ActorKind, AuditRecord};
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::{audit_chain_head as head, audit_events as ae};
use crate::sql_types::{DbTime, DbUuid};

/// An entry to append; the sequence number, id, time and hashes are assigned here.
#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: Option<String>,
    pub subject_id: Option<Uuid>,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
}

/// A stored entry.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub record: AuditRecord,
    pub prev_hash: String,
    pub hash: String,
}

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

/// Appends one entry. Must run inside a write transaction: on PostgreSQL the chain head is
/// locked (`FOR UPDATE`) so concurrent appends from any number of servers chain in order; on
/// SQLite the transaction's write lock already serialises them.
pub fn append(
    conn: &mut AnyConnection,
    event: NewAuditEvent,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    append_all(conn, vec![event], now)
}

/// Appends entries in the order given, reading and moving the chain head once for all of
/// them: what group commit uses for the entries of a batch's reads. Same rules as [`append`].
pub fn append_all(
    conn: &mut AnyConnection,
    events: Vec<NewAuditEvent>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    if events.is_empty() {
        return Ok(());
    }
    let query = head::table.find(1).select((head::seq, head::hash));
    let (mut seq, mut last_hash): (i64, String) = match conn {
        AnyConnection::Postgresql(pg) => query.for_update().first(pg)?,
        AnyConnection::Sqlite(sqlite) => query.first(sqlite)?,
    };
    let occurred_at = DbTime::new(now);
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        seq += 1;
        let record = AuditRecord {
            seq,
            id: Uuid::now_v7(),
            occurred_at: occurred_at.get(),
            actor_kind: event.actor_kind,
            actor_id: event.actor_id,
            action: event.action.to_owned(),
            target_type: event.target_type.to_owned(),
            target_id: event.target_id,
            subject_id: event.subject_id,
            request_id: event.request_id,
            client_ip: event.client_ip,
        };
        let hash = record.chain_hash(&last_hash);
        rows.push(Row {
            seq,
            id: DbUuid(record.id),
            occurred_at,
            actor_kind: record.actor_kind.as_str().to_owned(),
            actor_id: record.actor_id.map(DbUuid),
            action: record.action,
            target_type: record.target_type,
            target_id: record.target_id,
            subject_id: record.subject_id.map(DbUuid),
            request_id: record.request_id,
            client_ip: record.client_ip,
            prev_hash: std::mem::replace(&mut last_hash, hash.clone()),
            hash,
        });
    }
    // One multi-row INSERT per chunk (the multi-backend connection cannot batch, so per engine);
    // 13 columns × 500 rows stays under both engines' limit on bound parameters.
    for chunk in rows.chunks(500) {
        let insert = diesel::insert_into(ae::table).values(chunk);
        match conn {
            AnyConnection::Postgresql(pg) => insert.execute(pg)?,
            AnyConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
    }
    diesel::update(head::table.find(1))
        .set((head::seq.eq(seq), head::hash.eq(&last_hash)))
        .execute(conn)?;
    Ok(())
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

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub checked: i64,
    /// The first entry whose link does not hold, and why.
    pub first_broken: Option<(i64, String)>,
}

/// Walks every entry in order, recomputing each hash and checking each link, the sequence
/// (a gap means a deleted entry) and finally the chain head.
pub fn verify(conn: &mut AnyConnection) -> Result<ChainReport, DbError> {
    const BATCH: i64 = 1_000;
    let mut expected_prev = domain::audit::GENESIS_HASH.to_owned();
    let mut expected_seq = 1;
    loop {
        let batch: Vec<Row> = ae::table
            .select(Row::as_select())
            .filter(ae::seq.ge(expected_seq))
            .order(ae::seq.asc())
            .limit(BATCH)
            .load(conn)?;
        let done = (batch.len() as i64) < BATCH;
        for row in batch {
            let event = from_row(row)?;
            let seq = event.record.seq;
            let broken = |reason: &str| {
                Ok(ChainReport {
                    checked: seq - 1,
                    first_broken: Some((seq, reason.to_owned())),
                })
            };
            if seq != expected_seq {
                return Ok(ChainReport {
                    checked: expected_seq - 1,
                    first_broken: Some((expected_seq, "entry missing".to_owned())),
                });
            }
            if event.prev_hash != expected_prev {
                return broken("link to the previous entry does not match");
            }
            if event.record.chain_hash(&event.prev_hash) != event.hash {
                return broken("content does not match its hash");
            }
            expected_prev = event.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let (head_seq, head_hash): (i64, String) = head::table
        .find(1)
        .select((head::seq, head::hash))
        .first(conn)?;
    let checked = expected_seq - 1;
    if head_seq != checked || head_hash != expected_prev {
        return Ok(ChainReport {
            checked,
            first_broken: Some((
                checked + 1,
                "chain head does not match the last entry".to_owned(),
            )),
        });
    }
    Ok(ChainReport {
        checked,
        first_broken: None,
    })
}
