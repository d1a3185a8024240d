//! The bridge from async handlers to synchronous diesel: every query runs on the blocking pool.

use actix_web::web;
use persistence::{AnyConnection, DbError, Pool};

use crate::error::ApiError;

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
