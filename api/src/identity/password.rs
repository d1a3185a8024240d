//! Changing one's own password: needs the current one, ends every other session.

use chrono::Utc;
use domain::FieldCode;
use domain::audit::{AuditAction, Touched};
use domain::{EmailAddress, NewPassword};
use persistence::login_events::LoginOutcome;
use persistence::{accounts, refresh_tokens};

use super::attempts::{self, Attempt};
use super::sessions::{self, TokenResponse};
use crate::auth::{Authenticated, Principal, passwords, secrets};
use crate::plumbing::db;
use crate::plumbing::error::{ApiError, FieldError};
use crate::plumbing::state::AppState;

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

    let ((), attempt_id) = attempts::begin_when_free(|| {
        let (meta, settings, name_hash) = (
            caller.meta.clone(),
            state.settings.clone(),
            name_hash.clone(),
        );
        state.writer.write(move |conn| {
            let attempt = Attempt {
                login_name_hash: &name_hash,
                account_id: Some(id),
                meta: &meta,
                per_address: false,
            };
            let begun = attempts::begin(conn, &settings, &attempt, Utc::now())?;
            Ok::<_, ApiError>(((), begun))
        })
    })
    .await?;
    if !passwords::verify(account.password_hash.clone(), current.clone()).await? {
        state
            .writer
            .write(move |conn| {
                Ok::<_, ApiError>(attempts::settle(
                    conn,
                    attempt_id,
                    LoginOutcome::BadCredentials,
                )?)
            })
            .await?;
        return Err(ApiError::Validation(vec![FieldError::new(
            "current_password",
            FieldCode::Incorrect,
            "is not your current password",
        )]));
    }
    let new_password = match acceptable(&new, &current, &email) {
        Ok(password) => password,
        Err(refused) => {
            // The current password was right: not a failure to count.
            state
                .writer
                .write(move |conn| {
                    Ok::<_, ApiError>(attempts::settle(conn, attempt_id, LoginOutcome::Success)?)
                })
                .await?;
            return Err(refused);
        }
    };
    let hash = passwords::hash(new_password.expose().to_owned()).await?;

    let state_for_db = state.clone();
    state
        .writer
        .write_audited(
            caller.audit(AuditAction::AuthPasswordChange, None, None),
            move |conn, now| {
                attempts::settle(conn, attempt_id, LoginOutcome::Success)?;
                accounts::set_password(conn, id, &hash, None, now)?;
                refresh_tokens::revoke_account(conn, id, None, now)?;
                let tokens = sessions::issue(conn, &state_for_db, &account, None, false, now)?;
                Ok((tokens, Touched::person(id)))
            },
        )
        .await
}

/// The new password, when the policy accepts it and it differs from the current one.
fn acceptable(new: &str, current: &str, email: &EmailAddress) -> Result<NewPassword, ApiError> {
    let new_password = NewPassword::parse(new, email).map_err(|e| {
        ApiError::Validation(vec![FieldError::new(
            "new_password",
            domain::ErrorCode::code(&e),
            e.to_string(),
        )])
    })?;
    if new_password.expose() == current {
        return Err(ApiError::Validation(vec![FieldError::new(
            "new_password",
            FieldCode::Unchanged,
            "must differ from the current password",
        )]));
    }
    Ok(new_password)
}
