//! Prometheus scrape endpoint. Holds counts and timings only, no personal data.

use actix_web::{HttpResponse, get, web};

use crate::metrics::Metrics;
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

/// Request counts and latencies by route pattern and status, and database pool usage, in the
/// Prometheus text format.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_metrics",
    security(()),
    responses((status = 200, description = "Prometheus text exposition format",
        content_type = "text/plain; version=0.0.4", body = String,
        example = "http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render(&state.pool))
}

/// Registers this area's routes (outside `/api/v1`).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(metrics);
}
