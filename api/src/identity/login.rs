//! Logging in with email and password: throttled, recorded, and indistinguishable for unknown
//! emails, wrong passwords and deactivated accounts.

use chrono::Utc;
use domain::EmailAddress;
use domain::audit::{ActorKind, AuditAction};
use persistence::accounts::{self, Account};
use persistence::audit;
use persistence::login_events::LoginOutcome;

use super::attempts::{self, Attempt};
use super::sessions::{self, TokenResponse};
use crate::auth::{RequestMeta, passwords, secrets};
use crate::plumbing::error::ApiError;
use crate::plumbing::state::AppState;

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
    let (account, attempt_id) = attempts::begin_when_free(|| {
        let (name_hash, meta, settings) = (name_hash.clone(), meta.clone(), state.settings.clone());
        let parsed = parsed.clone();
        state.writer.write(move |conn| {
            let now = Utc::now();
            let account = parsed
                .map(|e| accounts::find_by_email(conn, &e))
                .transpose()?
                .flatten();
            let attempt = Attempt {
                login_name_hash: &name_hash,
                account_id: account.as_ref().map(|a| a.id),
                meta: &meta,
                per_address: true,
            };
            let begun = attempts::begin(conn, &settings, &attempt, now)?;
            Ok::<_, ApiError>((account, begun))
        })
    })
    .await?;

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
            attempts::settle(conn, attempt_id, outcome)?;
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
                AuditAction::AuthLogin,
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
