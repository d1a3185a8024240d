//! Small HTTP conventions shared by every resource: ETags, `If-Match`, per-field validation,
//! cursor pagination.

use actix_web::HttpRequest;
use actix_web::http::header;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::ErrorCode;
use domain::FieldCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::plumbing::error::{ApiError, FieldError};

/// The strong ETag of a resource version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version an `If-Match` header names, `None` for `*` (whatever is current). A change
/// without the header is 428; a value that names no version can match nothing, so it is 412.
pub fn if_match(req: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Err(ApiError::PreconditionRequired);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::PreconditionFailed)?
        .trim();
    if value == "*" {
        return Ok(None);
    }
    value
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map(Some)
        .map_err(|_| ApiError::PreconditionFailed)
}

/// Collects every invalid field of a request before answering, so a client sees all of them.
#[derive(Debug, Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    /// Keeps `result`'s value, or records its error against `field`.
    pub fn check<T, E: ErrorCode>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        result
            .map_err(|e| self.0.push(FieldError::new(field, e.code(), e.to_string())))
            .ok()
    }

    /// Records a problem found by the handler itself.
    pub fn push(&mut self, field: &str, code: FieldCode, message: &str) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// `Ok` when nothing was recorded; otherwise a 422 listing every field.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// Items per page when the client does not say.
pub const DEFAULT_LIMIT: u32 = 50;
/// The most items a page holds.
pub const MAX_LIMIT: u32 = 200;

/// One page of a list. Pass `next_cursor` as `cursor` to get the next page; `null` means this
/// was the last.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[schema(example = "MDE5MzRiNmUtOGY1ZQ")]
    pub next_cursor: Option<String>,
}

/// The query of a list that has no filters: a page size and where to continue.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The page size asked for, checked.
pub fn page_limit(limit: Option<u32>) -> Result<i64, ApiError> {
    match limit.unwrap_or(DEFAULT_LIMIT) {
        n @ 1..=MAX_LIMIT => Ok(i64::from(n)),
        _ => Err(invalid_parameter(
            "limit",
            &format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// The position an opaque cursor stands for.
pub fn decode_cursor<T: std::str::FromStr>(cursor: Option<&str>) -> Result<Option<T>, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.parse().ok())
        .map(Some)
        .ok_or_else(unknown_cursor)
}

/// The answer to a `cursor` this API did not give out (or whose row is gone).
pub fn unknown_cursor() -> ApiError {
    invalid_parameter("cursor", "is not a cursor this API gave out")
}

/// Builds a page from up to `limit + 1` rows: the extra row only tells that there is more.
pub fn page<R, T>(
    mut rows: Vec<R>,
    limit: i64,
    key: impl Fn(&R) -> String,
    map: impl Fn(R) -> T,
) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more
        .then(|| rows.last().map(|r| URL_SAFE_NO_PAD.encode(key(r))))
        .flatten();
    Page {
        items: rows.into_iter().map(map).collect(),
        next_cursor,
    }
}

pub fn invalid_parameter(field: &str, message: &str) -> ApiError {
    ApiError::InvalidParameter(vec![FieldError::new(
        field,
        FieldCode::InvalidFormat,
        message,
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_carry_a_cursor_only_when_there_is_more() {
        let full = page((1..=3).collect::<Vec<i64>>(), 2, ToString::to_string, |n| {
            n * 10
        });
        assert_eq!(full.items, [10, 20]);
        let cursor = full.next_cursor.expect("more rows");
        assert_eq!(decode_cursor::<i64>(Some(&cursor)).unwrap(), Some(2));
        let last = page(vec![1_i64, 2], 2, ToString::to_string, |n| n);
        assert!(last.next_cursor.is_none());
    }

    #[test]
    fn bad_limits_and_cursors_are_400() {
        assert!(page_limit(Some(0)).is_err());
        assert!(page_limit(Some(201)).is_err());
        assert_eq!(page_limit(None).unwrap(), 50);
        assert!(decode_cursor::<i64>(Some("!!!")).is_err());
        assert!(decode_cursor::<uuid::Uuid>(Some(&URL_SAFE_NO_PAD.encode("12"))).is_err());
    }
}
