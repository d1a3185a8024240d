//! Survey forms and answers.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use uuid::Uuid;

use crate::auth::{Action, Caller, Reader, policy};
use crate::plumbing::error::ApiError;
use crate::plumbing::extract::Json;
use crate::plumbing::http::{Page, PageQuery, decode_cursor, page_limit};
use crate::plumbing::state::AppState;
use crate::surveys::dto::*;
use crate::surveys::service;
use utoipa_actix_web::service_config::ServiceConfig;

/// Create a form (office and admin). Its questions are version 1.
#[utoipa::path(
    tag = "surveys",
    operation_id = "create_survey",
    security(("access_token" = [])),
    params(crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = NewSurvey,
    responses((status = 201, description = "Created", body = SurveyView,
        headers(("Location" = String, description = "URL of the form"))))
)]
#[post("/surveys")]
pub async fn create_survey(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NewSurvey>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageSurveys)?;
    let survey = service::create(&state, caller, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/surveys/{}", survey.id)))
        .json(survey))
}

/// Replace a form's questions with a new version. Earlier answers keep their version.
#[utoipa::path(
    tag = "surveys",
    operation_id = "create_survey_version",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Survey id"), crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = NewVersion,
    responses((status = 201, description = "The new version", body = SurveyView))
)]
#[post("/surveys/{id}/versions")]
pub async fn create_survey_version(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<NewVersion>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageSurveys)?;
    Ok(HttpResponse::Created()
        .json(service::add_version(&state, caller, id.into_inner(), body.0).await?))
}

/// Every form, at its current version (staff and customers).
#[utoipa::path(
    tag = "surveys",
    operation_id = "list_surveys",
    security(("access_token" = [])),
    params(PageQuery),
    responses((status = 200, description = "One page of forms, oldest first", body = Page<SurveyView>))
)]
#[get("/surveys")]
pub async fn list_surveys(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    accounts_only(&caller)?;
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<Uuid>(query.cursor.as_deref())?;
    Ok(HttpResponse::Ok().json(service::list(&state, after, limit).await?))
}

/// A form, at its current version or the one asked for (staff and customers).
#[utoipa::path(
    tag = "surveys",
    operation_id = "get_survey",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Survey id"), VersionQuery),
    responses((status = 200, description = "The form", body = SurveyView))
)]
#[get("/surveys/{id}")]
pub async fn get_survey(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, ApiError> {
    accounts_only(&caller)?;
    Ok(HttpResponse::Ok().json(service::get(&state, id.into_inner(), query.version).await?))
}

/// Answer a form: a customer for themselves, or office staff for a named customer. The answers
/// are checked against the version answered (the current one unless given).
#[utoipa::path(
    tag = "surveys",
    operation_id = "create_survey_response",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Survey id"), crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = NewResponse,
    responses((status = 201, description = "Stored", body = ResponseView))
)]
#[post("/surveys/{id}/responses")]
pub async fn create_survey_response(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<NewResponse>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created()
        .json(service::respond(&state, caller, id.into_inner(), body.0).await?))
}

/// Per-question counts and averages over every answer to one version (office and admin).
/// Holds no personal data.
#[utoipa::path(
    tag = "surveys",
    operation_id = "get_survey_aggregates",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Survey id"), VersionQuery),
    responses((status = 200, description = "The figures", body = Aggregates))
)]
#[get("/surveys/{id}/aggregates")]
pub async fn get_survey_aggregates(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    query: web::Query<VersionQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageSurveys)?;
    Ok(HttpResponse::Ok().json(service::aggregates(&state, id.into_inner(), query.version).await?))
}

/// A customer's survey answers, newest first (office and admin). The read is audited.
#[utoipa::path(
    tag = "surveys",
    operation_id = "list_customer_survey_responses",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id"), PageQuery),
    responses((status = 200, description = "One page of answers, newest first", body = Page<ResponseView>))
)]
#[get("/customers/{id}/survey-responses")]
pub async fn list_customer_survey_responses(
    state: web::Data<AppState>,
    caller: Reader,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageSurveys)?;
    let limit = page_limit(query.limit)?;
    let before = decode_cursor::<Uuid>(query.cursor.as_deref())?;
    let answers =
        service::customer_responses(&state, caller, id.into_inner(), before, limit).await?;
    Ok(HttpResponse::Ok().json(answers))
}

/// Forms are for people: integrations have no use for them.
fn accounts_only(caller: &Caller) -> Result<(), ApiError> {
    if policy::is_person(&caller.principal) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_survey)
        .service(create_survey_version)
        .service(list_surveys)
        .service(get_survey)
        .service(create_survey_response)
        .service(get_survey_aggregates)
        .service(list_customer_survey_responses);
}
