use actix_web::http::Method;
use tests::{TestApp, on_both_backends};

async fn an_unknown_route_is_a_404_problem(app: TestApp) {
    let reply = app.get("/api/v1/no-such-thing").await;
    let problem = reply.problem(404, "/problems/not-found");
    assert_eq!(problem["instance"], "/api/v1/no-such-thing");
}

async fn a_wrong_method_is_a_405_problem_with_allow(app: TestApp) {
    let reply = app
        .send_raw(Method::DELETE, "/readyz", "application/json", "")
        .await;
    reply.problem(405, "/problems/method-not-allowed");
    assert_eq!(reply.header("allow"), Some("GET"));
}

async fn a_malformed_json_body_to_any_route_is_a_problem(app: TestApp) {
    let reply = app
        .send_raw(Method::POST, "/healthz", "application/json", "{not json")
        .await;
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert!(reply.status.is_client_error(), "{}", reply.status);
}

async fn the_query_string_never_reaches_instance(app: TestApp) {
    let reply = app.get("/nowhere?q=maija.meikalainen@example.fi").await;
    let problem = reply.problem(404, "/problems/not-found");
    assert_eq!(problem["instance"], "/nowhere");
}

on_both_backends!(
    an_unknown_route_is_a_404_problem,
    a_wrong_method_is_a_405_problem_with_allow,
    a_malformed_json_body_to_any_route_is_a_problem,
    the_query_string_never_reaches_instance,
);
