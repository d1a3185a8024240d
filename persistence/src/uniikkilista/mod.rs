//! UniikkiLista subscriptions and their one-time tokens (confirmation, unsubscribe).

use chrono::{DateTime, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use domain::person::GivenBy;
use uuid::Uuid;

use crate::connection::{AnyConnection, MultiBackend};
use crate::error::DbError;
use crate::messages::Channel;
use crate::schema::{customers, uniikkilista_subscriptions as s};
use crate::sql_types::{DbTime, DbUuid};

mod tokens;

pub use tokens::{TokenPurpose, add_token, confirm, token_language, unsubscribe};

/// A subscription.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: Uuid,
    pub name: String,
    pub guardian_name: Option<String>,
    pub age: i32,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub wants_email: bool,
    pub wants_sms: bool,
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub sms_confirmed_at: Option<DateTime<Utc>>,
    pub email_unsubscribed_at: Option<DateTime<Utc>>,
    pub sms_unsubscribed_at: Option<DateTime<Utc>>,
    pub topic_cancellation_slots: bool,
    pub topic_upcoming_enrolments: bool,
    pub privacy_notice_version: String,
    pub consent_given_by: GivenBy,
    pub customer_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = s)]
struct Row {
    id: DbUuid,
    name: String,
    guardian_name: Option<String>,
    age: i32,
    email: Option<String>,
    phone: Option<String>,
    language: String,
    wants_email: bool,
    wants_sms: bool,
    email_confirmed_at: Option<DbTime>,
    sms_confirmed_at: Option<DbTime>,
    email_unsubscribed_at: Option<DbTime>,
    sms_unsubscribed_at: Option<DbTime>,
    topic_cancellation_slots: bool,
    topic_upcoming_enrolments: bool,
    privacy_notice_version: String,
    consent_given_by: String,
    customer_id: Option<DbUuid>,
    created_at: DbTime,
    updated_at: DbTime,
}

impl From<Row> for Subscription {
    fn from(row: Row) -> Self {
        Self {
            id: row.id.0,
            name: row.name,
            guardian_name: row.guardian_name,
            age: row.age,
            email: row.email,
            phone: row.phone,
            language: row.language,
            wants_email: row.wants_email,
            wants_sms: row.wants_sms,
            email_confirmed_at: row.email_confirmed_at.map(DbTime::get),
            sms_confirmed_at: row.sms_confirmed_at.map(DbTime::get),
            email_unsubscribed_at: row.email_unsubscribed_at.map(DbTime::get),
            sms_unsubscribed_at: row.sms_unsubscribed_at.map(DbTime::get),
            topic_cancellation_slots: row.topic_cancellation_slots,
            topic_upcoming_enrolments: row.topic_upcoming_enrolments,
            privacy_notice_version: row.privacy_notice_version,
            // The table's CHECK allows `self` and `guardian` alone.
            consent_given_by: GivenBy::parse(&row.consent_given_by).unwrap_or(GivenBy::Guardian),
            customer_id: row.customer_id.map(|id| id.0),
            created_at: row.created_at.get(),
            updated_at: row.updated_at.get(),
        }
    }
}

impl Subscription {
    /// Whether notices may go out on `channel`: asked for, confirmed, not withdrawn.
    pub fn active(&self, channel: Channel) -> bool {
        match channel {
            Channel::Email => {
                self.wants_email
                    && self.email_confirmed_at.is_some()
                    && self.email_unsubscribed_at.is_none()
            }
            Channel::Sms => {
                self.wants_sms
                    && self.sms_confirmed_at.is_some()
                    && self.sms_unsubscribed_at.is_none()
            }
        }
    }
}

/// A new, unconfirmed subscription.
#[derive(Debug)]
pub struct NewSubscription {
    pub id: Uuid,
    pub name: String,
    pub guardian_name: Option<String>,
    pub age: i32,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub wants_email: bool,
    pub wants_sms: bool,
    pub topic_cancellation_slots: bool,
    pub topic_upcoming_enrolments: bool,
    pub privacy_notice_version: String,
    pub consent_given_by: GivenBy,
}

/// Stores `new`, created at `now`.
pub fn insert(
    conn: &mut AnyConnection,
    new: &NewSubscription,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let at = DbTime::new(now);
    diesel::insert_into(s::table)
        .values((
            s::id.eq(DbUuid(new.id)),
            s::name.eq(&new.name),
            s::guardian_name.eq(new.guardian_name.as_deref()),
            s::age.eq(new.age),
            s::email.eq(new.email.as_deref()),
            s::phone.eq(new.phone.as_deref()),
            s::language.eq(&new.language),
            s::wants_email.eq(new.wants_email),
            s::wants_sms.eq(new.wants_sms),
            s::topic_cancellation_slots.eq(new.topic_cancellation_slots),
            s::topic_upcoming_enrolments.eq(new.topic_upcoming_enrolments),
            s::privacy_notice_version.eq(&new.privacy_notice_version),
            s::consent_given_by.eq(new.consent_given_by.as_str()),
            s::created_at.eq(at),
            s::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

fn subscriptions(rows: Vec<Row>) -> Vec<Subscription> {
    rows.into_iter().map(Subscription::from).collect()
}

pub fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<Subscription>, DbError> {
    Ok(s::table
        .find(DbUuid(id))
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(Subscription::from))
}

/// The subscriptions a withdrawal applies to.
type Selection =
    Box<dyn BoxableExpression<s::table, MultiBackend, SqlType = diesel::sql_types::Bool>>;

/// Marks `channel` withdrawn on the subscriptions `which` selects, where it is not already.
fn withdraw(
    conn: &mut AnyConnection,
    which: Selection,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let (at, selected) = (DbTime::new(now), s::table.filter(which));
    match channel {
        Channel::Email => diesel::update(selected.filter(s::email_unsubscribed_at.is_null()))
            .set((s::email_unsubscribed_at.eq(Some(at)), s::updated_at.eq(at)))
            .execute(conn)?,
        Channel::Sms => diesel::update(selected.filter(s::sms_unsubscribed_at.is_null()))
            .set((s::sms_unsubscribed_at.eq(Some(at)), s::updated_at.eq(at)))
            .execute(conn)?,
    };
    Ok(())
}

/// Notice topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    CancellationSlots,
    UpcomingEnrolments,
}

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// At least one channel confirmed and not withdrawn.
    Active,
    /// Waiting for confirmation on some channel, none active.
    Pending,
    /// Every channel withdrawn (or never confirmed and withdrawn).
    Unsubscribed,
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub topic: Option<Topic>,
    pub channel: Option<Channel>,
    pub status: Option<Status>,
    pub customer_id: Option<Uuid>,
}

type Condition =
    Box<dyn BoxableExpression<s::table, MultiBackend, SqlType = diesel::sql_types::Bool>>;

fn active_on(channel: Channel) -> Condition {
    match channel {
        Channel::Email => Box::new(
            s::wants_email
                .and(s::email_confirmed_at.is_not_null())
                .and(s::email_unsubscribed_at.is_null()),
        ),
        Channel::Sms => Box::new(
            s::wants_sms
                .and(s::sms_confirmed_at.is_not_null())
                .and(s::sms_unsubscribed_at.is_null()),
        ),
    }
}

fn pending_on(channel: Channel) -> Condition {
    match channel {
        Channel::Email => Box::new(
            s::wants_email
                .and(s::email_confirmed_at.is_null())
                .and(s::email_unsubscribed_at.is_null()),
        ),
        Channel::Sms => Box::new(
            s::wants_sms
                .and(s::sms_confirmed_at.is_null())
                .and(s::sms_unsubscribed_at.is_null()),
        ),
    }
}

fn is_active() -> Condition {
    Box::new(active_on(Channel::Email).or(active_on(Channel::Sms)))
}

fn is_pending() -> Condition {
    Box::new(
        is_active()
            .eq(false)
            .and(pending_on(Channel::Email).or(pending_on(Channel::Sms))),
    )
}

fn has_topic(topic: Topic) -> Condition {
    match topic {
        Topic::CancellationSlots => Box::new(s::topic_cancellation_slots.eq(true)),
        Topic::UpcomingEnrolments => Box::new(s::topic_upcoming_enrolments.eq(true)),
    }
}

/// One page, oldest first, after `after`.
pub fn list(
    conn: &mut AnyConnection,
    filter: &Filter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Subscription>, DbError> {
    let mut query = s::table.select(Row::as_select()).into_boxed();
    if let Some(topic) = filter.topic {
        query = query.filter(has_topic(topic));
    }
    match filter.channel {
        Some(Channel::Email) => query = query.filter(s::wants_email.eq(true)),
        Some(Channel::Sms) => query = query.filter(s::wants_sms.eq(true)),
        None => {}
    }
    match filter.status {
        Some(Status::Active) => query = query.filter(is_active()),
        Some(Status::Pending) => query = query.filter(is_pending()),
        Some(Status::Unsubscribed) => {
            query = query
                .filter(is_active().eq(false))
                .filter(is_pending().eq(false))
        }
        None => {}
    }
    if let Some(customer_id) = filter.customer_id {
        query = query.filter(s::customer_id.eq(DbUuid(customer_id)));
    }
    if let Some(after) = after {
        query = query.filter(s::id.gt(DbUuid(after)));
    }
    Ok(subscriptions(
        query.order(s::id.asc()).limit(limit).load(conn)?,
    ))
}

/// Every subscription with an active channel for `topic`, except those linked to a customer
/// whose processing is restricted: the restriction wins over the subscription.
pub fn recipients(conn: &mut AnyConnection, topic: Topic) -> Result<Vec<Subscription>, DbError> {
    Ok(subscriptions(
        s::table
            .select(Row::as_select())
            .filter(has_topic(topic))
            .filter(is_active())
            .filter(not(exists(
                customers::table
                    .filter(customers::id.nullable().eq(s::customer_id))
                    .filter(customers::restricted_at.is_not_null()),
            )))
            .order(s::id.asc())
            .load(conn)?,
    ))
}

/// Stops `channel` on every subscription linked to the customer: their consent was withdrawn.
pub fn withdraw_for_customer(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let linked = s::customer_id.eq(DbUuid(customer_id)).assume_not_null();
    withdraw(conn, Box::new(linked), channel, now)
}

/// Links the subscription to a customer (or unlinks with `None`); false when there is no
/// such subscription.
pub fn link_customer(
    conn: &mut AnyConnection,
    id: Uuid,
    customer_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = diesel::update(s::table.find(DbUuid(id)))
        .set((
            s::customer_id.eq(customer_id.map(DbUuid)),
            s::updated_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}
