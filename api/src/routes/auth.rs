//! Logging in and out, refreshing tokens, changing one's password, and "who am I".

use actix_web::{HttpResponse, get, post, web};
use domain::{Role, Scope};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::{Authenticated, Principal, RequestMeta};
use crate::identity;
use crate::identity::sessions::TokenResponse;
use crate::plumbing::error::{ApiError, Problem};
use crate::plumbing::extract::Json;
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "liisa.laulaja@uniikkiaani.fi", "password": "laulan aina aamulla"}))]
pub struct LoginRequest {
    #[schema(max_length = 254)]
    #[validate(length(max = 254, message = "must be at most 254 characters"))]
    pub email: String,
    #[schema(max_length = 1024)]
    #[validate(length(max = 1024, message = "must be at most 1024 characters"))]
    pub password: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200, message = "must be a refresh token"))]
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "7KQ4-M2XP-9TWD-HC3R", "new_password": "laulan aina aamulla"}))]
pub struct PasswordChangeRequest {
    #[schema(max_length = 1024)]
    #[validate(length(max = 1024, message = "must be at most 1024 characters"))]
    pub current_password: String,
    /// At least 12 and at most 256 characters, not your email, not a well-known password.
    #[schema(max_length = 1024)]
    #[validate(length(max = 1024, message = "must be at most 1024 characters"))]
    pub new_password: String,
}

/// Who the credentials belong to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The account or integration id.
    pub id: Uuid,
    /// `account` for people, `integration` for API keys.
    #[schema(example = "account")]
    #[schema(max_length = 32)]
    pub kind: &'static str,
    /// The account's role (accounts only).
    pub role: Option<Role>,
    /// The integration's scopes (integrations only).
    #[schema(max_items = 2)]
    pub scopes: Vec<Scope>,
    /// True while the session may only change its one-time password.
    pub must_change_password: bool,
}

/// Log in with email and password. Every failure (unknown email, wrong password, deactivated
/// account, expired one-time password) gets the same 401. Repeated failures are throttled.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    security(()),
    extensions(("x-rate-limit" = json!("login"))),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "The email or password is incorrect",
            content_type = "application/problem+json", body = Problem,
            headers(("WWW-Authenticate" = String, description = "Bearer"))),
        (status = 429, description = "Too many failed attempts; wait `Retry-After` seconds",
            content_type = "application/problem+json", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait")))
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.0;
    let tokens = identity::login::login(&state, &email, password, meta).await?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// Exchange a refresh token for a new token pair. The old refresh token stops working;
/// presenting it again ends the whole session.
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh_token",
    security(()),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "The refresh token is invalid, expired or revoked",
            content_type = "application/problem+json", body = Problem,
            headers(("WWW-Authenticate" = String, description = "Bearer")))
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let tokens = identity::sessions::refresh(&state, &body.0.refresh_token, meta).await?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// End this session: its refresh token stops working now, its access token at expiry.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    security(("access_token" = [])),
    responses((status = 204, description = "Logged out"))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    identity::sessions::logout(&state, caller).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change your password (required after logging in with a one-time password). Every session
/// of the account ends; the response is a fresh token pair for this one.
#[utoipa::path(
    tag = "auth",
    operation_id = "change_password",
    security(("access_token" = [])),
    extensions(("x-rate-limit" = json!("login"))),
    request_body = PasswordChangeRequest,
    responses(
        (status = 200, description = "Password changed; a fresh session", body = TokenResponse),
        (status = 429, description = "Too many wrong current passwords; wait `Retry-After` seconds",
            content_type = "application/problem+json", body = Problem,
            headers(("Retry-After" = u64, description = "Seconds to wait")))
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Authenticated,
    body: Json<PasswordChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let PasswordChangeRequest {
        current_password,
        new_password,
    } = body.0;
    let tokens = identity::password::change(&state, caller, current_password, new_password).await?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// Who these credentials belong to.
#[utoipa::path(
    tag = "auth",
    operation_id = "get_me",
    security(("access_token" = []), ("integration_key" = [])),
    responses((status = 200, description = "The caller", body = Me))
)]
#[get("/auth/me")]
pub async fn me(caller: Authenticated) -> HttpResponse {
    let me = match caller.principal {
        Principal::Account { id, role, .. } => Me {
            id,
            kind: "account",
            role: Some(role),
            scopes: Vec::new(),
            must_change_password: caller.password_change_required,
        },
        Principal::Integration { id, scopes, .. } => Me {
            id,
            kind: "integration",
            role: None,
            scopes,
            must_change_password: false,
        },
    };
    HttpResponse::Ok().json(me)
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(change_password)
        .service(me);
}
