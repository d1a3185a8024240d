//! Staff accounts (admin only).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use persistence::accounts::AccountFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::{Action, Caller, Reader};
use crate::identity::one_time::OneTimePassword;
use crate::identity::staff::{self, NewStaffMember, StaffChanges, StaffMember, StaffRole};
use crate::plumbing::error::{ApiError, Problem};
use crate::plumbing::extract::Json;
use crate::plumbing::http::{Page, decode_cursor, etag, if_match, page_limit};
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StaffQuery {
    /// Only accounts with this role.
    pub role: Option<StaffRole>,
    /// Only active (`true`) or deactivated (`false`) accounts.
    pub active: Option<bool>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{21}[AQgw]$", max_length = 22)]
    pub cursor: Option<String>,
}

fn with_etag(mut response: actix_web::HttpResponseBuilder, member: &StaffMember) -> HttpResponse {
    response
        .insert_header((header::ETAG, etag(member.version)))
        .json(member)
}

/// Create a staff account. It has no password until you issue a one-time password for it.
#[utoipa::path(
    tag = "staff",
    operation_id = "create_staff",
    security(("access_token" = [])),
    params(crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = NewStaffMember,
    responses(
        (status = 201, description = "Created", body = StaffMember, headers(
            ("Location" = String, description = "URL of the new account"),
            ("ETag" = String, description = "Version of the account"))),
        (status = 409, description = "An account with this email exists; `existing_id` names it",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[post("/staff")]
pub async fn create_staff(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NewStaffMember>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageStaff)?;
    let member = staff::create(&state, caller, body.0).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/staff/{}", member.id)));
    Ok(with_etag(response, &member))
}

/// List staff accounts, oldest first.
#[utoipa::path(
    tag = "staff",
    operation_id = "list_staff",
    security(("access_token" = [])),
    params(StaffQuery),
    responses((status = 200, description = "One page of staff accounts", body = Page<StaffMember>))
)]
#[get("/staff")]
pub async fn list_staff(
    state: web::Data<AppState>,
    caller: Reader,
    query: web::Query<StaffQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageStaff)?;
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<Uuid>(query.cursor.as_deref())?;
    let filter = AccountFilter {
        staff_only: true,
        role: query.role.map(Into::into),
        active: query.active,
    };
    let page = staff::list(&state, caller, filter, after, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Read a staff account.
#[utoipa::path(
    tag = "staff",
    operation_id = "get_staff",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    responses((status = 200, description = "The account", body = StaffMember,
        headers(("ETag" = String, description = "Version of the account"))))
)]
#[get("/staff/{id}")]
pub async fn get_staff(
    state: web::Data<AppState>,
    caller: Reader,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageStaff)?;
    let member = staff::get(&state, caller, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), &member))
}

/// Change a staff account's name, role or active state. Deactivating ends its sessions.
/// Send `If-Match` with the ETag you read to avoid overwriting someone else's change.
#[utoipa::path(
    tag = "staff",
    operation_id = "update_staff",
    security(("access_token" = [])),
    params(
        ("id" = Uuid, Path, description = "Account id"),
        ("If-Match" = String, Header, description = "The ETag of the version you read, or `*` for whatever is current; without it the change is 428")
    ),
    request_body = StaffChanges,
    responses(
        (status = 200, description = "Updated", body = StaffMember,
            headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "The change would leave no active admin",
            content_type = "application/problem+json", body = Problem),
        (status = 412, description = "The account changed since you read it",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[patch("/staff/{id}")]
pub async fn update_staff(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<StaffChanges>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageStaff)?;
    let expected = if_match(&req)?;
    let member = staff::update(&state, caller, id.into_inner(), body.0, expected).await?;
    Ok(with_etag(HttpResponse::Ok(), &member))
}

/// Issue a one-time password for a staff account, shown only in this response. It replaces the
/// current password, ends the account's sessions, and must be changed at first login.
#[utoipa::path(
    tag = "staff",
    operation_id = "issue_staff_one_time_password",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    responses((status = 200, description = "The one-time password", body = OneTimePassword))
)]
#[post("/staff/{id}/one-time-password")]
pub async fn issue_staff_one_time_password(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageStaff)?;
    let password = staff::issue_one_time_password(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(password))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_staff)
        .service(list_staff)
        .service(get_staff)
        .service(update_staff)
        .service(issue_staff_one_time_password);
}
