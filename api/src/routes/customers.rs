//! Customers, for staff: office and admin manage them; teachers see their own students.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use domain::customer::Source;
use domain::person::Language;
use persistence::customers::Filter;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{Action, Caller, Reader};
use crate::customers::dto::{CustomerPatch, CustomerView, NewCustomer};
use crate::customers::service;
use crate::identity::one_time::OneTimePassword;
use crate::plumbing::error::{ApiError, Problem};
use crate::plumbing::extract::Json;
use crate::plumbing::http::{Page, decode_cursor, etag, if_match, page_limit};
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Each word begins the first or last name (`maija mei`), or the term begins the email or
    /// the phone number (`040 12`). Case and Finnish letters are handled alike everywhere.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only customers whose processing is restricted (`true`) or is not (`false`).
    pub restricted: Option<bool>,
    /// Only customers with a login (`true`) or without one (`false`).
    pub has_account: Option<bool>,
    /// Only minors, under 18 today (`true`), or only those who are not (`false`, birth date
    /// unknown included).
    pub minor: Option<bool>,
    /// Only customers who use this language.
    pub language: Option<Language>,
    /// Only customers who came to the register this way.
    pub source: Option<Source>,
    /// Only customers changed at or after this time (for syncing a local copy).
    pub updated_since: Option<DateTime<Utc>>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{21}[AQgw]$", max_length = 22)]
    pub cursor: Option<String>,
}

pub(crate) fn with_etag(
    mut response: actix_web::HttpResponseBuilder,
    customer: &CustomerView,
) -> HttpResponse {
    response
        .insert_header((header::ETAG, etag(customer.version)))
        .json(customer)
}

/// Add a customer. A duplicate email is a 409 naming the existing customer.
#[utoipa::path(
    tag = "customers",
    operation_id = "create_customer",
    security(("access_token" = [])),
    params(crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = NewCustomer,
    responses(
        (status = 201, description = "Created", body = CustomerView, headers(
            ("Location" = String, description = "URL of the new customer"),
            ("ETag" = String, description = "Version of the customer"))),
        (status = 409, description = "A customer with this email exists; `existing_id` names it",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[post("/customers")]
pub async fn create_customer(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NewCustomer>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageCustomers)?;
    let customer = service::create(&state, caller, body.0).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((
        header::LOCATION,
        format!("/api/v1/customers/{}", customer.id),
    ));
    Ok(with_etag(response, &customer))
}

/// List or search customers in Finnish alphabetical order of last name, then first name.
#[utoipa::path(
    tag = "customers",
    operation_id = "list_customers",
    security(("access_token" = [])),
    params(CustomerQuery),
    responses((status = 200, description = "One page of customers", body = Page<CustomerView>))
)]
#[get("/customers")]
pub async fn list_customers(
    state: web::Data<AppState>,
    caller: Reader,
    query: web::Query<CustomerQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page_limit(query.limit)?;
    let query = query.into_inner();
    crate::plumbing::http::at_most("q", query.q.as_deref(), 200)?;
    let after = decode_cursor::<Uuid>(query.cursor.as_deref())?;
    let filter = Filter {
        restricted: query.restricted,
        has_account: query.has_account,
        minor: query.minor.map(|minor| {
            (
                minor,
                domain::person::adult_born_by(Utc::now().date_naive()),
            )
        }),
        language: query.language.map(Language::as_str),
        source: query.source.map(Source::as_str),
        updated_since: query.updated_since,
    };
    let page = service::list(&state, caller, query.q, filter, after, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Read a customer. Every read is recorded in the audit log.
#[utoipa::path(
    tag = "customers",
    operation_id = "get_customer",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id")),
    responses((status = 200, description = "The customer", body = CustomerView,
        headers(("ETag" = String, description = "Version of the customer"))))
)]
#[get("/customers/{id}")]
pub async fn get_customer(
    state: web::Data<AppState>,
    caller: Reader,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let customer = service::get(&state, caller, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), &customer))
}

/// Correct a customer's details. Send `If-Match` with the ETag you read; a stale one is 412.
#[utoipa::path(
    tag = "customers",
    operation_id = "update_customer",
    security(("access_token" = [])),
    params(
        ("id" = Uuid, Path, description = "Customer id"),
        ("If-Match" = String, Header, description = "The ETag of the version you read, or `*` for whatever is current; without it the change is 428")
    ),
    request_body = CustomerPatch,
    responses(
        (status = 200, description = "Updated", body = CustomerView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Another customer has this email",
            content_type = "application/problem+json", body = Problem),
        (status = 412, description = "The customer changed since you read it",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[patch("/customers/{id}")]
pub async fn update_customer(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<CustomerPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageCustomers)?;
    let expected = if_match(&req)?;
    let customer = service::update(&state, caller, id.into_inner(), body.0, expected).await?;
    Ok(with_etag(HttpResponse::Ok(), &customer))
}

/// Give the customer a login: an account with the customer's email as login name and a
/// one-time password, shown only in this response, to be changed at first login.
#[utoipa::path(
    tag = "customers",
    operation_id = "issue_customer_one_time_password",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The one-time password", body = OneTimePassword),
        (status = 409, description = "The customer has no email, or another account uses it",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[post("/customers/{id}/one-time-password")]
pub async fn issue_customer_one_time_password(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageCustomers)?;
    let password = service::issue_one_time_password(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(password))
}

#[derive(Debug, serde::Deserialize, validator::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "The customer contests the accuracy of their data"}))]
pub struct RestrictionRequest {
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500, message = "must be 1 to 500 characters"))]
    pub reason: String,
}

/// Restrict processing of a customer's data (GDPR Art. 18): it stays stored but is not changed,
/// sent notices or surveys until lifted (admin; audited).
#[utoipa::path(
    tag = "privacy",
    operation_id = "restrict_customer",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id")),
    request_body = RestrictionRequest,
    responses((status = 200, description = "Restricted", body = CustomerView))
)]
#[put("/customers/{id}/restriction")]
pub async fn restrict_customer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<RestrictionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManagePrivacy)?;
    let customer =
        service::set_restriction(&state, caller, id.into_inner(), Some(body.0.reason)).await?;
    Ok(with_etag(HttpResponse::Ok(), &customer))
}

/// Lift a restriction of processing (admin; audited).
#[utoipa::path(
    tag = "privacy",
    operation_id = "lift_customer_restriction",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id")),
    responses((status = 200, description = "Lifted", body = CustomerView))
)]
#[delete("/customers/{id}/restriction")]
pub async fn lift_customer_restriction(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManagePrivacy)?;
    let customer = service::set_restriction(&state, caller, id.into_inner(), None).await?;
    Ok(with_etag(HttpResponse::Ok(), &customer))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_customer)
        .service(list_customers)
        .service(get_customer)
        .service(update_customer)
        .service(issue_customer_one_time_password)
        .service(restrict_customer)
        .service(lift_customer_restriction);
}
