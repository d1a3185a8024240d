//! Changing one's own password: needs the current one, ends every other session.

use chrono::Utc;
use domain::{EmailAddress, NewPassword};
use persistence::login_events::{self, LoginOutcome, NewLoginEvent};
use persistence::{accounts, audit, refresh_tokens};

use super::sessions::{self, TokenResponse};
use crate::auth::{Authenticated, Principal, passwords, secrets, throttle};
use crate::db;
use crate::error::{ApiError, FieldError};
use crate::state::AppState;

/// Verifies `current`, applies the policy to `new`, stores it, revokes every session of the
/// account and starts a fresh one, returned as a token pair.
pub async fn change(
    state: &AppState,
    caller: Authenticated,
    current: String,
    new: String,
) -> Result<TokenResponse, ApiError> {
    let Principal::Account { id, .. } = caller.principal else {
        return Err(ApiError::Forbidden);
    };
    let account = db::run(&state.pool, move |conn| Ok(accounts::find(conn, id)?))
        .await?
        .filter(|a| a.active)
        .ok_or(ApiError::Unauthorized("the account is no longer active"))?;
    let email = EmailAddress::parse(&account.email)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored email unreadable: {e}")))?;
    let name_hash = secrets::login_name_hash(state.signing_key.bytes(), email.as_str());

    let (name_hash_for_db, settings) = (name_hash.clone(), state.settings.clone());
    let failures = db::run(&state.pool, move |conn| {
        let since = Utc::now()
            - chrono::Duration::seconds(i64::try_from(settings.login_window_secs).unwrap_or(900));
        Ok(login_events::failures_for_login_name(
            conn,
            &name_hash_for_db,
            since,
        )?)
    })
    .await?;
    if let Some(retry_after_secs) =
        throttle::retry_after(failures, state.settings.login_max_failures, Utc::now())
    {
        return Err(ApiError::TooManyRequests { retry_after_secs });
    }

    if !passwords::verify(account.password_hash.clone(), current.clone()).await? {
        let meta = caller.meta.clone();
        db::run(&state.pool, move |conn| {
            let event = NewLoginEvent {
                account_id: Some(id),
                login_name_hash: &name_hash,
                outcome: LoginOutcome::BadCredentials,
                client_ip: meta.client_ip.as_deref(),
                user_agent: meta.user_agent.as_deref(),
            };
            Ok(login_events::record(conn, &event, Utc::now())?)
        })
        .await?;
        return Err(ApiError::Validation(vec![FieldError::new(
            "current_password",
            "incorrect",
            "is not your current password",
        )]));
    }
    let new_password = NewPassword::parse(&new, &email).map_err(|e| {
        ApiError::Validation(vec![FieldError::new(
            "new_password",
            domain::ErrorCode::code(&e),
            e.to_string(),
        )])
    })?;
    if new_password.expose() == current {
        return Err(ApiError::Validation(vec![FieldError::new(
            "new_password",
            "unchanged",
            "must differ from the current password",
        )]));
    }
    let hash = passwords::hash(new_password.expose().to_owned()).await?;

    let state_for_db = state.clone();
    state
        .writer
        .write(move |conn| {
            let now = Utc::now();
            accounts::set_password(conn, id, &hash, None, now)?;
            refresh_tokens::revoke_account(conn, id, None, now)?;
            let tokens = sessions::issue(conn, &state_for_db, &account, None, false, now)?;
            audit::append(
                conn,
                caller.audit(
                    "auth.password_change",
                    "account",
                    Some(id.to_string()),
                    Some(id),
                ),
                now,
            )?;
            Ok(tokens)
        })
        .await
}
