//! Erasing a person: every row about them is deleted or irreversibly anonymised, in an order
//! the foreign keys allow. Audit entries stay (they hold ids only).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::export::Subject;
use crate::schema::{
    accounts, calendar_feeds, consents, customers, external_bookings, login_events, messages,
    privacy_requests, refresh_tokens, survey_responses, uniikkilista_subscriptions as subs,
    uniikkilista_tokens as tokens, webhook_inbox,
};
use crate::sql_types::{DbTime, DbUuid};

/// What happened to a table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    Deleted,
    /// Kept, with every personal value replaced or removed.
    Anonymised,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub table: &'static str,
    pub treatment: Treatment,
    pub rows: usize,
}

/// Every table of the personal-data map that links to a person is handled here; a test keeps
/// this list and the map in step.
pub const HANDLED_TABLES: &[&str] = &[
    "webhook_inbox",
    "external_bookings",
    "bookings",
    "booking_events",
    "calendar_feeds",
    "survey_responses",
    "consents",
    "messages",
    "uniikkilista_subscriptions",
    "login_events",
    "refresh_tokens",
    "customers",
    "accounts",
    "privacy_requests",
    "idempotency_keys",
];

/// What stays of an erased customer's name.
pub const ERASED_NAME: &str = "(poistettu)";

/// What an erasure did: a step per table, and the ids of the messages it deleted (whose copies
/// outside the database, such as the file outbox, must go too).
#[derive(Debug, Clone, Default)]
pub struct Erased {
    pub steps: Vec<Step>,
    pub messages: Vec<Uuid>,
}

/// Erases `subject`: what is linked to them by id — their customer row, login, consents, survey
/// answers, the UniikkiLista subscriptions linked to them and every message to them or to those
/// subscriptions — never rows that merely share an address with them. Run inside a write
/// transaction after [`crate::customers::find_for_write`] (roll it back for a preview).
/// `login_name_hash` also removes failed logins tried with the person's email.
pub fn erase(
    conn: &mut AnyConnection,
    subject: &Subject,
    login_name_hash: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Erased, DbError> {
    let customer = DbUuid(subject.customer_id);
    let account = subject.account_id.map(DbUuid);
    let mut steps = Vec::new();
    let mut step = |table, treatment, rows| {
        steps.push(Step {
            table,
            treatment,
            rows,
        })
    };

    let n = diesel::delete(webhook_inbox::table.filter(webhook_inbox::customer_id.eq(customer)))
        .execute(conn)?;
    step("webhook_inbox", Treatment::Deleted, n);
    // The calendar's booking stays known (as cancelled), so that a late change of it cannot
    // bring the person back; the link to them goes.
    let theirs = crate::schema::bookings::table
        .filter(crate::schema::bookings::customer_id.eq(customer))
        .select(crate::schema::bookings::id.nullable());
    let n = diesel::update(
        external_bookings::table.filter(external_bookings::booking_id.eq_any(theirs)),
    )
    .set((
        external_bookings::booking_id.eq(None::<DbUuid>),
        external_bookings::state.eq("cancelled"),
    ))
    .execute(conn)?;
    step("external_bookings", Treatment::Anonymised, n);
    let (bookings, events) = crate::calendar::bookings::erase(conn, subject.customer_id, now)?;
    step("booking_events", Treatment::Deleted, events);
    step("bookings", Treatment::Deleted, bookings);
    let feeds = calendar_feeds::table.filter(
        calendar_feeds::customer_id
            .eq(customer)
            .or(calendar_feeds::teacher_id.nullable().eq(account)),
    );
    let n = diesel::delete(feeds).execute(conn)?;
    step("calendar_feeds", Treatment::Deleted, n);
    let n =
        diesel::delete(survey_responses::table.filter(survey_responses::customer_id.eq(customer)))
            .execute(conn)?;
    step("survey_responses", Treatment::Deleted, n);
    let n =
        diesel::delete(consents::table.filter(consents::customer_id.eq(customer))).execute(conn)?;
    step("consents", Treatment::Deleted, n);

    let subscription_ids: Vec<DbUuid> = subs::table
        .filter(subs::customer_id.eq(customer))
        .select(subs::id)
        .load(conn)?;
    let message_ids: Vec<DbUuid> = messages::table
        .filter(
            messages::customer_id
                .eq(customer)
                .or(messages::subscription_id.eq_any(&subscription_ids)),
        )
        .select(messages::id)
        .load(conn)?;
    let n =
        diesel::delete(messages::table.filter(messages::id.eq_any(&message_ids))).execute(conn)?;
    step("messages", Treatment::Deleted, n);
    diesel::delete(tokens::table.filter(tokens::subscription_id.eq_any(&subscription_ids)))
        .execute(conn)?;
    let n = diesel::delete(subs::table.filter(subs::id.eq_any(&subscription_ids))).execute(conn)?;
    step("uniikkilista_subscriptions", Treatment::Deleted, n);

    let mut n = 0;
    if let Some(hash) = login_name_hash {
        n += diesel::delete(login_events::table.filter(login_events::login_name_hash.eq(hash)))
            .execute(conn)?;
    }
    if let Some(account) = account {
        n += diesel::delete(login_events::table.filter(login_events::account_id.eq(account)))
            .execute(conn)?;
    }
    step("login_events", Treatment::Deleted, n);
    let n = match account {
        Some(account) => {
            diesel::delete(refresh_tokens::table.filter(refresh_tokens::account_id.eq(account)))
                .execute(conn)?
        }
        None => 0,
    };
    step("refresh_tokens", Treatment::Deleted, n);

    let n = diesel::update(customers::table.find(customer))
        .set((
            customers::first_name.eq(ERASED_NAME),
            customers::last_name.eq(ERASED_NAME),
            customers::first_name_key.eq(""),
            customers::last_name_key.eq(""),
            customers::email.eq(None::<String>),
            customers::phone.eq(None::<String>),
            customers::street.eq(None::<String>),
            customers::postal_code.eq(None::<String>),
            customers::city.eq(None::<String>),
            customers::country.eq(None::<String>),
            customers::birth_date.eq(None::<chrono::NaiveDate>),
            customers::guardian_name.eq(None::<String>),
            customers::guardian_email.eq(None::<String>),
            customers::guardian_phone.eq(None::<String>),
            customers::account_id.eq(None::<DbUuid>),
            customers::restricted_at.eq(None::<DbTime>),
            customers::restriction_reason.eq(None::<String>),
            customers::erased_at.eq(DbTime::new(now)),
            customers::updated_at.eq(DbTime::new(now)),
            customers::version.eq(customers::version + 1),
        ))
        .execute(conn)?;
    step("customers", Treatment::Anonymised, n);
    let n = match account {
        Some(account) => diesel::delete(accounts::table.find(account)).execute(conn)?,
        None => 0,
    };
    step("accounts", Treatment::Deleted, n);

    let n =
        diesel::update(privacy_requests::table.filter(privacy_requests::customer_id.eq(customer)))
            .set((
                privacy_requests::description.eq(None::<String>),
                privacy_requests::identity_verification.eq(None::<String>),
                privacy_requests::extension_reason.eq(None::<String>),
                privacy_requests::resolution.eq(None::<String>),
            ))
            .execute(conn)?;
    step("privacy_requests", Treatment::Anonymised, n);
    let n = crate::idempotency::forget_mentions(conn, subject.customer_id)?;
    step("idempotency_keys", Treatment::Deleted, n);
    Ok(Erased {
        steps,
        messages: message_ids.into_iter().map(|id| id.0).collect(),
    })
}

/// On SQLite, moves every page out of the write-ahead log and truncates it, so that erased
/// values do not survive in old log frames (the pool's `secure_delete` zeroes freed space in
/// the database file itself). PostgreSQL reclaims dead rows by its own vacuuming.
pub fn flush_log(conn: &mut AnyConnection) -> Result<(), DbError> {
    use diesel::connection::SimpleConnection;
    if let AnyConnection::Sqlite(sqlite) = conn {
        sqlite.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?;
    }
    Ok(())
}
