//! Logging in with email and password: throttled, recorded, and indistinguishable for unknown
//! emails, wrong passwords and deactivated accounts.

use chrono::Utc;
use domain::EmailAddress;
use domain::audit::ActorKind;
use persistence::accounts::{self, Account};
use persistence::audit;
use persistence::login_events::{self, LoginOutcome, NewLoginEvent};

use super::sessions::{self, TokenResponse};
use crate::auth::{RequestMeta, passwords, secrets, throttle};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// The one answer to every failed login, whatever the reason.
pub const BAD_CREDENTIALS: ApiError = ApiError::Unauthorized("the email or password is incorrect");

pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
    meta: RequestMeta,
) -> Result<TokenResponse, ApiError> {
    let name_hash = secrets::login_name_hash(state.signing_key.bytes(), email);
    let parsed = EmailAddress::parse(email).ok();
    let (account, wait) = {
        let (name_hash, meta, settings) = (name_hash.clone(), meta.clone(), state.settings.clone());
        db::run(&state.pool, move |conn| {
            let now = Utc::now();
            let since = now
                - chrono::Duration::seconds(
                    i64::try_from(settings.login_window_secs).unwrap_or(900),
                );
            let by_name = login_events::failures_for_login_name(conn, &name_hash, since)?;
            let mut wait = throttle::retry_after(by_name, settings.login_max_failures, now);
            if let Some(ip) = &meta.client_ip {
                let by_ip = login_events::failures_for_ip(conn, ip, since)?;
                wait = wait.max(throttle::retry_after(
                    by_ip,
                    settings.login_max_failures_per_ip,
                    now,
                ));
            }
            let account = parsed
                .map(|e| accounts::find_by_email(conn, &e))
                .transpose()?
                .flatten();
            if wait.is_some() {
                let event =
                    login_event(account.as_ref(), &name_hash, LoginOutcome::Throttled, &meta);
                login_events::record(conn, &event, now)?;
            }
            Ok((account, wait))
        })
        .await?
    };
    if let Some(retry_after_secs) = wait {
        return Err(ApiError::TooManyRequests { retry_after_secs });
    }

    let stored_hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let verified = passwords::verify(stored_hash, password).await?;
    let now = Utc::now();
    let outcome = match &account {
        Some(a) if verified && !a.active => LoginOutcome::Inactive,
        Some(a) if verified && !one_time_password_expired(a, now) => LoginOutcome::Success,
        _ => LoginOutcome::BadCredentials,
    };

    let state_for_db = state.clone();
    let tokens = state
        .writer
        .write(move |conn| {
            let now = Utc::now();
            login_events::record(
                conn,
                &login_event(account.as_ref(), &name_hash, outcome, &meta),
                now,
            )?;
            let Some(account) = account.filter(|_| outcome == LoginOutcome::Success) else {
                return Ok(None);
            };
            accounts::record_login(conn, account.id, now)?;
            let tokens = sessions::issue(
                conn,
                &state_for_db,
                &account,
                None,
                account.password_is_one_time,
                now,
            )?;
            let id = Some(account.id);
            let entry = meta.audit_as(
                ActorKind::Account,
                id,
                "auth.login",
                "account",
                id.map(|i| i.to_string()),
                id,
            );
            audit::append(conn, entry, now)?;
            Ok::<_, ApiError>(Some(tokens))
        })
        .await?;
    tokens.ok_or(BAD_CREDENTIALS)
}

fn one_time_password_expired(account: &Account, now: chrono::DateTime<Utc>) -> bool {
    account.password_is_one_time
        && account
            .password_expires_at
            .is_none_or(|expires| expires <= now)
}

fn login_event<'a>(
    account: Option<&Account>,
    name_hash: &'a str,
    outcome: LoginOutcome,
    meta: &'a RequestMeta,
) -> NewLoginEvent<'a> {
    NewLoginEvent {
        account_id: account.map(|a| a.id),
        login_name_hash: name_hash,
        outcome,
        client_ip: meta.client_ip.as_deref(),
        user_agent: meta.user_agent.as_deref(),
    }
}
