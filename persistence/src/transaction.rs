//! The one way to write: a transaction that takes SQLite's write lock up front, one writer at a
//! time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::result::{DatabaseErrorKind, Error};

use crate::connection::AnyConnection;

type Manager = <AnyConnection as Connection>::TransactionManager;

/// SQLite admits one writer at a time. Writers in this process queue here and are woken in turn
/// the moment the previous one commits, instead of polling SQLite's lock with the busy handler's
/// growing sleeps (which gave writes under load a tail of over a second). SQLite's own busy
/// timeout still covers another process (a CLI command) holding the lock.
static SQLITE_WRITER: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

/// How long a writer waits for its turn before the request is refused as overloaded (503);
/// the pool sets it from the SQLite busy-timeout setting.
static SQLITE_WRITER_WAIT_MS: AtomicU64 = AtomicU64::new(5_000);

pub(crate) fn set_sqlite_writer_wait(wait: Duration) {
    let millis = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
    SQLITE_WRITER_WAIT_MS.store(millis, Ordering::Relaxed);
}

/// Runs `f` in a write transaction: committed when `f` returns `Ok`, rolled back otherwise.
///
/// On SQLite it waits for this process's writer turn, then begins `IMMEDIATE`: a deferred
/// transaction that reads and then writes fails with "database is locked" under concurrency,
/// whatever the busy timeout. On PostgreSQL it is an ordinary `BEGIN`.
///
/// Inside another write transaction (a group-committed batch) it is a savepoint instead: `f`'s
/// writes are undone alone when it fails, and made durable by the enclosing commit.
pub fn write_transaction<T, E, F>(conn: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<Error>,
{
    let nested = Manager::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_some();
    let _turn = match conn {
        _ if nested => {
            Manager::begin_transaction(conn)?;
            None
        }
        AnyConnection::Sqlite(sqlite) => {
            let wait = Duration::from_millis(SQLITE_WRITER_WAIT_MS.load(Ordering::Relaxed));
            let turn = SQLITE_WRITER.try_lock_for(wait).ok_or_else(|| {
                Error::DatabaseError(
                    DatabaseErrorKind::Unknown,
                    Box::new("database is locked: no writer turn in time".to_owned()),
                )
            })?;
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
            Some(turn)
        }
        AnyConnection::Postgresql(_) => {
            Manager::begin_transaction(conn)?;
            None
        }
    };
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(Error::BrokenTransactionManager) => Err(error),
            Err(rollback_error) => Err(rollback_error.into()),
        },
    }
}
