//! Which documented route a request is for, as the router will see it, before routing; and
//! URLs no route may receive.

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::plumbing::http::invalid_parameter;

/// The route pattern (`/api/v1/customers/{id}`) the router matches this request to. Matched on
/// the decoded path, as the router matches it: the raw path would let
/// `/api/v1/uniikkilista/%63onfirm` past a check for `/api/v1/uniikkilista/confirm`.
pub fn pattern_of(req: &ServiceRequest) -> Option<String> {
    req.resource_map().match_pattern(req.match_info().as_str())
}

/// Refuses a URL whose path or query holds a percent-encoded control character (`%00` first
/// of all: PostgreSQL cannot store NUL, SQLite would), before any handler sees it.
pub async fn refuse_control_characters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let uri = req.uri();
    let refused = if has_encoded_control(uri.path()) {
        Some("path")
    } else {
        uri.query()
            .unwrap_or_default()
            .split('&')
            .find(|pair| has_encoded_control(pair))
            .map(|pair| pair.split('=').next().unwrap_or(pair))
    };
    if let Some(name) = refused {
        // A parameter name is echoed only when it is a plain word (never a value).
        let name = if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            name
        } else {
            "query"
        };
        let error = invalid_parameter(name, "must not contain control characters (such as %00)");
        return Ok(super::refused::refused(req, error));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// `%00`–`%1F` and `%7F` (either case), or `+`-free raw bytes below 0x20 (which the HTTP
/// parser already refuses).
fn has_encoded_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().any(|b| *b < 0x20 || *b == 0x7f)
        || bytes.windows(3).any(|w| {
            w[0] == b'%'
                && matches!(
                    (w[1].to_ascii_uppercase(), w[2].to_ascii_uppercase()),
                    (b'0' | b'1', b'0'..=b'9' | b'A'..=b'F') | (b'7', b'F')
                )
        })
}

#[cfg(test)]
mod tests {
    use super::has_encoded_control;

    #[test]
    fn encoded_controls_are_found_in_either_case() {
        for bad in ["q=a%00b", "%0a", "x%1Fy", "%7f", "%7F"] {
            assert!(has_encoded_control(bad), "{bad}");
        }
        for good in ["q=%C3%A4", "a%20b", "%25", "%2F", "q=Virtanen"] {
            assert!(!has_encoded_control(good), "{good}");
        }
    }
}
