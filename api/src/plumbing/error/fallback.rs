//! Problem responses where actix would answer in plain text: unknown routes, wrong methods,
//! and path or query parameters that do not parse.

use actix_web::{HttpRequest, HttpResponse, web};
use domain::FieldCode;

use super::{ApiError, FieldError};
use crate::routes::RouteTable;

/// The default service: 405 with `Allow` for a known path, 404 for anything else.
pub async fn unmatched_route(
    req: HttpRequest,
    routes: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    Err(match routes.methods_for(req.path()) {
        Some(allow) => ApiError::MethodNotAllowed {
            allow: allow.to_vec(),
        },
        None => ApiError::NotFound,
    })
}

/// A path segment that does not parse (e.g. an id that is not a UUID) is a 400 naming it.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, req| {
        let names: Vec<&str> = req.match_info().iter().map(|(name, _)| name).collect();
        let field = if names.is_empty() {
            "path".to_owned()
        } else {
            names.join(",")
        };
        let message = format!("does not have the expected form: {error}");
        ApiError::InvalidParameter(vec![FieldError::new(
            field,
            FieldCode::InvalidFormat,
            message,
        )])
        .into()
    })
}

/// A query string that does not parse is a 400.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _req| {
        let message = error.to_string();
        ApiError::InvalidParameter(vec![FieldError::new(
            "query",
            FieldCode::InvalidFormat,
            message,
        )])
        .into()
    })
}
