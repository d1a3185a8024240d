//! Forged and broken access tokens are all refused with 401 and `WWW-Authenticate`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use tests::{TestApp, on_both_backends};

fn key_of(app: &TestApp) -> Vec<u8> {
    std::fs::read(app.data_dir().join("signing-key")).expect("the generated signing key")
}

fn sign(claims: &Value, key: &[u8], alg: Algorithm) -> String {
    jsonwebtoken::encode(&Header::new(alg), claims, &EncodingKey::from_secret(key)).unwrap()
}

/// The token with its header's `alg` replaced and its signature kept: a verifier that trusted the
/// header could be steered to another algorithm with the same key material.
fn relabelled(token: &str, alg: &str) -> String {
    let (_, rest) = token.split_once('.').unwrap();
    let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
    format!("{header}.{rest}")
}

fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.")
}

async fn every_forged_or_broken_token_is_401(app: TestApp) {
    let session = app.session_as(Role::Admin).await;
    let valid = session.access_token.clone();
    let payload = valid.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let key = key_of(&app);
    let now = chrono::Utc::now().timestamp();
    let with = |field: &str, value: Value| {
        let mut c = claims.clone();
        c[field] = value;
        c
    };
    let without = |field: &str| {
        let mut c = claims.clone();
        c.as_object_mut().unwrap().remove(field);
        c
    };
    let leeway = i64::try_from(api::auth::tokens::LEEWAY_SECS).unwrap();
    let within_leeway = sign(
        &with("exp", json!(now - leeway + 5)),
        &key,
        Algorithm::HS256,
    );
    assert_eq!(
        app.get_as("/api/v1/auth/me", &within_leeway).await.status,
        200,
        "a token expired by less than the leeway still works, so the cases below test the edge"
    );
    let mut flipped = valid.clone().into_bytes();
    let last = flipped.len() - 2;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };

    let cases: Vec<(&str, String)> = vec![
        ("alg none", unsigned(&claims)),
        ("another algorithm", sign(&claims, &key, Algorithm::HS512)),
        (
            "wrong key",
            sign(
                &claims,
                b"another key that is long enough to be a key",
                Algorithm::HS256,
            ),
        ),
        ("one flipped byte", String::from_utf8(flipped).unwrap()),
        (
            "algorithm confusion (RS256 header)",
            relabelled(&valid, "RS256"),
        ),
        (
            "expired just past the leeway",
            sign(
                &with("exp", json!(now - leeway - 2)),
                &key,
                Algorithm::HS256,
            ),
        ),
        (
            "not valid until just past the leeway",
            sign(
                &with("nbf", json!(now + leeway + 2)),
                &key,
                Algorithm::HS256,
            ),
        ),
        (
            "wrong audience",
            sign(&with("aud", json!("someone-else")), &key, Algorithm::HS256),
        ),
        (
            "wrong issuer",
            sign(&with("iss", json!("evil")), &key, Algorithm::HS256),
        ),
        ("no exp", sign(&without("exp"), &key, Algorithm::HS256)),
        (
            "issued a day in the future",
            sign(&with("iat", json!(now + 86_400)), &key, Algorithm::HS256),
        ),
        (
            "a session that never existed",
            sign(
                &with("sid", json!(uuid::Uuid::now_v7())),
                &key,
                Algorithm::HS256,
            ),
        ),
        ("a refresh token", session.refresh_token.clone()),
        ("garbage", "not-a-token".to_owned()),
    ];
    assert_eq!(
        app.get_as("/api/v1/auth/me", &valid).await.status,
        200,
        "the valid token works"
    );
    for (case, token) in cases {
        let reply = app.get_as("/api/v1/auth/me", &token).await;
        assert_eq!(reply.status, 401, "{case}: {}", reply.text());
        assert!(reply.header("www-authenticate").is_some(), "{case}");
        reply.problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    }
}

async fn missing_or_non_bearer_credentials_are_401(app: TestApp) {
    app.get("/api/v1/auth/me")
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    let basic = app
        .request(actix_web::http::Method::GET, "/api/v1/auth/me")
        .insert_header(("authorization", "Basic YWRtaW46YWRtaW4="));
    TestApp::send(basic, None)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
}

on_both_backends!(
    every_forged_or_broken_token_is_401,
    missing_or_non_bearer_credentials_are_401
);
