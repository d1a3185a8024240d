//! Password attempts, throttled so that the limit holds under concurrency: an attempt takes
//! turns with the others on the same login name and address, counts the failures before it, and
//! is recorded as `checking` *before* its password is checked (and counted as a failure until
//! it is settled). Thirty guesses sent at once are then counted one after another, not all
//! against the same empty count; correct logins sent at once wait for one another.

use chrono::{DateTime, Utc};
use persistence::login_events::{self, LoginOutcome, NewLoginEvent};
use persistence::{AnyConnection, DbError};
use uuid::Uuid;

use crate::auth::{RequestMeta, throttle};
use crate::plumbing::error::ApiError;
use crate::settings::Settings;

/// Whether an attempt may check its password.
pub enum Begun {
    /// It may; `Uuid` is its login event (`checking`), to be settled with [`settle`].
    Checking(Uuid),
    /// Throttled (recorded as such): try again after this many seconds.
    Wait(u64),
    /// The allowance is full of attempts still being checked: ask again shortly (nothing
    /// recorded). Simultaneous correct logins wait for one another this way, not refused.
    Busy,
}

/// How long an attempt may wait for attempts being checked, asking every [`RETRY`].
const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
const RETRY: std::time::Duration = std::time::Duration::from_millis(50);
/// Attempts recorded `checking` longer ago than this never settled (the server stopped).
const CHECK_TAKES_AT_MOST: chrono::Duration = chrono::Duration::seconds(30);

/// Begins an attempt with `once` (a write running [`begin`]), waiting while the allowance is
/// full of attempts being checked; returns what `once` found and the attempt's event.
pub async fn begin_when_free<T, F, R>(mut once: F) -> Result<(T, Uuid), ApiError>
where
    F: FnMut() -> R,
    R: std::future::Future<Output = Result<(T, Begun), ApiError>>,
{
    let started = std::time::Instant::now();
    loop {
        match once().await? {
            (found, Begun::Checking(id)) => return Ok((found, id)),
            (_, Begun::Wait(retry_after_secs)) => {
                return Err(ApiError::TooManyRequests { retry_after_secs });
            }
            (_, Begun::Busy) if started.elapsed() >= MAX_WAIT => {
                return Err(ApiError::TooManyRequests {
                    retry_after_secs: 1,
                });
            }
            (_, Begun::Busy) => actix_web::rt::time::sleep(RETRY).await,
        }
    }
}

/// What an attempt is counted against.
pub struct Attempt<'a> {
    pub login_name_hash: &'a str,
    pub account_id: Option<Uuid>,
    pub meta: &'a RequestMeta,
    /// Also count by the client address (logins; a password change is counted by name only).
    pub per_address: bool,
}

/// Begins an attempt. Runs inside a write transaction, which it holds the turn for.
pub fn begin(
    conn: &mut AnyConnection,
    settings: &Settings,
    attempt: &Attempt<'_>,
    now: DateTime<Utc>,
) -> Result<Begun, DbError> {
    let address = attempt
        .meta
        .client_ip
        .as_deref()
        .filter(|_| attempt.per_address);
    login_events::take_turns(conn, attempt.login_name_hash, address)?;
    let since = now
        - chrono::Duration::seconds(i64::try_from(settings.auth.login_window_secs).unwrap_or(900));
    let by_name = login_events::failures_for_login_name(conn, attempt.login_name_hash, since)?;
    let mut wait = throttle::retry_after(by_name, settings.auth.login_max_failures, now);
    if let Some(ip) = address {
        let by_ip = login_events::failures_for_ip(conn, ip, since)?;
        wait = wait.max(throttle::retry_after(
            by_ip,
            settings.auth.login_max_failures_per_ip,
            now,
        ));
    }
    if wait.is_some() {
        let in_flight =
            login_events::checking(conn, attempt.login_name_hash, now - CHECK_TAKES_AT_MOST)?;
        let settled = login_events::Failures {
            count: by_name.count - in_flight,
            ..by_name
        };
        if in_flight > 0
            && throttle::retry_after(settled, settings.auth.login_max_failures, now).is_none()
        {
            return Ok(Begun::Busy);
        }
    }
    let outcome = if wait.is_some() {
        LoginOutcome::Throttled
    } else {
        LoginOutcome::Checking
    };
    let event = NewLoginEvent {
        account_id: attempt.account_id,
        login_name_hash: attempt.login_name_hash,
        outcome,
        client_ip: attempt.meta.client_ip.as_deref(),
        user_agent: attempt.meta.user_agent.as_deref(),
    };
    let id = login_events::record(conn, &event, now)?;
    Ok(match wait {
        Some(seconds) => Begun::Wait(seconds),
        None => Begun::Checking(id),
    })
}

/// Records how an attempt begun with [`begin`] ended.
pub fn settle(conn: &mut AnyConnection, id: Uuid, outcome: LoginOutcome) -> Result<(), DbError> {
    login_events::settle(conn, id, outcome)
}
