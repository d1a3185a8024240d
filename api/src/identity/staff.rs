//! Staff accounts, managed by admins: created without a password, activated by a one-time
//! password, deactivated rather than deleted.

use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, Touched};
use domain::{DisplayName, EmailAddress, Role};
use persistence::accounts::{
    self, Account, AccountChanges, AccountFilter, NewAccount, UpdateError,
};
use persistence::{DbError, refresh_tokens};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::one_time::{OneTimePassword, Prepared};
use crate::auth::{Caller, Reader, policy};
use crate::plumbing::db;
use crate::plumbing::error::ApiError;
use crate::plumbing::http::{Fields, Page, page};
use crate::plumbing::state::AppState;

/// The roles a staff account can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    Admin,
    Office,
    Teacher,
}

impl From<StaffRole> for Role {
    fn from(role: StaffRole) -> Self {
        match role {
            StaffRole::Admin => Role::Admin,
            StaffRole::Office => Role::Office,
            StaffRole::Teacher => Role::Teacher,
        }
    }
}

/// A staff account as the API shows it (no secrets).
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffMember {
    pub id: Uuid,
    #[schema(example = "liisa.laulaja@uniikkiaani.fi")]
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(example = "Liisa Laulaja")]
    #[schema(max_length = 200)]
    pub display_name: String,
    pub role: Role,
    /// Deactivated accounts cannot log in; their sessions end at the next refresh.
    pub active: bool,
    /// False until the person has logged in and chosen their own password.
    pub has_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Also sent as the `ETag` header; send it back in `If-Match` to update safely.
    pub version: i64,
}

impl From<Account> for StaffMember {
    fn from(a: Account) -> Self {
        Self {
            id: a.id,
            email: a.email,
            display_name: a.display_name,
            role: a.role,
            active: a.active,
            has_password: a.password_hash.is_some() && !a.password_is_one_time,
            last_login_at: a.last_login_at,
            created_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version,
        }
    }
}

/// A new staff account. It has no password until an admin issues a one-time password.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "liisa.laulaja@uniikkiaani.fi", "display_name": "Liisa Laulaja", "role": "teacher"}))]
pub struct NewStaffMember {
    #[schema(max_length = 254, pattern = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$")]
    pub email: String,
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: String,
    pub role: StaffRole,
}

/// Changes to a staff account; absent fields stay as they are.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct StaffChanges {
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: Option<String>,
    pub role: Option<StaffRole>,
    pub active: Option<bool>,
}

fn duplicate_email(existing_id: Option<Uuid>) -> ApiError {
    ApiError::Conflict {
        detail: "an account with this email already exists".to_owned(),
        existing_id,
    }
}

fn not_staff(account: Option<Account>) -> Option<Account> {
    account.filter(|a| a.role.is_staff())
}

pub async fn create(
    state: &AppState,
    caller: Caller,
    body: NewStaffMember,
) -> Result<StaffMember, ApiError> {
    let mut fields = Fields::default();
    let email = fields.check("email", EmailAddress::parse(&body.email));
    let display_name = fields.check("display_name", DisplayName::parse(&body.display_name));
    fields.finish()?;
    let (Some(email), Some(display_name)) = (email, display_name) else {
        unreachable!("checked above")
    };
    let new = NewAccount {
        email,
        display_name,
        role: body.role.into(),
    };
    state
        .writer
        .write_audited(caller.entry(AuditAction::StaffCreate), move |conn, now| {
            // Look first: after a unique violation PostgreSQL accepts no further query in the
            // transaction. The constraint still decides a race between two creates.
            if let Some(existing) = accounts::find_by_email(conn, &new.email)? {
                return Err(duplicate_email(Some(existing.id)));
            }
            let account = accounts::insert(conn, &new, now).map_err(|e| match e {
                DbError::UniqueViolation { constraint } if constraint == "accounts_email_key" => {
                    duplicate_email(None)
                }
                other => other.into(),
            })?;
            let touched = Touched::person(account.id);
            Ok((account.into(), touched))
        })
        .await
}

pub async fn get(state: &AppState, caller: Reader, id: Uuid) -> Result<StaffMember, ApiError> {
    let entry = caller.audit(AuditAction::StaffRead, Some(id.to_string()), Some(id));
    let account = caller
        .read_audited(state, entry, move |conn| {
            not_staff(accounts::find(conn, id)?).ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(account.into())
}

pub async fn list(
    state: &AppState,
    caller: Reader,
    filter: AccountFilter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<StaffMember>, ApiError> {
    let filter = AccountFilter {
        staff_only: true,
        ..filter
    };
    let entry = caller.audit(AuditAction::StaffList, None, None);
    let rows = caller
        .read_audited(state, entry, move |conn| {
            Ok(accounts::list(conn, &filter, after, limit + 1)?)
        })
        .await?;
    Ok(page(rows, limit, |a| a.id, StaffMember::from))
}

pub async fn update(
    state: &AppState,
    caller: Caller,
    id: Uuid,
    body: StaffChanges,
    expected_version: Option<i64>,
) -> Result<StaffMember, ApiError> {
    let mut fields = Fields::default();
    let display_name = body
        .display_name
        .map(|n| fields.check("display_name", DisplayName::parse(&n)));
    fields.finish()?;
    let changes = AccountChanges {
        display_name: display_name.flatten(),
        role: body.role.map(Role::from),
        active: body.active,
    };
    state
        .writer
        .write_audited(caller.entry(AuditAction::StaffUpdate), move |conn, now| {
            let current = not_staff(accounts::find(conn, id)?).ok_or(ApiError::NotFound)?;
            let stops_being_admin = policy::ends_admin_rights(
                current.role,
                current.active,
                changes.role,
                changes.active,
            );
            if stops_being_admin && accounts::count_active_admins(conn)? <= 1 {
                return Err(ApiError::Conflict {
                    detail: "this is the last active admin; make another admin first".to_owned(),
                    existing_id: None,
                });
            }
            let updated = accounts::update(conn, id, &changes, expected_version, now).map_err(
                |e| match e {
                    UpdateError::NotFound => ApiError::NotFound,
                    UpdateError::Stale { .. } => ApiError::PreconditionFailed,
                    UpdateError::Db(db) => db.into(),
                },
            )?;
            if !updated.active {
                refresh_tokens::revoke_account(conn, id, None, now)?;
            }
            Ok((updated.into(), Touched::person(id)))
        })
        .await
}

/// Replaces the account's password with a one-time password and ends its sessions.
pub async fn issue_one_time_password(
    state: &AppState,
    caller: Caller,
    id: Uuid,
) -> Result<OneTimePassword, ApiError> {
    let exists = db::run(&state.pool, move |conn| {
        Ok(not_staff(accounts::find(conn, id)?).is_some())
    })
    .await?;
    if !exists {
        return Err(ApiError::NotFound);
    }
    let otp = Prepared::new(&state.settings).await?;
    let expires_at = state
        .writer
        .write_audited(
            caller.entry(AuditAction::StaffOneTimePassword),
            move |conn, now| {
                let expires_at = otp.install(conn, id, now)?;
                Ok(((otp, expires_at), Touched::person(id)))
            },
        )
        .await?;
    let (otp, expires_at) = expires_at;
    Ok(otp.shown(expires_at))
}
