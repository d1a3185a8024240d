//! The audit log's tamper evidence: every entry's hash covers its content and the previous
//! entry's hash, so editing, removing or reordering an entry breaks every later link.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash the chain starts from.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// A person logged in to an account (staff or customer).
    Account,
    /// The calendar or webshop, with its API key.
    Integration,
    /// The server itself: bootstrap, retention jobs.
    System,
    /// Someone not logged in (e.g. a failed login, a public form).
    Anonymous,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Integration => "integration",
            Self::System => "system",
            Self::Anonymous => "anonymous",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "account" => Some(Self::Account),
            "integration" => Some(Self::Integration),
            "system" => Some(Self::System),
            "anonymous" => Some(Self::Anonymous),
            _ => None,
        }
    }
}

/// The content of one audit entry, as hashed. IDs only, never names or contact details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub subject_id: Option<Uuid>,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
}

impl AuditRecord {
    /// SHA-256 (hex) over the previous hash and a canonical JSON array of every field. Times are
    /// hashed at microsecond precision, the precision both databases keep.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let canonical = serde_json::json!([
            self.seq,
            self.id.to_string(),
            self.occurred_at
                .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                .to_string(),
            self.actor_kind.as_str(),
            self.actor_id.map(|id| id.to_string()),
            self.action,
            self.target_type,
            self.target_id,
            self.subject_id.map(|id| id.to_string()),
            self.request_id,
            self.client_ip,
        ]);
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(b"\n");
        hasher.update(canonical.to_string().as_bytes());
        hex::encode(hasher.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record() -> AuditRecord {
        AuditRecord {
            seq: 1,
            id: Uuid::nil(),
            occurred_at: Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap(),
            actor_kind: ActorKind::Account,
            actor_id: Some(Uuid::max()),
            action: "staff.create".into(),
            target_type: "account".into(),
            target_id: Some("x".into()),
            subject_id: None,
            request_id: Some("r".into()),
            client_ip: Some("127.0.0.1".into()),
        }
    }

    #[test]
    fn any_change_of_content_or_predecessor_changes_the_hash() {
        let original = record().chain_hash(GENESIS_HASH);
        assert_eq!(original, record().chain_hash(GENESIS_HASH), "deterministic");
        assert_eq!(original.len(), 64);
        let mut edited = record();
        edited.action = "staff.read".into();
        assert_ne!(edited.chain_hash(GENESIS_HASH), original);
        let mut moved = record();
        moved.target_id = None;
        moved.subject_id = None;
        assert_ne!(moved.chain_hash(GENESIS_HASH), original);
        assert_ne!(
            record().chain_hash(&original),
            original,
            "the predecessor is covered"
        );
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let mut a = record();
        a.action = "ab".into();
        a.target_type = "c".into();
        let mut b = record();
        b.action = "a".into();
        b.target_type = "bc".into();
        assert_ne!(a.chain_hash(GENESIS_HASH), b.chain_hash(GENESIS_HASH));
    }
}
