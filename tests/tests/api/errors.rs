use actix_web::http::Method;
use tests::{TestApp, on_both_backends};

async fn an_unknown_route_is_a_404_problem(app: TestApp) {
    let reply = app.get("/api/v1/no-such-thing").await;
    let problem = reply.problem(404, "https://api.uniikkiaani.fi/problems/not-found");
    assert_eq!(problem["instance"], "/api/v1/no-such-thing");
}

async fn a_wrong_method_is_a_405_problem_with_allow(app: TestApp) {
    let reply = app
        .send_raw(Method::DELETE, "/readyz", "application/json", "")
        .await;
    reply.problem(
        405,
        "https://api.uniikkiaani.fi/problems/method-not-allowed",
    );
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
    let problem = reply.problem(404, "https://api.uniikkiaani.fi/problems/not-found");
    assert_eq!(problem["instance"], "/nowhere");
}

on_both_backends!(
    an_unknown_route_is_a_404_problem,
    a_wrong_method_is_a_405_problem_with_allow,
    a_malformed_json_body_to_any_route_is_a_problem,
    the_query_string_never_reaches_instance,
);

/// Every `type` the served contract lists resolves: the server serves a page for it, with the
/// status and title a response of that type carries. An unknown one is a 404 problem.
#[actix_web::test]
async fn every_problem_type_in_the_contract_has_its_page() {
    let app = TestApp::spawn(tests::Backend::Sqlite).await;
    let contract = app.get("/api-docs/openapi.json").await.json();
    let types = contract["components"]["schemas"]["ProblemType"]["enum"]
        .as_array()
        .expect("the contract lists the problem types")
        .clone();
    assert!(types.len() > 15, "{types:?}");
    for uri in types.iter().filter_map(|t| t.as_str()) {
        if uri == "about:blank" {
            continue;
        }
        let path = uri
            .strip_prefix("https://api.uniikkiaani.fi")
            .unwrap_or_else(|| panic!("{uri} is not under the catalogue's base"));
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{uri}");
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        let html = page.text();
        assert!(html.contains(uri), "{uri}: {html}");
        assert!(html.contains("<h1>"), "{uri}: {html}");
    }
    let index = app.get("/problems").await;
    assert_eq!(index.status, 200);
    assert_eq!(
        index.text().matches("<tr><td>").count(),
        types.len() - 1,
        "the index lists every type but about:blank"
    );
    app.get("/problems/no-such-problem")
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
}

/// A response's `title` and status are the catalogue's for its `type`, as the page says.
#[actix_web::test]
async fn a_problem_carries_the_title_its_page_gives() {
    let app = TestApp::spawn(tests::Backend::Sqlite).await;
    let problem = app
        .get("/api/v1/customers")
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    let title = problem["title"].as_str().unwrap().to_owned();
    let page = app.get("/problems/unauthorized").await.text();
    assert!(page.contains(&format!("<h1>{title}</h1>")), "{page}");
    assert!(page.contains("HTTP 401"), "{page}");
}
