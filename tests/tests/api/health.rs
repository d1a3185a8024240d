use std::time::{Duration, Instant};

use tests::{Backend, TcpProxy, TestApp, TestDatabase, on_both_backends};

async fn healthz_answers_ok(app: TestApp) {
    let reply = app.get("/healthz").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["status"], "ok");
}

async fn readyz_answers_ready_when_the_database_is_reachable(app: TestApp) {
    let reply = app.get("/readyz").await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["status"], "ready");
}

async fn metrics_count_requests_by_route_and_report_the_pool(app: TestApp) {
    app.get("/healthz").await;
    app.get("/nowhere/at/all").await;
    let office = app.session_as(domain::Role::Admin).await.access_token;
    // An audited read: its entry is committed in a writer batch.
    assert_eq!(app.get_as("/api/v1/customers", &office).await.status, 200);
    let text = app.get("/metrics").await.text();
    let count = |name: &str| -> u64 {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    assert!(count("db_write_batch_seconds_count ") >= 1, "{text}");
    assert!(count("db_write_batch_size_sum ") >= 1, "{text}");
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/healthz",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"route="<unmatched>",status="404""#),
        "raw paths never become labels"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(
        text.contains(r#"db_pool_connections{state="in_use"}"#),
        "{text}"
    );
    assert!(
        text.contains(r#"db_pool_connections{state="idle"}"#),
        "{text}"
    );
}

async fn security_headers_are_on_every_response(app: TestApp) {
    for path in ["/healthz", "/nowhere"] {
        let reply = app.get(path).await;
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            reply.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
    }
}

on_both_backends!(
    healthz_answers_ok,
    readyz_answers_ready_when_the_database_is_reachable,
    metrics_count_requests_by_route_and_report_the_pool,
    security_headers_are_on_every_response,
    an_exhausted_pool_is_a_quick_503_not_a_stall,
);

/// The database goes away under a running server (a proxy in front of PostgreSQL is cut):
/// readiness says 503 quickly, then 200 again by itself once the database is back.
#[actix_web::test]
async fn readyz_is_503_while_postgres_is_unreachable_and_recovers() {
    let Some(database) = TestDatabase::postgres() else {
        return;
    };
    let persistence::DatabaseUrl::Postgres(url) = database.url().clone() else {
        unreachable!()
    };
    let target = postgres_address(&url);
    let proxy = TcpProxy::start(target).await;
    let proxied = persistence::DatabaseUrl::Postgres(replace_host_port(&url, proxy.addr()));
    let app = TestApp::spawn_with(database, |s| {
        s.database.url = proxied;
        s.database.acquire_timeout_ms = 500;
    })
    .await;
    assert_eq!(app.get("/readyz").await.status, 200);

    proxy.cut();
    let started = Instant::now();
    let reply = app.get("/readyz").await;
    let problem = reply.problem(
        503,
        "https://api.uniikkiaani.fi/problems/service-unavailable",
    );
    assert!(reply.header("retry-after").is_some(), "{problem}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered in {:?}",
        started.elapsed()
    );

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = app.get("/readyz").await.status;
        if status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not ready again 20 s after the database returned"
        );
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    drop(app);
    tests::all_stopped().await;
}

fn postgres_address(url: &str) -> std::net::SocketAddr {
    use std::net::ToSocketAddrs;
    let authority = url.split("://").nth(1).unwrap().split('/').next().unwrap();
    let host_port = authority.rsplit('@').next().unwrap();
    let host_port = if host_port.contains(':') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    };
    host_port.to_socket_addrs().unwrap().next().unwrap()
}

fn replace_host_port(url: &str, addr: std::net::SocketAddr) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let user = authority
        .rsplit_once('@')
        .map(|(u, _)| format!("{u}@"))
        .unwrap_or_default();
    format!("{scheme}://{user}{addr}/{path}")
}

#[test]
fn sqlite_is_the_backend_of_the_default_tests() {
    assert_eq!(
        TestDatabase::new(Backend::Sqlite).backend(),
        Backend::Sqlite
    );
}

/// Every pooled connection is taken: a request waits the bounded acquire time, then is told to
/// come back (503 with Retry-After), and is served again as soon as connections return.
async fn an_exhausted_pool_is_a_quick_503_not_a_stall(app: TestApp) {
    let office = app.session_as(domain::Role::Admin).await.access_token;
    // Every connection the pool has or will open (the writer keeps one of its own): the pool
    // may still be opening some in the background, and one that arrives after the last `get`
    // would serve the request.
    let mut held = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let state = app.pool.state();
        if state.connections == app.pool.max_size() && state.idle_connections == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the pool never filled: {state:?}"
        );
        held.extend(app.pool.get_timeout(Duration::from_millis(200)).ok());
    }
    assert!(!held.is_empty());
    let started = Instant::now();
    let reply = app.get_as("/api/v1/customers", &office).await;
    let waited = started.elapsed();
    let problem = reply.problem(
        503,
        "https://api.uniikkiaani.fi/problems/service-unavailable",
    );
    assert!(reply.header("retry-after").is_some(), "{problem}");
    assert!(
        waited >= Duration::from_millis(1_800) && waited < Duration::from_secs(6),
        "waited {waited:?} with the tests' acquire timeout of 2 s"
    );
    drop(held);
    assert_eq!(app.get_as("/api/v1/customers", &office).await.status, 200);
}
