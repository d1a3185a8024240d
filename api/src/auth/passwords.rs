//! Password hashing: argon2id with the OWASP parameters, always on the blocking pool.

use std::sync::LazyLock;

use actix_web::web;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::ApiError;

/// argon2id, 19 MiB, 2 iterations, 1 lane: the OWASP Password Storage minimum.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Compared against when the account is unknown, so that an unknown email costs the same
/// verification time as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now("a password nobody has").expect("hashing a constant works"));

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with a fresh random salt.
fn hash_now(password: &str) -> anyhow::Result<String> {
    let hash = argon2()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(hash.to_string())
}

fn verify_now(phc: Option<&str>, password: &str) -> bool {
    let (phc, real) = match phc {
        Some(phc) => (phc, true),
        None => (DUMMY_HASH.as_str(), false),
    };
    let matches = PasswordHash::new(phc).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    });
    real && matches
}

/// Hashes on the blocking pool: argon2 takes tens of milliseconds of CPU by design.
pub async fn hash(password: String) -> Result<String, ApiError> {
    web::block(move || hash_now(&password))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
        .map_err(ApiError::Internal)
}

/// Verifies on the blocking pool. With no stored hash it still spends one verification and
/// answers `false`.
pub async fn verify(phc: Option<String>, password: String) -> Result<bool, ApiError> {
    web::block(move || verify_now(phc.as_deref(), &password))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}")))
}

/// Hashes synchronously, for the command line (no async runtime there).
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    hash_now(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_argon2id_at_owasp_strength_and_verifies() {
        let phc = hash_now("laulan aina aamulla").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_now(Some(&phc), "laulan aina aamulla"));
        assert!(!verify_now(Some(&phc), "laulan aina illalla"));
        assert_ne!(phc, hash_now("laulan aina aamulla").unwrap(), "salted");
    }

    #[test]
    fn no_stored_hash_never_verifies() {
        assert!(!verify_now(None, "a password nobody has"));
        assert!(!verify_now(Some("not a phc string"), "x"));
    }
}
