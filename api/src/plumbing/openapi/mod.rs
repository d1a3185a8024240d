//! The OpenAPI contract, built from the code. `uniikki openapi` prints it; the committed
//! `openapi.yaml` must equal it (a test fails when they drift).

mod conditional;
mod errors;
mod headers;
mod idempotency;
mod optional_bodies;
mod pages;
mod security;
mod text;
mod yaml;

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::plumbing::error::{FieldError, Problem};
use crate::routes;
use security::SecuritySchemes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "UniikkiÄäni customer register API",
        description = "The customer register of UniikkiÄäni Oy, a Finnish voice and singing school: \
customers and their guardians, staff and integration keys, surveys, the UniikkiLista \
notification list, consents and data-subject rights, and the audit log. Lessons and bookings, \
courses, webshop orders and invoices are not part of it yet.\n\n\
Errors are `application/problem+json` (RFC 9457) with a stable `type`; validation errors list \
each invalid field in `errors`. Every response carries `X-Request-Id`.",
        contact(name = "UniikkiÄäni Oy", email = "info@uniikkiaani.fi", url = "https://uniikkiaani.fi"),
        license(name = "Proprietary", identifier = "LicenseRef-Proprietary")
    ),
    servers((url = "/", description = "The server that serves this document")),
    components(schemas(
        Problem,
        FieldError,
        crate::uniikkilista::dto::StatusName,
        crate::privacy::notice::NoticeLanguage
    )),
    modifiers(&SecuritySchemes),
    tags((name = "operations", description = "Health, readiness and metrics"))
)]
struct ApiDoc;

/// The complete document: every registered route, with the problem responses each can give.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    pages::reference_page_items(&mut doc);
    optional_bodies::document_optional_bodies(&mut doc);
    conditional::document_conditional_gets(&mut doc);
    idempotency::document_idempotency_keys(&mut doc);
    text::document_text_rule(&mut doc);
    errors::document_problem_responses(&mut doc);
    headers::document_response_headers(&mut doc);
    doc
}

/// The document as YAML, exactly as committed in `openapi.yaml`.
pub fn yaml() -> String {
    yaml::quote_timestamps(
        &document()
            .to_yaml()
            .expect("the OpenAPI document serialises"),
    )
}
