//! Cross-cutting behaviour every response gets.

mod cors;
mod observe;
mod security_headers;

pub use cors::cors;
pub use observe::observe;
pub use security_headers::security_headers;
