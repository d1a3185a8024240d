//! A database of its own for every test, removed when the test ends.

use diesel::{Connection, PgConnection, RunQueryDsl};
use persistence::DatabaseUrl;

/// The environment variable that names a PostgreSQL server for tests, e.g.
/// `postgres://postgres@127.0.0.1:5432/postgres`. Each test creates its own database there.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database: a SQLite file in a temporary folder, or a PostgreSQL database
/// with a random name. Dropping it deletes it (PostgreSQL: `DROP DATABASE … WITH (FORCE)`).
pub struct TestDatabase {
    url: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(
        #[allow(dead_code, reason = "held so the folder lives as long as the database")]
        tempfile::TempDir,
    ),
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDatabase {
    /// A fresh database of the given kind. `Backend::Postgres` panics without
    /// `TEST_DATABASE_URL`; use [`TestDatabase::postgres`] to skip instead.
    pub fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => Self::sqlite(),
            Backend::Postgres => Self::postgres().expect("TEST_DATABASE_URL must be set"),
        }
    }

    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = DatabaseUrl::Sqlite(dir.path().join("test.db"));
        Self {
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a loud note) when `TEST_DATABASE_URL` is
    /// not set. With `UNIIKKI_REQUIRE_POSTGRES=1` (CI's PostgreSQL pass) a missing URL fails.
    pub fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var(TEST_DATABASE_URL) else {
            assert!(
                std::env::var_os("UNIIKKI_REQUIRE_POSTGRES").is_none(),
                "the PostgreSQL tests must run here: set {TEST_DATABASE_URL}"
            );
            announce_skip();
            return None;
        };
        let name = format!("uniikki_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&admin_url)
            .unwrap_or_else(|e| panic!("cannot connect to {TEST_DATABASE_URL}: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("CREATE DATABASE");
        let url = DatabaseUrl::Postgres(with_database_name(&admin_url, &name));
        Some(Self {
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    pub fn backend(&self) -> Backend {
        match self.url {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let dropped = PgConnection::establish(admin_url).map(|mut admin| {
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
            });
            if !matches!(dropped, Ok(Ok(_))) {
                eprintln!("warning: test database {name} was not dropped");
            }
        }
    }
}

/// Says once per test binary, past the test harness's output capture, that PostgreSQL was
/// not tested.
fn announce_skip() {
    use std::io::Write;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED: PostgreSQL tests ({TEST_DATABASE_URL} is not set) — only SQLite was \
             tested. Set it, e.g. {TEST_DATABASE_URL}=postgres://postgres@127.0.0.1:5432/postgres ***\n"
        );
    });
}

/// Replaces the database name in a PostgreSQL URL, keeping user, host, port and parameters.
pub fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::with_database_name;

    #[test]
    fn replaces_only_the_database_name() {
        let cases = [
            ("postgres://u@h:5432/postgres", "postgres://u@h:5432/x"),
            ("postgres://u@h", "postgres://u@h/x"),
            (
                "postgres://u:p@h/db?sslmode=disable",
                "postgres://u:p@h/x?sslmode=disable",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(with_database_name(input, "x"), expected, "{input}");
        }
    }
}
