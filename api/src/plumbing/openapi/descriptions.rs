//! Every operation's description: what its doc comment says beyond the summary, then the facts
//! a client needs that the contract knows anyway — how to authenticate, whether it is rate
//! limited, whether it honours `Idempotency-Key`, whether it needs `If-Match` — written out so a
//! reader of Swagger UI or Redoc does not have to piece them together.

use utoipa::openapi::OpenApi;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::{Operation, ParameterIn};

use super::security::{ACCESS_TOKEN, INTEGRATION_KEY};
use crate::plumbing::middleware::rate_limit::Policy;
use crate::routes::table::{declares_idempotency_key, operations_mut, rate_limit_of};

pub fn describe_operations(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            let facts = facts(operation);
            let lead = operation
                .description
                .take()
                .or_else(|| operation.summary.clone())
                .unwrap_or_default();
            operation.description = Some(format!("{lead}\n\n{}", facts.join("\n")));
        }
    }
}

fn facts(operation: &Operation) -> Vec<String> {
    let schemes: Vec<&str> = operation
        .security
        .iter()
        .flatten()
        .flat_map(|requirement| {
            // The requirement's scheme names are private; its JSON form is `{name: [scopes]}`.
            let named = serde_json::to_value(requirement).unwrap_or_default();
            [ACCESS_TOKEN, INTEGRATION_KEY]
                .into_iter()
                .filter(move |name| named.get(*name).is_some())
        })
        .collect();
    let mut out = vec![
        match (
            schemes.contains(&ACCESS_TOKEN),
            schemes.contains(&INTEGRATION_KEY),
        ) {
            (true, true) => "- **Authentication:** a person's access token or an integration key.",
            (true, false) => "- **Authentication:** a person's access token.",
            (false, true) => "- **Authentication:** an integration key.",
            (false, false) => "- **Authentication:** none.",
        }
        .to_owned(),
    ];
    match rate_limit_of(operation) {
        Some(Policy::Public) => out.push(
            "- **Rate limited** per client address (`RateLimit-Policy`, `RateLimit`; 429 with \
`Retry-After` when spent)."
                .to_owned(),
        ),
        Some(Policy::Login) => out.push(
            "- **Throttled** after repeated failed passwords, per login name and per address \
(`RateLimit-Policy`; 429 with `Retry-After`)."
                .to_owned(),
        ),
        None => {}
    }
    if declares_idempotency_key(operation) {
        out.push(
            "- **Idempotent** with `Idempotency-Key`: a retry with the same key and body gets \
the first answer again (`Idempotent-Replayed: true`) for 24 hours."
                .to_owned(),
        );
    }
    let needs_if_match = operation.parameters.iter().flatten().any(|p| {
        matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Header
            && p.name.eq_ignore_ascii_case("If-Match"))
    });
    if needs_if_match {
        out.push(
            "- **Requires `If-Match`** with the `ETag` you read (or `*`): 428 without it, 412 \
when the resource changed since."
                .to_owned(),
        );
    }
    out
}
