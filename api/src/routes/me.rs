//! A customer's own details: read them, correct them (the right to rectification).

use actix_web::{HttpRequest, HttpResponse, get, patch, web};

use super::customers::with_etag;
use crate::auth::Caller;
use crate::customers::dto::{CustomerPatch, CustomerView};
use crate::customers::service;
use crate::plumbing::error::{ApiError, Problem};
use crate::plumbing::extract::Json;
use crate::plumbing::http::if_match;
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

/// Your own customer details (customer logins only).
#[utoipa::path(
    tag = "me",
    operation_id = "get_my_profile",
    security(("access_token" = [])),
    responses(
        (status = 200, description = "Your details", body = CustomerView,
            headers(("ETag" = String, description = "Version of your details"))),
        (status = 404, description = "No customer record is linked to this login",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let customer = service::me(&state, caller).await?;
    Ok(with_etag(HttpResponse::Ok(), &customer))
}

/// Correct your own details, with the same rules as staff. A new email is also your new login
/// name.
#[utoipa::path(
    tag = "me",
    operation_id = "update_my_profile",
    security(("access_token" = [])),
    params(("If-Match" = String, Header, description = "The ETag of the version you read, or `*` for whatever is current; without it the change is 428")),
    request_body = CustomerPatch,
    responses(
        (status = 200, description = "Updated", body = CustomerView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No customer record is linked to this login",
            content_type = "application/problem+json", body = Problem),
        (status = 409, description = "The email is in use by someone else",
            content_type = "application/problem+json", body = Problem),
        (status = 412, description = "Your details changed since you read them",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Json<CustomerPatch>,
) -> Result<HttpResponse, ApiError> {
    let expected = if_match(&req)?;
    let customer = service::update_me(&state, caller, body.0, expected).await?;
    Ok(with_etag(HttpResponse::Ok(), &customer))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_me).service(update_me);
}
