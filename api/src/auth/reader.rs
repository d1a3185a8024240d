//! The caller of an audited read, whose session is checked with the read's audit entry instead
//! of before the read: the writer asks once for every session of its batch, in the batch's own
//! transaction, and the request waits for that batch anyway. So an audited read costs no check
//! of its own (on PostgreSQL a check of its own was a round trip, about a fifth of the read's
//! throughput), and nothing read is answered unless the session was live, with the role the
//! token names, when the entry was written.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use domain::audit::AuditEntry;
use futures_util::future::LocalBoxFuture;
use persistence::AnyConnection;

use super::Caller;
use super::principal::identify;
use super::session_check::SessionProof;
use crate::plumbing::error::ApiError;
use crate::plumbing::state::AppState;

/// Valid credentials for one audited read. The only way to use it is [`Reader::read_audited`].
#[derive(Debug, Clone)]
pub struct Reader {
    caller: Caller,
    /// `None` for an integration, whose key was looked up already.
    proof: Option<SessionProof>,
}

impl Reader {
    /// Runs `read` on the blocking pool, outside any write transaction; answers its value once
    /// `entry` is durable in the audit log (group-committed with concurrent reads) and the
    /// session has been found live as the entry was written (else 401, and the value is
    /// dropped). A read that fails leaves no entry.
    pub async fn read_audited<T, F>(
        &self,
        state: &AppState,
        entry: AuditEntry,
        read: F,
    ) -> Result<T, ApiError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let value = crate::plumbing::db::run(&state.pool, read).await?;
        state.writer.audit_checked(entry, self.proof).await?;
        Ok(value)
    }
}

/// Who is calling, as the token says: for the policy and the audit entry, inside the read.
impl std::ops::Deref for Reader {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl FromRequest for Reader {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let identified = identify(req);
        Box::pin(async move {
            let (_, authenticated, proof) = identified.await?;
            if authenticated.password_change_required {
                return Err(ApiError::PasswordChangeRequired);
            }
            let caller = Caller {
                principal: authenticated.principal,
                meta: authenticated.meta,
            };
            Ok(Self { caller, proof })
        })
    }
}
