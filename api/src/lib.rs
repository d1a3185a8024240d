//! The HTTP API of the UniikkiÄäni customer register: actix-web handlers, authentication,
//! errors, the OpenAPI contract, and the server start-up shared by `uniikki serve` and tests.

pub mod auth;
pub mod background;
pub mod calendar;
pub mod commands;
pub mod customers;
pub mod delivery;
pub mod identity;
pub mod metrics;
pub mod pages;
pub mod plumbing;
pub mod privacy;
pub mod redoc;
pub mod request_context;
pub mod routes;
pub mod settings;
pub mod signing_key;
pub mod startup;
pub mod surveys;
pub mod telemetry;
pub mod uniikkilista;
pub mod webhooks;
