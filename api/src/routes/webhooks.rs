//! Signed webhooks from the integrations (Standard Webhooks), and the rotation of their secret.

use actix_web::{HttpRequest, HttpResponse, post, web};
use uuid::Uuid;

use crate::auth::{Action, Caller, RequestMeta};
use crate::plumbing::error::{ApiError, FieldError, Problem};
use crate::plumbing::extract::RawJson;
use crate::plumbing::state::AppState;
use crate::webhooks::dto::{WebhookEvent, WebhookReceipt};
use crate::webhooks::{self, Signed};
use domain::FieldCode;
use utoipa_actix_web::service_config::ServiceConfig;

/// The value of header `name`, or 400 naming it.
fn header(req: &HttpRequest, name: &str) -> Result<String, ApiError> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError::InvalidParameter(vec![FieldError::new(
                name,
                FieldCode::Required,
                "Standard Webhooks headers are required",
            )])
        })
}

/// Deliver a change from an integration, signed as Standard Webhooks say:
/// `webhook-signature: v1,<base64 HMAC-SHA256 of "webhook-id.webhook-timestamp.body">` with
/// the integration's `whsec_` secret. Each `webhook-id` is taken once; changes of one booking
/// are applied in the order of the body's `timestamp`, so an older change arriving late does
/// nothing (`outcome: stale`). A change that cannot be made is filed `refused` with its problem
/// type (sending it again would not help). A bad signature, a timestamp more than five minutes
/// off, or a repeated `webhook-id` changes nothing.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "receive_webhook",
    security(()),
    params(
        ("id" = Uuid, Path, description = "The sending integration's id"),
        ("webhook-id" = String, Header, description = "The delivery's unique id (the same on a retry)",
            min_length = 1, max_length = 255, pattern = "^[!-~]+$"),
        ("webhook-timestamp" = String, Header, description = "Seconds since 1970 when the delivery was signed",
            min_length = 1, max_length = 12, pattern = "^[0-9]+$"),
        ("webhook-signature" = String, Header, description = "Space-separated `v1,<base64>` signatures; any one matching suffices",
            min_length = 4, max_length = 2000, pattern = "^v1,")
    ),
    request_body = WebhookEvent,
    responses(
        (status = 200, description = "Received and filed; `outcome` says what came of it", body = WebhookReceipt),
        (status = 400, description = "A header is missing or malformed, the timestamp is more than five minutes off (`webhook-stale`), or the `webhook-id` was received before (`webhook-replayed`)",
            content_type = "application/problem+json", body = Problem),
        (status = 401, description = "No signature matches the integration's secret, or no such active integration (`webhook-signature`)",
            content_type = "application/problem+json", body = Problem,
            headers(("WWW-Authenticate" = String, description = "`WebhookSignature realm=\"uniikki\"`")))
    )
)]
#[post("/integrations/{id}/webhooks")]
pub async fn receive_webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: RawJson,
) -> Result<HttpResponse, ApiError> {
    let signed = Signed {
        id: header(&req, "webhook-id")?,
        timestamp: header(&req, "webhook-timestamp")?,
        signature: header(&req, "webhook-signature")?,
    };
    let meta = RequestMeta::of(&req);
    let receipt = webhooks::receive(&state, id.into_inner(), signed, body.0, meta).await?;
    Ok(HttpResponse::Ok().json(receipt))
}

/// A new webhook secret for the integration (admin). The old one keeps verifying for 24 hours
/// while the sender moves over; the new one is shown this once.
#[utoipa::path(
    tag = "integrations",
    operation_id = "rotate_webhook_secret",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Integration id")),
    responses((status = 200, description = "The new secret", body = crate::identity::integrations::RotatedWebhookSecret))
)]
#[post("/integrations/{id}/webhook-secret")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageIntegrations)?;
    let rotated =
        crate::identity::integrations::rotate_webhook_secret(&state, caller, id.into_inner())
            .await?;
    Ok(HttpResponse::Ok().json(rotated))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(receive_webhook).service(rotate_webhook_secret);
}
