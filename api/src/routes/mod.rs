//! Every route, registered where it is documented so the router and the OpenAPI document
//! cannot drift apart. Each area's file registers its own routes (`configure`); a route's
//! `#[utoipa::path]` declares all the middleware needs to know of it (see [`table`]).

mod audit_events;
mod auth;
mod bookings;
mod calendar_feeds;
mod consents;
mod customers;
mod health;
mod integrations;
mod lessons;
mod me;
mod metrics;
mod privacy;
mod privacy_requests;
mod staff;
mod surveys;
pub mod table;
mod uniikkilista;
mod webhooks;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub use table::RouteTable;

/// Registers every documented route. Used by the server and by `uniikki openapi`.
pub fn configure(cfg: &mut ServiceConfig) {
    health::configure(cfg);
    metrics::configure(cfg);
    cfg.service(
        scope("/api/v1")
            .configure(auth::configure)
            .configure(staff::configure)
            .configure(integrations::configure)
            .configure(audit_events::configure)
            .configure(customers::configure)
            .configure(me::configure)
            .configure(uniikkilista::configure)
            .configure(surveys::configure)
            .configure(privacy::configure)
            .configure(privacy_requests::configure)
            .configure(consents::configure)
            .configure(lessons::configure)
            .configure(bookings::configure)
            .configure(calendar_feeds::configure)
            .configure(webhooks::configure),
    );
}
