//! Password attempts, throttled so that the limit holds under concurrency: an attempt takes
//! turns with the others on the same login name and address, counts the failures before it, and
//! is recorded as failed *before* its password is checked (settled afterwards). Thirty guesses
//! sent at once are then counted one after another, not all against the same empty count.

use chrono::{DateTime, Utc};
use persistence::login_events::{self, LoginOutcome, NewLoginEvent};
use persistence::{AnyConnection, DbError};
use uuid::Uuid;

use crate::auth::{RequestMeta, throttle};
use crate::settings::Settings;

/// Whether an attempt may check its password.
pub enum Begun {
    /// It may; `Uuid` is its login event, to be settled with [`settle`] if it succeeds.
    Checking(Uuid),
    /// Throttled (recorded as such): try again after this many seconds.
    Wait(u64),
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
    let since =
        now - chrono::Duration::seconds(i64::try_from(settings.login_window_secs).unwrap_or(900));
    let by_name = login_events::failures_for_login_name(conn, attempt.login_name_hash, since)?;
    let mut wait = throttle::retry_after(by_name, settings.login_max_failures, now);
    if let Some(ip) = address {
        let by_ip = login_events::failures_for_ip(conn, ip, since)?;
        wait = wait.max(throttle::retry_after(
            by_ip,
            settings.login_max_failures_per_ip,
            now,
        ));
    }
    let outcome = if wait.is_some() {
        LoginOutcome::Throttled
    } else {
        LoginOutcome::BadCredentials
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

/// Records how an attempt begun with [`begin`] ended, when not as a wrong password.
pub fn settle(conn: &mut AnyConnection, id: Uuid, outcome: LoginOutcome) -> Result<(), DbError> {
    if outcome == LoginOutcome::BadCredentials {
        return Ok(());
    }
    login_events::settle(conn, id, outcome)
}
