//! Integration clients (the online calendar, the webshop): their keys and processor details.

use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, Touched};
use domain::{IntegrationKind, Scope};
use persistence::integrations::{self, Integration, NewIntegration};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::{Caller, secrets};
use crate::plumbing::db;
use crate::plumbing::error::ApiError;
use crate::plumbing::http::{Page, page};
use crate::plumbing::state::AppState;

/// The company that runs the integration and processes personal data for us (GDPR Art. 28).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Processor {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    #[schema(example = "Kalenteripalvelu Oy")]
    pub company: String,
    /// ISO 3166-1 alpha-2 code of the country where the data is kept.
    #[schema(min_length = 2, max_length = 2)]
    #[validate(length(equal = 2, message = "must be a two-letter country code"))]
    #[schema(example = "FI")]
    pub country: String,
    /// Whether that country is inside the EU/EEA (outside means a transfer needing safeguards).
    pub in_eea: bool,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Online calendar", "kind": "calendar",
    "processor": {"company": "Kalenteripalvelu Oy", "country": "FI", "in_eea": true}}))]
pub struct NewIntegrationRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    pub kind: IntegrationKind,
    /// What the key may do; defaults to the kind's own scope.
    #[schema(max_items = 2)]
    pub scopes: Option<Vec<Scope>>,
    #[validate(nested)]
    pub processor: Processor,
}

/// An integration as listed (no secrets).
#[derive(Debug, Serialize, ToSchema)]
pub struct IntegrationView {
    pub id: Uuid,
    #[schema(max_length = 200)]
    pub name: String,
    pub kind: IntegrationKind,
    #[schema(max_items = 2)]
    pub scopes: Vec<Scope>,
    pub processor: Processor,
    /// The first characters of the API key, to tell keys apart.
    #[schema(example = "uk_3xV9aQ2")]
    #[schema(max_length = 32)]
    pub key_prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// Set once the key is revoked; a revoked key no longer authenticates.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<Integration> for IntegrationView {
    fn from(i: Integration) -> Self {
        Self {
            id: i.id,
            name: i.name,
            kind: i.kind,
            scopes: i.scopes,
            processor: Processor {
                company: i.processor_company,
                country: i.processor_country,
                in_eea: i.processor_in_eea,
            },
            key_prefix: i.key_prefix,
            created_at: i.created_at,
            last_used_at: i.last_used_at,
            revoked_at: i.revoked_at,
        }
    }
}

/// A new integration with its secrets, shown this once only.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedIntegration {
    #[serde(flatten)]
    pub integration: IntegrationView,
    /// Send as `Authorization: Bearer <api_key>`. Only a hash is kept: store it now.
    #[schema(max_length = 128)]
    pub api_key: String,
    /// Signs the integration's webhooks (HMAC-SHA256). Store it now.
    #[schema(max_length = 128)]
    pub webhook_secret: String,
}

pub async fn create(
    state: &AppState,
    caller: Caller,
    body: NewIntegrationRequest,
) -> Result<CreatedIntegration, ApiError> {
    let mut scopes = body
        .scopes
        .unwrap_or_else(|| vec![body.kind.default_scope()]);
    scopes.sort();
    scopes.dedup();
    let (api_key, key_prefix, key_hash) = secrets::new_api_key();
    let webhook_secret = secrets::webhook_secret();
    let secret_for_db = webhook_secret.clone();
    let creator = match caller.principal {
        crate::auth::Principal::Account { id, .. } => Some(id),
        crate::auth::Principal::Integration { .. } => None,
    };
    let integration = state
        .writer
        .write_audited(
            caller.entry(AuditAction::IntegrationCreate),
            move |conn, now| {
                let new = NewIntegration {
                    name: body.name.trim(),
                    kind: body.kind,
                    scopes: &scopes,
                    processor_company: body.processor.company.trim(),
                    processor_country: &body.processor.country.to_uppercase(),
                    processor_in_eea: body.processor.in_eea,
                    key_prefix: &key_prefix,
                    key_hash: &key_hash,
                    webhook_secret: &secret_for_db,
                    created_by: creator,
                };
                let integration = integrations::insert(conn, &new, now)?;
                let touched = Touched::thing(integration.id, None);
                Ok((integration, touched))
            },
        )
        .await?;
    Ok(CreatedIntegration {
        integration: integration.into(),
        api_key,
        webhook_secret,
    })
}

pub async fn list(
    state: &AppState,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<IntegrationView>, ApiError> {
    let rows = db::run(&state.pool, move |conn| {
        Ok(integrations::list(conn, after, limit + 1)?)
    })
    .await?;
    Ok(page(rows, limit, |i| i.id, IntegrationView::from))
}

/// A new webhook secret, shown once.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"webhook_secret": "whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=",
    "previous_valid_until": "2026-12-08T10:00:00Z"}))]
pub struct RotatedWebhookSecret {
    /// Signs the integration's webhooks from now on (Standard Webhooks form). Store it now.
    #[schema(min_length = 50, max_length = 60, pattern = "^whsec_[A-Za-z0-9+/]+=*$")]
    pub webhook_secret: String,
    /// Until when the previous secret still verifies.
    pub previous_valid_until: chrono::DateTime<chrono::Utc>,
}

/// How long a rotated-out webhook secret keeps verifying.
const SECRET_GRACE: chrono::Duration = chrono::Duration::hours(24);

pub async fn rotate_webhook_secret(
    state: &AppState,
    caller: Caller,
    id: Uuid,
) -> Result<RotatedWebhookSecret, ApiError> {
    let secret = secrets::webhook_secret();
    let stored = secret.clone();
    let entry = caller.entry(AuditAction::IntegrationRotateWebhookSecret);
    let until = state
        .writer
        .write_audited(entry, move |conn, now| {
            let until = now + SECRET_GRACE;
            if !persistence::webhooks::rotate_secret(conn, id, &stored, until)? {
                return Err(ApiError::NotFound);
            }
            Ok((until, Touched::thing(id, None)))
        })
        .await?;
    Ok(RotatedWebhookSecret {
        webhook_secret: secret,
        previous_valid_until: until,
    })
}

pub async fn revoke(state: &AppState, caller: Caller, id: Uuid) -> Result<(), ApiError> {
    state
        .writer
        .write_audited(
            caller.entry(AuditAction::IntegrationRevoke),
            move |conn, now| {
                if !integrations::revoke(conn, id, now)? {
                    return Err(ApiError::NotFound);
                }
                Ok(((), Touched::thing(id, None)))
            },
        )
        .await
}
