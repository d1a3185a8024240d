//! Inbound webhooks: the senders' secrets, the inbox of deliveries (each `webhook-id` once),
//! and the senders' bookings with the time of the last change applied to each.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::integrations::{self, Integration};
use crate::schema::{external_bookings as x, integrations as i, webhook_inbox as w};
use crate::sql_types::{DbTime, DbUuid};

/// An active integration and the secrets its signatures may use now: the current one, and
/// the previous one while its grace period lasts.
pub fn sender(
    conn: &mut AnyConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<(Integration, Vec<String>)>, DbError> {
    let Some(integration) = integrations::find(conn, id)?.filter(|i| i.revoked_at.is_none()) else {
        return Ok(None);
    };
    let (current, previous, until): (String, Option<String>, Option<DbTime>) = i::table
        .find(DbUuid(id))
        .select((
            i::webhook_secret,
            i::previous_webhook_secret,
            i::previous_secret_until,
        ))
        .first(conn)?;
    let mut secrets = vec![current];
    if let (Some(previous), Some(until)) = (previous, until)
        && until.get() > now
    {
        secrets.push(previous);
    }
    Ok(Some((integration, secrets)))
}

/// Replaces the integration's webhook secret; the old one verifies until `grace_until`.
/// Returns whether an active integration had one.
pub fn rotate_secret(
    conn: &mut AnyConnection,
    id: Uuid,
    secret: &str,
    grace_until: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = diesel::update(i::table.find(DbUuid(id)).filter(i::revoked_at.is_null()))
        .set((
            i::previous_webhook_secret.eq(i::webhook_secret.nullable()),
            i::previous_secret_until.eq(DbTime::new(grace_until)),
            i::webhook_secret.eq(secret),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// What came of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The change was made.
    Applied,
    /// The sender had sent a newer change of the same thing: nothing was done.
    Stale,
    /// The change could not be made (a full lesson, an unknown lesson…): `detail` says why.
    Refused,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Stale => "stale",
            Self::Refused => "refused",
        }
    }
}

/// One verified delivery.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub integration_id: Uuid,
    pub webhook_id: String,
    pub event_type: String,
    /// The sender's time of the change.
    pub changed_at: DateTime<Utc>,
    pub payload: String,
}

/// Whether the integration sent this `webhook-id` before.
pub fn received_before(
    conn: &mut AnyConnection,
    integration_id: Uuid,
    webhook_id: &str,
) -> Result<bool, DbError> {
    let n: i64 = w::table
        .filter(w::integration_id.eq(DbUuid(integration_id)))
        .filter(w::webhook_id.eq(webhook_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Files the delivery with its outcome. A second delivery of one `webhook-id` fails with
/// [`DbError::UniqueViolation`] (the constraint settles concurrent replays).
pub fn file(
    conn: &mut AnyConnection,
    delivery: &Delivery,
    (outcome, detail): (Outcome, Option<&str>),
    customer_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    diesel::insert_into(w::table)
        .values((
            w::id.eq(DbUuid(id)),
            w::integration_id.eq(DbUuid(delivery.integration_id)),
            w::webhook_id.eq(&delivery.webhook_id),
            w::event_type.eq(&delivery.event_type),
            w::changed_at.eq(DbTime::new(delivery.changed_at)),
            w::received_at.eq(DbTime::new(now)),
            w::payload.eq(&delivery.payload),
            w::outcome.eq(outcome.as_str()),
            w::detail.eq(detail),
            w::customer_id.eq(customer_id.map(DbUuid)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Where a sender's booking stands with us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Nothing applied yet.
    Unknown,
    Live,
    Cancelled,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Live => "live",
            Self::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Result<Self, DbError> {
        match s {
            "unknown" => Ok(Self::Unknown),
            "live" => Ok(Self::Live),
            "cancelled" => Ok(Self::Cancelled),
            _ => Err(DbError::corrupt("external_bookings.state")),
        }
    }
}

/// A sender's booking: ours, if made, and the sender's time of the last change applied.
#[derive(Debug, Clone, Copy)]
pub struct External {
    pub booking_id: Option<Uuid>,
    pub state: State,
    pub changed_at: DateTime<Utc>,
}

/// The sender's booking `external_id`, held for the rest of the transaction (made `Unknown`
/// if new), so that its changes are applied one at a time in any number of servers.
pub fn external_for_update(
    conn: &mut AnyConnection,
    integration_id: Uuid,
    external_id: &str,
) -> Result<External, DbError> {
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    let insert = diesel::insert_into(x::table)
        .values((
            x::integration_id.eq(DbUuid(integration_id)),
            x::external_id.eq(external_id),
            x::state.eq(State::Unknown.as_str()),
            x::changed_at.eq(DbTime::new(epoch)),
        ))
        .on_conflict_do_nothing();
    match conn {
        AnyConnection::Postgresql(pg) => insert.execute(pg)?,
        AnyConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
    };
    let query = x::table
        .filter(x::integration_id.eq(DbUuid(integration_id)))
        .filter(x::external_id.eq(external_id))
        .select((x::booking_id, x::state, x::changed_at));
    let (booking, state, changed): (Option<DbUuid>, String, DbTime) = match conn {
        AnyConnection::Postgresql(pg) => query.for_update().first(pg)?,
        AnyConnection::Sqlite(sqlite) => query.first(sqlite)?,
    };
    Ok(External {
        booking_id: booking.map(|b| b.0),
        state: State::parse(&state)?,
        changed_at: changed.get(),
    })
}

/// Records the sender's booking after a change applied at the sender's time `changed_at`.
pub fn set_external(
    conn: &mut AnyConnection,
    (integration_id, external_id): (Uuid, &str),
    booking_id: Option<Uuid>,
    state: State,
    changed_at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(
        x::table
            .filter(x::integration_id.eq(DbUuid(integration_id)))
            .filter(x::external_id.eq(external_id)),
    )
    .set((
        x::booking_id.eq(booking_id.map(DbUuid)),
        x::state.eq(state.as_str()),
        x::changed_at.eq(DbTime::new(changed_at)),
    ))
    .execute(conn)?;
    Ok(())
}
