//! The writer thread's loop: takes queued jobs in batches, runs each change in a savepoint of
//! its own, appends the reads' audit entries with their sessions checked, chains what is
//! pending, commits once, and answers everyone.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use chrono::Utc;
use domain::audit::AuditEntry;
use persistence::audit::{self, Pending};
use persistence::{AnyConnection, DbError, Pool, PooledConnection, write_transaction};
use tokio::sync::oneshot;

use super::{Job, MAX_BATCH, SWEEP, Task};
use crate::auth::session_check::{SESSION_ENDED, SessionProof};
use crate::metrics::BatchMetrics;
use crate::plumbing::error::ApiError;

/// Takes whatever has queued up (at least one job), runs it in one transaction, answers every
/// request in the batch, and starts over. Entries waiting in `audit_pending` are chained when a
/// request waits for them, and otherwise at least every [`SWEEP`], busy or idle.
pub(super) fn write_batches(pool: Pool, jobs: &mpsc::Receiver<Job>, metrics: &BatchMetrics) {
    let mut last_sweep: Option<Instant> = None;
    let mut link = Link { pool, conn: None };
    loop {
        let mut batch = Batch::default();
        let mut stopping = false;
        match jobs.recv_timeout(SWEEP) {
            Ok(Job::Stop) => return,
            Ok(job) => batch.add(job),
            Err(RecvTimeoutError::Timeout) if link.entries_pending() => {
                batch.pending = Pending::Take;
            }
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        }
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(Job::Stop) => {
                    stopping = true;
                    break;
                }
                Ok(job) => batch.add(job),
                Err(_) => break,
            }
        }
        if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP) {
            batch.pending = Pending::Take;
        }
        if batch.pending == Pending::Take {
            last_sweep = Some(Instant::now());
        }
        batch.commit(&mut link, metrics);
        if stopping {
            return;
        }
    }
}

/// What the writer keeps between batches.
struct Link {
    pool: Pool,
    /// A connection of its own: taking one from the pool for every batch, the writer queued
    /// behind the reads that held all of them, and every request waiting on the batch with it.
    /// Dropped after a failure (the pool discards it if broken) and taken anew.
    conn: Option<PooledConnection>,
}

impl Link {
    fn conn(&mut self) -> Result<&mut AnyConnection, DbError> {
        let conn = match self.conn.take() {
            Some(conn) => conn,
            None => self.pool.get()?,
        };
        Ok(self.conn.insert(conn))
    }

    /// Forgets the connection after a failure: it may be broken or inside a transaction.
    fn reset(&mut self) {
        self.conn = None;
    }

    /// Whether an idle writer has audit entries to chain. A database it cannot reach is looked
    /// at again at the next sweep (and the first request's batch chains them anyway).
    fn entries_pending(&mut self) -> bool {
        let count = self.conn().and_then(audit::pending_count);
        if count.is_err() {
            self.reset();
        }
        count.is_ok_and(|count| count > 0)
    }
}

#[derive(Default)]
struct Batch {
    changes: Vec<Box<dyn Task>>,
    /// Reads' entries, each with its session to check and its reply.
    entries: Vec<AuditEntry>,
    proofs: Vec<Option<SessionProof>>,
    entry_replies: Vec<oneshot::Sender<Result<(), ApiError>>>,
    /// Which entries were refused because their session had ended (set by `run`).
    refused: Vec<bool>,
    chain_replies: Vec<oneshot::Sender<Result<(), ApiError>>>,
    pending: Pending,
}

impl Batch {
    fn add(&mut self, job: Job) {
        match job {
            Job::Change(task) => self.changes.push(task),
            Job::Audit(entry, proof, reply) => {
                self.entries.push(entry);
                self.proofs.push(proof);
                self.entry_replies.push(reply);
            }
            Job::Chain(reply) => {
                self.pending = Pending::Take;
                self.chain_replies.push(reply);
            }
            Job::Stop => {}
        }
    }

    fn len(&self) -> usize {
        self.changes.len() + self.entry_replies.len() + self.chain_replies.len()
    }

    /// Commits, records the batch, then answers: a request never sees its answer before its
    /// batch is in the metrics.
    fn commit(mut self, link: &mut Link, metrics: &BatchMetrics) {
        let (started, size) = (Instant::now(), self.len());
        let outcome = self.run(link);
        if outcome.is_err() {
            link.reset();
        }
        metrics.seconds.observe(started.elapsed().as_secs_f64());
        #[allow(clippy::cast_precision_loss)] // at most MAX_BATCH
        metrics.size.observe(size as f64);
        if let Err(error) = &outcome
            && !matches!(error, DbError::Unavailable(_))
        {
            tracing::error!(error = %error, "a write batch failed");
        }
        let outcome = outcome.as_ref().map(|_| ());
        for task in self.changes {
            task.finish(outcome);
        }
        for (reply, refused) in self
            .entry_replies
            .into_iter()
            .zip(self.refused.into_iter().chain(std::iter::repeat(false)))
        {
            let answer = match outcome {
                Ok(()) if refused => Err(SESSION_ENDED),
                other => other.map_err(failure),
            };
            let _ = reply.send(answer);
        }
        for reply in self.chain_replies {
            let _ = reply.send(outcome.map_err(failure));
        }
    }

    fn run(&mut self, link: &mut Link) -> Result<(), DbError> {
        let mut entries = std::mem::take(&mut self.entries);
        let proofs = std::mem::take(&mut self.proofs);
        let refused = &mut self.refused;
        write_transaction(link.conn()?, |conn| {
            *refused = ended_sessions(conn, &proofs)?;
            let mut index = 0;
            entries.retain(|_| {
                index += 1;
                !refused[index - 1]
            });
            for task in &mut self.changes {
                // A change that panics leaves its savepoint open: the whole batch is abandoned
                // (and the connection, no longer at rest, is dropped by the pool).
                catch_unwind(AssertUnwindSafe(|| task.run(conn))).map_err(|_| {
                    DbError::Other(diesel::result::Error::QueryBuilderError(
                        "a change panicked".into(),
                    ))
                })?;
            }
            audit::chain(conn, entries, Utc::now(), self.pending)
        })
    }
}

/// For each entry, whether its session has ended (or its role changed): one query for the
/// batch, none when no entry carries a session.
fn ended_sessions(
    conn: &mut AnyConnection,
    proofs: &[Option<SessionProof>],
) -> Result<Vec<bool>, DbError> {
    let sessions: Vec<uuid::Uuid> = proofs.iter().flatten().map(|p| p.session).collect();
    if sessions.is_empty() {
        return Ok(vec![false; proofs.len()]);
    }
    let live = persistence::refresh_tokens::live_sessions(conn, &sessions, Utc::now())?;
    Ok(proofs
        .iter()
        .map(|proof| {
            proof.is_some_and(|p| {
                !live
                    .iter()
                    .any(|(s, a, role)| *s == p.session && *a == p.account && *role == p.role)
            })
        })
        .collect())
}

/// What a request is told when its batch was not committed.
pub(super) fn failure(error: &DbError) -> ApiError {
    match error {
        DbError::Unavailable(_) => ApiError::Unavailable {
            retry_after_secs: 1,
        },
        other => ApiError::Internal(anyhow::anyhow!(
            "the batch holding this change was not committed: {other}"
        )),
    }
}
