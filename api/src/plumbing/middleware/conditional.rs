//! HTTP semantics every `GET` gets without its handler knowing: `HEAD` answers as `GET` would,
//! without the body, and `If-None-Match` naming the current `ETag` answers `304 Not Modified`.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;

use crate::plumbing::http::{MAX_PRECONDITION_LENGTH, invalid_parameter};
use actix_web::{Error, HttpResponse};

/// Serves `HEAD` through the `GET` route, and `304` for a `GET` whose `ETag` the client has.
pub async fn conditional_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let head = req.method() == Method::HEAD;
    if head {
        req.head_mut().method = Method::GET;
    }
    let is_get = req.method() == Method::GET;
    let has = match req.headers().get(header::IF_NONE_MATCH) {
        None => None,
        // Visible ASCII only (RFC 9110 §8.8.3): anything else names no ETag this API gave out.
        Some(value) => match value.to_str() {
            Ok(text) if text.len() <= MAX_PRECONDITION_LENGTH && printable(text) => {
                Some(text.to_owned())
            }
            Ok(_) | Err(_) => {
                let error = invalid_parameter("If-None-Match", "must be ETags like \"3\"");
                return Ok(super::refused::refused(req, error));
            }
        },
    };
    let response = next.call(req).await?.map_into_boxed_body();
    let unchanged = is_get
        && response.status() == StatusCode::OK
        && match (&has, response.headers().get(header::ETAG)) {
            (Some(has), Some(current)) => current.to_str().is_ok_and(|c| matches(has, c)),
            _ => false,
        };
    if unchanged {
        // RFC 9110 §15.4.5: a 304 has no body, and keeps the ETag and caching headers.
        let (request, full) = response.into_parts();
        let mut not_modified = HttpResponse::NotModified();
        for (name, value) in full.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                not_modified.append_header((name.clone(), value.clone()));
            }
        }
        return Ok(ServiceResponse::new(request, not_modified.finish()));
    }
    if head {
        return Ok(response.map_body(|_, _| BoxBody::new(())));
    }
    Ok(response)
}

/// Whether `text` is printable ASCII, the contract's form of a precondition header (a tab,
/// which HTTP lets through, is not part of any ETag list).
pub fn printable(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// Whether an `If-None-Match` list names `current` (weak comparison, RFC 9110 §13.1.2).
fn matches(list: &str, current: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    list.trim() == "*" || list.split(',').any(|tag| bare(tag) == bare(current))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn if_none_match_compares_weakly_and_in_lists() {
        assert!(matches("\"3\"", "\"3\""));
        assert!(matches("W/\"3\"", "\"3\""));
        assert!(matches("\"1\", \"3\"", "\"3\""));
        assert!(matches("*", "\"3\""));
        assert!(!matches("\"4\"", "\"3\""));
        assert!(!matches("\"33\"", "\"3\""));
    }
}
