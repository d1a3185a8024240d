//! Retention rules: what is no longer needed goes. Inactive customers are only found here;
//! they are erased through the erasure path.

use chrono::{DateTime, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::idempotency;
use crate::schema::{
    accounts, bookings, consents, customers, login_events, messages, privacy_requests,
    survey_responses, uniikkilista_subscriptions as subs, uniikkilista_tokens as tokens,
    webhook_inbox,
};
use crate::sql_types::{DbTime, DbUuid};

/// Anything older than these goes.
#[derive(Debug, Clone, Copy)]
pub struct Cutoffs {
    pub login_events: DateTime<Utc>,
    pub unconfirmed_signups: DateTime<Utc>,
    pub finished_messages: DateTime<Utc>,
    pub inactive_customers: DateTime<Utc>,
    /// Idempotency keys expire on their own date; those expired by this moment go.
    pub idempotency_keys: DateTime<Utc>,
    /// Webhook deliveries received before this (their payloads are applied by then).
    pub webhook_deliveries: DateTime<Utc>,
}

/// Rows each rule removes (or would remove, in a dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    pub login_events: usize,
    pub unconfirmed_signups: usize,
    pub finished_messages: usize,
    pub idempotency_keys: usize,
    pub webhook_deliveries: usize,
}

fn unconfirmed(cutoff: DbTime) -> impl Fn(&mut AnyConnection) -> Result<Vec<DbUuid>, DbError> {
    move |conn| {
        Ok(subs::table
            .filter(subs::created_at.lt(cutoff))
            .filter(subs::email_confirmed_at.is_null())
            .filter(subs::sms_confirmed_at.is_null())
            .select(subs::id)
            .load(conn)?)
    }
}

/// Applies the row rules (or only counts, when `dry_run`). Run inside a write transaction.
pub fn purge(
    conn: &mut AnyConnection,
    cutoffs: &Cutoffs,
    dry_run: bool,
) -> Result<Purged, DbError> {
    let old_logins =
        login_events::table.filter(login_events::occurred_at.lt(DbTime::new(cutoffs.login_events)));
    let finished = messages::table
        .filter(messages::status.eq_any(["sent", "failed"]))
        .filter(messages::created_at.lt(DbTime::new(cutoffs.finished_messages)));
    let signups = unconfirmed(DbTime::new(cutoffs.unconfirmed_signups))(conn)?;
    let deliveries = webhook_inbox::table
        .filter(webhook_inbox::received_at.lt(DbTime::new(cutoffs.webhook_deliveries)));
    if dry_run {
        return Ok(Purged {
            login_events: usize::try_from(old_logins.count().get_result::<i64>(conn)?).unwrap_or(0),
            unconfirmed_signups: signups.len(),
            finished_messages: usize::try_from(finished.count().get_result::<i64>(conn)?)
                .unwrap_or(0),
            idempotency_keys: idempotency::purge_expired(conn, cutoffs.idempotency_keys, true)?,
            webhook_deliveries: usize::try_from(deliveries.count().get_result::<i64>(conn)?)
                .unwrap_or(0),
        });
    }
    let login_events = diesel::delete(old_logins).execute(conn)?;
    let finished_messages = diesel::delete(finished).execute(conn)?;
    // A sign-up never confirmed goes with the messages that asked for the confirmation.
    diesel::delete(messages::table.filter(messages::subscription_id.eq_any(&signups)))
        .execute(conn)?;
    diesel::delete(tokens::table.filter(tokens::subscription_id.eq_any(&signups))).execute(conn)?;
    let unconfirmed_signups =
        diesel::delete(subs::table.filter(subs::id.eq_any(&signups))).execute(conn)?;
    Ok(Purged {
        login_events,
        unconfirmed_signups,
        finished_messages,
        idempotency_keys: idempotency::purge_expired(conn, cutoffs.idempotency_keys, false)?,
        webhook_deliveries: diesel::delete(deliveries).execute(conn)?,
    })
}

/// Customers with no sign of life since `cutoff`: not changed, no login, no survey answer,
/// consent or privacy request since then, and no lesson booked to start after it (a booking
/// far ahead keeps the relationship alive); already erased ones excluded.
pub fn inactive_customers(
    conn: &mut AnyConnection,
    cutoff: DateTime<Utc>,
) -> Result<Vec<Uuid>, DbError> {
    let at = DbTime::new(cutoff);
    let ids: Vec<DbUuid> = customers::table
        .filter(customers::updated_at.lt(at))
        .filter(customers::erased_at.is_null())
        .filter(not(exists(
            survey_responses::table
                .filter(survey_responses::customer_id.eq(customers::id))
                .filter(survey_responses::created_at.ge(at)),
        )))
        .filter(not(exists(
            consents::table
                .filter(consents::customer_id.eq(customers::id))
                .filter(consents::created_at.ge(at)),
        )))
        .filter(not(exists(
            privacy_requests::table
                .filter(privacy_requests::customer_id.eq(customers::id))
                .filter(privacy_requests::received_at.ge(at)),
        )))
        .filter(not(exists(
            bookings::table
                .filter(bookings::customer_id.eq(customers::id))
                .filter(bookings::updated_at.ge(at).or(bookings::starts_at.ge(at))),
        )))
        .filter(not(exists(
            accounts::table
                .filter(customers::account_id.eq(accounts::id.nullable()))
                .filter(accounts::last_login_at.ge(at)),
        )))
        .select(customers::id)
        .load(conn)?;
    Ok(ids.into_iter().map(|id| id.0).collect())
}
