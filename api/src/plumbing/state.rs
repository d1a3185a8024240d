//! What handlers share: built once at start-up, cloned cheaply into every worker.

use std::sync::Arc;

use persistence::Pool;

use crate::auth::session_check::SessionChecker;
use crate::plumbing::writer::Writer;
use crate::settings::Settings;
use crate::signing_key::SigningKey;

/// Shared state of a running server.
#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub signing_key: SigningKey,
    /// Where every change and every read's audit entry is written (group commit; see `writer`).
    pub writer: Writer,
    /// Whether an access token's session is still live (batched; see `auth::session_check`).
    pub sessions: SessionChecker,
}
