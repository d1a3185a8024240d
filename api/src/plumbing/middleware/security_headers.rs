//! Headers that make API responses safe to handle in a browser.

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;

/// `nosniff` so JSON is never run as script, no referrer leaks, and `no-store` because API
/// responses hold personal data that must not linger in caches.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::CACHE_CONTROL, "no-store"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
}
