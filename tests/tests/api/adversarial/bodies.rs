//! Every operation that takes a JSON body, attacked through it.

use actix_web::http::Method;
use serde_json::Value;
use tests::{TestApp, on_both_backends};

use super::contract::{self, Operation};
use super::refusal_flaws;

/// JSON documents that are well-formed but not an object: serde's derived structs read an
/// array by position (`["email", "password"]` once logged in).
const NOT_OBJECTS: [&str; 7] = [
    "[]",
    r#"["admin@uniikkiaani.fi", "a password"]"#,
    "[null]",
    r#""text""#,
    "42",
    "true",
    "null",
];

async fn send(
    app: &TestApp,
    op: &Operation,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> tests::Reply {
    let request = app
        .authed(op.method.clone(), &op.path, token)
        .insert_header(("content-type", content_type.to_owned()));
    TestApp::send(request, Some(body)).await
}

/// The operations with a JSON body that is read as such. The webhook receiver checks the
/// signature over the raw body before reading it, so an unsigned body is refused for its
/// missing signature, never for its shape (`calendar::webhooks` attacks it signed and not).
fn with_body(operations: Vec<Operation>) -> Vec<Operation> {
    let with: Vec<Operation> = operations
        .into_iter()
        .filter(|op| op.body.is_some() && !op.template.ends_with("/webhooks"))
        .collect();
    assert!(
        with.len() >= 15,
        "the contract lists the operations that take a body"
    );
    with
}

/// Each body is refused as the class demands — 422 naming the field, 413, 415 — with a problem
/// carrying the security headers, and the database is the same afterwards, byte for byte.
async fn every_body_attack_is_refused_and_changes_nothing(app: TestApp) {
    let token = app.admin_session().await.access_token;
    let doc = contract::document();
    let before = crate::erasure::dump(&app);
    let limit = app.settings.http.max_body_bytes;
    let mut failures = Vec::new();
    for op in with_body(contract::operations()) {
        for raw in NOT_OBJECTS {
            let reply = send(
                &app,
                &op,
                &token,
                "application/json",
                raw.as_bytes().to_vec(),
            )
            .await;
            if let Some(flaw) = refusal_flaws(&reply, 422) {
                failures.push(format!("{op} with {raw}: {flaw}"));
            } else if reply.error_fields() != ["body"] {
                failures.push(format!(
                    "{op} with {raw}: fields {:?}",
                    reply.error_fields()
                ));
            }
        }
        let schema = op.body.as_ref().expect("a body");
        let fields = contract::string_fields(&doc, schema);
        if fields.is_empty()
            && schema["properties"]
                .as_object()
                .is_some_and(|p| !p.is_empty())
        {
            failures.push(format!("{op}: no string field found to attack"));
        }
        for (field, body) in fields {
            for control in ["\u{0}", "\u{1b}", "\u{7f}"] {
                // The control character as JSON writes it (escaped, or raw for DEL).
                let written = Value::from(control).to_string();
                let text = body
                    .to_string()
                    .replace("\\u0000", written.trim_matches('"'));
                let reply = send(&app, &op, &token, "application/json", text.into_bytes()).await;
                let named = reply.json()["errors"].as_array().is_some_and(|errors| {
                    errors
                        .iter()
                        .any(|e| e["field"] == field.as_str() && e["code"] == "invalid_characters")
                });
                match refusal_flaws(&reply, 422) {
                    Some(flaw) => failures.push(format!("{op} {field} with {control:?}: {flaw}")),
                    None if !named => {
                        failures.push(format!("{op} {field} with {control:?}: {}", reply.text()))
                    }
                    None => {}
                }
            }
        }
        let oversized = format!(r#"{{"x": "{}"}}"#, "a".repeat(limit + 1)).into_bytes();
        let reply = send(&app, &op, &token, "application/json", oversized).await;
        if let Some(flaw) = refusal_flaws(&reply, 413) {
            failures.push(format!("{op} oversized: {flaw}"));
        }
        let reply = send(&app, &op, &token, "text/plain", b"{}".to_vec()).await;
        if let Some(flaw) = refusal_flaws(&reply, 415) {
            failures.push(format!("{op} as text/plain: {flaw}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        before == crate::erasure::dump(&app),
        "a refused request changed the database"
    );
}

/// The same attacks by someone without credentials: refused before anything is read, the same
/// way (401 for protected operations, the attack's own refusal for public ones), never a 2xx.
async fn anonymous_attacks_are_refused_too(app: TestApp) {
    let before = crate::erasure::dump(&app);
    let mut failures = Vec::new();
    for op in with_body(contract::operations()) {
        for raw in NOT_OBJECTS {
            let request = app
                .request(op.method.clone(), &op.path)
                .insert_header(("content-type", "application/json"));
            let reply = TestApp::send(request, Some(raw.as_bytes().to_vec())).await;
            let expected = if op.public { 422 } else { 401 };
            if let Some(flaw) = refusal_flaws(&reply, expected) {
                failures.push(format!("{op} with {raw}: {flaw}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        before == crate::erasure::dump(&app),
        "a refused request changed the database"
    );
}

on_both_backends!(
    every_body_attack_is_refused_and_changes_nothing,
    anonymous_attacks_are_refused_too,
);

#[test]
fn the_attacked_methods_are_the_writing_ones() {
    for op in with_body(contract::operations()) {
        assert!(
            [Method::POST, Method::PUT, Method::PATCH].contains(&op.method),
            "{op} takes a body"
        );
    }
}
