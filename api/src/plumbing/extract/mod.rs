//! Request extractors that turn every malformed input into a problem response.

mod json;
pub(crate) mod schema;
mod strict;

pub(crate) use json::read_limited;
pub use json::{BodyLimit, Json, RawJson, field_errors, parse};
