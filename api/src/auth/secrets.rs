//! Random secrets handed out once (refresh tokens, one-time passwords, API keys) and the
//! hashes kept of them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// Prefix that makes an API key recognisable (in logs scanners, in a leaked paste).
pub const API_KEY_PREFIX: &str = "uk_";

/// `bytes` random bytes, URL-safe base64.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Whether `text` could be a token of ours: `lengths` characters of URL-safe base64. Checked
/// before a lookup, so nothing else (an SMS code, markup) reaches the database.
pub fn has_token_form(text: &str, lengths: std::ops::RangeInclusive<usize>) -> bool {
    lengths.contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// SHA-256, hex: how high-entropy secrets (tokens, keys) are stored. They need no slow hash:
/// 256 random bits cannot be guessed.
/// A fresh webhook signing secret in the Standard Webhooks form (`whsec_` and 32 random
/// bytes in base64).
pub fn webhook_secret() -> String {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    domain::webhook::secret_from(&key)
}

pub fn sha256_hex(secret: &str) -> String {
    sha256_hex_bytes(secret.as_bytes())
}

/// SHA-256, hex, of any bytes: also how a request body is fingerprinted.
pub fn sha256_hex_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A keyed hash of a login name, for throttling without storing the name tried.
pub fn login_name_hash(key: &[u8], login_name: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(login_name.trim().to_lowercase().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A new API key and its stored form (prefix for display, hash for lookup).
pub fn new_api_key() -> (String, String, String) {
    let key = format!("{API_KEY_PREFIX}{}", random_token(32));
    let prefix = key.chars().take(10).collect();
    let hash = sha256_hex(&key);
    (key, prefix, hash)
}

/// A one-time password a person can read out and type: 16 characters in four groups from an
/// alphabet without look-alikes (0/O, 1/I/L), 80 bits.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ#";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len() - 1)] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_time_passwords_are_readable_and_unique() {
        let a = one_time_password();
        assert_eq!(a.len(), 19, "{a}");
        assert!(
            a.chars()
                .all(|c| c == '-' || "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(c)),
            "{a}"
        );
        assert_ne!(a, one_time_password());
        assert!(
            a.chars().count() >= domain::NewPassword::MIN_CHARS,
            "long enough to log in with"
        );
    }

    #[test]
    fn api_keys_are_prefixed_and_stored_hashed() {
        let (key, prefix, hash) = new_api_key();
        assert!(key.starts_with(API_KEY_PREFIX));
        assert!(key.starts_with(&prefix));
        assert_eq!(hash, sha256_hex(&key));
        assert!(!hash.contains(&key[3..]));
    }

    #[test]
    fn login_name_hashes_ignore_case_and_depend_on_the_key() {
        assert_eq!(
            login_name_hash(b"k", "A@b.fi"),
            login_name_hash(b"k", " a@b.fi")
        );
        assert_ne!(
            login_name_hash(b"k", "a@b.fi"),
            login_name_hash(b"other", "a@b.fi")
        );
    }
}
