//! Privacy requests: filed by people about themselves, registered and answered by admins.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use uuid::Uuid;

use crate::auth::{Action, Caller, Reader};
use crate::plumbing::error::ApiError;
use crate::plumbing::extract::Json;
use crate::plumbing::http::{Page, PageQuery, decode_cursor, etag, if_match, page_limit};
use crate::plumbing::state::AppState;
use crate::privacy::requests::{
    self, OwnRequest, RequestPatch, RequestQuery, RequestView, StaffRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;

/// A filed request, at `location`: the customer's own path for their own, the admin's for one
/// registered by staff, so the filer can read what `Location` points at.
fn created(view: &RequestView, location: &str) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, format!("{location}/{}", view.id)))
        .insert_header((header::ETAG, etag(view.version)))
        .json(view)
}

/// Ask for access, rectification, erasure, restriction, objection or portability. The answer
/// is due within one calendar month.
#[utoipa::path(
    tag = "me",
    operation_id = "create_my_privacy_request",
    security(("access_token" = [])),
    params(crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = OwnRequest,
    responses((status = 201, description = "Received", body = RequestView,
        headers(
            ("Location" = String, description = "URL of the request (`/api/v1/me/privacy-requests/{id}`)"),
            ("ETag" = String, description = "Version of the request")
        )))
)]
#[post("/me/privacy-requests")]
pub async fn create_my_privacy_request(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<OwnRequest>,
) -> Result<HttpResponse, ApiError> {
    let view = requests::file_own(&state, caller, body.0).await?;
    Ok(created(&view, "/api/v1/me/privacy-requests"))
}

/// Your privacy requests and where they stand, oldest first.
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_privacy_requests",
    security(("access_token" = [])),
    params(PageQuery),
    responses((status = 200, description = "Your requests", body = Page<RequestView>))
)]
#[get("/me/privacy-requests")]
pub async fn list_my_privacy_requests(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<Uuid>(query.cursor.as_deref())?;
    Ok(HttpResponse::Ok().json(requests::list_own(&state, caller, after, limit).await?))
}

/// One of your privacy requests.
#[utoipa::path(
    tag = "me",
    operation_id = "get_my_privacy_request",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Request id")),
    responses((status = 200, description = "The request", body = RequestView,
        headers(("ETag" = String, description = "Version of the request"))))
)]
#[get("/me/privacy-requests/{id}")]
pub async fn get_my_privacy_request(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = requests::get_own(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(view.version)))
        .json(view))
}

/// Register a request that came on paper or in person, with how the identity was verified
/// (admin).
#[utoipa::path(
    tag = "privacy",
    operation_id = "create_privacy_request",
    security(("access_token" = [])),
    params(crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = StaffRequest,
    responses((status = 201, description = "Received", body = RequestView,
        headers(
            ("Location" = String, description = "URL of the request"),
            ("ETag" = String, description = "Version of the request")
        )))
)]
#[post("/privacy-requests")]
pub async fn create_privacy_request(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<StaffRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManagePrivacy)?;
    let view = requests::file_for(&state, caller, body.0).await?;
    Ok(created(&view, "/api/v1/privacy-requests"))
}

/// Privacy requests, with filters; `overdue=true` lists open ones past their deadline (admin).
#[utoipa::path(
    tag = "privacy",
    operation_id = "list_privacy_requests",
    security(("access_token" = [])),
    params(RequestQuery),
    responses((status = 200, description = "One page of requests", body = Page<RequestView>))
)]
#[get("/privacy-requests")]
pub async fn list_privacy_requests(
    state: web::Data<AppState>,
    caller: Reader,
    query: web::Query<RequestQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManagePrivacy)?;
    let limit = page_limit(query.limit)?;
    let query = query.into_inner();
    let after = decode_cursor::<Uuid>(query.cursor.as_deref())?;
    Ok(HttpResponse::Ok().json(requests::list(&state, caller, query, after, limit).await?))
}

/// One privacy request (admin).
#[utoipa::path(
    tag = "privacy",
    operation_id = "get_privacy_request",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Request id")),
    responses((status = 200, description = "The request", body = RequestView,
        headers(("ETag" = String, description = "Version of the request"))))
)]
#[get("/privacy-requests/{id}")]
pub async fn get_privacy_request(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManagePrivacy)?;
    let view = requests::get(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(view.version)))
        .json(view))
}

/// Move a request on (received → in progress → completed, or rejected with a reason), or
/// extend its deadline by up to two months with a reason (admin). Every change is audited.
#[utoipa::path(
    tag = "privacy",
    operation_id = "update_privacy_request",
    security(("access_token" = [])),
    params(
        ("id" = Uuid, Path, description = "Request id"),
        ("If-Match" = String, Header, description = "The ETag of the version you read, or `*` for whatever is current; without it the change is 428")
    ),
    request_body = RequestPatch,
    responses(
        (status = 200, description = "Updated", body = RequestView),
        (status = 412, description = "The request changed since you read it",
            content_type = "application/problem+json", body = crate::plumbing::error::Problem)
    )
)]
#[patch("/privacy-requests/{id}")]
pub async fn update_privacy_request(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<RequestPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManagePrivacy)?;
    let expected = if_match(&req)?;
    let view = requests::update(&state, caller, id.into_inner(), body.0, expected).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(view.version)))
        .json(view))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_my_privacy_request)
        .service(list_my_privacy_requests)
        .service(get_my_privacy_request)
        .service(create_privacy_request)
        .service(list_privacy_requests)
        .service(get_privacy_request)
        .service(update_privacy_request);
}
