//! The connection type every query takes: one enum over the two supported backends.

use diesel::{PgConnection, SqliteConnection};

/// A live connection to either backend. Queries are written once against this type; the few
/// places that need backend-specific SQL match on [`AnyConnection::kind`].
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database engine a connection or URL speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Postgres,
    Sqlite,
}

impl AnyConnection {
    /// The backend behind this connection, for the rare query that must differ per engine.
    pub fn kind(&self) -> BackendKind {
        match self {
            Self::Postgresql(_) => BackendKind::Postgres,
            Self::Sqlite(_) => BackendKind::Sqlite,
        }
    }
}

impl std::fmt::Debug for AnyConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AnyConnection({:?})", self.kind())
    }
}
