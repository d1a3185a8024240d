//! The catalogue of problem types: every `type` an error response can carry, with its status
//! and meaning. One list feeds the responses, the contract (`Problem.type` is an enum of these
//! URIs, described by this table) and the page each URI resolves to (`/problems/{slug}`).

use std::borrow::Cow;

use serde::{Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

/// Where the problem pages of the production server live. A `type` is an identifier, the same
/// on every server, so clients can compare it; each server also serves the pages itself, at
/// `/problems/{slug}`.
pub const PROBLEM_BASE: &str = "https://api.uniikkiaani.fi/problems/";

macro_rules! catalogue {
    ($($variant:ident = $slug:literal, $status:literal, $title:literal, $meaning:literal;)*) => {
        /// The kind of a problem: its stable `type` URI, status, title and meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ProblemType {
            $($variant,)*
            /// An error the HTTP stack made before our code ran; RFC 9457's default type.
            AboutBlank,
        }

        impl ProblemType {
            /// Every type the API documents (all but `about:blank`).
            pub const ALL: &[Self] = &[$(Self::$variant),*];

            /// The last part of the `type` URI.
            pub fn slug(self) -> &'static str {
                match self {
                    $(Self::$variant => $slug,)*
                    Self::AboutBlank => "about:blank",
                }
            }

            /// The `type` URI a response carries.
            pub fn uri(self) -> &'static str {
                match self {
                    $(Self::$variant => concat!("https://api.uniikkiaani.fi/problems/", $slug),)*
                    Self::AboutBlank => "about:blank",
                }
            }

            pub fn status(self) -> u16 {
                match self {
                    $(Self::$variant => $status,)*
                    Self::AboutBlank => 500,
                }
            }

            /// The short summary every response of this type carries as `title`.
            pub fn title(self) -> &'static str {
                match self {
                    $(Self::$variant => $title,)*
                    Self::AboutBlank => "See the HTTP status",
                }
            }

            /// What happened and what the client can do about it.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Self::$variant => $meaning,)*
                    Self::AboutBlank => "An error of the HTTP layer; the status says what it is.",
                }
            }
        }
    };
}

catalogue! {
    MalformedBody = "malformed-body", 400, "The request body is not valid JSON",
        "The body could not be read as JSON: a syntax error, an empty body or a wrong encoding. Fix the body; retrying it unchanged fails again.";
    InvalidParameter = "invalid-parameter", 400, "A request parameter is invalid",
        "A path or query parameter does not have its documented form; `errors` names each.";
    Unauthorized = "unauthorized", 401, "Authentication is required",
        "No usable credentials: the token is missing, malformed, expired or its session has ended. Sign in again (or refresh) and retry.";
    Forbidden = "forbidden", 403, "You do not have permission for this action",
        "The caller is known but may not do this. Retrying does not help.";
    PasswordChangeRequired = "password-change-required", 403, "Change your one-time password before doing anything else",
        "The session was opened with a one-time password: only `POST /api/v1/auth/password` is allowed until a new password is set.";
    NotFound = "not-found", 404, "The resource was not found",
        "No such resource, or none the caller may see (another person's data is answered like a missing one).";
    MethodNotAllowed = "method-not-allowed", 405, "The method is not allowed on this resource",
        "The path exists but not with this method; `Allow` lists the methods it has.";
    RequestTimeout = "request-timeout", 408, "The request body did not arrive in time",
        "The client took longer than the server's request timeout to send the request. Retry on a better connection.";
    Conflict = "conflict", 409, "The request conflicts with existing data",
        "The change cannot be made in the current state: a duplicate email, a restricted customer, a request already closed. `detail` says which; `existing_id` names the existing resource where there is one.";
    LessonFull = "lesson-full", 409, "The lesson has no free place",
        "Every place on the lesson is taken (another booking may have just won it). Choose another time from `GET /api/v1/lesson-slots`.";
    LessonUnavailable = "lesson-unavailable", 409, "The lesson cannot be booked",
        "The lesson was cancelled or has already started. Choose another time from `GET /api/v1/lesson-slots`.";
    TimeOverlap = "time-overlap", 409, "The time overlaps another",
        "A teacher cannot teach two lessons at once, a room cannot hold two, and a customer cannot be booked on two at the same time. `existing_id` names the lesson or booking in the way.";
    CutOffPassed = "cut-off-passed", 409, "Too late to change this booking yourself",
        "The cancellation cut-off before the lesson has passed: only the school can cancel or move the booking now (a late cancellation may be charged). Contact the school.";
    WebhookSignature = "webhook-signature", 401, "The webhook signature does not verify",
        "No `v1` signature in `webhook-signature` matches the integration's webhook secret over `webhook-id.webhook-timestamp.body` (Standard Webhooks). Check the secret (after a rotation the old one works for 24 hours) and that the body is signed exactly as sent.";
    WebhookStale = "webhook-stale", 400, "The webhook timestamp is too far from now",
        "`webhook-timestamp` must be within five minutes of the server's clock, so that a captured delivery cannot be replayed later. Check the sender's clock; sign again with the current time.";
    WebhookReplayed = "webhook-replayed", 400, "This webhook was received already",
        "The integration sent this `webhook-id` before; the first delivery was applied and this one changed nothing. Send a new change with a new `webhook-id`.";
    PreconditionFailed = "precondition-failed", 412, "The resource has changed since you read it",
        "`If-Match` named a version that is no longer current. Fetch the resource again, reapply the change and retry with its new `ETag`.";
    PreconditionRequired = "precondition-required", 428, "Send If-Match with the version you read",
        "A change to a versioned resource needs `If-Match` with the `ETag` you read, so it cannot overwrite a change you never saw. `If-Match: *` changes whatever is current.";
    PayloadTooLarge = "payload-too-large", 413, "The request body is too large",
        "The body exceeds the server's size limit; `detail` gives the limit.";
    UnsupportedMediaType = "unsupported-media-type", 415, "The request body must be application/json",
        "Send the body with `Content-Type: application/json`.";
    ValidationFailed = "validation-failed", 422, "The request body has invalid fields",
        "The body is JSON but fields are missing, unknown, mistyped or break a rule; `errors` lists every one, each with a `code` to switch on.";
    IdempotencyKeyReused = "idempotency-key-reused", 422, "The Idempotency-Key was used for a different request",
        "An `Idempotency-Key` repeats only the request it came with. Send a new key with a new request.";
    TooManyRequests = "too-many-requests", 429, "Too many requests",
        "A rate limit or the login throttle refused the request. Wait the `Retry-After` seconds before trying again.";
    InternalError = "internal-error", 500, "An unexpected error occurred",
        "A fault on the server. Nothing was changed; quote `request_id` when reporting it.";
    ServiceUnavailable = "service-unavailable", 503, "The service is temporarily unavailable",
        "The database cannot be reached or is saturated. Retry after `Retry-After` seconds.";
}

impl ProblemType {
    /// The type whose page is at `/problems/{slug}`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.slug() == slug)
    }

    /// The catalogue as a Markdown table, for the contract.
    fn table() -> String {
        let mut table = String::from(
            "The kind of problem, from a fixed catalogue: compare it to switch on the problem. \
             Each URI's page says what it means; every server serves the same pages at \
             `/problems/{slug}`.\n\n| type | status | meaning |\n|---|---|---|\n",
        );
        for kind in Self::ALL {
            table.push_str(&format!(
                "| `{}` | {} | {} |\n",
                kind.uri(),
                kind.status(),
                kind.meaning()
            ));
        }
        table.push_str(
            "| `about:blank` | any | An error of the HTTP layer before the API's own code ran; the status says what it is. |\n",
        );
        table
    }
}

impl Serialize for ProblemType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.uri())
    }
}

impl utoipa::PartialSchema for ProblemType {
    fn schema() -> RefOr<Schema> {
        let uris = Self::ALL
            .iter()
            .map(|kind| kind.uri())
            .chain(["about:blank"]);
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::Custom("uri".to_owned())))
            .enum_values(Some(uris))
            .description(Some(Self::table()))
            .into()
    }
}

impl utoipa::ToSchema for ProblemType {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ProblemType")
    }
}

#[cfg(test)]
mod tests {
    use super::{PROBLEM_BASE, ProblemType};

    #[test]
    fn every_type_is_under_the_base_and_found_by_its_slug() {
        for kind in ProblemType::ALL {
            assert_eq!(kind.uri(), format!("{PROBLEM_BASE}{}", kind.slug()));
            assert_eq!(ProblemType::from_slug(kind.slug()), Some(*kind));
        }
        assert_eq!(ProblemType::from_slug("about:blank"), None);
    }
}
