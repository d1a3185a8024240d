//! Who is calling: the extractors every protected handler takes. A handler that takes
//! [`Caller`] cannot run without valid credentials; this module is the only place tokens and
//! API keys are read.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::Utc;
use domain::audit::{ActorKind, AuditAction, AuditEntry};
use domain::{IntegrationKind, Role, Scope};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use super::policy::{self, Action};
use super::session_check::{SESSION_ENDED, SessionProof};
use super::{secrets, tokens};
use crate::plumbing::db;
use crate::plumbing::error::ApiError;
use crate::plumbing::state::AppState;
use crate::request_context;

/// An authenticated identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A person logged in to an account; `session_id` is the login session (refresh family).
    Account {
        id: Uuid,
        role: Role,
        session_id: Uuid,
    },
    /// The calendar or webshop, with its API key.
    Integration {
        id: Uuid,
        kind: IntegrationKind,
        scopes: Vec<Scope>,
    },
}

/// Where a request came from, for login events and the audit log. No personal data beyond the
/// client address and user agent that the privacy notice lists as usage data.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestMeta {
    pub fn of(req: &HttpRequest) -> Self {
        Self {
            request_id: request_context::current().map(|c| c.request_id),
            client_ip: req.peer_addr().map(|a| a.ip().to_string()),
            user_agent: req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|ua| ua.chars().take(256).collect()),
        }
    }

    /// The audit entry of a change by someone not logged in (a public form, a link in a
    /// message), for [`crate::plumbing::writer::Writer::write_audited`] to complete.
    pub fn anonymous(&self, action: AuditAction) -> AuditEntry {
        self.audit_as(ActorKind::Anonymous, None, action, None, None)
    }

    /// An audit entry by an anonymous caller or the system.
    pub fn audit_as(
        &self,
        actor_kind: ActorKind,
        actor_id: Option<Uuid>,
        action: AuditAction,
        target_id: Option<String>,
        subject_id: Option<Uuid>,
    ) -> AuditEntry {
        AuditEntry {
            actor_kind,
            actor_id,
            action,
            target_id,
            subject_id,
            request_id: self.request_id.clone(),
            client_ip: self.client_ip.clone(),
        }
    }
}

impl FromRequest for RequestMeta {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self::of(req)))
    }
}

/// Valid credentials, including a session that may only change its password (taken by the
/// password-change, logout and "who am I" endpoints).
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub principal: Principal,
    pub password_change_required: bool,
    pub meta: RequestMeta,
}

/// Valid credentials that may act: what every ordinary protected endpoint takes.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub meta: RequestMeta,
}

impl Caller {
    /// Refuses with 403 unless the policy allows `action`.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if policy::allows(&self.principal, action) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The audit entry of a change this caller makes, for [`crate::plumbing::writer::Writer::write_audited`]
    /// to complete with what the change touched.
    pub fn entry(&self, action: AuditAction) -> AuditEntry {
        self.audit(action, None, None)
    }

    /// An audit entry for something this caller did.
    pub fn audit(
        &self,
        action: AuditAction,
        target_id: Option<String>,
        subject_id: Option<Uuid>,
    ) -> AuditEntry {
        audit_by(&self.principal, &self.meta, action, target_id, subject_id)
    }
}

impl Authenticated {
    pub fn audit(
        &self,
        action: AuditAction,
        target_id: Option<String>,
        subject_id: Option<Uuid>,
    ) -> AuditEntry {
        audit_by(&self.principal, &self.meta, action, target_id, subject_id)
    }
}

fn audit_by(
    principal: &Principal,
    meta: &RequestMeta,
    action: AuditAction,
    target_id: Option<String>,
    subject_id: Option<Uuid>,
) -> AuditEntry {
    let (kind, id) = match principal {
        Principal::Account { id, .. } => (ActorKind::Account, *id),
        Principal::Integration { id, .. } => (ActorKind::Integration, *id),
    };
    meta.audit_as(kind, Some(id), action, target_id, subject_id)
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let identified = identify(req);
        Box::pin(async move {
            let (state, authenticated, proof) = identified.await?;
            let Some(proof) = proof else {
                return Ok(authenticated);
            };
            // The session must be live now, and the role is the account's now.
            let role = state
                .sessions
                .role(proof.account, proof.session)
                .await?
                .ok_or(SESSION_ENDED)?;
            Ok(Authenticated {
                principal: Principal::Account {
                    id: proof.account,
                    role,
                    session_id: proof.session,
                },
                ..authenticated
            })
        })
    }
}

/// Who the credentials name: an integration (its key looked up) or a person, whose session is
/// still to be checked (`Some` proof) — by the extractor now, or with an audited read's entry.
pub(super) fn identify(
    req: &HttpRequest,
) -> impl std::future::Future<
    Output = Result<(web::Data<AppState>, Authenticated, Option<SessionProof>), ApiError>,
> + 'static {
    let parts = credentials_of(req);
    async move {
        let (state, token, meta) = parts?;
        if token.starts_with(secrets::API_KEY_PREFIX) {
            let authenticated = Authenticated {
                principal: integration_for_key(&state, &token).await?,
                password_change_required: false,
                meta,
            };
            return Ok((state, authenticated, None));
        }
        let (authenticated, proof) = unchecked(&state, &token, meta)?;
        Ok((state, authenticated, Some(proof)))
    }
}

type Credentials = (web::Data<AppState>, String, RequestMeta);

/// What a request presents: the app state, the bearer token, the request's metadata.
fn credentials_of(req: &HttpRequest) -> Result<Credentials, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
    Ok((state, bearer_token(req)?, RequestMeta::of(req)))
}

/// Checks an access token's signature and claims, without the database: who it says is
/// calling, and the session to check before anything is done or answered for them.
fn unchecked(
    state: &AppState,
    token: &str,
    meta: RequestMeta,
) -> Result<(Authenticated, SessionProof), ApiError> {
    let claims = tokens::verify(&state.signing_key, token, Utc::now())
        .map_err(|_| ApiError::Unauthorized("the access token is invalid or expired"))?;
    let proof = SessionProof {
        account: claims.sub,
        session: claims.sid,
        role: claims.role,
    };
    let authenticated = Authenticated {
        principal: Principal::Account {
            id: claims.sub,
            role: claims.role,
            session_id: claims.sid,
        },
        password_change_required: claims.pcr,
        meta,
    };
    Ok((authenticated, proof))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let authenticated = Authenticated::from_request(req, payload);
        Box::pin(async move {
            let Authenticated {
                principal,
                password_change_required,
                meta,
            } = authenticated.await?;
            if password_change_required {
                return Err(ApiError::PasswordChangeRequired);
            }
            Ok(Self { principal, meta })
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized(
            "send `Authorization: Bearer <token>`",
        ))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("malformed Authorization header"))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or(ApiError::Unauthorized("malformed Authorization header"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthorized(
            "only Bearer credentials are accepted",
        ));
    }
    Ok(token.trim().to_owned())
}

async fn integration_for_key(state: &AppState, key: &str) -> Result<Principal, ApiError> {
    let hash = secrets::sha256_hex(key);
    let found = db::run(&state.pool, move |conn| {
        let found = persistence::integrations::find_active_by_key_hash(conn, &hash)?;
        if let Some(integration) = &found {
            persistence::integrations::touch_last_used(conn, integration.id, Utc::now())?;
        }
        Ok(found)
    })
    .await?;
    let integration = found.ok_or(ApiError::Unauthorized("the API key is invalid or revoked"))?;
    Ok(Principal::Integration {
        id: integration.id,
        kind: integration.kind,
        scopes: integration.scopes,
    })
}
