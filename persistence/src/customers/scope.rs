//! Which customers a caller may read, as a condition in the query itself.

use uuid::Uuid;

use crate::raw_sql::{Bind, RawQuery};
use crate::sql_types::DbUuid;

/// Which customers a query may return: the caller's reach, applied in the query itself so
/// that what a caller may not see is never read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerScope {
    /// Office and admin: everyone.
    All,
    /// A teacher: the customers booked on their own lessons (a booking the customer cancelled
    /// does not count).
    TaughtBy(Uuid),
}

impl CustomerScope {
    /// Appends the scope's condition on `customers` (nothing for `All`) after `glue`; returns
    /// the glue for the next condition.
    pub(super) fn write_condition(self, query: &mut RawQuery, glue: &'static str) -> &'static str {
        match self {
            Self::All => glue,
            Self::TaughtBy(teacher) => {
                query
                    .sql(glue)
                    .sql(
                        "id IN (SELECT b.customer_id FROM bookings b \
                         JOIN lessons l ON l.id = b.lesson_id \
                         WHERE b.status <> 'cancelled' AND l.teacher_id = ",
                    )
                    .bind(Bind::Id(DbUuid(teacher)))
                    .sql(")");
                " AND "
            }
        }
    }
}
