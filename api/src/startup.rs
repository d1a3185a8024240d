//! Builds the server from settings: what `uniikki serve` runs and what tests start on port 0.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use persistence::Pool;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::session_check::{CheckerThread, SessionChecker};
use crate::background::Background;
use crate::delivery::{self, Transports};
use crate::identity::bootstrap::{self, AdminCredentials};
use crate::metrics::Metrics;
use crate::plumbing::error::{path_config, query_config, unmatched_route};
use crate::plumbing::extract::BodyLimit;
use crate::plumbing::middleware::{
    PublicRateLimit, conditional_get, cors, idempotency, observe, rate_limit,
    refuse_control_characters, security_headers,
};
use crate::plumbing::openapi;
use crate::plumbing::state::AppState;
use crate::plumbing::writer::{Writer, WriterThread};
use crate::routes;
use crate::routes::RouteTable;
use crate::settings::Settings;
use crate::signing_key::SigningKey;

/// A bound, migrated, ready-to-run server.
pub struct Application {
    port: u16,
    server: Server,
    pool: Pool,
    bootstrap_admin: Option<AdminCredentials>,
    background: Background,
    threads: (WriterThread, CheckerThread),
}

impl Application {
    /// Opens the database and applies pending migrations, binds the listener, and builds the
    /// server. Fails with a one-line reason when the database cannot be reached or migrated.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = persistence::pool::build(&settings.database.url, &settings.database.pool())
            .context("cannot create the database folder")?;
        migrate(&pool).await?;
        let signing_key = SigningKey::load_or_create(&settings)
            .context("cannot load the token-signing secret")?;
        let transports =
            Transports::from_settings(&settings).context("cannot set up message delivery")?;
        let listener = TcpListener::bind(settings.http.listen)
            .with_context(|| format!("cannot listen on {}", settings.http.listen))?;
        let port = listener.local_addr()?.port();
        // What can fail on the way up is checked before the first admin is made; should the start
        // still fail later, the next one issues a fresh one-time password while it is unused.
        let bootstrap_admin = {
            let (pool, email) = (pool.clone(), settings.auth.admin_email.clone());
            let ttl = chrono::Duration::hours(
                i64::try_from(settings.auth.one_time_password_ttl_hours).unwrap_or(72),
            );
            web::block(move || {
                crate::privacy::notice::publish_current(&mut *pool.get()?)?;
                bootstrap::ensure_admin(&pool, &email, ttl)
            })
            .await
            .map_err(|e| anyhow::anyhow!("bootstrap task failed: {e}"))?
            .context("cannot create the first admin")?
        };

        let document = openapi::document();
        let route_table = web::Data::new(RouteTable::from_openapi(&document));
        let metrics = web::Data::new(Metrics::new());
        let request_timeout = Duration::from_millis(settings.http.request_timeout_ms);
        let body_limit = BodyLimit {
            max_bytes: settings.http.max_body_bytes,
            timeout: request_timeout,
        };
        let public_rate_limit = web::Data::new(PublicRateLimit::new(
            settings.http.public_rate_per_minute,
            settings.http.public_rate_burst,
        ));
        let settings = Arc::new(settings);
        let (writer, writer_thread) = Writer::start(
            pool.clone(),
            settings.database.url.kind(),
            metrics.batches(),
        )
        .context("cannot start the writer")?;
        let (sessions, checker_thread) =
            SessionChecker::start(pool.clone()).context("cannot start the session checker")?;
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            settings: settings.clone(),
            signing_key,
            writer,
            sessions,
        });

        let mut background = Background::default();
        delivery::spawn_dispatcher(&mut background, pool.clone(), transports, settings.clone());
        crate::privacy::retention::spawn_daily(
            &mut background,
            pool.clone(),
            settings.clone(),
            state.signing_key.clone(),
        );
        crate::calendar::notices::spawn_reminders(&mut background, pool.clone(), settings.clone());
        let server_settings = settings.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .into_utoipa_app()
                .configure(routes::configure)
                .into_app()
                .app_data(state.clone())
                .app_data(metrics.clone())
                .app_data(route_table.clone())
                .app_data(public_rate_limit.clone())
                .app_data(body_limit)
                .app_data(path_config())
                .app_data(query_config())
                .service(
                    SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", document.clone()),
                )
                .service(web::redirect("/docs", "/docs/"))
                .configure(crate::pages::configure)
                .configure(crate::redoc::configure)
                .default_service(web::to(unmatched_route))
                .wrap(from_fn(idempotency))
                .wrap(from_fn(rate_limit))
                .wrap(from_fn(conditional_get))
                .wrap(from_fn(refuse_control_characters))
                .wrap(cors(&server_settings.http.cors_origins))
                .wrap(security_headers())
                .wrap(from_fn(observe))
        })
        .client_request_timeout(request_timeout)
        .shutdown_timeout(settings.http.shutdown_timeout_secs);
        let workers = settings.http.workers.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
        });
        // As many blocking threads as pooled connections: more would only wait for a
        // connection, each keeping its own allocator cache, and switch places on two cores.
        let pool_size = usize::try_from(settings.database.pool_size).unwrap_or(usize::MAX);
        server = server
            .workers(workers)
            .worker_max_blocking_threads(pool_size.div_ceil(workers).max(1));
        let server = server.listen(listener)?.run();
        Ok(Self {
            port,
            server,
            pool,
            bootstrap_admin,
            background,
            threads: (writer_thread, checker_thread),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The database pool the server uses (tests inspect connections through it).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The admin created on this start because the register had none, with its one-time
    /// password. Taken once, to be shown to the operator and nowhere else.
    pub fn take_bootstrap_admin(&mut self) -> Option<AdminCredentials> {
        self.bootstrap_admin.take()
    }

    /// A handle to stop the server gracefully.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (or [`Application::handle`]'s stop), finishes in-flight
    /// requests within the grace period, then shuts down in order: the periodic jobs are
    /// stopped and awaited, the session checker and the writer answer what was queued and their
    /// threads are joined, and the pool's connections are closed. Nothing of the server runs after this returns, so the
    /// process can exit without a thread still talking to the database (with TLS, one that did
    /// raced OpenSSL's exit-time cleanup and crashed the process).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        self.background.stop().await;
        let (writer, checker) = self.threads;
        let stopped = actix_web::rt::task::spawn_blocking(move || {
            checker.stop();
            writer.stop();
        });
        if stopped.await.is_err() {
            tracing::error!("stopping the writer and the session checker failed");
        }
        drop(self.pool);
        served
    }
}

/// Applies pending migrations on the blocking pool; returns the versions applied.
pub async fn migrate(pool: &Pool) -> anyhow::Result<Vec<String>> {
    let pool = pool.clone();
    web::block(move || -> anyhow::Result<Vec<String>> {
        let mut conn = pool.get().context("cannot connect to the database")?;
        Ok(persistence::migrations::run_pending(&mut conn)?)
    })
    .await
    .map_err(|e| anyhow::anyhow!("migration task failed: {e}"))?
}
