//! `uniikki seed`: fills an empty register with realistic, deterministic data for benchmarks
//! and manual testing. Finnish names with ä, ö and å, unique emails and phone numbers, minors
//! with guardians, UniikkiLista subscribers, consents, survey answers and logins; a few
//! customers get a long history; three teachers get a term of lessons, half of them booked.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};
use diesel::RunQueryDsl;
use domain::customer::{CustomerProfile, Source};
use domain::survey::{Question, QuestionKind, SurveyKind};
use domain::{DisplayName, EmailAddress, Role};
use persistence::accounts::{self, NewAccount};
use persistence::consents::{self, NewConsent};
use persistence::login_events::{self, LoginOutcome, NewLoginEvent};
use persistence::messages::{self, Channel, NewMessage};
use persistence::uniikkilista::{self, NewSubscription};
use persistence::{AnyConnection, Pool, customers, surveys, write_transaction};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use uuid::Uuid;

use crate::auth::passwords;

mod calendar;
mod people;

use crate::privacy::notice::EDITION;
use people::customer;

/// The password of every seeded login, for load tests.
pub const SEEDED_PASSWORD: &str = "laulan aina aamulla";

/// How many customers are written per transaction.
const BATCH: usize = 1_000;
/// Logins recorded for each seeded account.
pub const LOGINS_PER_ACCOUNT: usize = 3;
/// Customers who get a long history.
const HISTORY_CUSTOMERS: usize = 3;

fn survey_form() -> Vec<Question> {
    vec![
        Question {
            id: "goals".into(),
            kind: QuestionKind::MultipleChoice,
            text: "Mitä haluat oppia?".into(),
            required: true,
            options: vec![
                "Hengitys".into(),
                "Korkeat äänet".into(),
                "Esiintyminen".into(),
            ],
        },
        Question {
            id: "experience".into(),
            kind: QuestionKind::Scale,
            text: "Kokemus 1–5".into(),
            required: true,
            options: vec![],
        },
    ]
}

/// One seeded customer and what comes with them, drawn before anything is written so that a
/// batch's customers go into the database in one statement.
struct Planned {
    id: Uuid,
    profile: CustomerProfile,
    long_history: bool,
    account: bool,
    subscription: bool,
    /// The intake survey's "experience" answer, for those who answered it.
    survey_experience: Option<i32>,
}

/// Draws customer `i` in the same order of random numbers as before batching, so a seed gives
/// the same register it always did.
fn plan(i: usize, rng: &mut StdRng, today: NaiveDate) -> Planned {
    let profile = customer(i, rng, today);
    let long_history = i < HISTORY_CUSTOMERS;
    let account = long_history || rng.random_bool(0.1);
    let subscription = rng.random_bool(0.1);
    let survey_experience = rng.random_bool(0.2).then(|| rng.random_range(1..=5));
    Planned {
        id: Uuid::now_v7(),
        profile,
        long_history,
        account,
        subscription,
        survey_experience,
    }
}

/// What a seed run wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub customers: usize,
    pub minors: usize,
    pub accounts: usize,
    pub subscriptions: usize,
    pub consents: usize,
    pub survey_responses: usize,
    pub login_events: usize,
    pub history_rows: usize,
    pub teachers: usize,
    pub lessons: usize,
    pub bookings: usize,
}

impl SeedReport {
    fn count(&mut self, batch: &[Planned]) {
        for planned in batch {
            self.customers += 1;
            self.minors += usize::from(planned.profile.guardian.is_some());
            self.accounts += usize::from(planned.account);
            self.login_events += usize::from(planned.account) * LOGINS_PER_ACCOUNT;
            self.subscriptions += usize::from(planned.subscription);
            self.consents += usize::from(planned.subscription);
            self.survey_responses += usize::from(planned.survey_experience.is_some());
        }
    }
}

/// Fills an empty register. Refuses a register that already has customers.
pub fn seed(
    pool: &Pool,
    customers_wanted: usize,
    history: usize,
    random_seed: u64,
) -> anyhow::Result<SeedReport> {
    let mut conn = pool.get()?;
    if customers::count(&mut conn)? > 0 {
        anyhow::bail!("the register already has customers; seed an empty database");
    }
    crate::privacy::notice::publish_current(&mut conn)?;
    let mut rng = StdRng::seed_from_u64(random_seed);
    let mut report = SeedReport::default();
    let password_hash = passwords::hash_blocking(SEEDED_PASSWORD)?;
    let now = Utc::now();
    let today = now.date_naive();
    let survey_id = write_transaction(&mut conn, |conn| {
        surveys::create(conn, SurveyKind::Intake, "Alkukysely", &survey_form(), now)
    })?;
    // Seeded answers are entered by an office account of their own.
    let office = write_transaction(&mut conn, |conn| {
        let new = NewAccount {
            email: EmailAddress::parse("seed.office@uniikkiaani.fi").expect("a valid email"),
            display_name: DisplayName::parse("Seed Office").expect("a valid name"),
            role: Role::Office,
        };
        let account = accounts::insert(conn, &new, now)?;
        accounts::set_password(conn, account.id, &password_hash, None, now)?;
        Ok::<_, persistence::DbError>(account.id)
    })?;
    let mut history_accounts = Vec::new();
    let mut first_customers = Vec::new();

    for start in (0..customers_wanted).step_by(BATCH) {
        let end = (start + BATCH).min(customers_wanted);
        let batch: Vec<Planned> = (start..end).map(|i| plan(i, &mut rng, today)).collect();
        if first_customers.len() < BATCH {
            first_customers.extend(batch.iter().map(|p| p.id));
        }
        write_transaction(&mut conn, |conn| -> anyhow::Result<()> {
            let rows = batch.iter().map(|p| (p.id, &p.profile));
            customers::insert_many(conn, rows, Source::Staff, now)?;
            let mut logins = Vec::new();
            for planned in &batch {
                let Planned { id, profile, .. } = planned;
                if planned.account {
                    let account_id = add_account(conn, *id, profile, &password_hash, now)?;
                    let times = (0..)
                        .take(LOGINS_PER_ACCOUNT)
                        .map(|k| now - Duration::minutes(k));
                    logins.extend(times.map(|at| (login(account_id), at)));
                    if planned.long_history {
                        history_accounts.push((*id, account_id, profile.email.clone()));
                    }
                }
                if planned.subscription {
                    add_subscription(conn, *id, profile, now)?;
                }
                if let Some(experience) = planned.survey_experience {
                    let answers: BTreeMap<String, serde_json::Value> = [
                        ("goals".to_owned(), json!(["Hengitys"])),
                        ("experience".to_owned(), json!(experience)),
                    ]
                    .into();
                    surveys::add_response(conn, survey_id, 1, *id, &answers, office, now)?;
                }
            }
            login_events::record_many(conn, logins)?;
            Ok(())
        })?;
        report.count(&batch);
    }
    for (customer_id, account_id, email) in history_accounts {
        report.history_rows += add_history(
            &mut conn,
            customer_id,
            account_id,
            email.as_ref(),
            history,
            now,
        )?;
    }
    let term = write_transaction(&mut conn, |conn| {
        calendar::seed_term(conn, &password_hash, &first_customers, office, now)
    })?;
    report.teachers = term.teachers;
    report.lessons = term.lessons;
    report.bookings = term.bookings;
    // Fresh statistics, as autovacuum would gather in time: planned without them, PostgreSQL
    // searched the just-seeded customers five times slower.
    diesel::sql_query("ANALYZE").execute(&mut conn)?;
    Ok(report)
}

fn add_account(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    profile: &CustomerProfile,
    password_hash: &str,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<Uuid> {
    let name = format!(
        "{} {}",
        profile.first_name.as_str(),
        profile.last_name.as_str()
    );
    let new = NewAccount {
        email: profile.email.clone().expect("seeded customers have email"),
        display_name: DisplayName::parse(&name)?,
        role: Role::Customer,
    };
    let account = accounts::insert(conn, &new, now)?;
    accounts::set_password(conn, account.id, password_hash, None, now)?;
    customers::link_account(conn, customer_id, account.id)?;
    Ok(account.id)
}

/// A successful login by a seeded account.
fn login(account_id: Uuid) -> NewLoginEvent<'static> {
    NewLoginEvent {
        account_id: Some(account_id),
        login_name_hash: "seed",
        outcome: LoginOutcome::Success,
        client_ip: Some("192.0.2.10"),
        user_agent: Some("Mozilla/5.0 (seed)"),
    }
}

fn add_subscription(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    profile: &CustomerProfile,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let id = Uuid::now_v7();
    let new = NewSubscription {
        id,
        name: format!(
            "{} {}",
            profile.first_name.as_str(),
            profile.last_name.as_str()
        ),
        guardian_name: profile
            .guardian
            .as_ref()
            .map(|g| g.name.as_str().to_owned()),
        age: 30,
        email: profile.email.as_ref().map(|e| e.as_str().to_owned()),
        phone: None,
        language: profile.language.as_str().to_owned(),
        wants_email: true,
        wants_sms: false,
        topic_cancellation_slots: true,
        topic_upcoming_enrolments: true,
        privacy_notice_version: EDITION.to_owned(),
        consent_given_by: domain::person::GivenBy::Person,
    };
    uniikkilista::insert(conn, &new, now)?;
    uniikkilista::link_customer(conn, id, Some(customer_id), now)?;
    let consent = NewConsent {
        customer_id,
        purpose: "uniikkilista_email",
        granted: true,
        source: "web_form",
        given_by: "self",
        privacy_notice_version: EDITION,
        recorded_by: None,
    };
    consents::record(conn, &consent, now)?;
    Ok(())
}

/// `rows` rows of history for one customer: logins and messages, in batches.
fn add_history(
    conn: &mut persistence::PooledConnection,
    customer_id: Uuid,
    account_id: Uuid,
    email: Option<&EmailAddress>,
    rows: usize,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<usize> {
    let recipient = email.map_or("nobody@example.fi".to_owned(), |e| e.as_str().to_owned());
    for start in (0..rows).step_by(BATCH) {
        let end = (start + BATCH).min(rows);
        write_transaction(conn, |conn| -> anyhow::Result<()> {
            let mut logins = Vec::new();
            for k in start..end {
                let at = now - Duration::hours(i64::try_from(k).unwrap_or(0));
                if k % 2 == 0 {
                    logins.push((login(account_id), at));
                } else {
                    let message = NewMessage {
                        channel: Channel::Email,
                        recipient: recipient.clone(),
                        customer_id: Some(customer_id),
                        subscription_id: None,
                        purpose: "uniikkilista.notice",
                        language: "fi",
                        subject: Some("UniikkiLista tiedottaa".into()),
                        body: format!("Vapautui aika #{k}"),
                        unsubscribe_url: None,
                        calendar: None,
                    };
                    let id = messages::enqueue(conn, &message, at)?;
                    messages::mark_sent(conn, id, at)?;
                }
            }
            login_events::record_many(conn, logins)?;
            Ok(())
        })?;
    }
    Ok(rows)
}
