//! Problem responses where actix would answer in plain text: unknown routes, wrong methods,
//! and path or query parameters that do not parse.

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, HttpResponse, web};

use super::{ApiError, FieldError};

/// The documented routes and their methods, read from the OpenAPI document so that a wrong
/// method on a known path is told apart from an unknown path.
#[derive(Debug, Default)]
pub struct RouteTable(Vec<(ResourceDef, Vec<String>)>);

impl RouteTable {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ];
                let allowed = methods
                    .iter()
                    .filter(|(_, on)| *on)
                    .map(|(m, _)| (*m).to_owned());
                (ResourceDef::new(path.as_str()), allowed.collect())
            })
            .collect();
        Self(routes)
    }

    /// The methods allowed on `path`, if it is a documented route.
    fn methods_for(&self, path: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }
}

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
        ApiError::InvalidParameter(vec![FieldError::new(field, "invalid_format", message)]).into()
    })
}

/// A query string that does not parse is a 400.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _req| {
        let message = error.to_string();
        ApiError::InvalidParameter(vec![FieldError::new("query", "invalid", message)]).into()
    })
}
