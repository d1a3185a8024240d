//! Attacks on every documented operation, derived from the contract like the authorization
//! matrix, so that the next endpoint is covered the day it is added: bodies of the wrong shape,
//! NUL and control characters in every string field and query parameter, oversized bodies,
//! percent-encoded paths; each refused with a 4xx problem that carries the security headers,
//! and none changing anything. Attacks that need a particular endpoint's meaning (decomposed
//! Unicode, concurrent duplicates, mail scanners) are in `specific`.

mod bodies;
mod contract;
mod ids;
mod specific;
mod urls;

use tests::Reply;

/// What every refusal must look like: a problem document with the security headers. Returns
/// a description of what is wrong, if anything.
fn refusal_flaws(reply: &Reply, expected: u16) -> Option<String> {
    let mut flaws = Vec::new();
    if reply.status.as_u16() != expected {
        flaws.push(format!(
            "status {} (expected {expected}): {}",
            reply.status,
            reply.text()
        ));
    }
    if reply.header("content-type") != Some("application/problem+json") {
        flaws.push(format!("content type {:?}", reply.header("content-type")));
    }
    for (header, value) in [
        ("x-content-type-options", Some("nosniff")),
        ("cache-control", Some("no-store")),
        ("referrer-policy", Some("no-referrer")),
    ] {
        if reply.header(header) != value {
            flaws.push(format!("{header}: {:?}", reply.header(header)));
        }
    }
    if reply.header("x-request-id").is_none() {
        flaws.push("no x-request-id".to_owned());
    }
    (!flaws.is_empty()).then(|| flaws.join("; "))
}
