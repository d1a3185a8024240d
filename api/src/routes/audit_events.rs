//! Reading the audit log (admin only). Nothing can change or delete an entry.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use domain::audit::{ActorKind, AuditAction};
use persistence::audit::{self, AuditEvent, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Action, Reader};
use crate::plumbing::error::ApiError;
use crate::plumbing::http::{Page, decode_cursor, page, page_limit};
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries by this account or integration.
    pub actor_id: Option<Uuid>,
    /// Only entries about this person.
    pub subject_id: Option<Uuid>,
    /// Only this action, e.g. `staff.read`.
    #[param(max_length = 64)]
    pub action: Option<String>,
    /// Entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time.
    pub to: Option<DateTime<Utc>>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{10}[AEIMQUYcgkosw048]$", max_length = 11)]
    pub cursor: Option<String>,
}

/// One audit entry: who did what to whose data, when. IDs only.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    /// Position in the hash chain.
    pub seq: i64,
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    #[schema(example = "staff.read")]
    #[schema(max_length = 64)]
    pub action: String,
    #[schema(example = "account")]
    #[schema(max_length = 64)]
    pub target_type: String,
    #[schema(max_length = 64)]
    pub target_id: Option<String>,
    /// The person the data is about.
    pub subject_id: Option<Uuid>,
    #[schema(max_length = 128)]
    pub request_id: Option<String>,
    #[schema(max_length = 45)]
    pub client_ip: Option<String>,
    /// SHA-256 over this entry and the previous entry's hash.
    #[schema(max_length = 64)]
    pub hash: String,
}

impl From<AuditEvent> for AuditEventView {
    fn from(e: AuditEvent) -> Self {
        let r = e.record;
        Self {
            seq: r.seq,
            id: r.id,
            occurred_at: r.occurred_at,
            actor_kind: r.actor_kind,
            actor_id: r.actor_id,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            subject_id: r.subject_id,
            request_id: r.request_id,
            client_ip: r.client_ip,
            hash: e.hash,
        }
    }
}

/// List audit entries, newest first, with filters. Reading the log is itself logged.
#[utoipa::path(
    tag = "audit",
    operation_id = "list_audit_events",
    security(("access_token" = [])),
    params(AuditQuery),
    responses((status = 200, description = "One page of audit entries", body = Page<AuditEventView>))
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    caller: Reader,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Action::ReadAuditLog)?;
    let limit = page_limit(query.limit)?;
    let query = query.into_inner();
    crate::plumbing::http::at_most("action", query.action.as_deref(), 64)?;
    let before = decode_cursor::<i64>(query.cursor.as_deref())?;
    let filter = AuditFilter {
        actor_id: query.actor_id,
        subject_id: query.subject_id,
        action: query.action,
        from: query.from,
        to: query.to,
    };
    let entry = caller.audit(AuditAction::AuditEventsList, None, filter.subject_id);
    let rows = caller
        .read_audited(&state, entry, move |conn| {
            Ok(audit::list(conn, &filter, before, limit + 1)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page(rows, limit, |e| e.record.seq, AuditEventView::from)))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_events);
}
