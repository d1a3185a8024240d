//! The bridge from async handlers to synchronous diesel: every query runs on the blocking pool.

use actix_web::web;
use persistence::audit::NewAuditEvent;
use persistence::{AnyConnection, DbError, Pool};

use crate::error::ApiError;
use crate::state::AppState;

/// Runs `f` with a pooled connection on actix's blocking thread pool, never on an async
/// worker. A pool that cannot hand out a connection in time becomes a 503.
pub async fn run<T, F>(pool: &Pool, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(DbError::from)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
}

/// A staff read of personal data: `read` runs on the blocking pool, outside any write
/// transaction, and the answer waits until `entry` is durable in the audit log (group-committed
/// with concurrent reads). A read that fails leaves no entry.
pub async fn read_audited<T, F>(
    state: &AppState,
    entry: NewAuditEvent,
    read: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let value = run(&state.pool, read).await?;
    state.writer.audit(entry).await?;
    Ok(value)
}
