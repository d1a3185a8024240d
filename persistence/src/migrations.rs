//! Schema migrations, embedded in the binary: one set per backend, same names and order.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::connection::AnyConnection;

const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Applies every migration not yet applied and returns the versions it applied.
pub fn run_pending(conn: &mut AnyConnection) -> Result<Vec<String>, MigrationError> {
    let applied = match conn {
        AnyConnection::Postgresql(pg) => pg.run_pending_migrations(POSTGRES),
        AnyConnection::Sqlite(sqlite) => sqlite.run_pending_migrations(SQLITE),
    }
    .map_err(|e| MigrationError(e.to_string()))?;
    Ok(applied.into_iter().map(|v| v.to_string()).collect())
}

/// A migration that could not be applied; the database is left at the last good version.
#[derive(Debug, thiserror::Error)]
#[error("database migration failed: {0}")]
pub struct MigrationError(String);
