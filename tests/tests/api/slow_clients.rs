//! A client that stalls while sending its request cannot hold a connection and a worker: after
//! the request timeout it gets a 408 (or, mid-head, the connection is closed).

use std::time::Duration;

use tests::{Backend, TestApp, TestDatabase};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn app_with_short_timeout() -> TestApp {
    TestApp::spawn_with(TestDatabase::new(Backend::Sqlite), |s| {
        s.http.request_timeout_ms = 1_000;
    })
    .await
}

/// Sends `partial` and then nothing more; returns what the server said before it hung up.
/// A server that never gives up on the client fails the test instead of hanging it.
async fn stall_after(app: &TestApp, partial: &str) -> String {
    let address = app.url("").trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(partial.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server gave up on the stalled client")
        .ok();
    String::from_utf8_lossy(&answer).into_owned()
}

#[actix_web::test]
async fn a_body_that_stops_arriving_is_408_problem() {
    let app = app_with_short_timeout().await;
    let answer = stall_after(
        &app,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: 200\r\n\r\n{\"email\": \"hidas@example.fi\",",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(
        answer.contains("https://api.uniikkiaani.fi/problems/request-timeout"),
        "{answer}"
    );
    assert!(!answer.contains("hidas@example.fi"), "no echo of the body");
}

#[actix_web::test]
async fn a_head_that_stops_arriving_is_cut_off() {
    let app = app_with_short_timeout().await;
    let answer = stall_after(&app, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n").await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    let prompt = stall_after(
        &app,
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(
        prompt.starts_with("HTTP/1.1 200"),
        "a client that sends its request at once is served: {prompt}"
    );
}
