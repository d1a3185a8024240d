//! Request extractors that turn every malformed input into a problem response.

mod json;
mod strict;

pub(crate) use json::read_limited;
pub use json::{BodyLimit, Json, field_errors, parse};
