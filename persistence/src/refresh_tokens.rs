//! Refresh-token families: one per login session, rotated on every use.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::refresh_tokens as rt;
use crate::sql_types::{DbTime, DbUuid};

/// A token to store: only its hash.
#[derive(Debug)]
pub struct NewRefreshToken<'a> {
    pub family_id: Uuid,
    pub account_id: Uuid,
    pub token_hash: &'a str,
    pub password_change_only: bool,
    pub expires_at: DateTime<Utc>,
}

pub fn insert(
    conn: &mut AnyConnection,
    token: &NewRefreshToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(rt::table)
        .values((
            rt::id.eq(DbUuid(Uuid::now_v7())),
            rt::family_id.eq(DbUuid(token.family_id)),
            rt::account_id.eq(DbUuid(token.account_id)),
            rt::token_hash.eq(token.token_hash),
            rt::password_change_only.eq(token.password_change_only),
            rt::created_at.eq(DbTime::new(now)),
            rt::expires_at.eq(DbTime::new(token.expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// What presenting a refresh token amounts to.
#[derive(Debug, PartialEq, Eq)]
pub enum Presented {
    /// A live token, now marked used: issue its successor in the same family.
    Valid {
        family_id: Uuid,
        account_id: Uuid,
        password_change_only: bool,
    },
    /// A token that was already rotated: someone holds a copy. The family is now revoked.
    Reused { family_id: Uuid, account_id: Uuid },
    /// Unknown, expired or revoked.
    Invalid,
}

/// Marks the token used and says what it was. Run inside a write transaction together with the
/// insert of its successor.
pub fn consume(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Presented, DbError> {
    let found = rt::table
        .filter(rt::token_hash.eq(token_hash))
        .select((
            rt::id,
            rt::family_id,
            rt::account_id,
            rt::password_change_only,
            rt::expires_at,
            rt::used_at,
            rt::revoked_at,
        ))
        .first::<(
            DbUuid,
            DbUuid,
            DbUuid,
            bool,
            DbTime,
            Option<DbTime>,
            Option<DbTime>,
        )>(conn)
        .optional()?;
    let Some((id, family, account, change_only, expires_at, used_at, revoked_at)) = found else {
        return Ok(Presented::Invalid);
    };
    if revoked_at.is_some() {
        return Ok(Presented::Invalid);
    }
    if used_at.is_some() {
        revoke_family(conn, family.0, now)?;
        return Ok(Presented::Reused {
            family_id: family.0,
            account_id: account.0,
        });
    }
    if expires_at.get() <= now {
        return Ok(Presented::Invalid);
    }
    // Only one of two concurrent uses can win this update; the loser counts as a reuse.
    let marked = diesel::update(rt::table.find(id).filter(rt::used_at.is_null()))
        .set(rt::used_at.eq(DbTime::new(now)))
        .execute(conn)?;
    if marked == 0 {
        revoke_family(conn, family.0, now)?;
        return Ok(Presented::Reused {
            family_id: family.0,
            account_id: account.0,
        });
    }
    Ok(Presented::Valid {
        family_id: family.0,
        account_id: account.0,
        password_change_only: change_only,
    })
}

pub fn revoke_family(
    conn: &mut AnyConnection,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(
        rt::table
            .filter(rt::family_id.eq(DbUuid(family_id)))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(DbTime::new(now)))
    .execute(conn)?;
    Ok(())
}

/// Ends every session of the account, except `keep` when given.
pub fn revoke_account(
    conn: &mut AnyConnection,
    account_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut query = diesel::update(rt::table)
        .filter(rt::account_id.eq(DbUuid(account_id)))
        .filter(rt::revoked_at.is_null())
        .into_boxed();
    if let Some(keep) = keep {
        query = query.filter(rt::family_id.ne(DbUuid(keep)));
    }
    query
        .set(rt::revoked_at.eq(DbTime::new(now)))
        .execute(conn)?;
    Ok(())
}

/// Which of `sessions` (refresh-token families) are still live — neither revoked nor expired,
/// their account existing and active — with the account and its role now. Asked for every
/// request with an access token, a batch of requests at a time, so that logout, a password
/// change, deactivation, a role change or erasure take effect on the next request on every
/// server, not when the token expires.
pub fn live_sessions(
    conn: &mut AnyConnection,
    sessions: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, Uuid, domain::Role)>, DbError> {
    use crate::schema::accounts as a;
    let ids: Vec<DbUuid> = sessions.iter().copied().map(DbUuid).collect();
    let rows: Vec<(DbUuid, DbUuid, String)> = rt::table
        .inner_join(a::table)
        .filter(rt::family_id.eq_any(&ids))
        .filter(rt::revoked_at.is_null())
        .filter(rt::expires_at.gt(DbTime::new(now)))
        .filter(a::active.eq(true))
        .select((rt::family_id, a::id, a::role))
        .distinct()
        .load(conn)?;
    rows.into_iter()
        .map(|(session, account, role)| {
            let role = role
                .parse()
                .map_err(|_| DbError::corrupt("accounts.role"))?;
            Ok((session.0, account.0, role))
        })
        .collect()
}
