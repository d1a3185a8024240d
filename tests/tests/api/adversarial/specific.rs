//! Attacks that need an endpoint's meaning: Unicode forms and disguised names, the same
//! request many times at once, the refusals of middleware, and a mail scanner opening links.

use actix_web::http::Method;
use domain::Role;
use serde_json::json;
use tests::{TestApp, on_both_backends, token_in};

use super::refusal_flaws;

/// A name stored decomposed is found by the composed query and the other way round: the server
/// composes (NFC) whatever the client sent, when storing and when searching.
async fn a_name_is_found_whatever_unicode_form_was_sent(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let decomposed = "A\u{308}ija\u{308}la\u{308}";
    let created = app
        .post_json(
            "/api/v1/customers",
            Some(&office),
            &json!({"first_name": "Mai\u{308}", "last_name": decomposed, "phone": "040 111 0000"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.json()["last_name"], "Äijälä", "stored composed");
    app.post_json(
        "/api/v1/customers",
        Some(&office),
        &json!({"first_name": "Åsa", "last_name": "Öhman", "phone": "040 111 0001"}),
    )
    .await;
    for (query, expected) in [
        ("%C3%84ij%C3%A4l%C3%A4", "Äijälä"), // composed Äijälä
        ("A%CC%88ija%CC%88", "Äijälä"),      // decomposed prefix
        ("O%CC%88hman", "Öhman"),            // decomposed query, composed name
        ("A%CC%8Asa", "Öhman"),              // decomposed Å
    ] {
        let found = app
            .get_as(&format!("/api/v1/customers?q={query}"), &office)
            .await
            .json();
        let names: Vec<&str> = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["last_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, [expected], "q={query}");
    }
}

/// Names that would display as something else are refused wherever a name is taken.
async fn disguised_names_are_refused_everywhere(app: TestApp) {
    let admin = app.admin_session().await.access_token;
    for disguise in [
        "Maija\u{202e}nenialäkieM",
        "Ma\u{200b}ija",
        "\u{2066}Maija",
        "Mai\u{feff}ja",
        "Mai\u{85}ja",
    ] {
        let attempts = [
            (
                "/api/v1/customers",
                json!({"first_name": disguise, "last_name": "Virtanen", "phone": "040 111 2233"}),
                "first_name",
            ),
            (
                "/api/v1/staff",
                json!({"email": "naamio@uniikkiaani.fi", "display_name": disguise, "role": "teacher"}),
                "display_name",
            ),
            (
                "/api/v1/uniikkilista/subscriptions",
                json!({"name": disguise, "age": 30, "email": "naamio@example.fi",
                "channels": ["email"], "topics": ["cancellation_slots"], "privacy_notice_version": "2026-11-25"}),
                "name",
            ),
        ];
        for (path, body, field) in attempts {
            let reply = app.post_json(path, Some(&admin), &body).await;
            if let Some(flaw) = refusal_flaws(&reply, 422) {
                panic!("{path} {disguise:?}: {flaw}");
            }
            assert!(
                reply.json()["errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["field"] == field),
                "{path}: {}",
                reply.text()
            );
        }
    }
}

/// The same creation 50 times at once with one `Idempotency-Key`: one customer, and every
/// answer either that customer or "still being handled".
async fn the_same_keyed_request_fifty_times_at_once_creates_one(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let body = json!({"first_name": "Moni", "last_name": "Kertainen", "email": "moni@example.fi"});
    let requests = (0..50).map(|_| {
        let request = app
            .authed(Method::POST, "/api/v1/customers", &office)
            .insert_header(("content-type", "application/json"))
            .insert_header(("idempotency-key", "yksi-ja-sama"));
        TestApp::send(request, Some(body.to_string().into_bytes()))
    });
    let replies = futures_util::future::join_all(requests).await;
    let mut ids = std::collections::BTreeSet::new();
    for reply in &replies {
        match reply.status.as_u16() {
            201 => {
                ids.insert(reply.json()["id"].as_str().unwrap().to_owned());
            }
            409 => {
                if let Some(flaw) = refusal_flaws(reply, 409) {
                    panic!("{flaw}");
                }
            }
            other => panic!("{other}: {}", reply.text()),
        }
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    let found = app
        .get_as("/api/v1/customers?q=moni@example.fi", &office)
        .await
        .json();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
}

/// Refusals made by middleware, before any handler, look like every other answer.
async fn middleware_refusals_carry_the_security_headers(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let keyed = |key: &'static str, body: serde_json::Value| {
        let request = app
            .authed(Method::POST, "/api/v1/customers", &office)
            .insert_header(("content-type", "application/json"))
            .insert_header(("idempotency-key", key));
        TestApp::send(request, Some(body.to_string().into_bytes()))
    };
    let bad_key = keyed("ei kelpaa", json!({})).await;
    if let Some(flaw) = refusal_flaws(&bad_key, 400) {
        panic!("malformed key: {flaw}");
    }
    let first = keyed(
        "avain-1",
        json!({"first_name": "A", "last_name": "B", "phone": "040 222 3344"}),
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.text());
    let reused = keyed(
        "avain-1",
        json!({"first_name": "C", "last_name": "D", "phone": "040 222 3345"}),
    )
    .await;
    if let Some(flaw) = refusal_flaws(&reused, 422) {
        panic!("reused key: {flaw}");
    }
    let control = app.get_as("/api/v1/customers?q=%00", &office).await;
    if let Some(flaw) = refusal_flaws(&control, 400) {
        panic!("control character: {flaw}");
    }
}

/// A mail scanner follows every link in a message with GET: nothing changes.
async fn a_mail_scanner_opening_links_changes_nothing(app: TestApp) {
    let signup = json!({"name": "Skannattu", "age": 30, "email": "skanneri@example.fi",
        "channels": ["email"], "topics": ["cancellation_slots"], "privacy_notice_version": "2026-11-25"});
    let reply = app
        .post_json("/api/v1/uniikkilista/subscriptions", None, &signup)
        .await;
    assert_eq!(reply.status, 202);
    let body: (String, Option<String>) = {
        use diesel::prelude::*;
        use persistence::schema::messages as m;
        m::table
            .filter(m::recipient.eq("skanneri@example.fi"))
            .select((m::body, m::unsubscribe_url))
            .first(&mut *app.pool.get().unwrap())
            .unwrap()
    };
    let before = crate::erasure::dump(&app);
    let links: Vec<String> = body
        .0
        .split_whitespace()
        .filter(|w| w.starts_with("http"))
        .map(str::to_owned)
        .chain(body.1)
        .collect();
    assert!(
        links.len() >= 2,
        "a confirmation link and an unsubscribe link: {links:?}"
    );
    for link in &links {
        let path = link.split_once("://").unwrap().1;
        let path = &path[path.find('/').unwrap()..];
        let reply = TestApp::send(app.request(Method::GET, path), None).await;
        assert!(
            !reply.status.is_success()
                || reply
                    .header("content-type")
                    .is_some_and(|t| t.starts_with("text/html")),
            "{path}: {}",
            reply.status
        );
    }
    assert!(
        before == crate::erasure::dump(&app),
        "a GET of a link changed the register"
    );
    // The link still works when a person uses it.
    let token = token_in(&body.0);
    let confirmed = app
        .post_json(
            "/api/v1/uniikkilista/confirm",
            None,
            &json!({"token": token}),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text());
}

on_both_backends!(
    a_name_is_found_whatever_unicode_form_was_sent,
    disguised_names_are_refused_everywhere,
    the_same_keyed_request_fifty_times_at_once_creates_one,
    middleware_refusals_carry_the_security_headers,
    a_mail_scanner_opening_links_changes_nothing,
);
