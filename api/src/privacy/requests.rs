//! Privacy requests: filed by the person or registered by staff, answered within a month.

use chrono::{DateTime, NaiveDate, Utc};
use domain::FieldCode;
use domain::audit::{AuditAction, Touched};
use domain::privacy_request::{
    FiledBy, RequestKind, RequestStatus, due_date, extended_due_date, transition,
};
use persistence::privacy_requests::{self as store, Changes, Filter, NewRequest, PrivacyRequest};
use persistence::{audit, customers};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::policy;
use crate::auth::{Caller, Principal, Reader};
use crate::plumbing::db;
use crate::plumbing::error::{ApiError, FieldError};
use crate::plumbing::http::{Page, page};
use crate::plumbing::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "erasure", "description": "Please delete my data."}))]
pub struct OwnRequest {
    pub kind: RequestKind,
    #[schema(max_length = 2000)]
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"customer_id": "01934b6e-8f5e-7c3a-9d2b-5f1e2a3b4c5d", "kind": "access",
    "identity_verification": "Passport checked at the front desk"}))]
pub struct StaffRequest {
    pub customer_id: Uuid,
    pub kind: RequestKind,
    #[schema(max_length = 2000)]
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    pub description: Option<String>,
    /// How the person's identity was verified.
    #[schema(min_length = 1, max_length = 500)]
    #[validate(length(min = 1, max = 500, message = "must be 1 to 500 characters"))]
    pub identity_verification: String,
}

/// Moving a request on: a new status, an extension of the deadline, the resolution.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "rejected", "resolution": "Identity could not be verified."}))]
pub struct RequestPatch {
    pub status: Option<RequestStatus>,
    /// Extend the deadline by one or two months (at most two in all), with a reason.
    #[schema(minimum = 1, maximum = 2)]
    #[validate(range(min = 1, max = 2, message = "must be 1 or 2"))]
    pub extend_months: Option<u32>,
    #[schema(min_length = 1, max_length = 1000)]
    #[validate(length(min = 1, max = 1000, message = "must be 1 to 1000 characters"))]
    pub extension_reason: Option<String>,
    /// What was done; required when rejecting.
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000, message = "must be 1 to 2000 characters"))]
    pub resolution: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestView {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub kind: RequestKind,
    pub status: RequestStatus,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    pub filed_by: FiledBy,
    #[schema(max_length = 500)]
    pub identity_verification: Option<String>,
    pub received_at: DateTime<Utc>,
    /// The deadline: one calendar month after receipt, or later when extended.
    pub due_on: NaiveDate,
    #[schema(max_length = 1000)]
    pub extension_reason: Option<String>,
    #[schema(max_length = 1000)]
    pub resolution: Option<String>,
    /// Still open after its deadline.
    pub overdue: bool,
    pub version: i64,
}

fn view(r: PrivacyRequest) -> RequestView {
    RequestView {
        id: r.id,
        customer_id: r.customer_id,
        overdue: r.status.is_open() && r.due_on < Utc::now().date_naive(),
        kind: r.kind,
        status: r.status,
        description: r.description,
        filed_by: r.filed_by,
        identity_verification: r.identity_verification,
        received_at: r.received_at,
        due_on: r.due_on,
        extension_reason: r.extension_reason,
        resolution: r.resolution,
        version: r.version,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    pub status: Option<RequestStatus>,
    /// Only open requests past their deadline.
    pub overdue: Option<bool>,
    pub customer_id: Option<Uuid>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(pattern = "^[A-Za-z0-9_-]{21}[AQgw]$", max_length = 22)]
    pub cursor: Option<String>,
}

fn file(
    caller: Caller,
    state: &AppState,
    customer: Option<Uuid>,
    kind: RequestKind,
    description: Option<String>,
    verification: Option<String>,
) -> impl std::future::Future<Output = Result<RequestView, ApiError>> + 'static {
    let writer = state.writer.clone();
    async move {
        writer
            .write_audited(
                caller.entry(AuditAction::PrivacyRequestReceive),
                move |conn, now| {
                    let own = policy::own_account(&caller.principal);
                    let (customer, filed_by, recorded_by) = match (own, &caller.principal, customer)
                    {
                        (Some(account), _, None) => (
                            customers::find_by_account(conn, account)?.ok_or(ApiError::NotFound)?,
                            FiledBy::Person,
                            None,
                        ),
                        (None, Principal::Account { id, .. }, Some(customer)) => {
                            let found =
                                customers::find(conn, customer, customers::CustomerScope::All)?
                                    .ok_or_else(|| {
                                        ApiError::Validation(vec![FieldError::new(
                                            "customer_id",
                                            FieldCode::NotFound,
                                            "no customer has this id",
                                        )])
                                    })?;
                            (found, FiledBy::Staff, Some(*id))
                        }
                        _ => return Err(ApiError::Forbidden),
                    };
                    let customer = crate::customers::service::for_write(conn, customer.id)?;
                    let new = NewRequest {
                        customer_id: customer.id,
                        kind,
                        description: description.as_deref(),
                        filed_by,
                        identity_verification: verification.as_deref(),
                        due_on: due_date(now.date_naive()),
                        recorded_by,
                    };
                    let row = store::insert(conn, &new, now)?;
                    let touched = Touched::thing(row.id, Some(customer.id));
                    Ok((view(row), touched))
                },
            )
            .await
    }
}

pub async fn file_own(
    state: &AppState,
    caller: Caller,
    body: OwnRequest,
) -> Result<RequestView, ApiError> {
    file(caller, state, None, body.kind, body.description, None).await
}

pub async fn file_for(
    state: &AppState,
    caller: Caller,
    body: StaffRequest,
) -> Result<RequestView, ApiError> {
    file(
        caller,
        state,
        Some(body.customer_id),
        body.kind,
        body.description,
        Some(body.identity_verification),
    )
    .await
}

/// The caller's own requests, newest last, a page at a time.
pub async fn list_own(
    state: &AppState,
    caller: Caller,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<RequestView>, ApiError> {
    let id = policy::own_account(&caller.principal).ok_or(ApiError::Forbidden)?;
    let rows = db::run(&state.pool, move |conn| {
        let customer = customers::find_by_account(conn, id)?.ok_or(ApiError::NotFound)?;
        Ok(store::list(
            conn,
            &Filter {
                customer_id: Some(customer.id),
                ..Default::default()
            },
            after,
            limit + 1,
        )?)
    })
    .await?;
    Ok(page(rows, limit, |r| r.id, view))
}

/// One of the caller's own requests; another person's is not found.
pub async fn get_own(state: &AppState, caller: Caller, id: Uuid) -> Result<RequestView, ApiError> {
    let account = policy::own_account(&caller.principal).ok_or(ApiError::Forbidden)?;
    db::run(&state.pool, move |conn| {
        let customer = customers::find_by_account(conn, account)?.ok_or(ApiError::NotFound)?;
        store::find(conn, id)?
            .filter(|request| request.customer_id == customer.id)
            .map(view)
            .ok_or(ApiError::NotFound)
    })
    .await
}

pub async fn list(
    state: &AppState,
    caller: Reader,
    query: RequestQuery,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<RequestView>, ApiError> {
    let filter = Filter {
        status: query.status,
        customer_id: query.customer_id,
        overdue_on: query
            .overdue
            .filter(|o| *o)
            .map(|_| Utc::now().date_naive()),
    };
    let entry = caller.audit(AuditAction::PrivacyRequestList, None, filter.customer_id);
    let rows = caller
        .read_audited(state, entry, move |conn| {
            Ok(store::list(conn, &filter, after, limit + 1)?)
        })
        .await?;
    Ok(page(rows, limit, |r| r.id, view))
}

pub async fn get(state: &AppState, caller: Caller, id: Uuid) -> Result<RequestView, ApiError> {
    let row = db::run(&state.pool, move |conn| {
        store::find(conn, id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    let entry = caller.audit(
        AuditAction::PrivacyRequestRead,
        Some(id.to_string()),
        Some(row.customer_id),
    );
    state.writer.audit(entry).await?;
    Ok(view(row))
}

fn invalid(field: &str, code: FieldCode, message: impl Into<String>) -> ApiError {
    ApiError::Validation(vec![FieldError::new(field, code, message.into())])
}

pub async fn update(
    state: &AppState,
    caller: Caller,
    id: Uuid,
    patch: RequestPatch,
    expected: Option<i64>,
) -> Result<RequestView, ApiError> {
    state
        .writer
        .write(move |conn| {
            let now = Utc::now();
            let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
            let status = row.status;
            if expected.is_some_and(|v| v != row.version) {
                return Err(ApiError::PreconditionFailed);
            }
            let mut actions = Vec::new();
            if let Some(to) = patch.status {
                transition(status, to, patch.resolution.as_deref())
                    .map_err(|e| invalid("status", FieldCode::Transition, e.to_string()))?;
                actions.push(match to {
                    RequestStatus::InProgress => AuditAction::PrivacyRequestStart,
                    RequestStatus::Completed => AuditAction::PrivacyRequestComplete,
                    RequestStatus::Rejected => AuditAction::PrivacyRequestReject,
                    RequestStatus::Received => unreachable!("no transition leads back to received"),
                });
            }
            let due_on = match patch.extend_months {
                Some(months) => {
                    if !status.is_open() {
                        return Err(invalid(
                            "extend_months",
                            FieldCode::Closed,
                            "the request is already closed",
                        ));
                    }
                    if patch.extension_reason.is_none() {
                        return Err(invalid(
                            "extension_reason",
                            FieldCode::Required,
                            "an extension needs a reason",
                        ));
                    }
                    let due = extended_due_date(row.received_at.date_naive(), months)
                        .map_err(|e| invalid("extend_months", FieldCode::Range, e.to_string()))?;
                    actions.push(AuditAction::PrivacyRequestExtend);
                    Some(due)
                }
                None => None,
            };
            let changes = Changes {
                status: patch.status,
                due_on,
                extension_reason: patch.extension_reason.as_deref(),
                resolution: patch.resolution.as_deref(),
            };
            if !store::update(conn, id, row.version, &changes, now)? {
                return Err(ApiError::PreconditionFailed);
            }
            for action in actions {
                audit::append(
                    conn,
                    caller.audit(action, Some(id.to_string()), Some(row.customer_id)),
                    now,
                )?;
            }
            Ok(view(store::find(conn, id)?.ok_or(ApiError::NotFound)?))
        })
        .await
}
