//! The contract's description of an export's `data`: one property per table of the
//! personal-data map that links rows to a person, each a list of that table's exported columns.
//! Built from the map itself, so a new table or column appears in the contract the day it is
//! mapped, and a client reads `data.customers[0].first_name` without a cast.

use persistence::privacy_map::{TABLES, Table};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, Object, ObjectBuilder, Schema, Type,
};
use utoipa::openapi::{RefOr, schema::SchemaType};

/// No stored text is longer: every text arrived in a request body, and the largest body a
/// server may be set to accept is 16 MiB (`UNIIKKI_MAX_BODY_BYTES`).
const STORED_TEXT_MAX: usize = 16 * 1024 * 1024;

/// The tables an export can hold rows of.
pub fn exported_tables() -> impl Iterator<Item = &'static Table> {
    TABLES
        .iter()
        .filter(|t| t.is_personal() && !t.links.is_empty())
}

/// `schema_with` for `ExportDocument.data`.
pub fn schema() -> Object {
    let mut data = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .description(Some(
            "Table name → the person's rows, each with the table's columns (secrets such as \
password and token hashes are never included). A table with no rows for the person is absent. \
Column values are as stored: text, whole numbers, booleans, or null.",
        ));
    for table in exported_tables() {
        let rows = ArrayBuilder::new()
            .items(row(table))
            .description(Some(table.purpose));
        data = data.property(table.name, rows);
    }
    data.build()
}

fn row(table: &Table) -> ObjectBuilder {
    let mut row = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::FreeForm(false)));
    for column in table.exported_columns() {
        let kind = if table.booleans.contains(&column) {
            SchemaType::new(Type::Boolean)
        } else {
            SchemaType::from_iter([Type::String, Type::Integer, Type::Null])
        };
        let value: RefOr<Schema> = ObjectBuilder::new()
            .schema_type(kind)
            .max_length(Some(STORED_TEXT_MAX))
            .into();
        row = row.property(column, value).required(column);
    }
    row
}
