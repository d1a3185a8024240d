//! UniikkiLista: public sign-up, confirmation and unsubscribe (rate-limited, no login), and the
//! staff side (list, link to a customer, send notices).

use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, patch, post, web};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{Action, Caller, Reader, RequestMeta};
use crate::plumbing::error::{ApiError, FieldError};
use crate::plumbing::extract::{BodyLimit, Json, read_limited};
use crate::plumbing::http::{Page, decode_cursor, page_limit};
use crate::plumbing::state::AppState;
use crate::uniikkilista::dto::*;
use crate::uniikkilista::{notice, signup, subscriptions};
use domain::FieldCode;
use utoipa_actix_web::service_config::ServiceConfig;

/// Join UniikkiLista. Nothing is sent until each chosen channel is confirmed: a link by
/// email, a code by SMS. The answer is the same whether or not the address was on the list.
#[utoipa::path(
    tag = "uniikkilista",
    operation_id = "subscribe_uniikkilista",
    security(()),
    extensions(("x-rate-limit" = json!("public"))),
    request_body = SubscribeRequest,
    responses(
        (status = 202, description = "Confirmation sent on each chosen channel", body = SubscribeAccepted)
    )
)]
#[post("/uniikkilista/subscriptions")]
pub async fn subscribe(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Json<SubscribeRequest>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Accepted().json(signup::subscribe(&state, body.0, meta).await?))
}

/// Confirm a channel with the token from the email link or the code from the SMS.
#[utoipa::path(
    tag = "uniikkilista",
    operation_id = "confirm_uniikkilista",
    security(()),
    extensions(("x-rate-limit" = json!("public"))),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "The channel is now active", body = Confirmed)
    )
)]
#[post("/uniikkilista/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Json<ConfirmRequest>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(signup::confirm(&state, &body.0.token, meta).await?))
}

/// Stop notices with the token every message carries: its channel, or `all`. The token may be
/// in the JSON body or in the query string (one-click unsubscribe from a mail client, RFC 8058,
/// whose form body is then ignored). Works as often as it is used.
#[utoipa::path(
    tag = "uniikkilista",
    operation_id = "unsubscribe_uniikkilista",
    security(()),
    extensions(("x-rate-limit" = json!("public"))),
    params(UnsubscribeQuery),
    request_body(content = Option<UnsubscribeRequest>, description = "Not needed when the token is in the query string"),
    responses(
        (status = 200, description = "Unsubscribed", body = Unsubscribed)
    )
)]
#[post("/uniikkilista/unsubscribe")]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    meta: RequestMeta,
    req: HttpRequest,
    query: web::Query<UnsubscribeQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let limits = req.app_data::<BodyLimit>().copied().unwrap_or_default();
    let body = read_limited(payload.into_inner(), limits).await?;
    let query = query.into_inner();
    crate::plumbing::http::at_most("token", query.token.as_deref(), 200)?;
    let (token, scope) = match query.token {
        Some(token) => (token, query.scope),
        None if body.is_empty() => {
            return Err(ApiError::Validation(vec![FieldError::new(
                "token",
                FieldCode::Required,
                "send the token from the message in the query string or in the body",
            )]));
        }
        None => {
            let is_json = req
                .mime_type()
                .ok()
                .flatten()
                .is_some_and(|m| m.essence_str() == "application/json");
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let request: UnsubscribeRequest = crate::plumbing::extract::parse(&body)?;
            request
                .validate()
                .map_err(|e| ApiError::Validation(crate::plumbing::extract::field_errors(&e)))?;
            (request.token, request.scope.or(query.scope))
        }
    };
    Ok(HttpResponse::Ok().json(signup::unsubscribe(&state, &token, scope, meta).await?))
}

/// List subscriptions (office and admin).
#[utoipa::path(
    tag = "uniikkilista",
    operation_id = "list_uniikkilista_subscriptions",
    security(("access_token" = [])),
    params(SubscriptionQuery),
    responses((status = 200, description = "One page of subscriptions", body = Page<SubscriptionView>))
)]
#[get("/uniikkilista/subscriptions")]
pub async fn list_subscriptions(
    state: web::Data<AppState>,
    caller: Reader,
    query: web::Query<SubscriptionQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUniikkilista)?;
    let limit = page_limit(query.limit)?;
    let query = query.into_inner();
    let after = decode_cursor::<Uuid>(query.cursor.as_deref())?;
    Ok(HttpResponse::Ok().json(subscriptions::list(&state, caller, query, after, limit).await?))
}

/// Link a subscription to a customer, or unlink it with `null`.
#[utoipa::path(
    tag = "uniikkilista",
    operation_id = "update_uniikkilista_subscription",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Subscription id")),
    request_body = SubscriptionPatch,
    responses((status = 200, description = "Updated", body = SubscriptionView))
)]
#[patch("/uniikkilista/subscriptions/{id}")]
pub async fn update_subscription(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<SubscriptionPatch>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUniikkilista)?;
    Ok(HttpResponse::Ok()
        .json(subscriptions::link_customer(&state, caller, id.into_inner(), body.0).await?))
}

/// Send a notice to every confirmed subscriber of a topic, on each channel they chose, in
/// their language (Finnish where the text is missing).
#[utoipa::path(
    tag = "uniikkilista",
    operation_id = "send_uniikkilista_notice",
    security(("access_token" = [])),
    params(crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = NoticeRequest,
    responses((status = 202, description = "Messages queued for delivery", body = NoticeQueued))
)]
#[post("/uniikkilista/notices")]
pub async fn send_notice(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NoticeRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ManageUniikkilista)?;
    Ok(HttpResponse::Accepted().json(notice::send_notice(&state, caller, body.0).await?))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(subscribe)
        .service(confirm)
        .service(unsubscribe)
        .service(list_subscriptions)
        .service(update_subscription)
        .service(send_notice);
}
