//! Black-box tests of the whole server, each on SQLite and (with `TEST_DATABASE_URL`) on
//! PostgreSQL. One test binary keeps linking fast.

mod adversarial;
mod audit;
mod auth;
mod calendar;
mod conditional;
mod consents;
mod contract_rules;
mod cors;
mod customer_filters;
mod customers;
mod delivery;
mod erasure;
mod errors;
mod export;
mod health;
mod idempotency;
mod integrations;
mod life;
mod mass_assignment;
mod matrix;
mod openapi;
mod ownership;
mod persistence;
mod privacy_map;
mod privacy_requests;
mod request_id;
mod restriction;
mod retention;
mod seed;
mod sessions;
mod slow_clients;
mod staff;
mod surveys;
mod tokens;
mod uniikkilista;
