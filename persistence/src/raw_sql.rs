//! Hand-written SQL for the few queries diesel's DSL cannot say on both engines — JSON built by
//! the database, a union of ordered and limited selects — written piece by piece, with values
//! always bound, never part of the text.
//!
//! Unlike `diesel::sql_query`, whose statements SQLite prepares anew on every call, a
//! `RawQuery` goes through the connection's statement cache (keyed by its text), so a query run
//! on every request is parsed and planned once per connection.

use crate::connection::{AnyConnection, MultiBackend};
use crate::sql_types::DbUuid;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Text, Untyped};

/// A value bound to a placeholder.
pub enum Bind {
    Id(DbUuid),
    Text(String),
    Int(i64),
    Time(crate::sql_types::DbTime),
    Date(chrono::NaiveDate),
}

enum Part {
    Sql(String),
    Value(Bind),
}

/// SQL text and the values bound in it, in the order they appear.
#[derive(Default)]
pub struct RawQuery {
    parts: Vec<Part>,
}

impl RawQuery {
    /// Appends SQL text (never a value: values go through `bind`).
    pub fn sql(&mut self, text: impl Into<String>) -> &mut Self {
        self.parts.push(Part::Sql(text.into()));
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: Bind) -> &mut Self {
        self.parts.push(Part::Value(value));
        self
    }

    /// Appends another query's text and values.
    pub fn append(&mut self, other: RawQuery) -> &mut Self {
        self.parts.extend(other.parts);
        self
    }

    /// Runs the query and loads its rows by column name.
    pub fn load<T>(self, conn: &mut AnyConnection) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<MultiBackend> + 'static,
    {
        RunQueryDsl::load(self, conn)
    }
}

impl QueryFragment<MultiBackend> for RawQuery {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        for part in &self.parts {
            match part {
                Part::Sql(text) => out.push_sql(text),
                Part::Value(Bind::Id(id)) => {
                    out.push_bind_param::<crate::sql_types::Uuid, _>(id)?;
                }
                Part::Value(Bind::Text(text)) => out.push_bind_param::<Text, _>(text)?,
                Part::Value(Bind::Int(n)) => out.push_bind_param::<BigInt, _>(n)?,
                Part::Value(Bind::Time(t)) => {
                    out.push_bind_param::<crate::sql_types::UtcTimestamp, _>(t)?;
                }
                Part::Value(Bind::Date(d)) => {
                    out.push_bind_param::<diesel::sql_types::Date, _>(d)?;
                }
            }
        }
        Ok(())
    }
}

impl QueryId for RawQuery {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for RawQuery {
    type SqlType = Untyped;
}

impl RunQueryDsl<AnyConnection> for RawQuery {}
