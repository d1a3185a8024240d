//! Customers: the stored profile, found by id, email or login, and changed.

mod list;
mod scope;

pub use list::{Filter, Search, SortKey, list};
pub use scope::CustomerScope;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use domain::customer::{Address, CustomerProfile, Guardian, Restriction, Source, name_key};
use domain::{EmailAddress, Language, PersonName, PhoneNumber};
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::raw_sql::{Bind, RawQuery};
use crate::schema::customers as c;
use crate::sql_types::{DbTime, DbUuid};

/// A stored customer.
#[derive(Debug, Clone)]
pub struct Customer {
    pub id: Uuid,
    pub profile: CustomerProfile,
    pub source: Source,
    pub account_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
    /// Where the customer stands in the sort order; the cursor of keyset pagination.
    pub sort_key: SortKey,
    /// Set while processing is restricted (GDPR Art. 18): when, and why.
    pub restriction: Option<Restriction>,
    /// When the person was erased: the row is an anonymous placeholder from then on, and no
    /// write may touch it again.
    pub erased_at: Option<DateTime<Utc>>,
}

#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = c)]
struct Row {
    id: DbUuid,
    first_name: String,
    last_name: String,
    first_name_key: String,
    last_name_key: String,
    email: Option<String>,
    phone: Option<String>,
    street: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    country: Option<String>,
    birth_date: Option<NaiveDate>,
    language: String,
    guardian_name: Option<String>,
    guardian_email: Option<String>,
    guardian_phone: Option<String>,
    source: String,
    account_id: Option<DbUuid>,
    created_at: DbTime,
    updated_at: DbTime,
    version: i64,
    restricted_at: Option<DbTime>,
    restriction_reason: Option<String>,
    erased_at: Option<DbTime>,
}

fn corrupt<T, E>(column: &'static str) -> impl Fn(E) -> Result<T, DbError> {
    move |_| Err(DbError::corrupt(column))
}

impl TryFrom<Row> for Customer {
    type Error = DbError;
    fn try_from(r: Row) -> Result<Self, DbError> {
        let email = r
            .email
            .map(|e| EmailAddress::parse(&e).or_else(corrupt("customers.email")))
            .transpose()?;
        let phone = r
            .phone
            .map(|p| PhoneNumber::parse(&p).or_else(corrupt("customers.phone")))
            .transpose()?;
        let address = match (r.street, r.postal_code, r.city, r.country) {
            (Some(street), Some(postal_code), Some(city), Some(country)) => Some(Address {
                street,
                postal_code,
                city,
                country,
            }),
            _ => None,
        };
        let guardian = match r.guardian_name {
            Some(name) => Some(Guardian {
                name: PersonName::parse(&name).or_else(corrupt("customers.guardian_name"))?,
                email: r
                    .guardian_email
                    .map(|e| EmailAddress::parse(&e).or_else(corrupt("customers.guardian_email")))
                    .transpose()?,
                phone: r
                    .guardian_phone
                    .map(|p| PhoneNumber::parse(&p).or_else(corrupt("customers.guardian_phone")))
                    .transpose()?,
            }),
            None => None,
        };
        Ok(Self {
            id: r.id.0,
            profile: CustomerProfile {
                first_name: PersonName::parse(&r.first_name)
                    .or_else(corrupt("customers.first_name"))?,
                last_name: PersonName::parse(&r.last_name)
                    .or_else(corrupt("customers.last_name"))?,
                email,
                phone,
                address,
                birth_date: r.birth_date,
                language: Language::parse(&r.language)
                    .ok_or_else(|| DbError::corrupt("customers.language"))?,
                guardian,
            },
            source: Source::parse(&r.source).ok_or_else(|| DbError::corrupt("customers.source"))?,
            account_id: r.account_id.map(|a| a.0),
            created_at: r.created_at.get(),
            updated_at: r.updated_at.get(),
            version: r.version,
            sort_key: SortKey {
                last: r.last_name_key,
                first: r.first_name_key,
                id: r.id.0,
            },
            restriction: r.restricted_at.map(|at| Restriction {
                since: at.get(),
                reason: r.restriction_reason.unwrap_or_default(),
            }),
            erased_at: r.erased_at.map(DbTime::get),
        })
    }
}

/// The profile columns, as written by both insert and update.
#[derive(AsChangeset, Insertable)]
#[diesel(table_name = c, treat_none_as_null = true)]
struct ProfileColumns<'a> {
    first_name: &'a str,
    last_name: &'a str,
    first_name_key: String,
    last_name_key: String,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    street: Option<&'a str>,
    postal_code: Option<&'a str>,
    city: Option<&'a str>,
    country: Option<&'a str>,
    birth_date: Option<NaiveDate>,
    language: &'a str,
    guardian_name: Option<&'a str>,
    guardian_email: Option<&'a str>,
    guardian_phone: Option<&'a str>,
}

impl<'a> From<&'a CustomerProfile> for ProfileColumns<'a> {
    fn from(p: &'a CustomerProfile) -> Self {
        let guardian = p.guardian.as_ref();
        Self {
            first_name: p.first_name.as_str(),
            last_name: p.last_name.as_str(),
            first_name_key: name_key(p.first_name.as_str()),
            last_name_key: name_key(p.last_name.as_str()),
            email: p.email.as_ref().map(EmailAddress::as_str),
            phone: p.phone.as_ref().map(PhoneNumber::as_str),
            street: p.address.as_ref().map(|a| a.street.as_str()),
            postal_code: p.address.as_ref().map(|a| a.postal_code.as_str()),
            city: p.address.as_ref().map(|a| a.city.as_str()),
            country: p.address.as_ref().map(|a| a.country.as_str()),
            birth_date: p.birth_date,
            language: p.language.as_str(),
            guardian_name: guardian.map(|g| g.name.as_str()),
            guardian_email: guardian
                .and_then(|g| g.email.as_ref())
                .map(EmailAddress::as_str),
            guardian_phone: guardian
                .and_then(|g| g.phone.as_ref())
                .map(PhoneNumber::as_str),
        }
    }
}

pub fn insert(
    conn: &mut AnyConnection,
    profile: &CustomerProfile,
    source: Source,
    now: DateTime<Utc>,
) -> Result<Customer, DbError> {
    let id = Uuid::now_v7();
    diesel::insert_into(c::table)
        .values(NewRow::new(id, profile, source, DbTime::new(now)))
        .execute(conn)?;
    find(conn, id, CustomerScope::All)?.ok_or(DbError::NotFound)
}

/// A customer row as inserted.
#[derive(Insertable)]
#[diesel(table_name = c)]
struct NewRow<'a> {
    id: DbUuid,
    #[diesel(embed)]
    profile: ProfileColumns<'a>,
    source: &'a str,
    created_at: DbTime,
    updated_at: DbTime,
}

impl<'a> NewRow<'a> {
    fn new(id: Uuid, profile: &'a CustomerProfile, source: Source, now: DbTime) -> Self {
        Self {
            id: DbUuid(id),
            profile: ProfileColumns::from(profile),
            source: source.as_str(),
            created_at: now,
            updated_at: now,
        }
    }
}

/// Inserts many customers at once, for bulk loads. On PostgreSQL one statement per call: a round
/// trip per row kept seeding 100,000 customers over a minute, both processes mostly waiting for
/// each other. SQLite runs in-process, so a statement per row costs no round trip there (and
/// diesel's multi-row insert does not reach it through the multi-backend connection).
pub fn insert_many<'a>(
    conn: &mut AnyConnection,
    customers: impl IntoIterator<Item = (Uuid, &'a CustomerProfile)>,
    source: Source,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let now = DbTime::new(now);
    let rows = customers
        .into_iter()
        .map(|(id, profile)| NewRow::new(id, profile, source, now));
    match conn {
        AnyConnection::Postgresql(pg) => {
            let rows: Vec<NewRow<'a>> = rows.collect();
            diesel::insert_into(c::table).values(rows).execute(pg)?;
        }
        AnyConnection::Sqlite(sqlite) => {
            for row in rows {
                diesel::insert_into(c::table).values(row).execute(sqlite)?;
            }
        }
    }
    Ok(())
}

pub fn count(conn: &mut AnyConnection) -> Result<i64, DbError> {
    Ok(c::table.count().get_result(conn)?)
}
/// The customer `id` if `scope` reaches them.
pub fn find(
    conn: &mut AnyConnection,
    id: Uuid,
    scope: CustomerScope,
) -> Result<Option<Customer>, DbError> {
    let mut query = RawQuery::default();
    query
        .sql("SELECT * FROM customers WHERE id = ")
        .bind(Bind::Id(DbUuid(id)));
    scope.write_condition(&mut query, " AND ");
    query
        .load::<Row>(conn)?
        .pop()
        .map(Customer::try_from)
        .transpose()
}

/// The customer, held for the rest of the write transaction: on PostgreSQL the row is locked
/// (`FOR UPDATE`), so a concurrent erasure either finishes first (and this sees it) or waits
/// until this change has committed (and then erases what it wrote). SQLite's single writer
/// runs one change at a time already. Every change about a customer starts here.
pub fn find_for_write(conn: &mut AnyConnection, id: Uuid) -> Result<Option<Customer>, DbError> {
    let query = c::table.find(DbUuid(id));
    let row: Option<Row> = match conn {
        AnyConnection::Postgresql(pg) => query
            .select(Row::as_select())
            .for_update()
            .first(pg)
            .optional()?,
        AnyConnection::Sqlite(sqlite) => query.select(Row::as_select()).first(sqlite).optional()?,
    };
    row.map(Customer::try_from).transpose()
}

pub fn find_by_email(
    conn: &mut AnyConnection,
    email: &EmailAddress,
) -> Result<Option<Customer>, DbError> {
    c::table
        .filter(c::email.eq(email.as_str()))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(Customer::try_from)
        .transpose()
}

pub fn find_by_account(
    conn: &mut AnyConnection,
    account_id: Uuid,
) -> Result<Option<Customer>, DbError> {
    c::table
        .filter(c::account_id.eq(DbUuid(account_id)))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(Customer::try_from)
        .transpose()
}

/// Why an update did not happen.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("customer not found")]
    NotFound,
    #[error("the customer has changed")]
    Stale,
    #[error("the customer has been erased")]
    Erased,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Replaces the profile when the stored version is `expected_version` and the customer has
/// not been erased (both checked by the update itself).
pub fn update(
    conn: &mut AnyConnection,
    id: Uuid,
    profile: &CustomerProfile,
    expected_version: i64,
    now: DateTime<Utc>,
) -> Result<Customer, UpdateError> {
    let changed = diesel::update(
        c::table
            .find(DbUuid(id))
            .filter(c::version.eq(expected_version))
            .filter(c::erased_at.is_null()),
    )
    .set((
        ProfileColumns::from(profile),
        c::updated_at.eq(DbTime::new(now)),
        c::version.eq(expected_version + 1),
    ))
    .execute(conn)
    .map_err(DbError::from)?;
    if changed == 0 {
        return Err(match find(conn, id, CustomerScope::All)? {
            Some(current) if current.erased_at.is_some() => UpdateError::Erased,
            Some(_) => UpdateError::Stale,
            None => UpdateError::NotFound,
        });
    }
    find(conn, id, CustomerScope::All)?.ok_or(UpdateError::NotFound)
}

/// Restricts processing (with the reason), or lifts the restriction with `None`.
pub fn set_restriction(
    conn: &mut AnyConnection,
    id: Uuid,
    restriction: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(c::table.find(DbUuid(id)).filter(c::erased_at.is_null()))
        .set((
            c::restricted_at.eq(restriction.map(|_| DbTime::new(now))),
            c::restriction_reason.eq(restriction),
            c::updated_at.eq(DbTime::new(now)),
            c::version.eq(c::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn link_account(conn: &mut AnyConnection, id: Uuid, account_id: Uuid) -> Result<(), DbError> {
    diesel::update(c::table.find(DbUuid(id)).filter(c::erased_at.is_null()))
        .set(c::account_id.eq(DbUuid(account_id)))
        .execute(conn)?;
    Ok(())
}
