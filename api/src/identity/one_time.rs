//! One-time passwords: made and hashed before the transaction (hashing is slow), installed
//! inside it (replacing the password and ending every session), shown once.

use chrono::{DateTime, Utc};
use persistence::{AnyConnection, DbError, accounts, refresh_tokens, sql_types::DbTime};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{passwords, secrets};
use crate::plumbing::error::ApiError;
use crate::settings::Settings;

/// A freshly issued one-time password: shown once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct OneTimePassword {
    #[schema(example = "7KQ4-M2XP-9TWD-HC3R")]
    #[schema(max_length = 64)]
    pub one_time_password: String,
    pub expires_at: DateTime<Utc>,
}

/// A one-time password and its hash, ready to install.
pub struct Prepared {
    password: String,
    hash: String,
    ttl: chrono::Duration,
}

fn ttl(settings: &Settings) -> chrono::Duration {
    chrono::Duration::hours(i64::try_from(settings.auth.one_time_password_ttl_hours).unwrap_or(72))
}

impl Prepared {
    /// Makes and hashes a password on the blocking pool.
    pub async fn new(settings: &Settings) -> Result<Self, ApiError> {
        let password = secrets::one_time_password();
        let hash = passwords::hash(password.clone()).await?;
        Ok(Self {
            password,
            hash,
            ttl: ttl(settings),
        })
    }

    /// The same, for the command line and start-up (no async runtime needed).
    pub fn new_blocking(settings: &Settings) -> anyhow::Result<Self> {
        let password = secrets::one_time_password();
        let hash = passwords::hash_blocking(&password)?;
        Ok(Self {
            password,
            hash,
            ttl: ttl(settings),
        })
    }

    /// Replaces the account's password and ends its sessions, inside the caller's write
    /// transaction. Returns when the password expires.
    pub fn install(
        &self,
        conn: &mut AnyConnection,
        account_id: uuid::Uuid,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, DbError> {
        let expires_at = DbTime::new(now + self.ttl).get();
        accounts::set_password(conn, account_id, &self.hash, Some(expires_at), now)?;
        refresh_tokens::revoke_account(conn, account_id, None, now)?;
        Ok(expires_at)
    }

    /// What the response shows, once.
    pub fn shown(self, expires_at: DateTime<Utc>) -> OneTimePassword {
        OneTimePassword {
            one_time_password: self.password,
            expires_at,
        }
    }

    pub fn password(&self) -> &str {
        &self.password
    }
}
