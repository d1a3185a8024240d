//! Declares the headers middleware adds to responses, so the contract lists every header the
//! server sends: on every response the request id, CORS and the security headers; on the
//! rate-limited operations the `RateLimit-Policy` and `RateLimit` fields of their policy.

use std::collections::BTreeSet;

use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Header, HeaderBuilder, OpenApi, Ref, RefOr, Response};

use crate::plumbing::middleware::rate_limit::Policy;
use crate::routes::table::{operations_mut, rate_limit_of};

/// Headers on every response: name, what it holds, its pattern and longest length.
const EVERY_RESPONSE: [(&str, &str, Option<&str>, usize); 8] = [
    (
        "X-Request-Id",
        "The request's id (yours from `X-Request-Id` when it was a safe token, else one the \
server made). Quote it when reporting a problem: the server's log line for the request has it.",
        Some("^[A-Za-z0-9._:-]{1,128}$"),
        128,
    ),
    (
        "Access-Control-Allow-Origin",
        "Present when the request came from a browser origin the server is configured to allow \
(`UNIIKKI_CORS_ORIGINS`); then the origin itself.",
        None,
        2048,
    ),
    (
        "Access-Control-Expose-Headers",
        "The headers a browser lets a page of an allowed origin read (`ETag`, `Location`, \
`Retry-After`, `RateLimit`, `RateLimit-Policy`, `X-Request-Id`, `Idempotent-Replayed`).",
        Some("^[a-z-]+(, [a-z-]+)*$"),
        200,
    ),
    (
        "Vary",
        "`Origin, Access-Control-Request-Method, Access-Control-Request-Headers`: the answer's \
CORS headers depend on them, so caches keep answers apart by them.",
        Some("^[A-Za-z-]+(, [A-Za-z-]+)*$"),
        200,
    ),
    (
        "Cache-Control",
        "`no-store`: answers hold personal data and must not be kept by caches.",
        Some("^no-store$"),
        8,
    ),
    (
        "X-Content-Type-Options",
        "`nosniff`: a body is only ever what its content type says.",
        Some("^nosniff$"),
        7,
    ),
    (
        "X-Frame-Options",
        "`DENY`: no answer may be framed.",
        Some("^DENY$"),
        4,
    ),
    (
        "Referrer-Policy",
        "`no-referrer`: links followed from an answer tell nobody where they came from.",
        Some("^no-referrer$"),
        11,
    ),
];

const RATE_LIMIT_POLICY: &str = "RateLimit-Policy";
const RATE_LIMIT: &str = "RateLimit";

fn text_header(description: &str, pattern: Option<&str>, max_length: usize) -> Header {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(max_length))
        .pattern(pattern.map(str::to_owned));
    HeaderBuilder::new()
        .schema(Some(schema))
        .description(Some(description))
        .build()
}

fn header_ref(name: &str) -> RefOr<Header> {
    RefOr::Ref(Ref::new(format!("#/components/headers/{name}")))
}

/// The rate-limit headers a response of an operation under `policy` carries.
fn rate_limit_headers(policy: Policy, status: &str) -> Vec<&'static str> {
    match policy {
        Policy::Public => vec![RATE_LIMIT_POLICY, RATE_LIMIT],
        Policy::Login if status == "429" => vec![RATE_LIMIT_POLICY, RATE_LIMIT],
        Policy::Login => vec![RATE_LIMIT_POLICY],
    }
}

pub fn document_response_headers(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    let shared = components.responses.clone();
    for (name, description, pattern, max_length) in EVERY_RESPONSE {
        components.headers.insert(
            name.to_owned(),
            RefOr::T(text_header(description, pattern, max_length)),
        );
    }
    components.headers.insert(
        RATE_LIMIT_POLICY.to_owned(),
        RefOr::T(text_header(
            "The limits this operation is under (draft-ietf-httpapi-ratelimit-headers): \
`\"public\";q=<requests>;w=<seconds>` per client address on the public writes; on login and \
password change `\"login\";q=<failures>;w=<seconds>, \"login-address\";q=<failures>;w=<seconds>` \
(failed attempts per login name and per address before each further attempt must wait).",
            Some(r#"^"[a-z-]+";q=[0-9]+;w=[0-9]+(, "[a-z-]+";q=[0-9]+;w=[0-9]+)*$"#),
            200,
        )),
    );
    components.headers.insert(
        RATE_LIMIT.to_owned(),
        RefOr::T(text_header(
            "What is left of the allowance (draft-ietf-httpapi-ratelimit-headers): \
`\"<policy>\";r=<remaining>;t=<seconds until whole again>`. On a 429, `r=0` and `t` equals \
`Retry-After`. Login answers carry it only on 429: how many failures an account has left is \
never told.",
            Some(r#"^"[a-z-]+";r=[0-9]+;t=[0-9]+$"#),
            100,
        )),
    );
    for item in doc.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            declare_on(operation, &shared);
        }
    }
    let components = doc.components.get_or_insert_with(Default::default);
    for response in components.responses.values_mut() {
        if let RefOr::T(response) = response {
            add_every_response_headers(response);
        }
    }
    drop_unused_responses(doc);
}

/// A rate-limited operation's problem responses are written out in full (not shared), so each
/// can carry its policy's headers.
fn declare_on(
    operation: &mut Operation,
    shared: &std::collections::BTreeMap<String, RefOr<Response>>,
) {
    let policy = rate_limit_of(operation);
    for (status, response) in operation.responses.responses.iter_mut() {
        if let Some(policy) = policy {
            if let RefOr::Ref(reference) = response {
                let name = reference
                    .ref_location
                    .trim_start_matches("#/components/responses/");
                if let Some(RefOr::T(full)) = shared.get(name) {
                    *response = RefOr::T(full.clone());
                }
            }
            if let RefOr::T(response) = response {
                for name in rate_limit_headers(policy, status) {
                    response.headers.insert(name.to_owned(), header_ref(name));
                }
            }
        }
        if let RefOr::T(response) = response {
            add_every_response_headers(response);
        }
    }
}

fn add_every_response_headers(response: &mut Response) {
    for (name, ..) in EVERY_RESPONSE {
        response
            .headers
            .entry(name.to_owned())
            .or_insert_with(|| header_ref(name));
    }
}

/// Shared responses that no operation refers to any longer are removed.
fn drop_unused_responses(doc: &mut OpenApi) {
    let mut used = BTreeSet::new();
    for item in doc.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            for response in operation.responses.responses.values() {
                if let RefOr::Ref(reference) = response {
                    used.insert(
                        reference
                            .ref_location
                            .trim_start_matches("#/components/responses/")
                            .to_owned(),
                    );
                }
            }
        }
    }
    if let Some(components) = doc.components.as_mut() {
        components.responses.retain(|name, _| used.contains(name));
    }
}
