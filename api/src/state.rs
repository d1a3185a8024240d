//! What handlers share: built once at start-up, cloned cheaply into every worker.

use std::sync::Arc;

use persistence::Pool;

use crate::audit_writer::AuditWriter;
use crate::settings::Settings;
use crate::signing_key::SigningKey;

/// Shared state of a running server.
#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub signing_key: SigningKey,
    /// Group-commits the audit entries of reads.
    pub audit: AuditWriter,
}
