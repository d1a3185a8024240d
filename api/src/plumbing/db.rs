//! The bridge from async handlers to synchronous diesel: every query runs on the blocking pool.

use std::time::Instant;

use actix_web::web;
use persistence::{AnyConnection, DbError, Pool};

use crate::plumbing::error::ApiError;

/// Runs `f` with a pooled connection on actix's blocking thread pool, never on an async
/// worker. A pool that cannot hand out a connection in time becomes a 503.
///
/// The pool's acquire timeout counts from the moment the request asked, not from when a
/// blocking thread took it up: there are only as many blocking threads as connections, so while
/// the database is unreachable requests queue for a thread behind others that are waiting out
/// the timeout, and without the deadline each would wait that much longer than the one before.
pub async fn run<T, F>(pool: &Pool, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    let asked = Instant::now();
    web::block(move || {
        let left = pool.connection_timeout().saturating_sub(asked.elapsed());
        let mut conn = pool.get_timeout(left).map_err(DbError::from)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ::tests::TestDatabase;
    use persistence::pool::{self, PoolSettings};

    use super::*;

    /// One blocking thread, one connection, held elsewhere: three requests queue for the thread,
    /// and all are refused within one acquire timeout of asking instead of one after another.
    #[test]
    fn queued_requests_wait_one_acquire_timeout_in_all() {
        let database = TestDatabase::sqlite();
        let settings = PoolSettings {
            max_size: 1,
            acquire_timeout: Duration::from_millis(400),
            ..PoolSettings::default()
        };
        let pool = pool::build(database.url(), &settings).unwrap();
        let _held = pool.get().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .max_blocking_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let started = Instant::now();
        let answers = runtime.block_on(futures_util::future::join_all(
            (0..3).map(|_| run(&pool, |_| Ok(()))),
        ));
        let waited = started.elapsed();
        for answer in answers {
            assert!(
                matches!(answer, Err(ApiError::Unavailable { .. })),
                "{answer:?}"
            );
        }
        assert!(
            waited < Duration::from_millis(900),
            "three queued requests took {waited:?} with an acquire timeout of 400 ms"
        );
    }
}
