//! Which customers a caller may read, as a condition in the query itself.

use uuid::Uuid;

use crate::raw_sql::RawQuery;

/// Which customers a query may return: the caller's reach, applied in the query itself so
/// that what a caller may not see is never read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerScope {
    /// Office and admin: everyone.
    All,
    /// A teacher: the students in their own lessons.
    TaughtBy(Uuid),
}

impl CustomerScope {
    /// Appends the scope's condition on `customers` (nothing for `All`) after `glue`; returns
    /// the glue for the next condition.
    pub(super) fn write_condition(self, query: &mut RawQuery, glue: &'static str) -> &'static str {
        match self {
            Self::All => glue,
            Self::TaughtBy(_teacher) => {
                // No lessons are recorded yet, so a teacher teaches nobody. The lessons and
                // bookings area makes this `id IN (the customers booked on the teacher's
                // lessons)`.
                query.sql(glue).sql("1 = 0");
                " AND "
            }
        }
    }
}
