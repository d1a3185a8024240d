use actix_web::http::Method;
use chrono::{Duration, Utc};
use domain::Role;
use persistence::idempotency::{self, Claim, KeyedRequest, StoredResponse};
use serde_json::{Value, json};
use tests::{Reply, TestApp, on_both_backends};

const KEY: &str = "0f8c1b9e-6d1c-4a7e-9b1e-4b8f3d2a9c11";

async fn create_with_key(app: &TestApp, token: &str, key: &str, body: &Value) -> Reply {
    let request = app
        .authed(Method::POST, "/api/v1/customers", token)
        .insert_header(("content-type", "application/json"))
        .insert_header(("idempotency-key", key));
    TestApp::send(request, Some(body.to_string().into_bytes())).await
}

/// How many customers a search for `q` finds.
async fn count(app: &TestApp, token: &str, q: &str) -> usize {
    let reply = app.get_as(&format!("/api/v1/customers?q={q}"), token).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["items"].as_array().unwrap().len()
}

async fn a_retried_create_gets_the_first_answer_and_creates_nothing_more(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let body =
        json!({"first_name": "Toisto", "last_name": "Kertaalleen", "email": "toisto@example.fi"});
    let first = create_with_key(&app, &office.access_token, KEY, &body).await;
    assert_eq!(first.status, 201, "{}", first.text());
    assert_eq!(first.header("idempotent-replayed"), None);

    let again = create_with_key(&app, &office.access_token, KEY, &body).await;
    assert_eq!(again.status, 201, "{}", again.text());
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, first.body);
    for header in ["location", "etag", "content-type"] {
        assert_eq!(again.header(header), first.header(header), "{header}");
    }
    assert_eq!(count(&app, &office.access_token, "kertaalleen").await, 1);

    let reordered = r#"{ "email": "toisto@example.fi",
        "last_name": "Kertaalleen", "first_name": "Toisto" }"#;
    let request = app
        .authed(Method::POST, "/api/v1/customers", &office.access_token)
        .insert_header(("content-type", "application/json"))
        .insert_header(("idempotency-key", KEY));
    let same_json = TestApp::send(request, Some(reordered.as_bytes().to_vec())).await;
    assert_eq!(
        same_json.header("idempotent-replayed"),
        Some("true"),
        "the same JSON, serialised otherwise, is the same request: {}",
        same_json.text()
    );

    let without_key = app
        .post_json("/api/v1/customers", Some(&office.access_token), &body)
        .await;
    without_key.problem(409, "https://api.uniikkiaani.fi/problems/conflict");
}

async fn the_same_key_with_another_request_is_422_and_changes_nothing(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let body = json!({"first_name": "Ensi", "last_name": "Avaimella", "phone": "040 100 0001"});
    assert_eq!(
        create_with_key(&app, &office.access_token, KEY, &body)
            .await
            .status,
        201
    );
    let other = json!({"first_name": "Toinen", "last_name": "Avaimella", "phone": "040 100 0002"});
    let reply = create_with_key(&app, &office.access_token, KEY, &other).await;
    let problem = reply.problem(
        422,
        "https://api.uniikkiaani.fi/problems/idempotency-key-reused",
    );
    assert!(problem["detail"].as_str().unwrap().contains("new key"));
    assert_eq!(count(&app, &office.access_token, "avaimella").await, 1);

    let staff = app
        .authed(
            Method::POST,
            "/api/v1/staff",
            &app.admin_session().await.access_token,
        )
        .insert_header(("content-type", "application/json"))
        .insert_header(("idempotency-key", KEY));
    let reply = TestApp::send(
        staff,
        Some(
            json!({"email": "uusi.opettaja@example.fi", "display_name": "Uusi Opettaja", "role": "teacher"})
                .to_string()
                .into_bytes(),
        ),
    )
    .await;
    assert_eq!(
        reply.status,
        201,
        "another caller's key is its own: {}",
        reply.text()
    );
}

async fn a_failed_request_frees_its_key(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let invalid = json!({"first_name": "Vain"});
    let reply = create_with_key(&app, &office.access_token, KEY, &invalid).await;
    reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let valid = json!({"first_name": "Vain", "last_name": "Korjattu", "phone": "040 100 0003"});
    let reply = create_with_key(&app, &office.access_token, KEY, &valid).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.header("idempotent-replayed"), None);
}

async fn a_malformed_key_is_400_and_changes_nothing(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let body = json!({"first_name": "Liian", "last_name": "Pitkäavain", "phone": "040 100 0004"});
    for key in ["x".repeat(256), "kaksi sanaa".to_owned()] {
        let reply = create_with_key(&app, &office.access_token, &key, &body).await;
        let problem = reply.problem(400, "https://api.uniikkiaani.fi/problems/invalid-parameter");
        assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    }
    assert_eq!(count(&app, &office.access_token, "liian").await, 0);
}

async fn unauthenticated_requests_with_a_key_are_refused_as_without_one(app: TestApp) {
    let request = app
        .request(Method::POST, "/api/v1/customers")
        .insert_header(("content-type", "application/json"))
        .insert_header(("idempotency-key", KEY));
    let body = json!({"first_name": "Ei", "last_name": "Kirjautunut"});
    TestApp::send(request, Some(body.to_string().into_bytes()))
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
}

fn keyed(fingerprint: &str) -> KeyedRequest {
    KeyedRequest {
        principal: "account:test".to_owned(),
        key: KEY.to_owned(),
        method: "POST".to_owned(),
        path: "/api/v1/customers".to_owned(),
        fingerprint: fingerprint.to_owned(),
    }
}

/// The states a key goes through, which the HTTP tests cannot time: in flight, answered,
/// abandoned by a stopped server, expired and purged.
async fn a_key_is_in_flight_then_answered_and_expires(app: TestApp) {
    let mut conn = app.pool.get().unwrap();
    let (kept, abandoned) = (Duration::hours(24), Duration::minutes(5));
    let now = Utc::now();
    let claim = |conn: &mut persistence::AnyConnection, fingerprint, at| {
        idempotency::claim(conn, &keyed(fingerprint), at, kept, abandoned).unwrap()
    };
    assert_eq!(claim(&mut conn, "a", now), Claim::Acquired);
    assert_eq!(claim(&mut conn, "a", now), Claim::InFlight);
    assert_eq!(claim(&mut conn, "b", now), Claim::Mismatch);
    let later = now + Duration::minutes(6);
    assert_eq!(
        claim(&mut conn, "a", later),
        Claim::Acquired,
        "an unanswered key is taken over once abandoned"
    );

    let answer = StoredResponse {
        status: 201,
        headers: vec![("location".to_owned(), "/api/v1/customers/1".to_owned())],
        body: "{}".to_owned(),
    };
    idempotency::complete(&mut conn, "account:test", KEY, &answer).unwrap();
    let much_later = later + Duration::hours(23);
    assert_eq!(
        claim(&mut conn, "a", much_later),
        Claim::Answered(answer),
        "an answer is never abandoned"
    );
    let expired = later + Duration::hours(25);
    assert_eq!(
        idempotency::purge_expired(&mut conn, much_later, true).unwrap(),
        0
    );
    assert_eq!(
        idempotency::purge_expired(&mut conn, expired, true).unwrap(),
        1
    );
    assert_eq!(
        idempotency::purge_expired(&mut conn, expired, false).unwrap(),
        1
    );
    assert_eq!(
        claim(&mut conn, "b", expired),
        Claim::Acquired,
        "an expired key is free"
    );
}

/// The creating POSTs declare the key (the declaration is what makes the middleware honour
/// it), with the limits the middleware checks; nothing that answers a secret declares it.
#[test]
fn the_contract_lists_the_key_on_exactly_the_idempotent_posts() {
    use api::plumbing::middleware::idempotency::{KEY_PATTERN, MAX_KEY_LENGTH};
    let document = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let mut keyed = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let parameters = operation["parameters"].as_array().cloned();
            let key = parameters
                .unwrap_or_default()
                .into_iter()
                .find(|p| p["name"] == "Idempotency-Key" && p["in"] == "header");
            if let Some(key) = key {
                assert_eq!(key["required"], false, "{path}");
                assert_eq!(key["schema"]["pattern"], KEY_PATTERN, "{path}");
                assert_eq!(key["schema"]["maxLength"], MAX_KEY_LENGTH, "{path}");
                keyed.push(format!("{method} {path}"));
            }
        }
    }
    assert_eq!(
        keyed,
        [
            "post /api/v1/bookings",
            "post /api/v1/customers",
            "post /api/v1/lesson-series",
            "post /api/v1/lessons",
            "post /api/v1/me/privacy-requests",
            "post /api/v1/privacy-requests",
            "post /api/v1/staff",
            "post /api/v1/surveys",
            "post /api/v1/surveys/{id}/responses",
            "post /api/v1/surveys/{id}/versions",
            "post /api/v1/uniikkilista/notices",
        ]
    );
}

on_both_backends!(
    a_retried_create_gets_the_first_answer_and_creates_nothing_more,
    the_same_key_with_another_request_is_422_and_changes_nothing,
    a_failed_request_frees_its_key,
    a_malformed_key_is_400_and_changes_nothing,
    unauthenticated_requests_with_a_key_are_refused_as_without_one,
    a_key_is_in_flight_then_answered_and_expires,
);
