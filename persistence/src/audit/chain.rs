//! Recording entries and chaining them: on SQLite at once, on PostgreSQL through `audit_pending`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use domain::audit::{ActorKind, AuditRecord};
use uuid::Uuid;

use super::{AuditEntry, Row, ae};
use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::{audit_chain_head as head, audit_pending as pending};
use crate::sql_types::{DbTime, DbUuid};

/// An entry not yet in the chain: as queued in `audit_pending`, and as every entry is before
/// [`chain`] gives it its place.
#[derive(QueryableByName, Insertable)]
#[diesel(table_name = pending)]
struct Unchained {
    entry_id: DbUuid,
    occurred_at: DbTime,
    actor_kind: String,
    actor_id: Option<DbUuid>,
    action: String,
    target_type: String,
    target_id: Option<String>,
    subject_id: Option<DbUuid>,
    request_id: Option<String>,
    client_ip: Option<String>,
}

impl Unchained {
    fn new(event: AuditEntry, now: DateTime<Utc>) -> Self {
        Self {
            entry_id: DbUuid(Uuid::now_v7()),
            occurred_at: DbTime::new(now),
            actor_kind: event.actor_kind.as_str().to_owned(),
            actor_id: event.actor_id.map(DbUuid),
            action: event.action.as_str().to_owned(),
            target_type: event.action.target_type().to_owned(),
            target_id: event.target_id,
            subject_id: event.subject_id.map(DbUuid),
            request_id: event.request_id,
            client_ip: event.client_ip,
        }
    }

    /// The stored entry at `seq`, linked to `prev_hash`.
    fn chained(self, seq: i64, prev_hash: String) -> Result<Row, DbError> {
        let actor_kind = ActorKind::parse(&self.actor_kind)
            .ok_or_else(|| DbError::corrupt("audit_pending.actor_kind"))?;
        let record = AuditRecord {
            seq,
            id: self.entry_id.0,
            occurred_at: self.occurred_at.get(),
            actor_kind,
            actor_id: self.actor_id.map(|a| a.0),
            action: self.action,
            target_type: self.target_type,
            target_id: self.target_id,
            subject_id: self.subject_id.map(|s| s.0),
            request_id: self.request_id,
            client_ip: self.client_ip,
        };
        let hash = record.chain_hash(&prev_hash);
        Ok(Row {
            seq,
            id: self.entry_id,
            occurred_at: self.occurred_at,
            actor_kind: self.actor_kind,
            actor_id: self.actor_id,
            action: record.action,
            target_type: record.target_type,
            target_id: record.target_id,
            subject_id: self.subject_id,
            request_id: record.request_id,
            client_ip: record.client_ip,
            prev_hash,
            hash,
        })
    }
}

/// Records one entry in the caller's write transaction, so that the change and its entry are
/// kept or lost together.
///
/// On SQLite the entry is chained at once: the transaction's write lock already serialises
/// appends. On PostgreSQL it goes to `audit_pending` and is chained later by [`chain`]: taking
/// the chain head here would make every concurrent change wait for the one before it to commit
/// (measured: creations and logins then queue behind each other's fsync, and so do the reads'
/// audit entries). Whoever acknowledges the change waits for [`chain`] first.
pub fn append(
    conn: &mut AnyConnection,
    event: AuditEntry,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    match conn {
        AnyConnection::Postgresql(pg) => {
            diesel::insert_into(pending::table)
                .values(Unchained::new(event, now))
                .execute(pg)?;
            Ok(())
        }
        AnyConnection::Sqlite(_) => chain(conn, vec![event], now, Pending::Leave),
    }
}

/// Pending entries are moved into the chain this many at a time.
const PENDING_CHUNK: usize = 1_000;

/// Takes the oldest pending entries out of the queue in one statement, the same SQL on both
/// engines (diesel's DSL does not take a limited subselect in a DELETE).
fn take_oldest_pending() -> String {
    format!(
        "DELETE FROM audit_pending WHERE id IN \
         (SELECT id FROM audit_pending ORDER BY id LIMIT {PENDING_CHUNK}) \
         RETURNING id, entry_id, occurred_at, actor_kind, actor_id, action, target_type, \
         target_id, subject_id, request_id, client_ip"
    )
}

/// A pending entry as taken out of the queue; `id` is the order it was recorded in.
#[derive(QueryableByName)]
struct Taken {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(embed)]
    entry: Unchained,
}

/// Whether [`chain`] also moves the entries waiting in `audit_pending`: one more statement, which
/// a batch of reads alone does not need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pending {
    Take,
    #[default]
    Leave,
}

/// Appends `events` (a batch's reads) to the chain, after every committed pending entry (in the
/// order they were recorded) when `pending` is [`Pending::Take`]. Must run inside a write
/// transaction: the chain head is locked (`FOR UPDATE` on PostgreSQL, the write lock on SQLite)
/// before anything is read, so any number of servers can chain concurrently without chaining an
/// entry twice.
pub fn chain(
    conn: &mut AnyConnection,
    events: Vec<AuditEntry>,
    now: DateTime<Utc>,
    pending: Pending,
) -> Result<(), DbError> {
    let query = head::table.find(1).select((head::seq, head::hash));
    let (mut seq, mut last_hash): (i64, String) = match conn {
        AnyConnection::Postgresql(pg) => query.for_update().first(pg)?,
        AnyConnection::Sqlite(sqlite) => query.first(sqlite)?,
    };
    let mut entries = Vec::new();
    if pending == Pending::Take {
        take_pending(conn, &mut entries)?;
    }
    entries.extend(events.into_iter().map(|event| Unchained::new(event, now)));
    if entries.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(entries.len());
    for entry in entries {
        seq += 1;
        let row = entry.chained(seq, last_hash)?;
        last_hash = row.hash.clone();
        rows.push(row);
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

/// Chains what is pending, in a transaction of its own: for work outside the server's writer
/// (commands, background jobs), so that its entries are in the chain when it returns.
pub fn chain_pending(conn: &mut AnyConnection) -> Result<(), DbError> {
    crate::write_transaction(conn, |conn| {
        chain(conn, Vec::new(), Utc::now(), Pending::Take)
    })
}

/// Takes every committed pending entry out of the queue, oldest first. All that were committed
/// before the batch began must be taken (the requests waiting on the batch may own any of
/// them), so chunks are taken until one comes back short.
fn take_pending(conn: &mut AnyConnection, entries: &mut Vec<Unchained>) -> Result<(), DbError> {
    loop {
        let mut chunk: Vec<Taken> = diesel::sql_query(take_oldest_pending()).load(conn)?;
        chunk.sort_unstable_by_key(|taken| taken.id);
        let short = chunk.len() < PENDING_CHUNK;
        entries.extend(chunk.into_iter().map(|taken| taken.entry));
        if short {
            return Ok(());
        }
    }
}

/// How many entries wait to be chained: lets an idle server look without locking the head.
pub fn pending_count(conn: &mut AnyConnection) -> Result<i64, DbError> {
    Ok(pending::table.count().get_result(conn)?)
}
