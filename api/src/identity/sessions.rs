//! Login sessions: issuing a token pair, rotating it, ending it.

use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, Touched};
use persistence::accounts::{self, Account};
use persistence::refresh_tokens::{self, NewRefreshToken, Presented};
use persistence::{AnyConnection, DbError, audit};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::tokens::AccessClaims;
use crate::auth::{Authenticated, Principal, RequestMeta, secrets};
use crate::plumbing::error::ApiError;
use crate::plumbing::state::AppState;

/// A token pair, in the OAuth 2.0 token-response shape.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_token": "q5m0Vd3f…",
    "must_change_password": false
}))]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    #[schema(max_length = 4096)]
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(max_length = 16)]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Exchange at `POST /api/v1/auth/refresh` for a new pair; usable once.
    #[schema(max_length = 256)]
    pub refresh_token: String,
    /// True after logging in with a one-time password: only `POST /api/v1/auth/password` is
    /// allowed until the password is changed.
    pub must_change_password: bool,
}

/// Stores a new refresh token (in `family`, or a new session) and signs an access token.
/// Runs inside the caller's write transaction.
pub fn issue(
    conn: &mut AnyConnection,
    state: &AppState,
    account: &Account,
    family: Option<Uuid>,
    password_change_only: bool,
    now: DateTime<Utc>,
) -> Result<TokenResponse, DbError> {
    let settings = &state.settings;
    let family_id = family.unwrap_or_else(Uuid::now_v7);
    let refresh_token = secrets::random_token(32);
    let ttl_days = i64::try_from(settings.auth.refresh_token_ttl_days).unwrap_or(30);
    refresh_tokens::insert(
        conn,
        &NewRefreshToken {
            family_id,
            account_id: account.id,
            token_hash: &secrets::sha256_hex(&refresh_token),
            password_change_only,
            expires_at: now + chrono::Duration::days(ttl_days),
        },
        now,
    )?;
    let claims = AccessClaims::new(
        account.id,
        account.role,
        family_id,
        password_change_only,
        now,
        settings.auth.access_token_ttl_secs,
    );
    Ok(TokenResponse {
        access_token: claims.sign(&state.signing_key),
        token_type: "Bearer",
        expires_in: settings.auth.access_token_ttl_secs,
        refresh_token,
        must_change_password: password_change_only,
    })
}

/// Exchanges a refresh token for a new pair. A token already exchanged revokes its whole
/// session (someone else holds a copy); a deactivated account's session ends here.
pub async fn refresh(
    state: &AppState,
    refresh_token: &str,
    meta: RequestMeta,
) -> Result<TokenResponse, ApiError> {
    let hash = secrets::sha256_hex(refresh_token);
    let state_for_db = state.clone();
    let issued = state
        .writer
        .write(move |conn| {
            let now = Utc::now();
            match refresh_tokens::consume(conn, &hash, now)? {
                Presented::Invalid => Ok(None),
                Presented::Reused {
                    family_id,
                    account_id,
                } => {
                    let entry = meta.audit_as(
                        domain::audit::ActorKind::Anonymous,
                        None,
                        AuditAction::AuthRefreshTokenReused,
                        Some(family_id.to_string()),
                        Some(account_id),
                    );
                    audit::append(conn, entry, now)?;
                    Ok(None)
                }
                Presented::Valid {
                    family_id,
                    account_id,
                    password_change_only,
                } => {
                    let account = accounts::find(conn, account_id)?.filter(|a| a.active);
                    let Some(account) = account else {
                        refresh_tokens::revoke_family(conn, family_id, now)?;
                        return Ok(None);
                    };
                    let tokens = issue(
                        conn,
                        &state_for_db,
                        &account,
                        Some(family_id),
                        password_change_only,
                        now,
                    )?;
                    Ok::<_, ApiError>(Some(tokens))
                }
            }
        })
        .await?;
    issued.ok_or(ApiError::Unauthorized(
        "the refresh token is invalid, expired or revoked",
    ))
}

/// Ends the caller's session: its refresh token stops working at once, its access token at
/// expiry.
pub async fn logout(state: &AppState, caller: Authenticated) -> Result<(), ApiError> {
    let Principal::Account { id, session_id, .. } = caller.principal else {
        return Err(ApiError::Forbidden);
    };
    state
        .writer
        .write_audited(
            caller.audit(AuditAction::AuthLogout, None, None),
            move |conn, now| {
                refresh_tokens::revoke_family(conn, session_id, now)?;
                Ok(((), Touched::thing(session_id, Some(id))))
            },
        )
        .await
}
