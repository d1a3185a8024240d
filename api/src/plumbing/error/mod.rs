//! One error type for the whole API, rendered as `application/problem+json`.

mod calendar;
mod catalogue;
mod fallback;
mod problem;
mod webhook;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use persistence::DbError;

pub use calendar::CalendarRefusal;
pub use catalogue::{PROBLEM_BASE, ProblemType};
pub use fallback::{path_config, query_config, unmatched_route};
pub use problem::{FieldError, Problem};
pub use webhook::WebhookRefusal;

use crate::request_context;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Every way a request can fail, by meaning. Internal causes are logged, never shown.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON at all (syntax error, empty, wrong encoding).
    #[error("malformed request body: {0}")]
    MalformedBody(String),
    /// A path or query parameter has the wrong form.
    #[error("invalid parameter")]
    InvalidParameter(Vec<FieldError>),
    /// The body is JSON but some fields are missing, mistyped, unknown or invalid.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    /// The body did not arrive in time: a slow or stalled client, which must not hold a worker.
    #[error("request timeout")]
    RequestTimeout,
    /// No usable credentials. `detail` says which check failed, never which secret.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    /// The session was opened with a one-time password: only a password change is allowed.
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    /// The request conflicts with existing state, e.g. a duplicate email.
    #[error("conflict: {detail}")]
    Conflict {
        detail: String,
        existing_id: Option<uuid::Uuid>,
    },
    /// The calendar refused a booking or a lesson: full, gone, overlapping, too late.
    #[error("calendar refused: {0:?}")]
    Calendar(CalendarRefusal),
    /// A webhook delivery refused before anything was applied.
    #[error("webhook refused: {0:?}")]
    Webhook(WebhookRefusal),
    /// An `Idempotency-Key` sent again with a different request.
    #[error("idempotency key reused")]
    IdempotencyKeyReused,
    /// `If-Match` named a version that is no longer current.
    #[error("precondition failed")]
    PreconditionFailed,
    /// A change to a versioned resource came without `If-Match`: it could overwrite a change
    /// the client never saw.
    #[error("precondition required")]
    PreconditionRequired,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// The database cannot be reached or the pool is exhausted; worth retrying.
    #[error("service unavailable")]
    Unavailable { retry_after_secs: u64 },
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// The same error about a body nested in another under `field`: each invalid field is
    /// named `field.name`. Other errors are unchanged.
    pub fn under(self, field: &str) -> Self {
        match self {
            Self::Validation(errors) => Self::Validation(
                errors
                    .into_iter()
                    .map(|e| FieldError {
                        field: format!("{field}.{}", e.field),
                        ..e
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    /// The catalogue entry of each variant: its `type`, status and title.
    pub fn kind(&self) -> ProblemType {
        match self {
            Self::MalformedBody(_) => ProblemType::MalformedBody,
            Self::InvalidParameter(_) => ProblemType::InvalidParameter,
            Self::Validation(_) => ProblemType::ValidationFailed,
            Self::UnsupportedMediaType => ProblemType::UnsupportedMediaType,
            Self::PayloadTooLarge { .. } => ProblemType::PayloadTooLarge,
            Self::RequestTimeout => ProblemType::RequestTimeout,
            Self::Unauthorized(_) => ProblemType::Unauthorized,
            Self::Forbidden => ProblemType::Forbidden,
            Self::PasswordChangeRequired => ProblemType::PasswordChangeRequired,
            Self::NotFound => ProblemType::NotFound,
            Self::MethodNotAllowed { .. } => ProblemType::MethodNotAllowed,
            Self::Conflict { .. } => ProblemType::Conflict,
            Self::Calendar(refusal) => refusal.kind(),
            Self::Webhook(refusal) => refusal.kind(),
            Self::IdempotencyKeyReused => ProblemType::IdempotencyKeyReused,
            Self::PreconditionFailed => ProblemType::PreconditionFailed,
            Self::PreconditionRequired => ProblemType::PreconditionRequired,
            Self::TooManyRequests { .. } => ProblemType::TooManyRequests,
            Self::Unavailable { .. } => ProblemType::ServiceUnavailable,
            Self::Internal(_) => ProblemType::InternalError,
        }
    }

    fn detail(&self) -> Option<String> {
        if let Self::InvalidParameter(errors) | Self::Validation(errors) = self
            && errors.len() > MAX_FIELD_ERRORS
        {
            return Some(format!(
                "{} fields are invalid; the first {MAX_FIELD_ERRORS} are listed",
                errors.len()
            ));
        }
        match self {
            Self::MalformedBody(detail) => Some(detail.clone()),
            Self::InvalidParameter(errors) | Self::Validation(errors) => Some(match errors.len() {
                1 => "1 field is invalid".to_owned(),
                n => format!("{n} fields are invalid"),
            }),
            Self::PayloadTooLarge { limit } => Some(format!("the limit is {limit} bytes")),
            Self::Unauthorized(detail) => Some((*detail).to_owned()),
            Self::PasswordChangeRequired => Some(
                "POST /api/v1/auth/password with your one-time password and a new one".to_owned(),
            ),
            Self::Conflict { detail, .. } => Some(detail.clone()),
            Self::Calendar(refusal) => Some(refusal.detail()),
            Self::Webhook(refusal) => Some(refusal.detail()),
            Self::IdempotencyKeyReused => Some(
                "send a new key with a new request; a key repeats only the request it came with"
                    .to_owned(),
            ),
            Self::PreconditionFailed => {
                Some("fetch the resource again and retry with its current ETag".to_owned())
            }
            Self::PreconditionRequired => Some(
                "send If-Match with the ETag you read (or `*` to change whatever is current)"
                    .to_owned(),
            ),
            Self::TooManyRequests { retry_after_secs } | Self::Unavailable { retry_after_secs } => {
                Some(format!("retry after {retry_after_secs} seconds"))
            }
            _ => None,
        }
    }

    /// The body of this error for the request being served, within the contract's bounds:
    /// a body with thousands of faults (unknown keys, say) is told of the first
    /// [`MAX_FIELD_ERRORS`] (`detail` counts them all), and names a client made up are cut.
    pub fn problem(&self) -> Problem {
        let kind = self.kind();
        let context = request_context::current();
        Problem {
            problem_type: kind,
            title: kind.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            instance: context.as_ref().map(|c| clip(&c.path, MAX_INSTANCE)),
            request_id: context.map(|c| c.request_id),
            errors: match self {
                Self::InvalidParameter(errors) | Self::Validation(errors) => errors
                    .iter()
                    .take(MAX_FIELD_ERRORS)
                    .map(|e| FieldError {
                        field: clip(&e.field, MAX_FIELD_NAME),
                        ..e.clone()
                    })
                    .collect(),
                _ => Vec::new(),
            },
            existing_id: match self {
                Self::Conflict { existing_id, .. } => *existing_id,
                Self::Calendar(CalendarRefusal::Overlap { existing_id, .. }) => Some(*existing_id),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.kind().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            let request_id = request_context::current().map(|c| c.request_id);
            tracing::error!(request_id, error = format!("{cause:#}"), "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            Self::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"uniikki\""));
            }
            Self::Webhook(WebhookRefusal::Signature) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    "WebhookSignature realm=\"uniikki\"",
                ));
            }
            Self::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            Self::TooManyRequests { retry_after_secs } | Self::Unavailable { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            _ => {}
        }
        response.body(serde_json::to_vec(&self.problem()).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        DbError::from(error).into()
    }
}

impl From<domain::customer::ProcessingRestricted> for ApiError {
    fn from(refused: domain::customer::ProcessingRestricted) -> Self {
        Self::Conflict {
            detail: refused.to_string(),
            existing_id: None,
        }
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Unavailable(cause) => {
                tracing::warn!(cause, "database unavailable");
                Self::Unavailable {
                    retry_after_secs: 5,
                }
            }
            DbError::NotFound => Self::NotFound,
            DbError::UniqueViolation { constraint } => Self::Internal(anyhow::anyhow!(
                "unique constraint `{constraint}` violated where the caller expected none"
            )),
            other => Self::Internal(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_variant_has_its_status() {
        let cases: Vec<(ApiError, u16)> = vec![
            (ApiError::MalformedBody("x".into()), 400),
            (ApiError::InvalidParameter(vec![]), 400),
            (ApiError::Validation(vec![]), 422),
            (ApiError::UnsupportedMediaType, 415),
            (ApiError::PayloadTooLarge { limit: 1 }, 413),
            (ApiError::RequestTimeout, 408),
            (ApiError::Unauthorized("x"), 401),
            (ApiError::Forbidden, 403),
            (ApiError::PasswordChangeRequired, 403),
            (ApiError::NotFound, 404),
            (ApiError::MethodNotAllowed { allow: vec![] }, 405),
            (
                ApiError::Conflict {
                    detail: "x".into(),
                    existing_id: None,
                },
                409,
            ),
            (ApiError::IdempotencyKeyReused, 422),
            (ApiError::PreconditionFailed, 412),
            (ApiError::PreconditionRequired, 428),
            (
                ApiError::TooManyRequests {
                    retry_after_secs: 1,
                },
                429,
            ),
            (
                ApiError::Unavailable {
                    retry_after_secs: 1,
                },
                503,
            ),
            (ApiError::Internal(anyhow::anyhow!("boom")), 500),
        ];
        for (error, status) in cases {
            assert_eq!(error.status_code().as_u16(), status, "{error:?}");
            assert_eq!(error.problem().status, status, "{error:?}");
        }
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let problem = ApiError::Internal(anyhow::anyhow!("SELECT secret FROM x")).problem();
        let body = serde_json::to_string(&problem).unwrap();
        assert!(!body.contains("SELECT"), "{body}");
    }

    #[test]
    fn a_database_outage_is_a_503_with_retry_after() {
        let response = ApiError::from(DbError::Unavailable("down".into())).error_response();
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "5");
    }
}

/// The most field errors one problem lists (the contract's `maxItems`).
pub const MAX_FIELD_ERRORS: usize = 100;
/// The longest field name a problem repeats (the contract's `FieldError.field` `maxLength`).
const MAX_FIELD_NAME: usize = 200;
/// The longest request path a problem repeats as `instance`.
const MAX_INSTANCE: usize = 2048;

/// `text` cut to at most `max` characters (an ellipsis marks the cut).
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod bound_tests {
    use super::*;
    use domain::FieldCode;

    #[test]
    fn a_flood_of_faults_is_told_within_the_contracts_bounds() {
        let errors = (0..5000)
            .map(|i| {
                FieldError::new(
                    format!("{i}{}", "x".repeat(500)),
                    FieldCode::UnknownField,
                    "is not a field of this request",
                )
            })
            .collect();
        let problem = ApiError::Validation(errors).problem();
        assert_eq!(problem.errors.len(), MAX_FIELD_ERRORS);
        assert!(
            problem
                .errors
                .iter()
                .all(|e| e.field.chars().count() <= 200)
        );
        assert_eq!(
            problem.detail.as_deref(),
            Some("5000 fields are invalid; the first 100 are listed")
        );
    }
}
