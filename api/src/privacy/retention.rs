//! Retention: login events and finished messages after 12 months, unconfirmed UniikkiLista
//! sign-ups after 7 days, idempotency keys after 24 hours, and customers inactive for the
//! configured years — those erased through the same path as an erasure request.

use std::time::Duration;

use chrono::Utc;
use domain::audit::{ActorKind, AuditAction};
use persistence::retention::{self, Cutoffs};
use persistence::{Pool, audit, customers, erasure, write_transaction};
use serde::Serialize;

use super::export::subject_of;
use crate::auth::{RequestMeta, secrets};
use crate::background::Background;
use crate::settings::Settings;
use crate::signing_key::SigningKey;

/// What a run removed, or would remove (dry run).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RetentionReport {
    pub dry_run: bool,
    pub login_events: usize,
    pub unconfirmed_signups: usize,
    pub finished_messages: usize,
    pub inactive_customers: usize,
    pub idempotency_keys: usize,
    pub webhook_deliveries: usize,
}

fn cutoffs(settings: &Settings) -> Cutoffs {
    let now = Utc::now();
    let years = i64::from(settings.retention.inactive_years);
    Cutoffs {
        login_events: now - chrono::Duration::days(365),
        unconfirmed_signups: now - chrono::Duration::days(7),
        finished_messages: now - chrono::Duration::days(365),
        inactive_customers: now - chrono::Duration::days(365 * years),
        idempotency_keys: now,
        webhook_deliveries: now - chrono::Duration::days(30),
    }
}

/// Applies every rule (blocking; run it on the blocking pool or from the command line).
pub fn run(
    pool: &Pool,
    settings: &Settings,
    key: &SigningKey,
    dry_run: bool,
) -> anyhow::Result<RetentionReport> {
    let cutoffs = cutoffs(settings);
    let mut conn = pool.get()?;
    let purged = write_transaction(&mut conn, |conn| retention::purge(conn, &cutoffs, dry_run))?;
    let inactive = retention::inactive_customers(&mut conn, cutoffs.inactive_customers)?;
    if !dry_run {
        for id in &inactive {
            write_transaction(&mut conn, |conn| -> Result<(), persistence::DbError> {
                let Some(customer) = customers::find(conn, *id, customers::CustomerScope::All)?
                else {
                    return Ok(());
                };
                let now = Utc::now();
                let name_hash = customer
                    .profile
                    .email
                    .as_ref()
                    .map(|e| secrets::login_name_hash(key.bytes(), e.as_str()));
                erasure::erase(conn, &subject_of(&customer), name_hash.as_deref(), now)?;
                let entry = RequestMeta::default().audit_as(
                    ActorKind::System,
                    None,
                    AuditAction::CustomerErase,
                    Some(id.to_string()),
                    Some(*id),
                );
                audit::append(conn, entry, now)?;
                Ok(())
            })?;
        }
        let entry = RequestMeta::default().audit_as(
            ActorKind::System,
            None,
            AuditAction::RetentionRun,
            None,
            None,
        );
        write_transaction(&mut conn, |conn| audit::append(conn, entry, Utc::now()))?;
        erasure::flush_log(&mut conn)?;
        audit::chain_pending(&mut conn)?;
    }
    Ok(RetentionReport {
        dry_run,
        login_events: purged.login_events,
        unconfirmed_signups: purged.unconfirmed_signups,
        finished_messages: purged.finished_messages,
        inactive_customers: inactive.len(),
        idempotency_keys: purged.idempotency_keys,
        webhook_deliveries: purged.webhook_deliveries,
    })
}

/// Runs retention every `retention_interval_hours` while the server runs (0: never).
pub fn spawn_daily(
    background: &mut Background,
    pool: Pool,
    settings: std::sync::Arc<Settings>,
    key: SigningKey,
) {
    if settings.retention.interval_hours == 0 {
        return;
    }
    let interval = Duration::from_secs(settings.retention.interval_hours * 3600);
    background.every(interval, move || {
        let (pool, settings, key) = (pool.clone(), settings.clone(), key.clone());
        async move {
            match actix_web::web::block(move || run(&pool, &settings, &key, false)).await {
                Ok(Ok(report)) => tracing::info!(?report, "retention run"),
                Ok(Err(error)) => {
                    tracing::warn!(error = format!("{error:#}"), "retention run failed")
                }
                Err(error) => tracing::error!(error = %error, "retention task failed"),
            }
        }
    });
}
