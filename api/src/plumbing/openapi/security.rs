//! The two ways to authenticate: a person's access token, or an integration's API key.

use utoipa::Modify;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// Name of the security scheme for people (staff and customers). Sorted first, so Swagger UI
/// and Redoc show it first: most callers are people.
pub const ACCESS_TOKEN: &str = "access_token";
/// Name of the security scheme for integrations (calendar, webshop).
pub const INTEGRATION_KEY: &str = "integration_key";

pub struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            ACCESS_TOKEN,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Staff and customers: the 15-minute access token from `POST \
                         /api/v1/auth/login` (renewed with the refresh token at `POST \
                         /api/v1/auth/refresh`), sent as `Authorization: Bearer <token>`. A JWS \
                         following the best current practices of RFC8725: the algorithm is \
                         fixed by the server (HS256; `none` and every other algorithm are \
                         refused), and `exp`, `iat`, `sub`, `iss` and `aud` are required and \
                         checked.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            INTEGRATION_KEY,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Integrations (the booking calendar, the webshop): the API key shown \
                         once when an admin creates the integration, sent as `Authorization: \
                         Bearer <key>`. Not a JWT; only a hash is stored.",
                    ))
                    .build(),
            ),
        );
    }
}
