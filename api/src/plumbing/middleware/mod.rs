//! Cross-cutting behaviour every response gets.

pub mod conditional;
mod cors;
pub mod idempotency;
mod observe;
pub mod rate_limit;
pub(crate) mod refused;
pub mod route;
mod security_headers;

pub use conditional::conditional_get;
pub use cors::cors;
pub use idempotency::idempotency;
pub use observe::observe;
pub use rate_limit::{PublicRateLimit, rate_limit};
pub use route::refuse_control_characters;
pub use security_headers::security_headers;
