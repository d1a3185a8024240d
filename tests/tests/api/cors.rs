use actix_web::http::Method;
use tests::{Backend, TestApp, TestDatabase};

const ALLOWED: &str = "https://oma.uniikkiaani.fi";

async fn app_allowing(origin: &str) -> TestApp {
    let origins = vec![origin.to_owned()];
    TestApp::spawn_with(TestDatabase::new(Backend::Sqlite), |s| {
        s.http.cors_origins = origins
    })
    .await
}

async fn preflight(app: &TestApp, origin: &str) -> tests::Reply {
    let request = app
        .request(Method::OPTIONS, "/readyz")
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", "GET"))
        .insert_header(("access-control-request-headers", "authorization"));
    TestApp::send(request, None).await
}

#[actix_web::test]
async fn a_preflight_from_an_allowed_origin_is_answered() {
    let app = app_allowing(ALLOWED).await;
    let reply = preflight(&app, ALLOWED).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED));
    let methods = reply
        .header("access-control-allow-methods")
        .unwrap_or_default();
    assert!(methods.contains("PATCH"), "{methods}");
}

#[actix_web::test]
async fn a_preflight_from_another_origin_is_refused_as_a_problem() {
    let app = app_allowing(ALLOWED).await;
    let reply = preflight(&app, "https://evil.example").await;
    assert!(reply.status.is_client_error(), "{}", reply.status);
    assert_eq!(reply.header("access-control-allow-origin"), None);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
}

#[actix_web::test]
async fn a_simple_request_from_an_allowed_origin_gets_the_allow_header() {
    let app = app_allowing(ALLOWED).await;
    let request = app
        .request(Method::GET, "/healthz")
        .insert_header(("origin", ALLOWED));
    let reply = TestApp::send(request, None).await;
    assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED));
    let exposed = reply
        .header("access-control-expose-headers")
        .unwrap_or_default();
    for header in ["x-request-id", "etag", "location", "idempotent-replayed"] {
        assert!(exposed.contains(header), "{header} not in {exposed}");
    }
}
