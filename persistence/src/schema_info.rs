//! The live schema, read from the database itself, to check it against the personal-data map.

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::connection::AnyConnection;
use crate::error::DbError;

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// Every (table, column) of the register's schema, sorted.
pub fn columns(conn: &mut AnyConnection) -> Result<Vec<(String, String)>, DbError> {
    let sql = match conn {
        AnyConnection::Postgresql(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = current_schema()"
        }
        AnyConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        }
    };
    let mut rows: Vec<(String, String)> = diesel::sql_query(sql)
        .load::<ColumnRow>(conn)?
        .into_iter()
        .map(|r| (r.table_name, r.column_name))
        .collect();
    rows.sort();
    Ok(rows)
}
