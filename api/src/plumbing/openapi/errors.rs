//! Documents the problem responses every operation can give, derived from what the operation
//! has (a body, credentials, path or query parameters), so no endpoint can forget one.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, Object, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder, Schema,
};

use crate::plumbing::error::PROBLEM_JSON;
use crate::routes::table::{declares_idempotency_key, declares_rate_limit, operations_mut};

/// A reusable problem response: component name, status, description, extra header.
struct ProblemResponse {
    name: &'static str,
    status: &'static str,
    description: &'static str,
    header: Option<(&'static str, &'static str, HeaderValue)>,
}

/// What a problem response's header holds.
enum HeaderValue {
    Text,
    /// A number of seconds (`Retry-After`), declared as an integer like the operations that
    /// declare it themselves, so a client reads one type from every 429 and 503.
    Seconds,
}

const BAD_REQUEST: ProblemResponse = ProblemResponse {
    name: "BadRequest",
    status: "400",
    description: "The body is not valid JSON, or a path or query parameter is malformed",
    header: None,
};
const UNAUTHORIZED: ProblemResponse = ProblemResponse {
    name: "Unauthorized",
    status: "401",
    description: "Credentials are missing, invalid or expired",
    header: Some((
        "WWW-Authenticate",
        "The authentication scheme to use (Bearer)",
        HeaderValue::Text,
    )),
};
const FORBIDDEN: ProblemResponse = ProblemResponse {
    name: "Forbidden",
    status: "403",
    description: "The caller may not do this (or must change a one-time password first)",
    header: None,
};
const NOT_FOUND: ProblemResponse = ProblemResponse {
    name: "NotFound",
    status: "404",
    description: "No such resource, or not one the caller may see",
    header: None,
};
const PAYLOAD_TOO_LARGE: ProblemResponse = ProblemResponse {
    name: "PayloadTooLarge",
    status: "413",
    description: "The body exceeds the size limit",
    header: None,
};
const REQUEST_TIMEOUT: ProblemResponse = ProblemResponse {
    name: "RequestTimeout",
    status: "408",
    description: "The body did not arrive within the request timeout",
    header: None,
};
const UNSUPPORTED_MEDIA_TYPE: ProblemResponse = ProblemResponse {
    name: "UnsupportedMediaType",
    status: "415",
    description: "The body is not `application/json`",
    header: None,
};
const UNPROCESSABLE: ProblemResponse = ProblemResponse {
    name: "ValidationFailed",
    status: "422",
    description: "The body has missing, unknown, mistyped or invalid fields; `errors` lists each",
    header: None,
};
const TOO_MANY_REQUESTS: ProblemResponse = ProblemResponse {
    name: "TooManyRequests",
    status: "429",
    description: "Too many requests from this address; wait `Retry-After` seconds",
    header: Some((
        "Retry-After",
        "Seconds to wait before retrying",
        HeaderValue::Seconds,
    )),
};
const IDEMPOTENCY_KEY_IN_FLIGHT: ProblemResponse = ProblemResponse {
    name: "IdempotencyKeyInFlight",
    status: "409",
    description: "A request with this `Idempotency-Key` is still being handled; retry shortly",
    header: None,
};
const PRECONDITION_FAILED: ProblemResponse = ProblemResponse {
    name: "PreconditionFailed",
    status: "412",
    description: "`If-Match` names a version that is no longer current; read it again",
    header: None,
};
const PRECONDITION_REQUIRED: ProblemResponse = ProblemResponse {
    name: "PreconditionRequired",
    status: "428",
    description: "`If-Match` is missing: send the ETag you read, or `*`",
    header: None,
};
const INTERNAL: ProblemResponse = ProblemResponse {
    name: "InternalError",
    status: "500",
    description: "An unexpected error; the cause is logged under the request id",
    header: None,
};
const UNAVAILABLE: ProblemResponse = ProblemResponse {
    name: "ServiceUnavailable",
    status: "503",
    description: "The database is temporarily unreachable or busy; retry later",
    header: Some((
        "Retry-After",
        "Seconds to wait before retrying",
        HeaderValue::Seconds,
    )),
};

const ALL: [&ProblemResponse; 14] = [
    &BAD_REQUEST,
    &UNAUTHORIZED,
    &FORBIDDEN,
    &NOT_FOUND,
    &PAYLOAD_TOO_LARGE,
    &REQUEST_TIMEOUT,
    &UNSUPPORTED_MEDIA_TYPE,
    &UNPROCESSABLE,
    &TOO_MANY_REQUESTS,
    &IDEMPOTENCY_KEY_IN_FLIGHT,
    &PRECONDITION_FAILED,
    &PRECONDITION_REQUIRED,
    &INTERNAL,
    &UNAVAILABLE,
];

/// References the shared problem responses from each operation that can give them, and adds
/// those in use to the components. A response an operation documents itself is kept.
pub fn document_problem_responses(doc: &mut OpenApi) {
    let mut used = std::collections::BTreeSet::new();
    for (path, item) in doc.paths.paths.iter_mut() {
        let touches_database = path.starts_with("/api/");
        for operation in operations_mut(item) {
            for problem in applicable(operation, touches_database) {
                used.insert(problem.name);
                operation
                    .responses
                    .responses
                    .entry(problem.status.to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(problem.name)));
            }
        }
    }
    let components = doc.components.get_or_insert_with(Default::default);
    for problem in ALL.iter().filter(|p| used.contains(p.name)) {
        components
            .responses
            .insert(problem.name.to_owned(), RefOr::T(response(problem)));
    }
}

fn applicable(operation: &Operation, touches_database: bool) -> Vec<&'static ProblemResponse> {
    let has_parameter = |place: ParameterIn| {
        operation.parameters.iter().flatten().any(|p| match p {
            RefOr::T(p) => p.parameter_in == place,
            RefOr::Ref(_) => false,
        })
    };
    let has_if_match = operation.parameters.iter().flatten().any(|p| {
        matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Header
            && p.name.eq_ignore_ascii_case("If-Match"))
    });
    let secured = operation
        .security
        .as_ref()
        .is_some_and(|reqs| reqs.iter().any(|r| *r != Default::default()));
    let mut out = vec![&INTERNAL];
    if operation.request_body.is_some() {
        out.extend([
            &BAD_REQUEST,
            &PAYLOAD_TOO_LARGE,
            &REQUEST_TIMEOUT,
            &UNSUPPORTED_MEDIA_TYPE,
            &UNPROCESSABLE,
        ]);
    }
    if has_parameter(ParameterIn::Query) || has_parameter(ParameterIn::Header) {
        out.push(&BAD_REQUEST);
    }
    if has_parameter(ParameterIn::Path) {
        out.extend([&BAD_REQUEST, &NOT_FOUND]);
    }
    if secured {
        out.extend([&UNAUTHORIZED, &FORBIDDEN]);
    }
    if touches_database {
        out.push(&UNAVAILABLE);
    }
    // What a middleware adds to the operations that declare it.
    if declares_rate_limit(operation) {
        out.push(&TOO_MANY_REQUESTS);
    }
    if declares_idempotency_key(operation) {
        out.push(&IDEMPOTENCY_KEY_IN_FLIGHT);
    }
    if has_if_match {
        out.extend([&PRECONDITION_FAILED, &PRECONDITION_REQUIRED]);
    }
    out
}

fn response(problem: &ProblemResponse) -> Response {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .build();
    let mut builder = ResponseBuilder::new()
        .description(problem.description)
        .content(PROBLEM_JSON, content);
    if let Some((name, description, value)) = &problem.header {
        let schema = match value {
            HeaderValue::Seconds => Schema::Object(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .minimum(Some(0))
                    .build(),
            ),
            HeaderValue::Text => Schema::Object(Object::with_type(Type::String)),
        };
        let header = HeaderBuilder::new()
            .schema(Some(schema))
            .description(Some(*description))
            .build();
        builder = builder.header(*name, header);
    }
    builder.build()
}
