//! HTTP semantics on every GET: HEAD, and If-None-Match answered with 304.

use actix_web::http::Method;
use domain::Role;
use serde_json::json;
use tests::{TestApp, on_both_backends};

async fn if_none_match_with_the_current_etag_is_304_and_a_change_is_200(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let (customer, _) = app
        .customer_with_login(&office, "ehdollinen@example.fi", json!({}))
        .await;
    let path = format!("/api/v1/customers/{customer}");
    let first = app.get_as(&path, &office).await;
    assert_eq!(first.status, 200);
    let etag = first
        .header("etag")
        .expect("a single resource has an ETag")
        .to_owned();

    let conditional = |tag: String| {
        app.authed(Method::GET, &path, &office)
            .insert_header(("If-None-Match", tag))
    };
    let unchanged = TestApp::send(conditional(etag.clone()), None).await;
    assert_eq!(unchanged.status, 304);
    assert_eq!(unchanged.header("etag"), Some(etag.as_str()));
    assert!(unchanged.body.is_empty());
    assert_eq!(unchanged.header("x-content-type-options"), Some("nosniff"));
    let listed = TestApp::send(conditional(format!("\"0\", W/{etag}")), None).await;
    assert_eq!(listed.status, 304, "a list naming the ETag, weakly");
    // Bytes beyond ASCII, and a tab (which HTTP lets through): not the contract's form.
    for bytes in [&b"\xc2\x84"[..], &b"\"3\"\t\"4\""[..]] {
        let garbled = app.authed(Method::GET, &path, &office).insert_header((
            "If-None-Match",
            actix_web::http::header::HeaderValue::from_bytes(bytes).unwrap(),
        ));
        let garbled = TestApp::send(garbled, None).await;
        let problem = garbled.problem(400, "https://api.uniikkiaani.fi/problems/invalid-parameter");
        assert_eq!(problem["errors"][0]["field"], "If-None-Match");
    }
    let other = TestApp::send(conditional("\"0\"".to_owned()), None).await;
    assert_eq!(other.status, 200);
    assert_eq!(other.json(), first.json());

    let change = app
        .authed(Method::PATCH, &path, &office)
        .insert_header(("If-Match", etag.clone()));
    let body = serde_json::to_vec(&json!({"first_name": "Muutettu"})).unwrap();
    let changed = TestApp::send(change.content_type("application/json"), Some(body)).await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    let after = TestApp::send(conditional(etag.clone()), None).await;
    assert_eq!(after.status, 200, "the old ETag no longer matches");
    assert_eq!(after.json()["first_name"], "Muutettu");
}

async fn head_answers_like_get_without_a_body(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let (customer, _) = app
        .customer_with_login(&office, "paa@example.fi", json!({}))
        .await;
    let path = format!("/api/v1/customers/{customer}");
    let get = app.get_as(&path, &office).await;
    let head = TestApp::send(app.authed(Method::HEAD, &path, &office), None).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(head.header("content-type"), get.header("content-type"));

    let health = TestApp::send(app.request(Method::HEAD, "/healthz"), None).await;
    assert_eq!(health.status, 200);
    let anonymous = TestApp::send(app.request(Method::HEAD, &path), None).await;
    assert_eq!(
        anonymous.status, 401,
        "HEAD asks for the same rights as GET"
    );
    let post_only = TestApp::send(app.request(Method::HEAD, "/api/v1/auth/login"), None).await;
    assert_eq!(post_only.status, 405);
}

async fn a_change_without_if_match_is_428_and_changes_nothing(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let (customer, token) = app
        .customer_with_login(&office, "ilman@example.fi", json!({}))
        .await;
    let body = serde_json::to_vec(&json!({"first_name": "Vaihdettu"})).unwrap();
    for (path, caller) in [
        (format!("/api/v1/customers/{customer}"), &office),
        ("/api/v1/me".to_owned(), &token),
    ] {
        let blind = app
            .authed(Method::PATCH, &path, caller)
            .content_type("application/json");
        TestApp::send(blind, Some(body.clone())).await.problem(
            428,
            "https://api.uniikkiaani.fi/problems/precondition-required",
        );
    }
    let now = app
        .get_as(&format!("/api/v1/customers/{customer}"), &office)
        .await
        .json();
    assert_eq!(
        (now["first_name"].as_str(), now["version"].as_i64()),
        (Some("Testi"), Some(1))
    );
    let any = app
        .patch_json(
            &format!("/api/v1/customers/{customer}"),
            Some(&office),
            &json!({"first_name": "Vaihdettu"}),
        )
        .await;
    assert_eq!(any.status, 200, "`If-Match: *` changes whatever is current");
}

on_both_backends!(
    a_change_without_if_match_is_428_and_changes_nothing,
    if_none_match_with_the_current_etag_is_304_and_a_change_is_200,
    head_answers_like_get_without_a_body,
);
