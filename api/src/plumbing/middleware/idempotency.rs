//! `Idempotency-Key` on the creating `POST`s: a client that lost an answer sends the request
//! again with the same key and gets the first response back (marked `Idempotent-Replayed:
//! true`) instead of creating a second customer or sending a notice twice. The same key with a
//! different request is a 422; while the first is still being handled, a 409.
//!
//! Only successful responses are kept: a failed request changed nothing, so its key is freed and
//! the request may be retried. Operations whose response holds a secret shown once (API keys,
//! one-time passwords, tokens) are not in the list: their answers are never stored.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, web};
use chrono::Utc;
use persistence::DbError;
use persistence::idempotency::{self, Claim, KeyedRequest, StoredResponse};

use super::refused::{or_refuse, refused};
use crate::auth::{Caller, Principal, secrets};
use crate::plumbing::error::ApiError;
use crate::plumbing::extract::{BodyLimit, read_limited};
use crate::plumbing::http::invalid_parameter;
use crate::plumbing::state::AppState;
use crate::routes::RouteTable;

/// The header, as each operation that honours it declares it: `params(IdempotencyKey)` in the
/// operation's `#[utoipa::path]` is what makes this middleware act on it (see
/// [`RouteTable::idempotent`]), so the contract and the behaviour cannot drift apart.
#[derive(utoipa::IntoParams)]
#[into_params(names("Idempotency-Key"), parameter_in = Header)]
pub struct IdempotencyKey(
    #[doc = "A key of your choosing (a UUID) that makes a retry safe: the same key with the \
same body (the same JSON, whatever its key order or spacing) within 24 hours returns the first \
successful response again, with `Idempotent-Replayed: true`, instead of doing the work twice. The \
same key with a different body is a 422 (`idempotency-key-reused`); while the first request is \
still being handled, a 409. A failed request frees its key."]
    #[param(
        value_type = String,
        required = false,
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]+$",
        example = "5f0c6f5e-8f5b-4c41-9d55-2f2b8d6c9a10"
    )]
    #[allow(dead_code)]
    Option<String>,
);

/// The request header.
pub const KEY_HEADER: &str = "Idempotency-Key";
/// The response header on a replayed answer.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";
/// The longest key accepted.
pub const MAX_KEY_LENGTH: usize = 255;
/// The characters a key may have (visible ASCII), as the contract states them.
pub const KEY_PATTERN: &str = "^[!-~]+$";

/// How long a key and its answer are kept (the personal-data map says 24 hours).
const KEPT: chrono::Duration = chrono::Duration::hours(24);
/// How long an unanswered key waits for its request before a retry may take it over: far longer
/// than any request may take.
const ABANDONED_AFTER: chrono::Duration = chrono::Duration::minutes(5);
/// The response headers a replay repeats.
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

/// Claims, replays or refuses a keyed request to a listed operation before its handler runs;
/// lets every other request through untouched.
pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let applies = req
        .app_data::<web::Data<RouteTable>>()
        .is_some_and(|routes| routes.idempotent(&req));
    let Some(key) = req.headers().get(KEY_HEADER).filter(|_| applies).cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = or_refuse!(req, valid_key(&key));
    let (Ok(caller), Some(state)) = (
        req.extract::<Caller>().await,
        req.app_data::<web::Data<AppState>>().cloned(),
    ) else {
        // The handler refuses the credentials in its own words.
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let limits = req.app_data::<BodyLimit>().copied().unwrap_or_default();
    let body = or_refuse!(req, read_limited(req.take_payload(), limits).await).freeze();
    let request = KeyedRequest {
        principal: principal_of(&caller.principal),
        key,
        method: req.method().to_string(),
        path: req.path().to_owned(),
        fingerprint: fingerprint(&body),
    };
    let claimed = {
        let request = request.clone();
        state
            .writer
            .write_unaudited(move |conn| {
                match idempotency::claim(conn, &request, Utc::now(), KEPT, ABANDONED_AFTER) {
                    // A concurrent request (PostgreSQL: any instance) claimed it between our
                    // look and our insert.
                    Err(DbError::UniqueViolation { .. }) => Ok(Claim::InFlight),
                    other => Ok(other?),
                }
            })
            .await
    };
    match or_refuse!(req, claimed) {
        Claim::Mismatch => Ok(refused(req, ApiError::IdempotencyKeyReused)),
        Claim::InFlight => Ok(refused(
            req,
            ApiError::Conflict {
                detail: "a request with this Idempotency-Key is still being handled; retry shortly"
                    .to_owned(),
                existing_id: None,
            },
        )),
        Claim::Answered(stored) => {
            let replayed = or_refuse!(req, replay(&stored));
            Ok(req.into_response(replayed))
        }
        Claim::Acquired => {
            req.set_payload(body.into());
            let outcome = next.call(req).await;
            let succeeded = matches!(&outcome, Ok(response) if response.status().is_success());
            if !succeeded {
                settle(&state, request, None).await;
                return Ok(outcome?.map_into_boxed_body());
            }
            keep(&state, request, outcome?.map_into_boxed_body()).await
        }
    }
}

/// A key is 1–255 visible ASCII characters (a UUID is the usual choice).
fn valid_key(value: &HeaderValue) -> Result<String, ApiError> {
    value
        .to_str()
        .ok()
        .filter(|key| {
            !key.is_empty()
                && key.len() <= MAX_KEY_LENGTH
                && key.bytes().all(|b| b.is_ascii_graphic())
        })
        .map(str::to_owned)
        .ok_or_else(|| {
            invalid_parameter(
                KEY_HEADER,
                "must be 1–255 visible ASCII characters, such as a UUID",
            )
        })
}

/// The body's fingerprint: of its JSON value, so that the same request serialised again (keys
/// in another order, other spacing) is the same request; of the bytes when it is not JSON.
fn fingerprint(body: &[u8]) -> String {
    let canonical = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|value| serde_json::to_vec(&value).ok());
    secrets::sha256_hex_bytes(canonical.as_deref().unwrap_or(body))
}

fn principal_of(principal: &Principal) -> String {
    match principal {
        Principal::Account { id, .. } => format!("account:{id}"),
        Principal::Integration { id, .. } => format!("integration:{id}"),
    }
}

/// Stores the successful response under the key and sends it on.
async fn keep(
    state: &AppState,
    request: KeyedRequest,
    response: ServiceResponse,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let (req, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let body = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("reading the response: {e}")))?;
    let stored = StoredResponse {
        status: head.status().as_u16(),
        headers: KEPT_HEADERS
            .iter()
            .filter_map(|name| {
                let value = head.headers().get(name)?.to_str().ok()?;
                Some((name.as_str().to_owned(), value.to_owned()))
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    settle(state, request, Some(stored)).await;
    Ok(ServiceResponse::new(req, head.set_body(BoxBody::new(body))))
}

/// Keeps the answer under the key, or frees the key (`None`) of a request that failed so it may
/// be sent again. A failure here is logged, not answered: the request's own outcome stands, and
/// the key is taken over after `ABANDONED_AFTER`.
async fn settle(state: &AppState, request: KeyedRequest, answer: Option<StoredResponse>) {
    let settled = state
        .writer
        .write_unaudited(move |conn| {
            let (principal, key) = (&request.principal, &request.key);
            Ok(match &answer {
                Some(answer) => idempotency::complete(conn, principal, key, answer),
                None => idempotency::release(conn, principal, key),
            }?)
        })
        .await;
    if settled.is_err() {
        tracing::warn!("could not settle the key of an idempotent request");
    }
}

fn replay(stored: &StoredResponse) -> Result<HttpResponse, ApiError> {
    let status = StatusCode::from_u16(stored.status)
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("unreadable kept response status")))?;
    let mut response = HttpResponse::build(status);
    for (name, value) in &stored.headers {
        response.insert_header((name.as_str(), value.as_str()));
    }
    response.insert_header((REPLAYED_HEADER, "true"));
    Ok(response.body(stored.body.clone()))
}
