//! The outbox: messages are enqueued inside the transaction that causes them and claimed by
//! the dispatcher with a lease, so that no message is ever being delivered twice at once, even
//! with several servers on one PostgreSQL database.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::messages as m;
use crate::sql_types::{DbTime, DbUuid};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DbError> {
        match s {
            "email" => Ok(Self::Email),
            "sms" => Ok(Self::Sms),
            _ => Err(DbError::corrupt("messages.channel")),
        }
    }
}

/// A message to send.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub channel: Channel,
    pub recipient: String,
    pub customer_id: Option<Uuid>,
    /// The UniikkiLista subscription the message is sent to, if any: the message belongs to
    /// whoever the subscription belongs to.
    pub subscription_id: Option<Uuid>,
    pub purpose: &'static str,
    pub language: &'static str,
    pub subject: Option<String>,
    pub body: String,
    pub unsubscribe_url: Option<String>,
    /// An iCalendar (RFC 5545) attachment for email, such as the lesson a booking is for.
    pub calendar: Option<String>,
}

pub fn enqueue(
    conn: &mut AnyConnection,
    message: &NewMessage,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    diesel::insert_into(m::table)
        .values((
            m::id.eq(DbUuid(id)),
            m::channel.eq(message.channel.as_str()),
            m::recipient.eq(&message.recipient),
            m::customer_id.eq(message.customer_id.map(DbUuid)),
            m::subscription_id.eq(message.subscription_id.map(DbUuid)),
            m::purpose.eq(message.purpose),
            m::language.eq(message.language),
            m::subject.eq(&message.subject),
            m::body.eq(&message.body),
            m::unsubscribe_url.eq(&message.unsubscribe_url),
            m::calendar.eq(&message.calendar),
            m::next_attempt_at.eq(DbTime::new(now)),
            m::created_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A message claimed for delivery.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: Uuid,
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub unsubscribe_url: Option<String>,
    pub calendar: Option<String>,
    /// Attempts including this one.
    pub attempts: i32,
}

type ClaimRow = (
    DbUuid,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    i32,
);

/// Claims up to `limit` messages that are due (or whose previous claim expired) until
/// `now + lease`. Must run inside a write transaction; on PostgreSQL the rows are locked with
/// `SKIP LOCKED` so concurrent dispatchers take disjoint messages.
pub fn claim_due(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: i64,
) -> Result<Vec<Claimed>, DbError> {
    let at = DbTime::new(now);
    let due = m::table
        .filter(
            m::status
                .eq("pending")
                .and(m::next_attempt_at.le(at))
                .or(m::status.eq("sending").and(m::locked_until.lt(at))),
        )
        .order(m::next_attempt_at.asc())
        .limit(limit)
        .select((
            m::id,
            m::channel,
            m::recipient,
            m::subject,
            m::body,
            m::unsubscribe_url,
            m::calendar,
            m::attempts,
        ));
    let rows: Vec<ClaimRow> = match conn {
        AnyConnection::Postgresql(pg) => due.for_update().skip_locked().load(pg)?,
        AnyConnection::Sqlite(sqlite) => due.load(sqlite)?,
    };
    let ids: Vec<DbUuid> = rows.iter().map(|r| r.0).collect();
    diesel::update(m::table.filter(m::id.eq_any(&ids)))
        .set((
            m::status.eq("sending"),
            m::locked_until.eq(DbTime::new(now + lease)),
            m::attempts.eq(m::attempts + 1),
        ))
        .execute(conn)?;
    rows.into_iter()
        .map(
            |(id, channel, recipient, subject, body, unsubscribe_url, calendar, attempts)| {
                Ok(Claimed {
                    id: id.0,
                    channel: Channel::parse(&channel)?,
                    recipient,
                    subject,
                    body,
                    unsubscribe_url,
                    calendar,
                    attempts: attempts + 1,
                })
            },
        )
        .collect()
}

/// Marks the message sent; `false` when it no longer exists (erased while it was being
/// delivered), so that the sender can remove any copy it made.
pub fn mark_sent(conn: &mut AnyConnection, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbError> {
    let changed = diesel::update(m::table.find(DbUuid(id)))
        .set((
            m::status.eq("sent"),
            m::sent_at.eq(DbTime::new(now)),
            m::locked_until.eq(None::<DbTime>),
            m::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Records a failed attempt: retried at `retry_at`, or failed for good when `None`.
pub fn mark_failed(
    conn: &mut AnyConnection,
    id: Uuid,
    error_kind: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    let (status, next) = match retry_at {
        Some(at) => ("pending", Some(DbTime::new(at))),
        None => ("failed", None),
    };
    let query = diesel::update(m::table.find(DbUuid(id)));
    match next {
        Some(next) => query
            .set((
                m::status.eq(status),
                m::next_attempt_at.eq(next),
                m::locked_until.eq(None::<DbTime>),
                m::last_error.eq(error_kind),
            ))
            .execute(conn)?,
        None => query
            .set((
                m::status.eq(status),
                m::locked_until.eq(None::<DbTime>),
                m::last_error.eq(error_kind),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// The state of one message, for tests and staff tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

pub fn delivery(conn: &mut AnyConnection, id: Uuid) -> Result<Option<Delivery>, DbError> {
    Ok(m::table
        .find(DbUuid(id))
        .select((m::status, m::attempts, m::last_error))
        .first::<(String, i32, Option<String>)>(conn)
        .optional()?
        .map(|(status, attempts, last_error)| Delivery {
            status,
            attempts,
            last_error,
        }))
}
