//! The one way to write: a transaction that takes SQLite's write lock up front.

use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};

use crate::connection::AnyConnection;

type Manager = <AnyConnection as Connection>::TransactionManager;

/// Runs `f` in a write transaction: committed when `f` returns `Ok`, rolled back otherwise.
///
/// On SQLite it begins `IMMEDIATE`: a deferred transaction that reads and then writes fails
/// with "database is locked" under concurrency, whatever the busy timeout. On PostgreSQL it is
/// an ordinary `BEGIN`. Not to be nested: compose queries inside one call instead.
pub fn write_transaction<T, E, F>(conn: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        AnyConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?
        }
        AnyConnection::Postgresql(_) => Manager::begin_transaction(conn)?,
    }
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback_error) => Err(rollback_error.into()),
        },
    }
}
