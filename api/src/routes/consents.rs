//! The privacy notice, and consents: given or withdrawn in one call.

use actix_web::{HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Action, Caller};
use crate::plumbing::db;
use crate::plumbing::error::ApiError;
use crate::plumbing::extract::Json;
use crate::plumbing::state::AppState;
use crate::privacy::consents::{
    self, ConsentChange, ConsentPurpose, Consents, Provenance, StaffConsentChange,
};
use crate::privacy::notice::{self, NoticeLanguage, PrivacyNotice};
use utoipa_actix_web::service_config::ServiceConfig;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// `fi` (default) or `en`.
    pub lang: Option<NoticeLanguage>,
}

/// The current privacy notice: who keeps which data, why, on what basis, for how long, who
/// else processes it and where, and your rights.
#[utoipa::path(
    tag = "privacy",
    operation_id = "get_privacy_notice",
    security(()),
    params(NoticeQuery),
    responses((status = 200, description = "The notice", body = PrivacyNotice))
)]
#[get("/privacy-notice")]
pub async fn get_privacy_notice(
    state: web::Data<AppState>,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, ApiError> {
    let language = query.lang.unwrap_or(NoticeLanguage::Fi);
    let rendered = db::run(&state.pool, move |conn| Ok(notice::render(conn, language)?)).await?;
    Ok(HttpResponse::Ok().json(rendered))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeVersion {
    #[schema(example = "2026-11-25")]
    #[schema(max_length = 50)]
    pub version: String,
    pub published_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeVersions {
    /// Newest first.
    #[schema(max_items = 100)]
    pub items: Vec<NoticeVersion>,
}

/// Every edition of the privacy notice, newest first.
#[utoipa::path(
    tag = "privacy",
    operation_id = "list_privacy_notice_versions",
    security(()),
    responses((status = 200, description = "The editions", body = NoticeVersions))
)]
#[get("/privacy-notice/versions")]
pub async fn list_privacy_notice_versions(
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let versions = db::run(&state.pool, |conn| {
        Ok(persistence::consents::notice_versions(conn)?)
    })
    .await?;
    let items = versions
        .into_iter()
        .map(|(version, published_at)| NoticeVersion {
            version,
            published_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(NoticeVersions { items }))
}

/// Your consents: where each stands, and every change.
#[utoipa::path(
    tag = "me",
    operation_id = "get_my_consents",
    security(("access_token" = [])),
    responses((status = 200, description = "Your consents", body = Consents))
)]
#[get("/me/consents")]
pub async fn get_my_consents(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(consents::list(&state, caller, None).await?))
}

/// Give or withdraw one consent. Withdrawing stops what rested on it at once (a UniikkiLista
/// channel stops).
#[utoipa::path(
    tag = "me",
    operation_id = "put_my_consent",
    security(("access_token" = [])),
    params(("purpose" = ConsentPurpose, Path, description = "What the consent is for")),
    request_body = ConsentChange,
    responses((status = 200, description = "Recorded; your consents now", body = Consents))
)]
#[put("/me/consents/{purpose}")]
pub async fn put_my_consent(
    state: web::Data<AppState>,
    caller: Caller,
    purpose: web::Path<ConsentPurpose>,
    body: Json<ConsentChange>,
) -> Result<HttpResponse, ApiError> {
    let provenance = Provenance {
        source: "self",
        given_by: None,
    };
    let ConsentChange {
        granted,
        privacy_notice_version,
    } = body.0;
    let result = consents::change(
        &state,
        caller,
        None,
        purpose.into_inner(),
        granted,
        privacy_notice_version,
        provenance,
    )
    .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// A customer's consents (office and admin; audited).
#[utoipa::path(
    tag = "customers",
    operation_id = "get_customer_consents",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id")),
    responses((status = 200, description = "The consents", body = Consents))
)]
#[get("/customers/{id}/consents")]
pub async fn get_customer_consents(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageCustomers)?;
    Ok(HttpResponse::Ok().json(consents::list(&state, caller, Some(id.into_inner())).await?))
}

/// Record a consent given or withdrawn on paper, in person or on another form.
#[utoipa::path(
    tag = "customers",
    operation_id = "put_customer_consent",
    security(("access_token" = [])),
    params(
        ("id" = Uuid, Path, description = "Customer id"),
        ("purpose" = ConsentPurpose, Path, description = "What the consent is for")
    ),
    request_body = StaffConsentChange,
    responses((status = 200, description = "Recorded; the customer's consents now", body = Consents))
)]
#[put("/customers/{id}/consents/{purpose}")]
pub async fn put_customer_consent(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, ConsentPurpose)>,
    body: Json<StaffConsentChange>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageCustomers)?;
    let (id, purpose) = path.into_inner();
    let change = body.0;
    let provenance = Provenance {
        source: match change.source {
            consents::ConsentSource::StaffWrittenRequest => "staff_written_request",
            consents::ConsentSource::WebForm => "web_form",
        },
        given_by: Some(change.given_by.as_str()),
    };
    let result = consents::change(
        &state,
        caller,
        Some(id),
        purpose,
        change.granted,
        change.privacy_notice_version,
        provenance,
    )
    .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_privacy_notice)
        .service(list_privacy_notice_versions)
        .service(get_my_consents)
        .service(put_my_consent)
        .service(get_customer_consents)
        .service(put_customer_consent);
}
