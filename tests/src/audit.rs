//! The audit queue as a test meets it: what a crash can leave in `audit_pending`.

use diesel::connection::SimpleConnection;
use persistence::AnyConnection;
use uuid::Uuid;

/// Leaves one `customer.erase` entry about `subject` in `audit_pending`, as a change committed
/// just before its server died would: recorded, not yet chained. The same SQL on both engines.
pub fn leave_pending_audit_entry(conn: &mut AnyConnection, subject: Uuid) {
    conn.batch_execute(&format!(
        "INSERT INTO audit_pending (entry_id, occurred_at, actor_kind, action, target_type, \
         target_id, subject_id) VALUES ('{}', '2026-12-01T00:00:00.000000Z', 'system', \
         'customer.erase', 'customer', '{subject}', '{subject}')",
        Uuid::now_v7()
    ))
    .expect("an entry is queued");
}
