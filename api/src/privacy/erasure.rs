//! The right to erasure: everything about a person deleted or irreversibly anonymised, with a
//! report of what was erased and what the law makes us keep. A preview runs the same steps and
//! rolls them back.

use chrono::Utc;
use domain::audit::AuditAction;
use domain::privacy_request::{RequestKind, RequestStatus};
use persistence::erasure::{self, Erased, Step, Treatment};
use persistence::privacy_requests::{self, Changes, Filter};
use persistence::{audit, customers, write_transaction};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::export::subject_of;
use crate::auth::{Caller, secrets};
use crate::delivery;
use crate::plumbing::db;
use crate::plumbing::error::ApiError;
use crate::plumbing::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"preview": true, "reason": "Erasure request of 2026-11-25"}))]
pub struct ErasureRequest {
    /// `true` reports what would be erased and changes nothing.
    pub preview: bool,
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500, message = "must be 1 to 500 characters"))]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureReport {
    pub customer_id: Uuid,
    pub preview: bool,
    #[schema(max_length = 1000)]
    pub reason: String,
    #[schema(max_items = 100)]
    pub erased: Vec<ErasedPart>,
    #[schema(max_items = 100)]
    pub retained: Vec<RetainedPart>,
    /// Open erasure requests of the person that this completed.
    pub completed_requests: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErasedPart {
    #[schema(max_length = 63)]
    pub table: &'static str,
    pub rows: usize,
    /// `deleted`, or `anonymised` (kept with every personal value removed).
    #[schema(example = "deleted")]
    #[schema(max_length = 1000)]
    pub treatment: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RetainedPart {
    #[schema(max_length = 1000)]
    pub what: &'static str,
    #[schema(max_length = 1000)]
    pub why: &'static str,
    #[schema(max_length = 1000)]
    pub until: &'static str,
}

const RETAINED: &[RetainedPart] = &[
    RetainedPart {
        what: "an anonymous placeholder customer row: no name, contact details, address or birth date",
        why: "keeps the records of the person's privacy requests consistent",
        until: "kept",
    },
    RetainedPart {
        what: "the kind, dates and status of the person's privacy requests, without any free text",
        why: "accountability: proof that the requests were answered in time (GDPR Art. 5(2))",
        until: "kept",
    },
    RetainedPart {
        what: "audit entries: ids and times of who processed the data, never names or contact details",
        why: "detecting misuse and accountability",
        until: "kept",
    },
    RetainedPart {
        what: "accounting records: none are kept in this register yet",
        why: "the Accounting Act (1336/1997) would require them, pseudonymised",
        until: "six years after the end of their financial year",
    },
];

fn parts(steps: &[Step]) -> Vec<ErasedPart> {
    steps
        .iter()
        .map(|s| ErasedPart {
            table: s.table,
            rows: s.rows,
            treatment: match s.treatment {
                Treatment::Deleted => "deleted",
                Treatment::Anonymised => "anonymised",
            },
        })
        .collect()
}

/// Why an erasure transaction ended without committing.
enum Stop {
    Preview(Erased),
    Api(ApiError),
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Self::Api(e.into())
    }
}

impl From<persistence::DbError> for Stop {
    fn from(e: persistence::DbError) -> Self {
        Self::Api(e.into())
    }
}

pub async fn erase(
    state: &AppState,
    caller: Caller,
    customer_id: Uuid,
    request: ErasureRequest,
) -> Result<ErasureReport, ApiError> {
    let key = state.signing_key.clone();
    let outbox = delivery::outbox_of(&state.settings);
    let (preview, reason) = (request.preview, request.reason.clone());
    let audit_caller = caller.clone();
    let outcome = db::run(&state.pool, move |conn| {
        let result = write_transaction(conn, |conn| {
            let now = Utc::now();
            // Locked: changes about the person that are under way commit first (and are
            // erased here); later ones find the person erased.
            let customer = customers::find_for_write(conn, customer_id)?
                .ok_or(Stop::Api(ApiError::NotFound))?;
            if customer.erased_at.is_some() {
                return Err(Stop::Api(ApiError::Conflict {
                    detail: "this customer has already been erased".to_owned(),
                    existing_id: None,
                }));
            }
            let subject = subject_of(&customer);
            let name_hash = customer
                .profile
                .email
                .as_ref()
                .map(|e| secrets::login_name_hash(key.bytes(), e.as_str()));
            let erased = erasure::erase(conn, &subject, name_hash.as_deref(), now)?;
            if preview {
                return Err(Stop::Preview(erased));
            }
            let open = Filter {
                customer_id: Some(customer_id),
                ..Default::default()
            };
            let mut completed = 0;
            for request in privacy_requests::list(conn, &open, None, 1_000)? {
                if request.kind != RequestKind::Erasure || !request.status.is_open() {
                    continue;
                }
                let resolution = format!("Erased: {reason}");
                let changes = Changes {
                    status: Some(RequestStatus::Completed),
                    resolution: Some(&resolution),
                    ..Default::default()
                };
                privacy_requests::update(conn, request.id, request.version, &changes, now)?;
                let entry = caller.audit(
                    AuditAction::PrivacyRequestComplete,
                    Some(request.id.to_string()),
                    Some(customer_id),
                );
                audit::append(conn, entry, now)?;
                completed += 1;
            }
            audit::append(
                conn,
                caller.audit(
                    AuditAction::CustomerErase,
                    Some(customer_id.to_string()),
                    Some(customer_id),
                ),
                now,
            )?;
            Ok((erased, completed))
        });
        match result {
            Ok((erased, completed)) => {
                persistence::erasure::flush_log(conn)?;
                delivery::forget_copies(&outbox, &erased.messages);
                Ok((erased, completed, false))
            }
            Err(Stop::Preview(erased)) => {
                let entry = audit_caller.audit(
                    AuditAction::CustomerErasePreview,
                    Some(customer_id.to_string()),
                    Some(customer_id),
                );
                write_transaction(conn, |conn| audit::append(conn, entry, Utc::now()))?;
                Ok((erased, 0, true))
            }
            Err(Stop::Api(error)) => Err(error),
        }
    })
    .await?;
    state.writer.chained().await?;
    let (erased, completed_requests, preview) = outcome;
    Ok(ErasureReport {
        customer_id,
        preview,
        reason: request.reason,
        erased: parts(&erased.steps),
        retained: RETAINED
            .iter()
            .map(|r| RetainedPart {
                what: r.what,
                why: r.why,
                until: r.until,
            })
            .collect(),
        completed_requests,
    })
}
