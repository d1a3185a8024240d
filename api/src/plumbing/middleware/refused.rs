//! How middleware refuses a request: with a response, not an error. An error returned from
//! middleware is rendered by actix after every middleware has run, so it would lack CORS and the
//! security headers; a response passes back out through them like every handler's answer.

use actix_web::ResponseError;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};

use crate::plumbing::error::ApiError;

#[allow(clippy::needless_pass_by_value)] // refusing consumes the error, as `?` would
pub fn refused(req: ServiceRequest, error: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(error.error_response())
}

/// `?` for middleware: the value, or the request refused with the error.
macro_rules! or_refuse {
    ($req:ident, $result:expr) => {
        match $result {
            Ok(value) => value,
            Err(error) => {
                return Ok($crate::plumbing::middleware::refused::refused(
                    $req,
                    error.into(),
                ))
            }
        }
    };
}
pub(crate) use or_refuse;
