//! Group commit for audit entries that record reads (no other change goes with them): entries
//! from concurrent requests share one transaction and one fsync. Each request's response waits
//! until its batch has committed, so no acknowledged read goes unrecorded, and the entries keep
//! the order they arrived in. Changes still append their entry inside their own transaction.

use std::sync::mpsc;

use chrono::Utc;
use persistence::audit::{self, NewAuditEvent};
use persistence::{DbError, Pool, write_transaction};
use tokio::sync::oneshot;

use crate::error::ApiError;

/// The most entries one transaction takes.
const MAX_BATCH: usize = 512;
/// Entries that may wait for the writer; beyond this a request is told to retry (503).
const QUEUE: usize = 8_192;

/// How a batch ended, for every request in it.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    Committed,
    Unavailable,
    Failed,
}

type Job = (NewAuditEvent, oneshot::Sender<Outcome>);

/// A handle to the writer thread; cloned into every worker. The thread ends when the last
/// handle is dropped (the server stops).
#[derive(Clone)]
pub struct AuditWriter {
    queue: mpsc::SyncSender<Job>,
}

impl std::fmt::Debug for AuditWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditWriter")
    }
}

impl AuditWriter {
    pub fn start(pool: Pool) -> std::io::Result<Self> {
        let (queue, jobs) = mpsc::sync_channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || write_batches(&pool, &jobs))?;
        Ok(Self { queue })
    }

    /// Appends `entry` durably; returns once the batch holding it has committed.
    pub async fn append(&self, entry: NewAuditEvent) -> Result<(), ApiError> {
        let (done, committed) = oneshot::channel();
        self.queue
            .try_send((entry, done))
            .map_err(|_| ApiError::Unavailable {
                retry_after_secs: 1,
            })?;
        match committed.await {
            Ok(Outcome::Committed) => Ok(()),
            Ok(Outcome::Unavailable) => Err(ApiError::Unavailable {
                retry_after_secs: 1,
            }),
            Ok(Outcome::Failed) | Err(_) => Err(ApiError::Internal(anyhow::anyhow!(
                "the audit entry was not written"
            ))),
        }
    }
}

/// Takes whatever has queued up (at least one entry), writes it in one transaction, answers
/// every request in the batch, and starts over.
fn write_batches(pool: &Pool, jobs: &mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let (entries, waiting): (Vec<NewAuditEvent>, Vec<_>) = batch.into_iter().unzip();
        let outcome = match commit(pool, entries) {
            Ok(()) => Outcome::Committed,
            Err(DbError::Unavailable(_)) => Outcome::Unavailable,
            Err(error) => {
                tracing::error!(error = %error, "audit batch failed");
                Outcome::Failed
            }
        };
        for done in waiting {
            let _ = done.send(outcome);
        }
    }
}

fn commit(pool: &Pool, entries: Vec<NewAuditEvent>) -> Result<(), DbError> {
    let mut conn = pool.get()?;
    let now = Utc::now();
    write_transaction(&mut conn, |conn| {
        for entry in entries {
            audit::append(conn, entry, now)?;
        }
        Ok(())
    })
}
