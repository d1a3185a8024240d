//! Group commit. On SQLite, which admits one writer at a time, every change the server makes
//! goes through one writer thread, which runs the changes that have queued up together in one
//! transaction, each in a savepoint of its own, and commits them with one fsync. A request waits
//! until its batch has committed, so nothing is acknowledged before it is durable; a change that
//! fails is undone alone (its savepoint rolls back) and the others in its batch still commit. A
//! change and its audit entry share the batch's transaction, so neither can be kept without the
//! other, and entries keep the order the changes ran in.
//!
//! On PostgreSQL changes run concurrently, each in its own transaction on the blocking pool:
//! there one thread running them in turn measured slower (788 against 1,115 creations/s), since
//! every statement is a round trip that the others would wait behind. A change's audit entries
//! wait in `audit_pending` (see [`audit::append`]); the writer chains them in its next batch, and
//! the change is answered after that batch has committed.
//!
//! On both engines the audit entries of reads are group-committed: appended together at the end
//! of a batch, moving the chain head once. A read takes its data on the blocking pool, outside
//! the writer, and then waits for [`Writer::audit`]. A batch of reads alone leaves pending
//! entries where they are, but at least every [`SWEEP`], busy or idle, the writer chains what
//! waits there (what a crash, a background job or another server's maintenance left).
//!
//! Maintenance work that is long or must follow its own commit (erasure, which then truncates
//! the WAL; retention; the delivery dispatcher's claims; seeding) keeps its own transactions; on
//! SQLite it takes turns with the writer through the process-wide writer lock.

use std::sync::mpsc::{self};
use std::time::Duration;

use chrono::{DateTime, Utc};
use domain::audit::{AuditEntry, Touched};
use persistence::audit::{self};
use persistence::{AnyConnection, BackendKind, DbError, Pool, write_transaction};
use tokio::sync::oneshot;

use crate::auth::session_check::SessionProof;
use crate::metrics::BatchMetrics;
use crate::plumbing::db;
use crate::plumbing::error::ApiError;

mod batch;

use batch::{failure, write_batches};

/// The most changes one transaction takes.
const MAX_BATCH: usize = 256;
/// Changes that may wait for the writer; beyond this a request is told to retry (503).
const QUEUE: usize = 8_192;
/// How often an idle writer looks for audit entries waiting to be chained.
const SWEEP: Duration = Duration::from_secs(1);

/// A queued change: run inside the batch, then told how the batch ended.
trait Task: Send {
    fn run(&mut self, conn: &mut AnyConnection);
    fn finish(self: Box<Self>, batch: Result<(), &DbError>);
}

struct QueuedChange<T, F> {
    work: Option<F>,
    result: Option<Result<T, ApiError>>,
    reply: oneshot::Sender<Result<T, ApiError>>,
}

impl<T, F> Task for QueuedChange<T, F>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send,
    T: Send,
{
    fn run(&mut self, conn: &mut AnyConnection) {
        if let Some(work) = self.work.take() {
            self.result = Some(write_transaction(conn, work));
        }
    }

    fn finish(self: Box<Self>, batch: Result<(), &DbError>) {
        let answer = match (batch, self.result) {
            (Ok(()), Some(result)) => result,
            (Err(error), _) => Err(failure(error)),
            (Ok(()), None) => Err(ApiError::Internal(anyhow::anyhow!(
                "a committed batch skipped a change"
            ))),
        };
        let _ = self.reply.send(answer);
    }
}

/// What the writer is asked to do.
enum Job {
    Change(Box<dyn Task>),
    /// A read's entry; with a session to find live in the same transaction (see `auth::reader`).
    Audit(
        AuditEntry,
        Option<SessionProof>,
        oneshot::Sender<Result<(), ApiError>>,
    ),
    /// Answered once the entries committed before it was queued are chained.
    Chain(oneshot::Sender<Result<(), ApiError>>),
    /// Commit what was queued before, then end the thread (see [`WriterThread::stop`]).
    Stop,
}

/// A handle to the writer thread, cloned into every worker. The thread ends when the last
/// handle is dropped (the server stops), after finishing what was queued.
#[derive(Clone)]
pub struct Writer {
    queue: mpsc::SyncSender<Job>,
    /// Set on PostgreSQL: changes bypass the queue.
    concurrent_changes: Option<Pool>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

/// The writer thread itself, owned by whoever started it, to be stopped and joined when the
/// server has stopped: an idle writer looks at the database every [`SWEEP`], and one left
/// running at process exit raced the TLS library's exit-time cleanup (a SIGSEGV after every
/// test had passed).
pub struct WriterThread {
    queue: mpsc::SyncSender<Job>,
    thread: std::thread::JoinHandle<()>,
}

impl WriterThread {
    /// Lets the writer commit what was queued before, then waits for the thread to end.
    /// Blocking: call it on a blocking thread.
    pub fn stop(self) {
        if self.queue.send(Job::Stop).is_ok() && self.thread.join().is_err() {
            tracing::error!("the writer thread panicked");
        }
    }
}

impl Writer {
    /// Starts the writer thread; returns the handle to clone into workers and the thread.
    pub fn start(
        pool: Pool,
        backend: BackendKind,
        metrics: BatchMetrics,
    ) -> std::io::Result<(Self, WriterThread)> {
        let concurrent_changes = (backend == BackendKind::Postgres).then(|| pool.clone());
        let (queue, jobs) = mpsc::sync_channel::<Job>(QUEUE);
        let thread = std::thread::Builder::new()
            .name("writer".into())
            .spawn(move || write_batches(pool, &jobs, &metrics))?;
        let writer = Self {
            queue: queue.clone(),
            concurrent_changes,
        };
        Ok((writer, WriterThread { queue, thread }))
    }

    /// Runs `change` in a write transaction of its own (PostgreSQL) or in the next batch, in a
    /// savepoint of its own (SQLite): rolled back alone when it returns an error. Returns its
    /// result once it is committed.
    pub async fn write<T, F>(&self, change: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.change(change, true).await
    }

    /// Runs `change` and records `entry` about what it reports having touched, in the same
    /// transaction: the way a change and its audit entry are kept or lost together. `change`
    /// gets the time the entry carries.
    pub async fn write_audited<T, F>(&self, entry: AuditEntry, change: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut AnyConnection, DateTime<Utc>) -> Result<(T, Touched), ApiError>
            + Send
            + 'static,
        T: Send + 'static,
    {
        self.write(move |conn| {
            let now = Utc::now();
            let (value, touched) = change(conn, now)?;
            audit::append(conn, entry.about(touched), now)?;
            Ok(value)
        })
        .await
    }

    /// As [`Writer::write`], for a change that records no audit entry (bookkeeping such as
    /// idempotency keys): on PostgreSQL it is answered without waiting for the writer to chain
    /// entries. An entry recorded here anyway is still chained, within the writer's next sweep.
    pub async fn write_unaudited<T, F>(&self, change: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.change(change, false).await
    }

    async fn change<T, F>(&self, change: F, audited: bool) -> Result<T, ApiError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        if let Some(pool) = &self.concurrent_changes {
            let value = db::run(pool, move |conn| write_transaction(conn, change)).await?;
            if audited {
                self.chained().await?;
            }
            return Ok(value);
        }
        let (reply, answer) = oneshot::channel();
        self.submit(
            Job::Change(Box::new(QueuedChange {
                work: Some(change),
                result: None,
                reply,
            })),
            answer,
        )
        .await
    }

    /// Returns once every audit entry committed so far is in the chain: for work that records
    /// entries in transactions of its own (erasure) before it answers. On SQLite at once, since
    /// there entries are chained as they are recorded.
    pub async fn chained(&self) -> Result<(), ApiError> {
        if self.concurrent_changes.is_none() {
            return Ok(());
        }
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Chain(reply), answer).await
    }

    /// Records a read of personal data; returns once the entry is durable.
    pub async fn audit(&self, entry: AuditEntry) -> Result<(), ApiError> {
        self.audit_checked(entry, None).await
    }

    /// As [`Writer::audit`], and the entry is written only when `proof`'s session is live, with
    /// the role it names, in the batch's transaction (one query for the batch's sessions);
    /// otherwise the read is refused (401) and leaves no entry.
    pub async fn audit_checked(
        &self,
        entry: AuditEntry,
        proof: Option<SessionProof>,
    ) -> Result<(), ApiError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Audit(entry, proof, reply), answer).await
    }

    async fn submit<T>(
        &self,
        job: Job,
        answer: oneshot::Receiver<Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        self.queue
            .try_send(job)
            .map_err(|_| ApiError::Unavailable {
                retry_after_secs: 1,
            })?;
        answer.await.unwrap_or_else(|_| {
            Err(ApiError::Internal(anyhow::anyhow!(
                "the writer stopped before answering"
            )))
        })
    }
}

#[cfg(test)]
mod tests {
    use ::tests::TestDatabase;
    use persistence::pool::{self, PoolSettings};

    use super::*;

    fn sqlite_writer(database: &TestDatabase) -> Writer {
        let pool = pool::build(database.url(), &PoolSettings::default()).unwrap();
        persistence::migrations::run_pending(&mut pool.get().unwrap()).unwrap();
        Writer::start(
            pool,
            BackendKind::Sqlite,
            crate::metrics::Metrics::new().batches(),
        )
        .unwrap()
        .0
    }

    #[actix_web::test]
    async fn a_change_that_panics_fails_alone_and_the_writer_keeps_writing() {
        let database = TestDatabase::sqlite();
        let writer = sqlite_writer(&database);
        let panicked = writer
            .write(|_| -> Result<(), ApiError> { panic!("a bug in a change") })
            .await;
        assert!(
            matches!(panicked, Err(ApiError::Internal(_))),
            "{panicked:?}"
        );
        let counted = writer
            .write(|conn| Ok(persistence::customers::count(conn)?))
            .await;
        assert!(matches!(counted, Ok(0)), "{counted:?}");
    }
}
