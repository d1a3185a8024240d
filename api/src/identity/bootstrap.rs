//! The first admin: created on first start (or on demand from the command line) with a
//! one-time password that is shown once and must be changed at first login.

use chrono::{DateTime, Utc};
use domain::audit::{ActorKind, AuditAction};
use domain::{DisplayName, EmailAddress, Role};
use persistence::accounts::{self, NewAccount};
use persistence::{AnyConnection, Pool, audit, refresh_tokens, write_transaction};

use crate::auth::{RequestMeta, passwords, policy, secrets};

/// An admin that was just given a one-time password.
#[derive(Debug)]
pub struct AdminCredentials {
    pub email: EmailAddress,
    pub one_time_password: String,
    pub expires_at: DateTime<Utc>,
}

/// Creates the admin when the register has no active admin at all, or gives the first admin a
/// fresh one-time password while it has never been used: a first start that failed after
/// creating the admin (or was stopped before anyone saw the password) would otherwise leave
/// nobody able to log in. Otherwise does nothing.
pub fn ensure_admin(
    pool: &Pool,
    email: &EmailAddress,
    ttl: chrono::Duration,
) -> anyhow::Result<Option<AdminCredentials>> {
    let mut conn = pool.get()?;
    let never_used = accounts::find_by_email(&mut conn, email)?.is_some_and(|a| {
        policy::is_admin(a.role) && a.active && a.password_is_one_time && a.last_login_at.is_none()
    });
    if accounts::count_active_admins(&mut conn)? > 0 && !never_used {
        return Ok(None);
    }
    create_admin(&mut conn, email, ttl).map(Some)
}

/// Creates an admin with this email, or gives the existing admin a new one-time password (the
/// way back in for a locked-out admin). Refuses an email that belongs to a non-admin.
pub fn create_admin(
    conn: &mut AnyConnection,
    email: &EmailAddress,
    ttl: chrono::Duration,
) -> anyhow::Result<AdminCredentials> {
    let one_time_password = secrets::one_time_password();
    let hash = passwords::hash_blocking(&one_time_password)?;
    let expires_at = write_transaction(conn, |conn| -> anyhow::Result<DateTime<Utc>> {
        let now = Utc::now();
        let account = match accounts::find_by_email(conn, email)? {
            Some(existing) if policy::is_admin(existing.role) => existing,
            Some(_) => anyhow::bail!("{email} belongs to an account that is not an admin"),
            None => {
                let name = DisplayName::parse("Administrator").expect("a valid constant");
                accounts::insert(
                    conn,
                    &NewAccount {
                        email: email.clone(),
                        display_name: name,
                        role: Role::Admin,
                    },
                    now,
                )?
            }
        };
        if !account.active {
            let reactivate = accounts::AccountChanges {
                active: Some(true),
                ..Default::default()
            };
            accounts::update(conn, account.id, &reactivate, None, now)?;
        }
        let expires_at = now + ttl;
        accounts::set_password(conn, account.id, &hash, Some(expires_at), now)?;
        refresh_tokens::revoke_account(conn, account.id, None, now)?;
        let id = Some(account.id);
        let entry = RequestMeta::default().audit_as(
            ActorKind::System,
            None,
            AuditAction::StaffBootstrapAdmin,
            id.map(|i| i.to_string()),
            id,
        );
        audit::append(conn, entry, now)?;
        Ok(persistence::sql_types::DbTime::new(expires_at).get())
    })?;
    audit::chain_pending(conn)?;
    Ok(AdminCredentials {
        email: email.clone(),
        one_time_password,
        expires_at,
    })
}
