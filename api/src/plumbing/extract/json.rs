//! The JSON body extractor every endpoint uses: content type checked, size bounded, parsed with
//! the path of a bad field, then validated. Each failure is a problem response naming the field.

use domain::FieldCode;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use super::schema;
use super::strict::{self, Strict};
use crate::plumbing::error::{ApiError, FieldError};

/// The largest body accepted and the time it may take to arrive, from settings; registered as
/// app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit {
    pub max_bytes: usize,
    pub timeout: Duration,
}

impl Default for BodyLimit {
    fn default() -> Self {
        Self {
            max_bytes: 64 * 1024,
            timeout: Duration::from_secs(10),
        }
    }
}

/// A JSON request body of type `T`, parsed and validated. Request types should use
/// `#[serde(deny_unknown_fields)]` so a misspelt or forbidden field is refused, not ignored.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> FromRequest for Json<T>
where
    T: DeserializeOwned + ToSchema + Validate + 'static,
{
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let raw = RawJson::from_request(req, payload);
        Box::pin(async move {
            let RawJson(body) = raw.await?;
            let value: T = parse(&body)?;
            value
                .validate()
                .map_err(|e| ApiError::Validation(field_errors(&e)))?;
            Ok(Json(value))
        })
    }
}

/// A JSON body's raw bytes, read within the size and time limits but not parsed: for
/// signatures that must be checked over the exact bytes sent (webhooks).
#[derive(Debug)]
pub struct RawJson(pub web::Bytes);

impl FromRequest for RawJson {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limits = req.app_data::<BodyLimit>().copied().unwrap_or_default();
        let checked = check_headers(req, limits.max_bytes);
        let payload = payload.take();
        Box::pin(async move {
            checked?;
            Ok(RawJson(read_limited(payload, limits).await?.freeze()))
        })
    }
}

/// Reads the whole body within `limits`: a body too large or too slow is refused.
pub(crate) async fn read_limited(
    payload: Payload,
    limits: BodyLimit,
) -> Result<web::BytesMut, ApiError> {
    tokio::time::timeout(limits.timeout, read(payload, limits.max_bytes))
        .await
        .map_err(|_| ApiError::RequestTimeout)?
}

/// Reads the whole body, refusing it as soon as it grows past `limit`.
async fn read(mut payload: Payload, limit: usize) -> Result<web::BytesMut, ApiError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::MalformedBody(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Refuses a non-JSON content type and an announced length over the limit before reading.
fn check_headers(req: &HttpRequest, limit: usize) -> Result<(), ApiError> {
    let is_json =
        req.mime_type().ok().flatten().is_some_and(|m| {
            m.essence_str() == "application/json" || m.suffix() == Some(mime::JSON)
        });
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|len| len > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    Ok(())
}

/// Parses with the path of the offending field. Syntax errors are 400; well-formed JSON of the
/// wrong shape (an array for an object included), holding a control character, or breaking a
/// rule of `T`'s schema in the contract is 422 naming every field at fault. Every string is
/// composed to NFC before the schema and the request type see it.
pub fn parse<T: DeserializeOwned + ToSchema>(body: &[u8]) -> Result<T, ApiError> {
    let mut tree: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| ApiError::MalformedBody(e.to_string()))?;
    let mut errors = strict::clean(&mut tree);
    for fault in schema::faults(&T::name(), &tree) {
        if !errors.iter().any(|e| e.field == fault.field) {
            errors.push(fault);
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    serde_path_to_error::deserialize(Strict(&tree)).map_err(|error| {
        let path = error.path().to_string();
        ApiError::Validation(vec![data_error(&path, &error.into_inner().to_string())])
    })
}

/// Turns serde's message into a field error. Serde says "missing field `x`" at the parent's
/// path and "unknown field `x`" at the field's own path; both name the field in the message.
fn data_error(path: &str, message: &str) -> FieldError {
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned();
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    let join = |parent: &str, name: String| {
        if parent == "." || parent.is_empty() {
            name
        } else {
            format!("{parent}.{name}")
        }
    };
    if let Some(name) = named("missing field `") {
        return FieldError::new(join(path, name), FieldCode::Required, "is required");
    }
    if message.starts_with("unknown field `") {
        return FieldError::new(path, FieldCode::UnknownField, message);
    }
    if path == "." {
        // Every request body of this API is an object; serde's wording for an array or a
        // scalar ("invalid length 0, expected struct …") helps nobody.
        return FieldError::new(
            "body",
            FieldCode::InvalidType,
            "the body must be a JSON object",
        );
    }
    let code = if message.starts_with("invalid type") {
        FieldCode::InvalidType
    } else {
        FieldCode::InvalidValue
    };
    FieldError::new(path, code, message)
}

/// Flattens validator's nested errors into `{field, code, message}` with dotted paths.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => out.extend(list.iter().map(|e| {
                let message = e
                    .message
                    .as_ref()
                    .map_or_else(|| e.code.to_string(), |m| m.to_string());
                FieldError::new(path.clone(), FieldCode::of_validator_rule(&e.code), message)
            })),
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    struct Body {
        #[validate(length(min = 1, max = 5, message = "must be 1 to 5 characters"))]
        name: String,
        #[validate(nested)]
        address: Option<Address>,
    }

    #[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    struct Address {
        #[validate(length(equal = 5, message = "must be 5 digits"))]
        postal_code: String,
    }

    fn errors_of(raw: &str) -> (u16, Vec<FieldError>) {
        use actix_web::ResponseError;
        let err = match parse::<Body>(raw.as_bytes()) {
            Ok(body) => match body.validate() {
                Ok(()) => panic!("{raw} should have failed"),
                Err(e) => ApiError::Validation(field_errors(&e)),
            },
            Err(e) => e,
        };
        let errors = match &err {
            ApiError::Validation(errors) => errors.clone(),
            _ => vec![],
        };
        (err.status_code().as_u16(), errors)
    }

    #[test]
    fn table_of_bad_bodies() {
        let cases = [
            ("{", 400, None),
            ("", 400, None),
            ("{} x", 400, None),
            ("{}", 422, Some(("name", "required"))),
            (r#"{"name": 5}"#, 422, Some(("name", "invalid_type"))),
            (
                r#"{"name": "a", "role": "admin"}"#,
                422,
                Some(("role", "unknown_field")),
            ),
            (
                r#"{"name": "a", "address": {}}"#,
                422,
                Some(("address.postal_code", "required")),
            ),
            (r#"{"name": "toolong"}"#, 422, Some(("name", "length"))),
            (
                r#"{"name": "a", "address": {"postal_code": "1"}}"#,
                422,
                Some(("address.postal_code", "length")),
            ),
            ("[]", 422, Some(("body", "invalid_type"))),
            (r#"["a", null]"#, 422, Some(("body", "invalid_type"))),
            (
                r#"{"name": "a", "address": ["00100"]}"#,
                422,
                Some(("address", "invalid_type")),
            ),
            (
                r#"{"name": "a\u0000"}"#,
                422,
                Some(("name", "invalid_characters")),
            ),
            (
                r#"{"name": "a", "address": {"postal_code": "0\u001b100"}}"#,
                422,
                Some(("address.postal_code", "invalid_characters")),
            ),
        ];
        for (raw, status, field) in cases {
            let (got_status, errors) = errors_of(raw);
            assert_eq!(got_status, status, "{raw}: {errors:?}");
            if let Some((name, code)) = field {
                assert_eq!(errors.len(), 1, "{raw}: {errors:?}");
                let written = serde_json::to_value(errors[0].code).unwrap();
                assert_eq!(
                    (errors[0].field.as_str(), written.as_str()),
                    (name, Some(code)),
                    "{raw}"
                );
            }
        }
    }
}

#[cfg(test)]
mod strict_tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq, utoipa::ToSchema)]
    #[serde(deny_unknown_fields)]
    struct Login {
        email: String,
        password: String,
        #[serde(default)]
        remember: Option<bool>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Staff,
        Customer,
    }

    #[test]
    fn objects_are_read_as_before() {
        let login: Login =
            parse(br#"{"email": "a@b.fi", "password": "p", "kind": "staff"}"#).unwrap();
        assert_eq!(
            login,
            Login {
                email: "a@b.fi".into(),
                password: "p".into(),
                remember: None,
                kind: Some(Kind::Staff)
            }
        );
    }

    #[test]
    fn an_array_is_never_read_as_an_object() {
        assert!(parse::<Login>(br#"["a@b.fi", "p", null, "staff"]"#).is_err());
    }

    #[test]
    fn strings_are_composed_before_the_type_sees_them() {
        let login: Login =
            parse("{\"email\": \"a@b.fi\", \"password\": \"A\u{308}\"}".as_bytes()).unwrap();
        assert_eq!(login.password, "Ä");
    }

    #[test]
    fn every_control_character_is_named_at_once() {
        let err = parse::<Login>(br#"{"email": "\u0000", "password": "\u0007"}"#).unwrap_err();
        let ApiError::Validation(errors) = err else {
            panic!("{err:?}")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "password"]);
    }
}
