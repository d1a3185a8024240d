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
/// without the header is 428, one with bytes no header may hold 400; a value that names no
/// version can match nothing, so it is 412.
pub fn if_match(req: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Err(ApiError::PreconditionRequired);
    };
    // Visible ASCII only (RFC 9110 §8.8.3); other bytes are a malformed header, not a version.
    let value = value
        .to_str()
        .ok()
        .filter(|v| crate::plumbing::middleware::conditional::printable(v))
        .ok_or_else(|| invalid_parameter("If-Match", "must be an ETag like \"3\", or *"))?
        .trim();
    at_most("If-Match", Some(value), MAX_PRECONDITION_LENGTH)?;
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
    #[param(pattern = "^[A-Za-z0-9_-]{21}[AQgw]$", max_length = 22)]
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

/// What a list's cursor holds: the key of the last row of a page, as bytes. Every string the
/// contract's pattern for a cursor allows decodes to a key, so a well-formed cursor is never
/// refused for its form (only, where the list resolves it, for naming nothing).
pub trait CursorKey: Sized {
    /// The cursor's form in the contract: the canonical base64url (no padding) of the bytes.
    const PATTERN: &'static str;
    fn to_bytes(&self) -> Vec<u8>;
    fn from_bytes(bytes: &[u8]) -> Option<Self>;
}

/// An id: its 16 bytes, 22 characters.
impl CursorKey for uuid::Uuid {
    const PATTERN: &'static str = UUID_CURSOR;
    fn to_bytes(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Self::from_slice(bytes).ok()
    }
}

/// A sequence number: its 8 bytes big-endian, 11 characters.
impl CursorKey for i64 {
    const PATTERN: &'static str = SEQUENCE_CURSOR;
    fn to_bytes(&self) -> Vec<u8> {
        self.to_be_bytes().to_vec()
    }
    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        <[u8; 8]>::try_from(bytes).ok().map(Self::from_be_bytes)
    }
}

/// A position in a list in order of time, then id (lessons by start): the time's microseconds
/// (8 bytes big-endian) and the id, 24 bytes, 32 characters. The list reads it as a position
/// without looking the row up, so a cursor whose row is gone still continues the list. A time
/// outside years 1–9999 is taken as the nearer of them, which both engines store.
impl CursorKey for (chrono::DateTime<chrono::Utc>, uuid::Uuid) {
    const PATTERN: &'static str = TIME_CURSOR;
    fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = self.0.timestamp_micros().to_be_bytes().to_vec();
        bytes.extend_from_slice(self.1.as_bytes());
        bytes
    }
    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let (micros, id) = bytes.split_at_checked(8)?;
        let micros = i64::from_be_bytes(<[u8; 8]>::try_from(micros).ok()?);
        const FIRST: i64 = -62_135_596_800_000_000; // 0001-01-01T00:00:00Z
        const LAST: i64 = 253_402_300_799_999_999; // 9999-12-31T23:59:59.999999Z
        let at = chrono::DateTime::from_timestamp_micros(micros.clamp(FIRST, LAST))?;
        Some((at, uuid::Uuid::from_slice(id).ok()?))
    }
}

/// The form of a cursor over ids (for `#[param(pattern = ...)]`, which takes a literal; a test
/// keeps the literals equal to these).
pub const UUID_CURSOR: &str = "^[A-Za-z0-9_-]{21}[AQgw]$";
/// The form of a cursor over sequence numbers.
pub const SEQUENCE_CURSOR: &str = "^[A-Za-z0-9_-]{10}[AEIMQUYcgkosw048]$";
/// The form of a cursor over times and ids.
pub const TIME_CURSOR: &str = "^[A-Za-z0-9_-]{32}$";

/// The position an opaque cursor stands for.
pub fn decode_cursor<K: CursorKey>(cursor: Option<&str>) -> Result<Option<K>, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| K::from_bytes(&bytes))
        .map(Some)
        .ok_or_else(unknown_cursor)
}

/// The answer to a `cursor` this API did not give out (or whose row is gone).
pub fn unknown_cursor() -> ApiError {
    invalid_parameter("cursor", "is not a cursor this API gave out")
}

/// Builds a page from up to `limit + 1` rows: the extra row only tells that there is more.
pub fn page<R, T, K: CursorKey>(
    mut rows: Vec<R>,
    limit: i64,
    key: impl Fn(&R) -> K,
    map: impl Fn(R) -> T,
) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more
        .then(|| {
            rows.last()
                .map(|r| URL_SAFE_NO_PAD.encode(key(r).to_bytes()))
        })
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

/// The longest `If-Match` / `If-None-Match` value read (a list of some forty ETags); the
/// contract states it.
pub const MAX_PRECONDITION_LENGTH: usize = 1024;

/// Refuses a text parameter longer than `max` characters (the contract's `maxLength`) as 400.
pub fn at_most(name: &str, value: Option<&str>, max: usize) -> Result<(), ApiError> {
    if value.is_some_and(|v| v.chars().count() > max) {
        return Err(ApiError::InvalidParameter(vec![FieldError::new(
            name,
            FieldCode::Length,
            format!("must be at most {max} characters"),
        )]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_carry_a_cursor_only_when_there_is_more() {
        let full = page((1..=3).collect::<Vec<i64>>(), 2, |n| *n, |n| n * 10);
        assert_eq!(full.items, [10, 20]);
        let cursor = full.next_cursor.expect("more rows");
        assert_eq!(decode_cursor::<i64>(Some(&cursor)).unwrap(), Some(2));
        let last = page(vec![1_i64, 2], 2, |n| *n, |n| n);
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

    /// Whether `text` has the form `^[A-Za-z0-9_-]{N}$`.
    fn regex_lite_matches(pattern: &str, text: &str) -> bool {
        let n: usize = pattern
            .trim_start_matches("^[A-Za-z0-9_-]{")
            .trim_end_matches("}$")
            .parse()
            .unwrap();
        text.len() == n
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }

    /// Every cursor the server gives out has the contract's form, and every string of that
    /// form decodes: the form is the canonical base64url of a key's bytes, nothing else.
    #[test]
    fn cursors_have_the_documented_form_and_every_such_form_decodes() {
        let form = |pattern: &str| {
            let inner = pattern.trim_start_matches('^').trim_end_matches('$');
            let (run, last) = inner.split_once('}').unwrap();
            let length: usize = run.rsplit('{').next().unwrap().parse().unwrap();
            let last: Vec<char> = last.trim_matches(['[', ']']).chars().collect();
            (length, last)
        };
        let (run, last) = form(UUID_CURSOR);
        for id in [uuid::Uuid::nil(), uuid::Uuid::max(), uuid::Uuid::now_v7()] {
            let cursor = URL_SAFE_NO_PAD.encode(id.to_bytes());
            assert_eq!(cursor.len(), run + 1, "{cursor}");
            assert!(last.contains(&cursor.chars().last().unwrap()), "{cursor}");
        }
        for end in &last {
            let cursor = format!("{}{end}", "_".repeat(run));
            assert!(
                decode_cursor::<uuid::Uuid>(Some(&cursor))
                    .unwrap()
                    .is_some()
            );
        }
        type Timed = (chrono::DateTime<chrono::Utc>, uuid::Uuid);
        let now: Timed = (chrono::Utc::now(), uuid::Uuid::now_v7());
        let cursor = URL_SAFE_NO_PAD.encode(now.to_bytes());
        assert!(regex_lite_matches(TIME_CURSOR, &cursor), "{cursor}");
        let back = decode_cursor::<Timed>(Some(&cursor)).unwrap().unwrap();
        assert_eq!(back.1, now.1);
        assert_eq!(back.0.timestamp_micros(), now.0.timestamp_micros());
        for filler in ["A", "_", "-", "z"] {
            let cursor = filler.repeat(32);
            let (at, _) = decode_cursor::<Timed>(Some(&cursor)).unwrap().unwrap();
            assert!(
                (1..=9999).contains(&chrono::Datelike::year(&at)),
                "{cursor}: {at}"
            );
        }
        let (run, last) = form(SEQUENCE_CURSOR);
        for seq in [0_i64, 1, i64::MAX, -1] {
            let cursor = URL_SAFE_NO_PAD.encode(seq.to_bytes());
            assert_eq!(cursor.len(), run + 1, "{cursor}");
            assert!(last.contains(&cursor.chars().last().unwrap()), "{cursor}");
        }
        for end in &last {
            let cursor = format!("{}{end}", "-".repeat(run));
            assert!(
                decode_cursor::<i64>(Some(&cursor)).unwrap().is_some(),
                "{cursor}"
            );
        }
    }
}
