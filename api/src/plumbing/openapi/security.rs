//! The two ways to authenticate: a person's access token, or an integration's API key.

use utoipa::Modify;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// Name of the security scheme for people (staff and customers).
pub const BEARER_JWT: &str = "bearer_jwt";
/// Name of the security scheme for integrations (calendar, webshop).
pub const API_KEY: &str = "api_key";

pub struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER_JWT,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A short-lived access token from `POST /api/v1/auth/login`, sent as \
                         `Authorization: Bearer <token>`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            API_KEY,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An integration's API key (shown once when the integration is created), \
                         sent as `Authorization: Bearer <key>`.",
                    ))
                    .build(),
            ),
        );
    }
}
