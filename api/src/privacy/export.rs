//! The complete export of what the register holds about one person, with the Article 15
//! information and the record of when staff consulted their data.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::Connection;
use domain::audit::{ActorKind, AuditAction};
use persistence::audit::{self, AuditFilter};
use persistence::customers::Customer;
use persistence::export::{Subject, rows};
use persistence::privacy_map::Category;
use persistence::{AnyConnection, customers, integrations};
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;
use uuid::Uuid;

use super::controller::{CONTROLLER, Controller, RIGHTS};
use crate::auth::Caller;
use crate::auth::policy;
use crate::plumbing::db;
use crate::plumbing::error::ApiError;
use crate::plumbing::state::AppState;

/// Everything about one person, machine-readable.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportDocument {
    #[schema(example = "uniikki-export/1")]
    #[schema(max_length = 32)]
    pub format: &'static str,
    pub generated_at: DateTime<Utc>,
    pub customer_id: Uuid,
    pub controller: Controller,
    /// Why each kind of data is processed, on what basis, from where and for how long.
    #[schema(max_items = 100)]
    pub processing: Vec<Processing>,
    /// Who processes the data on the controller's behalf.
    #[schema(max_items = 100)]
    pub recipients: Vec<Recipient>,
    /// Processors keeping data outside the EU/EEA; empty when there are none.
    #[schema(max_items = 100)]
    pub transfers_outside_eea: Vec<Recipient>,
    #[schema(max_items = 100)]
    pub rights: Vec<&'static str>,
    #[schema(schema_with = super::export_data::schema)]
    pub data: BTreeMap<&'static str, Vec<Box<RawValue>>>,
    /// When staff or integrations consulted the person's data, and for what purpose.
    pub consultations: Vec<Consultation>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Processing {
    #[schema(max_length = 63)]
    pub table: &'static str,
    #[schema(max_length = 1000)]
    pub purpose: &'static str,
    #[schema(max_length = 1000)]
    pub legal_basis: &'static str,
    #[schema(max_length = 1000)]
    pub source: &'static str,
    #[schema(max_length = 1000)]
    pub retention: &'static str,
    #[schema(max_items = 100)]
    pub categories: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recipient {
    #[schema(max_length = 1000)]
    pub name: String,
    #[schema(max_length = 1000)]
    pub company: String,
    #[schema(max_length = 1000)]
    pub country: String,
    pub in_eea: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Consultation {
    pub at: DateTime<Utc>,
    /// Who read: a staff `account` or an `integration`.
    pub by: ActorKind,
    #[schema(example = "customer.read")]
    #[schema(max_length = 64)]
    pub action: String,
    #[schema(example = "customer service")]
    #[schema(max_length = 1000)]
    pub purpose: &'static str,
}

/// Who a customer is, for finding their rows: their id and login, never their addresses.
pub fn subject_of(customer: &Customer) -> Subject {
    Subject {
        customer_id: customer.id,
        account_id: customer.account_id,
    }
}

fn build(
    conn: &mut AnyConnection,
    customer: &Customer,
    now: DateTime<Utc>,
) -> Result<ExportDocument, ApiError> {
    let subject = subject_of(customer);
    let mut data = BTreeMap::new();
    let mut processing = Vec::new();
    for table in super::export_data::exported_tables() {
        let found = rows(conn, table, &subject)?;
        if found.is_empty() {
            continue;
        }
        let mut categories: Vec<&'static str> = table
            .columns
            .iter()
            .filter(|(_, c)| !matches!(c, Category::NotPersonal | Category::Secret))
            .map(|(_, c)| c.as_str())
            .collect();
        categories.sort_unstable();
        categories.dedup();
        processing.push(Processing {
            table: table.name,
            purpose: table.purpose,
            legal_basis: table.basis.as_str(),
            source: table.source,
            retention: table.retention,
            categories,
        });
        data.insert(table.name, found);
    }
    let recipients: Vec<Recipient> = integrations::list(conn, None, 1_000)?
        .into_iter()
        .filter(|i| i.revoked_at.is_none())
        .map(|i| Recipient {
            name: i.name,
            company: i.processor_company,
            country: i.processor_country,
            in_eea: i.processor_in_eea,
        })
        .collect();
    let mut consultations = Vec::new();
    for subject_id in std::iter::once(customer.id).chain(customer.account_id) {
        let filter = AuditFilter {
            subject_id: Some(subject_id),
            ..Default::default()
        };
        for event in audit::list(conn, &filter, None, 10_000)? {
            let r = event.record;
            let by_others = r.actor_kind != ActorKind::Account || r.actor_id != customer.account_id;
            if let Some(purpose) = AuditAction::parse(&r.action)
                .and_then(AuditAction::read_purpose)
                .filter(|_| by_others)
            {
                consultations.push(Consultation {
                    at: r.occurred_at,
                    by: r.actor_kind,
                    action: r.action,
                    purpose,
                });
            }
        }
    }
    consultations.sort_by_key(|c| c.at);
    Ok(ExportDocument {
        format: "uniikki-export/1",
        generated_at: now,
        customer_id: customer.id,
        controller: CONTROLLER,
        processing,
        transfers_outside_eea: recipients.iter().filter(|r| !r.in_eea).cloned().collect(),
        recipients,
        rights: RIGHTS.to_vec(),
        data,
        consultations,
    })
}

/// The export of `customer_id` (staff), or of the caller's own customer record (a customer).
/// The export is itself audited.
pub async fn export(
    state: &AppState,
    caller: Caller,
    customer_id: Option<Uuid>,
) -> Result<ExportDocument, ApiError> {
    let reader = caller.clone();
    let document = db::run(&state.pool, move |conn| {
        // A read transaction: one consistent snapshot, without taking SQLite's write lock.
        conn.transaction(|conn| {
            let customer = match (customer_id, policy::own_account(&reader.principal)) {
                (Some(id), _) => customers::find(conn, id, customers::CustomerScope::All)?,
                (None, Some(account)) => customers::find_by_account(conn, account)?,
                (None, None) => return Err(ApiError::Forbidden),
            }
            .ok_or(ApiError::NotFound)?;
            build(conn, &customer, Utc::now())
        })
    })
    .await?;
    let id = document.customer_id;
    let entry = caller.audit(AuditAction::CustomerExport, Some(id.to_string()), Some(id));
    state.writer.audit(entry).await?;
    Ok(document)
}
