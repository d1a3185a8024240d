//! Access tokens: short-lived HS256 JWTs. One fixed algorithm, key from settings, every
//! registered claim checked.

use chrono::{DateTime, Utc};
use domain::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::signing_key::SigningKey;

pub const ISSUER: &str = "uniikki";
pub const AUDIENCE: &str = "uniikki-api";
/// Clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY_SECS: u64 = 10;

/// What an access token says. `sid` names the login session (refresh-token family) so logout
/// and password changes can end it; `pcr` marks a session that may only change the password.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub role: Role,
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: Uuid,
    #[serde(default)]
    pub pcr: bool,
}

impl AccessClaims {
    pub fn new(
        account_id: Uuid,
        role: Role,
        session_id: Uuid,
        password_change_required: bool,
        now: DateTime<Utc>,
        ttl_secs: u64,
    ) -> Self {
        Self {
            sub: account_id,
            role,
            sid: session_id,
            iat: now.timestamp(),
            exp: now.timestamp() + i64::try_from(ttl_secs).unwrap_or(i64::MAX / 2),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            jti: Uuid::now_v7(),
            pcr: password_change_required,
        }
    }

    pub fn sign(&self, key: &SigningKey) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            self,
            &EncodingKey::from_secret(key.bytes()),
        )
        .expect("HS256 signing of plain claims cannot fail")
    }
}

/// Checks signature (HS256 only: `none` and every other algorithm are refused), `exp`, `nbf`,
/// `iss` and `aud`, that the required claims are present, and that the token was not issued in
/// the future (`iat` beyond the clock skew: no token we sign says so).
pub fn verify(
    key: &SigningKey,
    token: &str,
    now: DateTime<Utc>,
) -> Result<AccessClaims, jsonwebtoken::errors::Error> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[AUDIENCE]);
    validation.set_issuer(&[ISSUER]);
    validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
    validation.leeway = LEEWAY_SECS;
    validation.validate_nbf = true;
    let claims = jsonwebtoken::decode::<AccessClaims>(
        token,
        &DecodingKey::from_secret(key.bytes()),
        &validation,
    )?
    .claims;
    let leeway = i64::try_from(LEEWAY_SECS).unwrap_or(0);
    if claims.iat > now.timestamp() + leeway {
        return Err(jsonwebtoken::errors::ErrorKind::ImmatureSignature.into());
    }
    Ok(claims)
}
