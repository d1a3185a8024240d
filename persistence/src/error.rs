//! Storage failures, sorted by what the caller can do about them.

/// A storage failure. Constraint violations keep the constraint's name so the API can turn
/// `accounts_email_key` into a 409 on the `email` field instead of a 500.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection could be had in time: the database is down or the pool is exhausted.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A unique constraint (named as in the migrations) rejected the write.
    #[error("unique constraint `{constraint}` violated")]
    UniqueViolation { constraint: String },
    /// An exclusion constraint (PostgreSQL's guard against overlapping times, named as in the
    /// migrations) rejected the write.
    #[error("exclusion constraint `{constraint}` violated")]
    ExclusionViolation { constraint: String },
    /// A foreign key rejected the write: the referenced row does not exist.
    #[error("foreign key constraint violated")]
    ForeignKeyViolation,
    /// The row a query needed does not exist.
    #[error("row not found")]
    NotFound,
    /// Anything else: a bug or an unexpected database state.
    #[error(transparent)]
    Other(diesel::result::Error),
}

impl DbError {
    /// A stored value the code cannot read: a bug or a hand-edited database.
    pub fn corrupt(column: &str) -> Self {
        Self::Other(diesel::result::Error::DeserializationError(
            format!("unreadable value in {column}").into(),
        ))
    }
}

impl From<diesel::r2d2::PoolError> for DbError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl From<diesel::result::Error> for DbError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Self::UniqueViolation {
                    constraint: unique_constraint_name(info.constraint_name(), info.message()),
                }
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                Self::ForeignKeyViolation
            }
            Error::DatabaseError(_, info)
                if info
                    .message()
                    .starts_with("conflicting key value violates exclusion constraint") =>
            {
                Self::ExclusionViolation {
                    constraint: info.constraint_name().unwrap_or("unknown").to_owned(),
                }
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            // SQLite's writer lock stayed taken past the busy timeout: overloaded, not broken.
            // PostgreSQL broke a lock cycle by failing this transaction: worth retrying.
            Error::DatabaseError(_, info)
                if info.message().contains("database is locked")
                    || info.message().starts_with("deadlock detected") =>
            {
                Self::Unavailable(info.message().to_owned())
            }
            other => Self::Other(other),
        }
    }
}

/// PostgreSQL names the violated constraint; SQLite only says
/// `UNIQUE constraint failed: accounts.email`, which we turn into `accounts_email_key`, the
/// name the PostgreSQL migrations give the same constraint.
fn unique_constraint_name(named: Option<&str>, message: &str) -> String {
    if let Some(name) = named {
        return name.to_owned();
    }
    let Some(columns) = message.strip_prefix("UNIQUE constraint failed: ") else {
        return "unknown".to_owned();
    };
    let mut table = "";
    let mut name_parts = Vec::new();
    for qualified in columns.split(", ") {
        let (t, column) = qualified.split_once('.').unwrap_or(("", qualified));
        table = t;
        name_parts.push(column);
    }
    format!("{table}_{}_key", name_parts.join("_"))
}

#[cfg(test)]
mod tests {
    use super::{DbError, unique_constraint_name};

    #[derive(Debug)]
    struct Info(&'static str);

    impl diesel::result::DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    #[test]
    fn a_locked_sqlite_database_is_unavailable_not_broken() {
        use diesel::result::{DatabaseErrorKind, Error};
        let locked = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Info("database is locked")),
        );
        assert!(matches!(DbError::from(locked), DbError::Unavailable(_)));
        let other = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Info("no such table: x")),
        );
        assert!(matches!(DbError::from(other), DbError::Other(_)));
    }

    #[test]
    fn sqlite_messages_map_to_postgres_constraint_names() {
        assert_eq!(
            unique_constraint_name(None, "UNIQUE constraint failed: accounts.email"),
            "accounts_email_key"
        );
        assert_eq!(
            unique_constraint_name(
                None,
                "UNIQUE constraint failed: idempotency_keys.principal, idempotency_keys.idempotency_key"
            ),
            "idempotency_keys_principal_idempotency_key_key"
        );
        assert_eq!(unique_constraint_name(Some("x_key"), "whatever"), "x_key");
    }
}
