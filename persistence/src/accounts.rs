//! Accounts: people who log in (staff and customers).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use domain::{DisplayName, EmailAddress, Role};
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::accounts;
use crate::sql_types::{DbTime, DbUuid};

/// An account as stored, with its secrets (the password hash never leaves the api's auth code).
#[derive(Debug, Clone)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub password_is_one_time: bool,
    pub password_expires_at: Option<DateTime<Utc>>,
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = accounts)]
struct AccountRow {
    id: DbUuid,
    email: String,
    display_name: String,
    role: String,
    password_hash: Option<String>,
    password_is_one_time: bool,
    password_expires_at: Option<DbTime>,
    active: bool,
    last_login_at: Option<DbTime>,
    created_at: DbTime,
    updated_at: DbTime,
    version: i64,
}

impl TryFrom<AccountRow> for Account {
    type Error = DbError;
    fn try_from(row: AccountRow) -> Result<Self, DbError> {
        Ok(Self {
            id: row.id.0,
            email: row.email,
            display_name: row.display_name,
            role: row
                .role
                .parse()
                .map_err(|_| DbError::corrupt("accounts.role"))?,
            password_hash: row.password_hash,
            password_is_one_time: row.password_is_one_time,
            password_expires_at: row.password_expires_at.map(DbTime::get),
            active: row.active,
            last_login_at: row.last_login_at.map(DbTime::get),
            created_at: row.created_at.get(),
            updated_at: row.updated_at.get(),
            version: row.version,
        })
    }
}

/// What creating an account needs; it starts without a password.
#[derive(Debug)]
pub struct NewAccount {
    pub email: EmailAddress,
    pub display_name: DisplayName,
    pub role: Role,
}

/// A change to an account's profile; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct AccountChanges {
    pub display_name: Option<DisplayName>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// Which accounts a listing wants.
#[derive(Debug, Default)]
pub struct AccountFilter {
    pub staff_only: bool,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

pub fn insert(
    conn: &mut AnyConnection,
    new: &NewAccount,
    now: DateTime<Utc>,
) -> Result<Account, DbError> {
    let id = Uuid::now_v7();
    let now = DbTime::new(now);
    diesel::insert_into(accounts::table)
        .values((
            accounts::id.eq(DbUuid(id)),
            accounts::email.eq(new.email.as_str()),
            accounts::display_name.eq(new.display_name.as_str()),
            accounts::role.eq(new.role.as_str()),
            accounts::created_at.eq(now),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, id)?.ok_or(DbError::NotFound)
}

pub fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<Account>, DbError> {
    accounts::table
        .find(DbUuid(id))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()?
        .map(Account::try_from)
        .transpose()
}

pub fn find_by_email(
    conn: &mut AnyConnection,
    email: &EmailAddress,
) -> Result<Option<Account>, DbError> {
    accounts::table
        .filter(accounts::email.eq(email.as_str()))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()?
        .map(Account::try_from)
        .transpose()
}

/// One page in id (creation) order, after the account `after`.
pub fn list(
    conn: &mut AnyConnection,
    filter: &AccountFilter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Account>, DbError> {
    let mut query = accounts::table.select(AccountRow::as_select()).into_boxed();
    if filter.staff_only {
        query = query.filter(accounts::role.ne(Role::Customer.as_str()));
    }
    if let Some(role) = filter.role {
        query = query.filter(accounts::role.eq(role.as_str()));
    }
    if let Some(active) = filter.active {
        query = query.filter(accounts::active.eq(active));
    }
    if let Some(after) = after {
        query = query.filter(accounts::id.gt(DbUuid(after)));
    }
    query
        .order(accounts::id.asc())
        .limit(limit)
        .load(conn)?
        .into_iter()
        .map(Account::try_from)
        .collect()
}

/// Why an update did not happen.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("account not found")]
    NotFound,
    #[error("the account has changed since version {expected}")]
    Stale { expected: i64 },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for UpdateError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Db(error.into())
    }
}

/// Applies `changes` when the stored version is `expected_version` (if given), bumping it.
pub fn update(
    conn: &mut AnyConnection,
    id: Uuid,
    changes: &AccountChanges,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Account, UpdateError> {
    let current = find(conn, id)?.ok_or(UpdateError::NotFound)?;
    if let Some(expected) = expected_version
        && expected != current.version
    {
        return Err(UpdateError::Stale { expected });
    }
    let updated = diesel::update(
        accounts::table
            .filter(accounts::id.eq(DbUuid(id)))
            .filter(accounts::version.eq(current.version)),
    )
    .set((
        accounts::display_name.eq(changes
            .display_name
            .as_ref()
            .map_or(current.display_name.as_str(), |n| n.as_str())),
        accounts::role.eq(changes.role.unwrap_or(current.role).as_str()),
        accounts::active.eq(changes.active.unwrap_or(current.active)),
        accounts::updated_at.eq(DbTime::new(now)),
        accounts::version.eq(current.version + 1),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(UpdateError::Stale {
            expected: current.version,
        });
    }
    find(conn, id)?.ok_or(UpdateError::NotFound)
}

/// Stores a new password hash. A one-time password expires at `expires_at`.
pub fn set_password(
    conn: &mut AnyConnection,
    id: Uuid,
    password_hash: &str,
    one_time_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let changed = diesel::update(accounts::table.find(DbUuid(id)))
        .set((
            accounts::password_hash.eq(password_hash),
            accounts::password_is_one_time.eq(one_time_until.is_some()),
            accounts::password_expires_at.eq(one_time_until.map(DbTime::new)),
            accounts::updated_at.eq(DbTime::new(now)),
            accounts::version.eq(accounts::version + 1),
        ))
        .execute(conn)?;
    if changed == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}

/// Changes the login name (a customer rectifying their email).
pub fn update_email(
    conn: &mut AnyConnection,
    id: Uuid,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(
        accounts::table
            .find(DbUuid(id))
            .filter(accounts::email.ne(email.as_str())),
    )
    .set((
        accounts::email.eq(email.as_str()),
        accounts::updated_at.eq(DbTime::new(now)),
        accounts::version.eq(accounts::version + 1),
    ))
    .execute(conn)?;
    Ok(())
}

pub fn record_login(conn: &mut AnyConnection, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(accounts::table.find(DbUuid(id)))
        .set(accounts::last_login_at.eq(DbTime::new(now)))
        .execute(conn)?;
    Ok(())
}

pub fn count_active_admins(conn: &mut AnyConnection) -> Result<i64, DbError> {
    Ok(accounts::table
        .filter(accounts::role.eq(Role::Admin.as_str()))
        .filter(accounts::active.eq(true))
        .count()
        .get_result(conn)?)
}
