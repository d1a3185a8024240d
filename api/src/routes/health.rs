//! Liveness and readiness for load balancers and orchestrators.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::plumbing::error::{ApiError, Problem};
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

/// How long readiness waits for a database connection before saying "not ready".
const READINESS_WAIT: Duration = Duration::from_secs(1);

/// The state of a health check.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthStatus {
    #[schema(example = "ok")]
    #[schema(max_length = 32)]
    pub status: &'static str,
}

/// Is the process alive? Touches nothing else, so it stays cheap under load.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_healthz",
    security(()),
    responses((status = 200, description = "The process is alive", body = HealthStatus))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthStatus { status: "ok" })
}

/// Can the server do useful work? 503 while the database is unreachable, 200 again as soon as
/// it returns.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_readyz",
    security(()),
    responses(
        (status = 200, description = "The database is reachable", body = HealthStatus),
        (status = 503, description = "The database is unreachable",
            content_type = "application/problem+json", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying")))
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let pool = state.pool.clone();
    web::block(move || persistence::health::ping(&pool, READINESS_WAIT))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
        .map_err(|_| ApiError::Unavailable {
            retry_after_secs: 5,
        })?;
    Ok(HttpResponse::Ok().json(HealthStatus { status: "ready" }))
}

/// Registers this area's routes (outside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(healthz).service(readyz);
}
