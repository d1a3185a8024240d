//! Is the database there? Used by `/readyz` and by `uniikki migrate` before it starts.

use diesel::connection::SimpleConnection;
use std::time::Duration;

use crate::error::DbError;
use crate::pool::Pool;

/// Borrows a connection within `wait` and runs a trivial statement on it.
pub fn ping(pool: &Pool, wait: Duration) -> Result<(), DbError> {
    let mut conn = pool.get_timeout(wait)?;
    conn.batch_execute("SELECT 1")?;
    Ok(())
}
