//! The real server, started on `127.0.0.1:0` against a test database, and a client for it.

use std::time::Duration;

use actix_web::http::{Method, StatusCode, header::HeaderMap};
use api::identity::bootstrap::AdminCredentials;
use api::settings::Settings;
use api::startup::Application;
use persistence::{DatabaseUrl, Pool};
use tokio::sync::watch;

use crate::database::{Backend, TestDatabase};

thread_local! {
    /// The servers started on this test's thread, each answering once it has shut down whole.
    static STOPPING: std::cell::RefCell<Vec<watch::Receiver<bool>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Waits until every server this test started (and dropped) has shut down in order — its
/// writer joined, its pool closed — and its database is gone. The test macros call it after
/// each test, so that no server of a finished test is still talking to a database when the
/// test process exits.
pub async fn all_stopped() {
    let waiting = STOPPING.with(|s| std::mem::take(&mut *s.borrow_mut()));
    for mut stopped in waiting {
        let _ = stopped.wait_for(|done| *done).await;
    }
}

/// A running server and everything a test needs to talk to it. Dropping it stops the server;
/// its database is deleted once the server has shut down (see [`all_stopped`]).
pub struct TestApp {
    pub address: String,
    pub pool: Pool,
    pub client: awc::Client,
    /// The admin the server created on start, with its one-time password.
    pub admin: AdminCredentials,
    /// The settings the server runs with.
    pub settings: Settings,
    handle: actix_web::dev::ServerHandle,
    backend: Backend,
    database_url: DatabaseUrl,
    data_dir: std::path::PathBuf,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON; panics with the body text when it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `field` of each entry in a validation problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        let problem = self.json();
        let errors = problem["errors"].as_array().cloned().unwrap_or_default();
        errors
            .iter()
            .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Asserts this is an RFC 9457 problem with the given status and type, and returns it.
    pub fn problem(&self, status: u16, problem_type: &str) -> serde_json::Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "status; body: {}",
            self.text()
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "content type; body: {}",
            self.text()
        );
        let problem = self.json();
        assert_eq!(problem["type"], problem_type, "{problem}");
        assert_eq!(problem["status"], status, "{problem}");
        assert!(problem["title"].is_string(), "{problem}");
        assert_eq!(
            problem["request_id"].as_str(),
            self.header("x-request-id"),
            "{problem}"
        );
        problem
    }
}

impl TestApp {
    /// Starts the server on a fresh database of the given backend.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(TestDatabase::new(backend), |_| {}).await
    }

    /// Starts the server on a fresh PostgreSQL database, or returns `None` when
    /// `TEST_DATABASE_URL` is not set (the skip is printed).
    pub async fn spawn_postgres() -> Option<Self> {
        Some(Self::spawn_with(TestDatabase::postgres()?, |_| {}).await)
    }

    /// Starts the server on `database` with test settings that `customize` may change.
    pub async fn spawn_with(database: TestDatabase, customize: impl FnOnce(&mut Settings)) -> Self {
        let data_dir = tempfile::tempdir().expect("a temporary data folder");
        let mut settings = Settings::defaults();
        settings.http.listen = "127.0.0.1:0".parse().expect("address");
        settings.database.url = database.url().clone();
        settings.data_dir = data_dir.path().to_path_buf();
        settings.http.workers = Some(1);
        settings.database.pool_size = 4;
        settings.database.acquire_timeout_ms = 2_000;
        settings.http.shutdown_timeout_secs = 1;
        // Tests deliver messages themselves (`deliver_due`) unless they turn the dispatcher on.
        settings.delivery.interval_ms = 0;
        // Generous enough for suites that sign many people up; the rate-limit test lowers it.
        settings.http.public_rate_per_minute = 10_000;
        settings.http.public_rate_burst = 1_000;
        customize(&mut settings);
        let kept_settings = settings.clone();
        let mut app = Application::build(settings)
            .await
            .expect("the server starts");
        let admin = app
            .take_bootstrap_admin()
            .expect("a fresh database gets an admin");
        let address = format!("http://127.0.0.1:{}", app.port());
        let pool = app.pool().clone();
        let handle = app.handle();
        let (backend, database_url) = (database.backend(), database.url().clone());
        let data_path = data_dir.path().to_path_buf();
        let (stopped, waiter) = watch::channel(false);
        STOPPING.with(|s| s.borrow_mut().push(waiter));
        actix_web::rt::spawn(async move {
            let _ = app.run_until_stopped().await;
            // Only now that nothing of the server runs: the database and its files go.
            drop(database);
            drop(data_dir);
            let _ = stopped.send(true);
        });
        let client = awc::Client::builder()
            .disable_redirects()
            .timeout(Duration::from_secs(30))
            .finish();
        Self {
            address,
            pool,
            client,
            admin,
            settings: kept_settings,
            handle,
            backend,
            database_url,
            data_dir: data_path,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn request(&self, method: Method, path: &str) -> awc::ClientRequest {
        self.client.request(method, self.url(path))
    }

    pub async fn get(&self, path: &str) -> Reply {
        Self::send(self.request(Method::GET, path), None).await
    }

    /// A request with `Authorization: Bearer <token>`.
    pub fn authed(&self, method: Method, path: &str, token: &str) -> awc::ClientRequest {
        self.request(method, path)
            .insert_header(("authorization", format!("Bearer {token}")))
    }

    pub async fn get_as(&self, path: &str, token: &str) -> Reply {
        Self::send(self.authed(Method::GET, path, token), None).await
    }

    /// The audit log's entries matching `filter` (query parameters such as
    /// `action=customer.read&subject_id=…`), newest first, at most 200; `token` must be an admin's.
    pub async fn audit_entries(&self, token: &str, filter: &str) -> Vec<serde_json::Value> {
        let reply = self
            .get_as(&format!("/api/v1/audit-events?limit=200&{filter}"), token)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// How many audit entries are recorded but not yet chained (`audit_pending`).
    pub fn pending_audit_entries(&self) -> i64 {
        persistence::audit::pending_count(&mut self.pool.get().expect("a connection"))
            .expect("the queue is readable")
    }

    /// Sends `body` as JSON, with a bearer token when given.
    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> Reply {
        let request = match token {
            Some(token) => self.authed(method, path, token),
            None => self.request(method, path),
        };
        let request = request.insert_header(("content-type", "application/json"));
        Self::send(request, Some(body.to_string().into_bytes())).await
    }

    /// A change that replaces whatever version is current (`If-Match: *`). Tests of versions
    /// send the ETag they read themselves; a `PATCH` without `If-Match` is 428.
    pub async fn patch_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> Reply {
        let request = match token {
            Some(token) => self.authed(Method::PATCH, path, token),
            None => self.request(Method::PATCH, path),
        };
        let request = request
            .insert_header(("content-type", "application/json"))
            .insert_header(("if-match", "*"));
        Self::send(request, Some(body.to_string().into_bytes())).await
    }

    pub async fn post_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: &serde_json::Value,
    ) -> Reply {
        self.send_json(Method::POST, path, token, body).await
    }

    /// Sends `body` as-is with the given content type (to test what bad input does).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: &str,
    ) -> Reply {
        let request = self
            .request(method, path)
            .insert_header(("content-type", content_type));
        Self::send(request, Some(body.as_bytes().to_vec())).await
    }

    /// Sends a prepared request, with an optional body, and reads the whole response.
    pub async fn send(request: awc::ClientRequest, body: Option<Vec<u8>>) -> Reply {
        let sent = match body {
            Some(body) => request.send_body(body).await,
            None => request.send().await,
        };
        let mut response = sent.expect("the server answers");
        let body = response
            .body()
            .limit(16 * 1024 * 1024)
            .await
            .expect("a readable body");
        Reply {
            status: response.status(),
            headers: response.headers().clone(),
            body: body.to_vec(),
        }
    }

    /// Where the server keeps its generated signing key.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// Delivers every due message now, with the transports the settings name.
    pub async fn deliver_due(&self) -> usize {
        let (pool, settings) = (self.pool.clone(), self.settings.clone());
        actix_web::web::block(move || {
            let transports = api::delivery::Transports::from_settings(&settings)?;
            api::delivery::deliver_due(&pool, &transports, &settings)
        })
        .await
        .expect("the delivery task runs")
        .expect("delivery works")
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn database_url(&self) -> &DatabaseUrl {
        &self.database_url
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stops accepting at once; the server's task drops the database once it has shut down.
        drop(self.handle.stop(false));
    }
}
