//! One person's rows from every table of the personal-data map, as JSON: the raw material of
//! the access and portability export. Driven entirely by the map, so a new table or column is
//! exported as soon as the map lists it.

use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::connection::{AnyConnection, BackendKind};
use crate::error::DbError;
use crate::privacy_map::{Link, Table};
use crate::raw_sql::{Bind, RawQuery};
use crate::sql_types::DbUuid;

/// Who the export is about: the customer and their login. Rows are theirs by these ids (or
/// through a subscription linked to the customer), never by a matching email or phone number,
/// which anyone may share or claim.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub customer_id: Uuid,
    pub account_id: Option<Uuid>,
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Text)]
    row: String,
}

/// The person's rows of `table`, each a JSON object of the table's exported columns (secrets
/// are never included). The database writes the JSON; it is checked and passed on as text, not
/// parsed into a tree (a 10,000-row history took tens of megabytes as `serde_json::Value`).
pub fn rows(
    conn: &mut AnyConnection,
    table: &Table,
    subject: &Subject,
) -> Result<Vec<Box<RawValue>>, DbError> {
    let kind = conn.kind();
    let mut conditions: Vec<(Link, Bind)> = Vec::new();
    for link in table.links {
        match *link {
            Link::Customer(_) | Link::Subscription(_) | Link::Booking(_) => {
                conditions.push((*link, Bind::Id(DbUuid(subject.customer_id))))
            }
            Link::Account(_) => {
                if let Some(account) = subject.account_id {
                    conditions.push((*link, Bind::Id(DbUuid(account))));
                }
            }
        }
    }
    if conditions.is_empty() {
        return Ok(Vec::new());
    }
    let fields: Vec<String> = table
        .exported_columns()
        .map(|column| {
            let value = match kind {
                BackendKind::Sqlite if table.booleans.contains(&column) => {
                    format!("json(CASE WHEN {column} THEN 'true' ELSE 'false' END)")
                }
                _ => column.to_owned(),
            };
            format!("'{column}', {value}")
        })
        .collect();
    let object = match kind {
        BackendKind::Postgres => format!("json_build_object({})::text", fields.join(", ")),
        BackendKind::Sqlite => format!("json_object({})", fields.join(", ")),
    };
    let mut query = RawQuery::default();
    query.sql(format!("SELECT {object} AS row FROM {} WHERE ", table.name));
    for (i, (link, value)) in conditions.into_iter().enumerate() {
        let or = if i == 0 { "" } else { " OR " };
        match link {
            Link::Subscription(column) => query
                .sql(format!(
                    "{or}{column} IN (SELECT id FROM uniikkilista_subscriptions WHERE customer_id = "
                ))
                .bind(value)
                .sql(")"),
            Link::Booking(column) => query
                .sql(format!(
                    "{or}{column} IN (SELECT id FROM bookings WHERE customer_id = "
                ))
                .bind(value)
                .sql(")"),
            Link::Customer(column) | Link::Account(column) => {
                query.sql(format!("{or}{column} = ")).bind(value)
            }
        };
    }
    query
        .load::<JsonRow>(conn)?
        .into_iter()
        .map(|r| RawValue::from_string(r.row).map_err(|_| DbError::corrupt(table.name)))
        .collect()
}
