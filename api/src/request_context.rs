//! What every response and log line of a request shares: its id and path. Kept in a task-local
//! so an error rendered deep inside a handler or extractor still carries both.

use std::future::Future;

use actix_web::http::header::HeaderMap;

/// The header that carries the request id both ways.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    static CONTEXT: RequestContext;
}

/// The id and path of the request being served.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub request_id: String,
    /// The path without its query string: the query may hold search terms (names).
    pub path: String,
}

impl RequestContext {
    /// Keeps a sane incoming `X-Request-Id` (so a caller can correlate), otherwise makes one.
    pub fn new(headers: &HeaderMap, path: &str) -> Self {
        let incoming = headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|id| is_sane_request_id(id));
        Self {
            request_id: incoming.map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned),
            path: path.to_owned(),
        }
    }

    /// Runs `fut` with this context visible to [`current`].
    pub async fn scope<F: Future>(self, fut: F) -> F::Output {
        CONTEXT.scope(self, fut).await
    }

    /// Runs `f` with this context visible to [`current`].
    pub fn sync_scope<R>(self, f: impl FnOnce() -> R) -> R {
        CONTEXT.sync_scope(self, f)
    }
}

/// The context of the request being served, if any.
pub fn current() -> Option<RequestContext> {
    CONTEXT.try_with(Clone::clone).ok()
}

/// 1–128 characters of letters, digits and `-_.:`: enough for UUIDs and trace ids, nothing that
/// could forge a log line or carry personal data in bulk.
fn is_sane_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn with_header(value: &str) -> RequestContext {
        let mut headers = HeaderMap::new();
        headers.insert(
            REQUEST_ID_HEADER.parse().unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
        RequestContext::new(&headers, "/x")
    }

    #[test]
    fn keeps_a_sane_incoming_id() {
        assert_eq!(with_header("abc-123.def:4_5").request_id, "abc-123.def:4_5");
    }

    #[test]
    fn replaces_an_insane_incoming_id() {
        for bad in ["has space", "semi;colon", &"x".repeat(129), "ä"] {
            let Ok(value) = HeaderValue::from_str(bad) else {
                continue;
            };
            let mut headers = HeaderMap::new();
            headers.insert(REQUEST_ID_HEADER.parse().unwrap(), value);
            let ctx = RequestContext::new(&headers, "/x");
            assert_ne!(ctx.request_id, bad);
            assert!(uuid::Uuid::parse_str(&ctx.request_id).is_ok(), "{bad}");
        }
    }
}
