//! Login attempts: the identification and usage data of the privacy notice, and the record
//! that login throttling counts.

use chrono::{DateTime, Utc};
use diesel::dsl::{count_star, max};
use diesel::prelude::*;
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::login_events as le;
use crate::sql_types::{DbTime, DbUuid};

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    Success,
    BadCredentials,
    Inactive,
    Throttled,
    /// Recorded before the password is checked; settled to another outcome afterwards.
    Checking,
}

impl LoginOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::BadCredentials => "bad_credentials",
            Self::Inactive => "inactive",
            Self::Throttled => "throttled",
            Self::Checking => "checking",
        }
    }
}

#[derive(Debug)]
pub struct NewLoginEvent<'a> {
    pub account_id: Option<Uuid>,
    pub login_name_hash: &'a str,
    pub outcome: LoginOutcome,
    pub client_ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// Records an attempt; returns its id.
pub fn record(
    conn: &mut AnyConnection,
    event: &NewLoginEvent<'_>,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let row = Row::new(event, now);
    let id = row.id.0;
    diesel::insert_into(le::table).values(row).execute(conn)?;
    Ok(id)
}

/// Settles how an attempt recorded earlier ended (it is recorded as failed before its password
/// is checked, so that attempts under way count against the limit).
pub fn settle(conn: &mut AnyConnection, id: Uuid, outcome: LoginOutcome) -> Result<(), DbError> {
    diesel::update(le::table.find(DbUuid(id)))
        .set(le::outcome.eq(outcome.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Makes concurrent attempts on the same login name or from the same address take turns for
/// the rest of the transaction, so each counts the failures of those before it. PostgreSQL:
/// transaction-scoped advisory locks, the name's before the address's (one order, no
/// deadlock); SQLite's single writer runs one attempt at a time already.
pub fn take_turns(
    conn: &mut AnyConnection,
    login_name_hash: &str,
    client_ip: Option<&str>,
) -> Result<(), DbError> {
    use diesel::sql_types::{Integer, Text};
    /// The advisory-lock class of each kind of key.
    const LOGIN_NAME: i32 = 1;
    const CLIENT_IP: i32 = 2;
    if let AnyConnection::Postgresql(pg) = conn {
        let keys = std::iter::once((LOGIN_NAME, login_name_hash))
            .chain(client_ip.map(|ip| (CLIENT_IP, ip)));
        for (class, key) in keys {
            diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                .bind::<Integer, _>(class)
                .bind::<Text, _>(key)
                .execute(pg)?;
        }
    }
    Ok(())
}

/// Records many attempts at once, for bulk loads: one statement on PostgreSQL, where a round
/// trip per row is what a bulk load waits on; a statement per row on SQLite, which runs
/// in-process (diesel's multi-row insert does not reach it through the multi-backend
/// connection).
pub fn record_many<'a>(
    conn: &mut AnyConnection,
    events: impl IntoIterator<Item = (NewLoginEvent<'a>, DateTime<Utc>)>,
) -> Result<(), DbError> {
    let rows = events.into_iter().map(|(event, at)| Row::new(&event, at));
    match conn {
        AnyConnection::Postgresql(pg) => {
            let rows: Vec<Row<'a>> = rows.collect();
            diesel::insert_into(le::table).values(rows).execute(pg)?;
        }
        AnyConnection::Sqlite(sqlite) => {
            for row in rows {
                diesel::insert_into(le::table).values(row).execute(sqlite)?;
            }
        }
    }
    Ok(())
}

/// A login attempt as stored.
#[derive(Insertable)]
#[diesel(table_name = le, treat_none_as_null = true)]
struct Row<'a> {
    id: DbUuid,
    account_id: Option<DbUuid>,
    login_name_hash: &'a str,
    occurred_at: DbTime,
    outcome: &'static str,
    client_ip: Option<&'a str>,
    user_agent: Option<&'a str>,
}

impl<'a> Row<'a> {
    fn new(event: &NewLoginEvent<'a>, at: DateTime<Utc>) -> Self {
        Self {
            id: DbUuid(Uuid::now_v7()),
            account_id: event.account_id.map(DbUuid),
            login_name_hash: event.login_name_hash,
            occurred_at: DbTime::new(at),
            outcome: event.outcome.as_str(),
            client_ip: event.client_ip,
            user_agent: event.user_agent,
        }
    }
}

/// Failed attempts since `since`: how many, and when the last one was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub last_at: Option<DateTime<Utc>>,
}

/// Failures counted for throttling: wrong credentials, attempts on a deactivated account, and
/// attempts left `checking` (a check takes well under a second; one that never settled — the
/// server stopped mid-check — counts as failed).
const FAILED: [&str; 3] = ["bad_credentials", "inactive", "checking"];

/// Attempts on `login_name_hash` being checked right now (recorded since `since`, unsettled).
pub fn checking(
    conn: &mut AnyConnection,
    login_name_hash: &str,
    since: DateTime<Utc>,
) -> Result<i64, DbError> {
    Ok(le::table
        .filter(le::login_name_hash.eq(login_name_hash))
        .filter(le::occurred_at.ge(DbTime::new(since)))
        .filter(le::outcome.eq("checking"))
        .count()
        .get_result(conn)?)
}

/// Failures for one login name, whether or not it belongs to an account.
pub fn failures_for_login_name(
    conn: &mut AnyConnection,
    login_name_hash: &str,
    since: DateTime<Utc>,
) -> Result<Failures, DbError> {
    let (count, last): (i64, Option<DbTime>) = le::table
        .filter(le::login_name_hash.eq(login_name_hash))
        .filter(le::occurred_at.ge(DbTime::new(since)))
        .filter(le::outcome.eq_any(FAILED))
        .select((count_star(), max(le::occurred_at)))
        .first(conn)?;
    Ok(Failures {
        count,
        last_at: last.map(DbTime::get),
    })
}

pub fn failures_for_ip(
    conn: &mut AnyConnection,
    client_ip: &str,
    since: DateTime<Utc>,
) -> Result<Failures, DbError> {
    let (count, last): (i64, Option<DbTime>) = le::table
        .filter(le::client_ip.eq(client_ip))
        .filter(le::occurred_at.ge(DbTime::new(since)))
        .filter(le::outcome.eq_any(FAILED))
        .select((count_star(), max(le::occurred_at)))
        .first(conn)?;
    Ok(Failures {
        count,
        last_at: last.map(DbTime::get),
    })
}
