use actix_web::http::Method;
use tests::{TestApp, on_both_backends};

async fn every_response_carries_a_fresh_request_id(app: TestApp) {
    let first = app.get("/healthz").await;
    let second = app.get("/nowhere").await;
    let (a, b) = (
        first.header("x-request-id").unwrap(),
        second.header("x-request-id").unwrap(),
    );
    assert_ne!(a, b);
    assert!(uuid::Uuid::parse_str(a).is_ok(), "{a}");
}

async fn a_sane_incoming_request_id_is_kept_and_quoted_in_problems(app: TestApp) {
    let request = app
        .request(Method::GET, "/nowhere")
        .insert_header(("x-request-id", "trace-42.a"));
    let reply = TestApp::send(request, None).await;
    assert_eq!(reply.header("x-request-id"), Some("trace-42.a"));
    assert_eq!(
        reply.problem(404, "https://api.uniikkiaani.fi/problems/not-found")["request_id"],
        "trace-42.a"
    );
}

async fn an_insane_incoming_request_id_is_replaced(app: TestApp) {
    let forged = "x\",\"status\":200";
    let request = app
        .request(Method::GET, "/healthz")
        .insert_header(("x-request-id", forged));
    let reply = TestApp::send(request, None).await;
    let id = reply.header("x-request-id").unwrap();
    assert_ne!(id, forged);
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}

on_both_backends!(
    every_response_carries_a_fresh_request_id,
    a_sane_incoming_request_id_is_kept_and_quoted_in_problems,
    an_insane_incoming_request_id_is_replaced,
);
