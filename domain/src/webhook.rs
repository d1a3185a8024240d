//! Standard Webhooks (standardwebhooks.com) signatures: `webhook-signature` holds one or more
//! space-separated `v1,<base64 HMAC-SHA256>` over `<webhook-id>.<webhook-timestamp>.<body>`,
//! keyed with the integration's `whsec_<base64>` secret. Verified on the raw body, before any
//! parsing, in constant time; several signatures (and, during a rotation, several secrets)
//! are tried, and the timestamp must be within five minutes of now.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far the sender's clock may be from ours, either way.
pub const TOLERANCE: TimeDelta = TimeDelta::minutes(5);

/// The prefix of a Standard Webhooks secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// Why a delivery is refused before its body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// `webhook-id` is missing, empty, too long or not printable ASCII.
    #[error("webhook-id must be 1 to 255 printable ASCII characters")]
    Id,
    /// `webhook-timestamp` is not whole seconds since 1970.
    #[error("webhook-timestamp must be whole seconds since 1970")]
    TimestampForm,
    /// `webhook-timestamp` is more than five minutes from now.
    #[error("webhook-timestamp is more than five minutes from the server's clock")]
    TimestampWindow,
    /// No `v1` signature matches any of the secrets.
    #[error("no signature matches")]
    Signature,
}

/// The HMAC key of `secret`: the bytes of the base64 after `whsec_`, or (for a secret made
/// before the Standard Webhooks form) the secret's own bytes.
pub fn key_of(secret: &str) -> Vec<u8> {
    secret
        .strip_prefix(SECRET_PREFIX)
        .and_then(|encoded| STANDARD.decode(encoded).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

/// A fresh secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64.
pub fn secret_from(random: &[u8; 32]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(random))
}

/// The signature header value for `body` (what a sender puts in `webhook-signature`).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let mac = mac_of(&key_of(secret), id, timestamp, body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

fn mac_of(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Checks a delivery's headers against `body` and the integration's `secrets`; answers the
/// sender's timestamp.
pub fn verify(
    secrets: &[String],
    (id, timestamp, signatures): (&str, &str, &str),
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, Refusal> {
    if id.is_empty() || id.len() > 255 || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Refusal::Id);
    }
    if timestamp.is_empty()
        || timestamp.len() > 12
        || !timestamp.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Refusal::TimestampForm);
    }
    let seconds: i64 = timestamp.parse().map_err(|_| Refusal::TimestampForm)?;
    let sent = DateTime::from_timestamp(seconds, 0).ok_or(Refusal::TimestampForm)?;
    if (now - sent).abs() > TOLERANCE {
        return Err(Refusal::TimestampWindow);
    }
    let candidates: Vec<Vec<u8>> = signatures
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|encoded| STANDARD.decode(encoded).ok())
        .collect();
    for secret in secrets {
        let mac = mac_of(&key_of(secret), id, seconds, body);
        // `verify_slice` compares in constant time.
        if candidates
            .iter()
            .any(|c| mac.clone().verify_slice(c).is_ok())
        {
            return Ok(sent);
        }
    }
    Err(Refusal::Signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the Standard Webhooks specification; the signature was computed with
    // Python's `hmac` module, not with this code.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    const SENT: i64 = 1_614_265_330;

    fn at(offset: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(SENT + offset, 0).unwrap()
    }

    #[test]
    fn the_specification_example_signs_and_verifies() {
        assert_eq!(sign(SECRET, ID, SENT, BODY), SIGNATURE);
        let headers = (ID, "1614265330", SIGNATURE);
        assert_eq!(
            verify(&[SECRET.to_owned()], headers, BODY, at(0)),
            Ok(at(0))
        );
    }

    #[test]
    fn any_of_several_signatures_and_secrets_verifies() {
        let old = "whsec_b2xkIHNlY3JldCBvZiB0aGUgaW50ZWdyYXRpb24=".to_owned();
        let header = format!("v1,AAAA v2,zzz {SIGNATURE}");
        let headers = (ID, "1614265330", header.as_str());
        assert!(verify(&[old.clone(), SECRET.to_owned()], headers, BODY, at(10)).is_ok());
        assert_eq!(
            verify(&[old], headers, BODY, at(10)),
            Err(Refusal::Signature)
        );
    }

    #[test]
    fn a_changed_body_id_or_timestamp_fails() {
        let secrets = [SECRET.to_owned()];
        let tampered = br#"{"test": 2432232315}"#;
        assert_eq!(
            verify(&secrets, (ID, "1614265330", SIGNATURE), tampered, at(0)),
            Err(Refusal::Signature)
        );
        assert_eq!(
            verify(
                &secrets,
                ("msg_other", "1614265330", SIGNATURE),
                BODY,
                at(0)
            ),
            Err(Refusal::Signature)
        );
        assert_eq!(
            verify(&secrets, (ID, "1614265331", SIGNATURE), BODY, at(0)),
            Err(Refusal::Signature)
        );
    }

    #[test]
    fn the_window_is_five_minutes_either_way() {
        let secrets = [SECRET.to_owned()];
        let headers = (ID, "1614265330", SIGNATURE);
        assert!(verify(&secrets, headers, BODY, at(300)).is_ok());
        assert!(verify(&secrets, headers, BODY, at(-300)).is_ok());
        assert_eq!(
            verify(&secrets, headers, BODY, at(301)),
            Err(Refusal::TimestampWindow)
        );
        assert_eq!(
            verify(&secrets, headers, BODY, at(-301)),
            Err(Refusal::TimestampWindow)
        );
        for bad in ["", "-1", "1.5", "16142653300000000", "１６"] {
            assert_eq!(
                verify(&secrets, (ID, bad, SIGNATURE), BODY, at(0)),
                Err(Refusal::TimestampForm),
                "{bad}"
            );
        }
        for bad in ["", "a b", "ä", &"x".repeat(256)] {
            assert_eq!(
                verify(&secrets, (bad, "1614265330", SIGNATURE), BODY, at(0)),
                Err(Refusal::Id)
            );
        }
    }
}
