//! The RFC 9457 problem document every error response carries.

use domain::FieldCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::ProblemType;
use crate::request_context::RequestContext;

/// An error response (`application/problem+json`, RFC 9457). `type` identifies the kind of
/// problem and is stable; `title` is its short human summary; `detail` explains this
/// occurrence. Quote `request_id` when reporting a problem.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://api.uniikkiaani.fi/problems/validation-failed",
    "title": "The request body has invalid fields",
    "status": 422,
    "detail": "1 field is invalid",
    "instance": "/api/v1/customers",
    "request_id": "01934b6e-8f5e-7c3a-9d2b-5f1e2a3b4c5d",
    "errors": [{"field": "email", "code": "email", "message": "must be an email address"}]
}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: ProblemType,
    #[schema(max_length = 200)]
    pub title: String,
    /// The HTTP status code, repeated for clients that only see the body.
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 1000)]
    pub detail: Option<String>,
    /// The request path this problem occurred on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2048)]
    pub instance: Option<String>,
    /// The `X-Request-Id` of the request, for support and log correlation.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 128)]
    pub request_id: Option<String>,
    /// One entry per invalid field (validation problems only); at most the first 100, when
    /// `detail` says there were more.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 100)]
    pub errors: Vec<FieldError>,
    /// On a conflict with an existing resource: that resource's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<uuid::Uuid>,
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the body, dotted for nested fields (`address.postal_code`), or the
    /// name of the path or query parameter.
    #[schema(example = "email")]
    #[schema(max_length = 200)]
    pub field: String,
    pub code: FieldCode,
    /// A human-readable explanation.
    #[schema(example = "must be an email address")]
    #[schema(max_length = 1000)]
    pub message: String,
}

impl Problem {
    /// A problem that only knows its status: for errors made outside our own code.
    pub fn for_status(status: actix_web::http::StatusCode, context: &RequestContext) -> Self {
        let title = status.canonical_reason().unwrap_or("Error");
        Self {
            problem_type: ProblemType::AboutBlank,
            title: title.to_owned(),
            status: status.as_u16(),
            detail: None,
            instance: Some(context.path.clone()),
            request_id: Some(context.request_id.clone()),
            errors: Vec::new(),
            existing_id: None,
        }
    }
}

impl FieldError {
    /// A field error. The field's path and the message may quote what the client sent (a field
    /// name serde did not know): control characters in them are written as `\u{1b}`, so an
    /// answer never carries them into a client's logs or terminal.
    pub fn new(field: impl Into<String>, code: FieldCode, message: impl Into<String>) -> Self {
        Self {
            field: printable(field.into()),
            code,
            message: printable(message.into()),
        }
    }
}

fn printable(text: String) -> String {
    if !text.chars().any(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{FieldCode, FieldError};

    #[test]
    fn control_characters_the_client_sent_are_escaped_in_the_answer() {
        let error = FieldError::new("a\u{1b}b", FieldCode::UnknownField, "unknown field `\u{0}`");
        assert_eq!(error.field, "a\\u{1b}b");
        assert_eq!(error.message, "unknown field `\\u{0}`");
    }
}
