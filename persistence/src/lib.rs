//! Storage for the customer register: one diesel codebase that runs on an embedded SQLite file
//! (the zero-set-up default) and on PostgreSQL (production), chosen at run time by the URL.
//!
//! Queries are plain functions grouped per aggregate; each takes `&mut AnyConnection` so a use
//! case can compose several of them inside one transaction.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod connection;
pub mod consents;
pub mod customers;
pub mod erasure;
pub mod error;
pub mod export;
pub mod health;
pub mod idempotency;
pub mod integrations;
pub mod login_events;
pub mod messages;
pub mod migrations;
pub mod pool;
pub mod privacy_map;
pub mod privacy_requests;
pub mod raw_sql;
pub mod refresh_tokens;
pub mod retention;
pub mod schema;
pub mod schema_info;
pub mod sql_types;
pub mod surveys;
pub mod transaction;
pub mod uniikkilista;
pub mod webhooks;

pub use connection::{AnyConnection, BackendKind};
pub use error::DbError;
pub use pool::{DatabaseUrl, Pool, PoolSettings, PooledConnection};
pub use transaction::write_transaction;
