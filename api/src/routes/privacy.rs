//! The right of access and portability: a complete export.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;

use crate::auth::{Action, Caller};
use crate::plumbing::db;
use crate::plumbing::error::ApiError;
use crate::plumbing::extract::Json;
use crate::plumbing::state::AppState;
use crate::privacy::erasure::{self, ErasureReport, ErasureRequest};
use crate::privacy::export::{ExportDocument, export};
use crate::privacy::records::{self, ProcessingRecords};
use utoipa_actix_web::service_config::ServiceConfig;

fn download(document: &ExportDocument) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"uniikki-export-{}.json\"",
                document.customer_id
            ),
        ))
        .json(document)
}

/// Everything the register holds about a customer, with the GDPR Article 15 information
/// (office and admin; audited).
#[utoipa::path(
    tag = "privacy",
    operation_id = "export_customer",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id")),
    responses((status = 200, description = "The export", body = ExportDocument))
)]
#[get("/customers/{id}/export")]
pub async fn export_customer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageCustomers)?;
    Ok(download(
        &export(&state, caller, Some(id.into_inner())).await?,
    ))
}

/// Everything the register holds about you, machine-readable (customer logins).
#[utoipa::path(
    tag = "me",
    operation_id = "export_my_data",
    security(("access_token" = [])),
    responses((status = 200, description = "Your export", body = ExportDocument))
)]
#[get("/me/export")]
pub async fn export_me(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    Ok(download(&export(&state, caller, None).await?))
}

/// The record of processing activities (GDPR Art. 30), generated from the personal-data map
/// and the integrations registry (admin).
#[utoipa::path(
    tag = "privacy",
    operation_id = "get_processing_records",
    security(("access_token" = [])),
    responses((status = 200, description = "The record", body = ProcessingRecords))
)]
#[get("/processing-records")]
pub async fn get_processing_records(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManagePrivacy)?;
    Ok(HttpResponse::Ok().json(db::run(&state.pool, |conn| Ok(records::build(conn)?)).await?))
}

/// Erase a customer: everything about them is deleted or irreversibly anonymised, their login
/// and sessions end, they leave UniikkiLista, and open erasure requests are completed. The
/// report says what was erased and what is kept, why and until when. `preview: true` changes
/// nothing (admin).
#[utoipa::path(
    tag = "privacy",
    operation_id = "erase_customer",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id")),
    request_body = ErasureRequest,
    responses(
        (status = 200, description = "The erasure report", body = ErasureReport),
        (status = 409, description = "The customer has already been erased",
            content_type = "application/problem+json", body = crate::plumbing::error::Problem)
    )
)]
#[post("/customers/{id}/erasure")]
pub async fn erase_customer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<ErasureRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManagePrivacy)?;
    Ok(HttpResponse::Ok().json(erasure::erase(&state, caller, id.into_inner(), body.0).await?))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export_customer)
        .service(export_me)
        .service(get_processing_records)
        .service(erase_customer);
}
