//! Message delivery: the dispatcher claims due messages from the outbox and hands them to the
//! configured transports, retrying with exponential backoff until a final failure.

mod email;
mod failure;
mod outbox;
mod sms;
pub mod transport;

use std::time::Duration;

use chrono::Utc;
use persistence::messages::{self, Claimed};
use persistence::{Pool, write_transaction};

use crate::background::Background;
use crate::settings::Settings;
pub use outbox::{forget_copies, outbox_of};
pub use transport::Transports;

/// How long a claim lasts: longer than any single delivery attempt takes.
const LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// Messages claimed per round.
const BATCH: i64 = 20;
/// The longest wait between two attempts.
const MAX_RETRY_DELAY_MS: u64 = 60 * 60 * 1000;

/// Delivers every message that is due now; returns how many were handed over successfully.
/// Blocking: call it on the blocking pool.
pub fn deliver_due(
    pool: &Pool,
    transports: &Transports,
    settings: &Settings,
) -> anyhow::Result<usize> {
    let mut delivered = 0;
    loop {
        let mut conn = pool.get()?;
        let claimed = write_transaction(&mut conn, |conn| {
            messages::claim_due(conn, Utc::now(), LEASE, BATCH)
        })?;
        drop(conn);
        if claimed.is_empty() {
            return Ok(delivered);
        }
        for message in &claimed {
            let outcome = transports.send(message);
            let mut conn = pool.get()?;
            match outcome {
                Ok(()) => {
                    if messages::mark_sent(&mut conn, message.id, Utc::now())? {
                        delivered += 1;
                    } else {
                        // Erased while it was being sent: the copy just made goes too.
                        forget_copies(&outbox_of(settings), &[message.id]);
                    }
                }
                Err(failure) => {
                    let retry_at = next_attempt(message, &failure, settings);
                    tracing::warn!(message_id = %message.id, attempt = message.attempts, error = failure.kind, final_failure = retry_at.is_none(), "message delivery failed");
                    messages::mark_failed(&mut conn, message.id, failure.kind, retry_at)?;
                }
            }
        }
    }
}

/// When to try again, or `None` when this was the last attempt (or can never succeed).
fn next_attempt(
    message: &Claimed,
    failure: &failure::Failure,
    settings: &Settings,
) -> Option<chrono::DateTime<Utc>> {
    if failure.permanent || message.attempts >= settings.delivery.max_attempts {
        return None;
    }
    let exponent = u32::try_from(message.attempts - 1).unwrap_or(0).min(20);
    let delay_ms = settings
        .delivery
        .retry_base_ms
        .saturating_mul(1 << exponent)
        .min(MAX_RETRY_DELAY_MS);
    Some(Utc::now() + chrono::Duration::milliseconds(i64::try_from(delay_ms).unwrap_or(i64::MAX)))
}

/// Runs [`deliver_due`] every `delivery_interval_ms` until the server stops.
pub fn spawn_dispatcher(
    background: &mut Background,
    pool: Pool,
    transports: Transports,
    settings: std::sync::Arc<Settings>,
) {
    if settings.delivery.interval_ms == 0 {
        return;
    }
    let interval = Duration::from_millis(settings.delivery.interval_ms);
    background.every_blocking(interval, "delivery", move || {
        deliver_due(&pool, &transports, &settings)
    });
}
