//! Every operation, attacked through its URL: control characters in the path and in each
//! query parameter, and percent-encoding that must reach exactly what the plain path reaches.

use tests::{Backend, TestApp, TestDatabase, on_both_backends};

use super::contract::{self, Operation};
use super::refusal_flaws;

async fn call(app: &TestApp, op: &Operation, path: &str, token: Option<&str>) -> tests::Reply {
    let request = match token {
        Some(token) => app.authed(op.method.clone(), path, token),
        None => app.request(op.method.clone(), path),
    };
    match op.body {
        Some(_) => {
            let request = request.insert_header(("content-type", "application/json"));
            TestApp::send(request, Some(b"{}".to_vec())).await
        }
        None => TestApp::send(request, None).await,
    }
}

/// `path` with the first letter of its last literal segment percent-encoded:
/// `/api/v1/uniikkilista/confirm` → `/api/v1/uniikkilista/%63onfirm`.
fn encoded(template: &str, path: &str) -> String {
    let literal = template
        .rsplit('/')
        .find(|segment| !segment.is_empty() && !segment.starts_with('{'))
        .expect("a literal segment");
    let at = path
        .rfind(&format!("/{literal}"))
        .expect("the segment is in the path")
        + 1;
    let first = path.as_bytes()[at];
    format!("{}%{first:02X}{}", &path[..at], &path[at + 1..])
}

async fn control_characters_in_urls_are_400_naming_the_parameter(app: TestApp) {
    let token = app.admin_session().await.access_token;
    let before = crate::erasure::dump(&app);
    let mut failures = Vec::new();
    let mut attacked = 0;
    for op in contract::operations() {
        for name in &op.query {
            for control in ["%00", "%1b", "%0A"] {
                let path = format!("{}?{name}=a{control}b", op.path);
                let reply = call(&app, &op, &path, Some(&token)).await;
                attacked += 1;
                if let Some(flaw) = refusal_flaws(&reply, 400) {
                    failures.push(format!("{op} ?{name}={control}: {flaw}"));
                } else if reply.error_fields() != [name.as_str()] {
                    failures.push(format!("{op} ?{name}: fields {:?}", reply.error_fields()));
                }
            }
        }
        if op.template.contains('{') {
            let path = format!("{}/x%00y", op.path.rsplit_once('/').expect("a segment").0);
            let reply = call(&app, &op, &path, Some(&token)).await;
            if !matches!(reply.status.as_u16(), 400 | 404 | 405) || reply.status.is_success() {
                failures.push(format!("{op} with %00 in the path: {}", reply.status));
            }
        }
    }
    assert!(
        attacked >= 20,
        "the contract has query parameters to attack"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        before == crate::erasure::dump(&app),
        "a refused request changed the database"
    );
}

/// An encoded path reaches the same operation through the same checks: the same status as
/// the plain path, for a caller without credentials and for an admin.
async fn an_encoded_path_is_the_same_operation(app: TestApp) {
    let mut failures = Vec::new();
    for op in contract::operations() {
        let other = encoded(&op.template, &op.path);
        for authenticated in [false, true] {
            // A session of its own for each call: logging out ends the one it is sent with.
            let (one, two) = if authenticated {
                (
                    Some(app.admin_session().await.access_token),
                    Some(app.admin_session().await.access_token),
                )
            } else {
                (None, None)
            };
            let plain = call(&app, &op, &op.path, one.as_deref()).await.status;
            let encoded = call(&app, &op, &other, two.as_deref()).await.status;
            if plain != encoded {
                failures.push(format!("{op}: {plain} plain, {encoded} as {other}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

on_both_backends!(
    control_characters_in_urls_are_400_naming_the_parameter,
    an_encoded_path_is_the_same_operation,
);

/// Each rate-limited operation shares its allowance with its encoded spellings, and the 429
/// carries the security headers and CORS like every other answer, and the RateLimit fields.
#[actix_web::test]
async fn the_rate_limit_holds_for_encoded_paths() {
    const ORIGIN: &str = "https://oma.uniikkiaani.fi";
    let app = TestApp::spawn_with(TestDatabase::new(Backend::Sqlite), |s| {
        s.http.public_rate_per_minute = 1;
        s.http.public_rate_burst = 1;
        s.http.cors_origins = vec![ORIGIN.to_owned()];
    })
    .await;
    let document = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let limited: Vec<Operation> = contract::operations()
        .into_iter()
        .filter(|op| {
            let method = op.method.as_str().to_ascii_lowercase();
            document["paths"][&op.template][method].get("x-rate-limit")
                == Some(&serde_json::json!("public"))
        })
        .collect();
    assert_eq!(
        limited.len(),
        5,
        "the public UniikkiLista writes, the free lesson times and the calendar feeds"
    );
    // One allowance for the client: the first limited request takes it.
    let first = call(&app, &limited[0], &limited[0].path, None).await;
    assert_ne!(first.status, 429, "{}", first.text());
    for op in &limited {
        let path = encoded(&op.template, &op.path);
        let request = app
            .request(op.method.clone(), &path)
            .insert_header(("origin", ORIGIN))
            .insert_header(("content-type", "application/json"));
        let reply = TestApp::send(request, Some(b"{}".to_vec())).await;
        if let Some(flaw) = refusal_flaws(&reply, 429) {
            panic!("{op} as {path}: {flaw}");
        }
        assert_eq!(
            reply.header("access-control-allow-origin"),
            Some(ORIGIN),
            "{op}"
        );
        let retry_after = reply.header("retry-after").expect("Retry-After");
        assert_eq!(
            reply.header("ratelimit-policy"),
            Some("\"public\";q=1;w=60"),
            "{op}"
        );
        assert_eq!(
            reply.header("ratelimit"),
            Some(format!("\"public\";r=0;t={retry_after}").as_str()),
            "{op}"
        );
    }
    // Each refusal is counted under its operation's route, not an error bucket.
    let metrics = app.get("/metrics").await.text();
    for op in &limited {
        let counted = format!(
            "http_requests_total{{method=\"{}\",route=\"{}\",status=\"429\"}}",
            op.method.as_str(),
            op.template
        );
        assert!(metrics.contains(&counted), "{counted} in\n{metrics}");
    }
    drop(app);
    tests::all_stopped().await;
}

#[test]
fn encoding_changes_one_letter_of_the_last_literal_segment() {
    assert_eq!(
        encoded(
            "/api/v1/uniikkilista/confirm",
            "/api/v1/uniikkilista/confirm"
        ),
        "/api/v1/uniikkilista/%63onfirm"
    );
    assert_eq!(
        encoded("/api/v1/customers/{id}", "/api/v1/customers/0191"),
        "/api/v1/%63ustomers/0191"
    );
}
