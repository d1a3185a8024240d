//! Every route, registered where it is documented so the router and the OpenAPI document
//! cannot drift apart.

mod health;
mod metrics;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route. Used by the server and by `uniikki openapi`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(metrics::metrics);
}
