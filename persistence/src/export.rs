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

/// Who the export is about: the customer, their login, and the addresses they are reached at.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub customer_id: Uuid,
    pub account_id: Option<Uuid>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
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
    let mut conditions: Vec<(&str, Bind)> = Vec::new();
    for link in table.links {
        match *link {
            Link::Customer(column) => {
                conditions.push((column, Bind::Id(DbUuid(subject.customer_id))))
            }
            Link::Account(column) => {
                if let Some(account) = subject.account_id {
                    conditions.push((column, Bind::Id(DbUuid(account))));
                }
            }
            Link::Email(column) | Link::Phone(column) => {
                let values = if matches!(link, Link::Email(_)) {
                    &subject.emails
                } else {
                    &subject.phones
                };
                for value in values {
                    conditions.push((column, Bind::Text(value.clone())));
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
    for (i, (column, value)) in conditions.into_iter().enumerate() {
        let or = if i == 0 { "" } else { " OR " };
        query.sql(format!("{or}{column} = ")).bind(value);
    }
    query
        .load::<JsonRow>(conn)?
        .into_iter()
        .map(|r| RawValue::from_string(r.row).map_err(|_| DbError::corrupt(table.name)))
        .collect()
}
