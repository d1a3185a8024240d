//! Integration clients (admin only): the online calendar and the webshop.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use uuid::Uuid;

use crate::auth::{Action, Caller};
use crate::identity::integrations::{
    self, CreatedIntegration, IntegrationView, NewIntegrationRequest,
};
use crate::plumbing::error::ApiError;
use crate::plumbing::extract::Json;
use crate::plumbing::http::{Page, PageQuery, decode_cursor, page_limit};
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

/// Register an integration. The response holds its API key and webhook signing secret: they
/// are shown this once only.
#[utoipa::path(
    tag = "integrations",
    operation_id = "create_integration",
    security(("access_token" = [])),
    request_body = NewIntegrationRequest,
    responses((status = 201, description = "Created, with its secrets", body = CreatedIntegration,
        headers(("Location" = String, description = "URL of the integration"))))
)]
#[post("/integrations")]
pub async fn create_integration(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NewIntegrationRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageIntegrations)?;
    let created = integrations::create(&state, caller, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/integrations/{}", created.integration.id),
        ))
        .json(created))
}

/// List integrations, oldest first, revoked ones included.
#[utoipa::path(
    tag = "integrations",
    operation_id = "list_integrations",
    security(("access_token" = [])),
    params(PageQuery),
    responses((status = 200, description = "One page of integrations", body = Page<IntegrationView>))
)]
#[get("/integrations")]
pub async fn list_integrations(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageIntegrations)?;
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<Uuid>(query.cursor.as_deref())?;
    Ok(HttpResponse::Ok().json(integrations::list(&state, after, limit).await?))
}

/// Revoke an integration's API key: it stops authenticating at once.
#[utoipa::path(
    tag = "integrations",
    operation_id = "revoke_integration",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Integration id")),
    responses((status = 204, description = "Revoked"))
)]
#[delete("/integrations/{id}")]
pub async fn revoke_integration(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageIntegrations)?;
    integrations::revoke(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_integration)
        .service(list_integrations)
        .service(revoke_integration);
}
