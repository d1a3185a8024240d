//! The HTTP API of the UniikkiÄäni customer register: actix-web handlers, authentication,
//! errors, the OpenAPI contract, and the server start-up shared by `uniikki serve` and tests.

pub mod auth;
pub mod background;
pub mod customers;
pub mod db;
pub mod delivery;
pub mod error;
pub mod extract;
pub mod http;
pub mod identity;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod privacy;
pub mod request_context;
pub mod routes;
pub mod seed;
pub mod settings;
pub mod signing_key;
pub mod startup;
pub mod state;
pub mod surveys;
pub mod telemetry;
pub mod uniikkilista;
pub mod writer;
