//! The OpenAPI contract, built from the code. `uniikki openapi` prints it; the committed
//! `openapi.yaml` must equal it (a test fails when they drift).

mod bounds;
mod conditional;
mod descriptions;
mod errors;
mod examples;
mod headers;
mod idempotency;
mod optional_bodies;
mod pages;
mod rules;
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
    servers((url = "/", description = "The server that serves this document, whichever environment it is: a local development server, staging or production")),
    components(schemas(
        Problem,
        FieldError,
        crate::uniikkilista::dto::StatusName,
        crate::privacy::notice::NoticeLanguage
    )),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Logging in and out, refreshing tokens, changing a password, and who the caller is. A login gives a 15-minute access token and a 30-day refresh token that rotates on every use."),
        (name = "me", description = "A customer's own data: profile, consents, privacy requests, survey answers and the complete export. Every operation acts on the caller only."),
        (name = "customers", description = "The customer register for staff: search and filters, create, read, change, logins for customers, restriction of processing. Every staff read of a person's data is audited."),
        (name = "staff", description = "Staff accounts (admin only): create, change roles, deactivate, issue one-time passwords."),
        (name = "integrations", description = "API keys for the booking calendar and the webshop (admin only); a key is shown once."),
        (name = "surveys", description = "Intake and feedback forms, their versions, answers, and aggregates that never show who answered."),
        (name = "lessons", description = "The teaching calendar: lessons of each teacher (no teacher or room double-booked), weekly series in Helsinki time, the public free times, attendance. Times are UTC."),
        (name = "bookings", description = "Single-lesson bookings: a customer books, moves and cancels their own until the cut-off; staff and the calendar integration for anyone. The last place goes to exactly one request."),
        (name = "calendar-feeds", description = "Secret iCalendar (RFC 5545) URLs of a teacher's lessons or a customer's bookings for their own calendar application: made, rotated and revoked by the owner or an admin."),
        (name = "webhooks", description = "Signed inbound webhooks (Standard Webhooks) from the integrations: the online calendar's booking changes, verified on the raw body, each `webhook-id` once, applied in the order of the sender's change times."),
        (name = "uniikkilista", description = "UniikkiLista: opt-in email/SMS notices of cancellation slots and upcoming enrolments. Public sign-up, confirmation and unsubscribe (rate limited), staff lists and notices."),
        (name = "privacy", description = "The privacy notice, consents, records of processing, privacy requests (access, rectification, erasure, restriction, objection) with their one-month due dates, export and erasure."),
        (name = "audit", description = "The append-only, hash-chained audit log: who touched whose data, when (admin only)."),
        (name = "operations", description = "Health, readiness and metrics")
    )
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
    rules::document_rules(&mut doc);
    errors::document_problem_responses(&mut doc);
    headers::document_response_headers(&mut doc);
    descriptions::describe_operations(&mut doc);
    bounds::document_bounds(&mut doc);
    examples::document_examples(&mut doc);
    // The API is for the school's own staff and customers and its two integrations, published to
    // the frontend developers who build on it: not an internal-only API.
    for server in doc.servers.iter_mut().flatten() {
        server.extensions = Some(
            utoipa::openapi::extensions::ExtensionsBuilder::new()
                .add("x-internal", false)
                .build(),
        );
    }
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
