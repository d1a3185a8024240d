//! The audit log's tamper evidence: every entry's hash covers its content and the previous
//! entry's hash, so editing, removing or reordering an entry breaks every later link.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The hash the chain starts from.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
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

macro_rules! audit_actions {
    ($($variant:ident => $name:literal on $target:literal $(, read for $purpose:literal)?;)*) => {
        /// What an audit entry records. The name is what the database keeps and the chain's
        /// hashes cover: never rename one; add a new action instead.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($variant,)*
        }

        impl AuditAction {
            /// Every action, for tests and listings.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The stored name, e.g. `customer.read`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// The kind of thing the entry's `target_id` names.
            pub fn target_type(self) -> &'static str {
                match self {
                    $(Self::$variant => $target,)*
                }
            }

            /// For reads of someone's personal data: what the read is for, as a person's
            /// export tells them (`None` for changes and other actions).
            pub fn read_purpose(self) -> Option<&'static str> {
                match self {
                    $($(Self::$variant => Some($purpose),)?)*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// The action a stored name stands for.
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|action| action.as_str() == name)
            }
        }
    };
}

audit_actions! {
    AuthLogin => "auth.login" on "account";
    AuthLogout => "auth.logout" on "session";
    AuthPasswordChange => "auth.password_change" on "account";
    AuthRefreshTokenReused => "auth.refresh_token_reused" on "session";
    StaffBootstrapAdmin => "staff.bootstrap_admin" on "account";
    StaffCreate => "staff.create" on "account";
    StaffRead => "staff.read" on "account", read for "managing staff accounts";
    StaffList => "staff.list" on "account";
    StaffUpdate => "staff.update" on "account";
    StaffOneTimePassword => "staff.one_time_password" on "account";
    IntegrationCreate => "integration.create" on "integration";
    IntegrationRevoke => "integration.revoke" on "integration";
    CustomerCreate => "customer.create" on "customer";
    CustomerRead => "customer.read" on "customer", read for "customer service";
    CustomerList => "customer.list" on "customer", read for "customer service";
    CustomerUpdate => "customer.update" on "customer";
    CustomerOneTimePassword => "customer.one_time_password" on "customer";
    CustomerRectify => "customer.rectify" on "customer";
    CustomerRestrict => "customer.restrict" on "customer";
    CustomerLiftRestriction => "customer.lift_restriction" on "customer";
    CustomerExport => "customer.export" on "customer",
        read for "answering an access or portability request";
    CustomerErasePreview => "customer.erase_preview" on "customer";
    CustomerErase => "customer.erase" on "customer";
    CustomerSurveyResponsesRead => "customer.survey_responses.read" on "customer",
        read for "planning teaching from survey answers";
    ConsentRead => "consent.read" on "customer";
    ConsentGive => "consent.give" on "consent";
    ConsentWithdraw => "consent.withdraw" on "consent";
    UniikkilistaSubscribe => "uniikkilista.subscribe" on "uniikkilista_subscription";
    UniikkilistaConfirm => "uniikkilista.confirm" on "uniikkilista_subscription";
    UniikkilistaUnsubscribe => "uniikkilista.unsubscribe" on "uniikkilista_subscription";
    UniikkilistaList => "uniikkilista.list" on "uniikkilista_subscription";
    UniikkilistaLinkCustomer => "uniikkilista.link_customer" on "uniikkilista_subscription";
    UniikkilistaNotice => "uniikkilista.notice" on "uniikkilista_notice";
    SurveyCreate => "survey.create" on "survey";
    SurveyNewVersion => "survey.new_version" on "survey";
    SurveyRespond => "survey.respond" on "survey_response";
    PrivacyRequestReceive => "privacy_request.receive" on "privacy_request";
    PrivacyRequestList => "privacy_request.list" on "privacy_request";
    PrivacyRequestRead => "privacy_request.read" on "privacy_request";
    PrivacyRequestStart => "privacy_request.start" on "privacy_request";
    PrivacyRequestExtend => "privacy_request.extend" on "privacy_request";
    PrivacyRequestReject => "privacy_request.reject" on "privacy_request";
    PrivacyRequestComplete => "privacy_request.complete" on "privacy_request";
    LessonCreate => "lesson.create" on "lesson";
    LessonCancel => "lesson.cancel" on "lesson";
    BookingCreate => "booking.create" on "booking";
    BookingRead => "booking.read" on "booking", read for "customer service";
    BookingCancel => "booking.cancel" on "booking";
    BookingReschedule => "booking.reschedule" on "booking";
    BookingAttendance => "booking.attendance" on "booking";
    CustomerBookingsRead => "customer.bookings.read" on "customer",
        read for "customer service and teaching";
    CalendarFeedCreate => "calendar_feed.create" on "calendar_feed";
    CalendarFeedRotate => "calendar_feed.rotate" on "calendar_feed";
    CalendarFeedRevoke => "calendar_feed.revoke" on "calendar_feed";
    WebhookReceive => "webhook.receive" on "webhook_delivery";
    IntegrationRotateWebhookSecret => "integration.rotate_webhook_secret" on "integration";
    RetentionRun => "retention.run" on "retention";
    AuditEventsList => "audit_events.list" on "audit_event", read for "monitoring misuse";
}

/// A new audit entry: who did what to which thing about whom, and from where. IDs only, never
/// names or contact details. The sequence number, id, time and hashes are given when it is
/// recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor_kind: ActorKind,
    pub actor_id: Option<Uuid>,
    pub action: AuditAction,
    pub target_id: Option<String>,
    pub subject_id: Option<Uuid>,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
}

/// What a change touched, for its audit entry: the thing acted on and the person whose data it
/// is (if anyone's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    pub target_id: Option<String>,
    pub subject_id: Option<Uuid>,
}

impl Touched {
    /// A person's own record (a customer, an account): target and subject are the same id.
    pub fn person(id: Uuid) -> Self {
        Self {
            target_id: Some(id.to_string()),
            subject_id: Some(id),
        }
    }

    /// Nothing in particular (a notice to every subscriber).
    pub fn nothing() -> Self {
        Self {
            target_id: None,
            subject_id: None,
        }
    }

    /// Another thing (`id`), about `subject` if it is someone's data.
    #[allow(clippy::needless_pass_by_value)] // ids are small `Copy` values or `&str`
    pub fn thing(id: impl ToString, subject: Option<Uuid>) -> Self {
        Self {
            target_id: Some(id.to_string()),
            subject_id: subject,
        }
    }
}

impl AuditEntry {
    /// This entry, naming what was touched.
    pub fn about(self, touched: Touched) -> Self {
        Self {
            target_id: touched.target_id,
            subject_id: touched.subject_id,
            ..self
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
    fn action_names_are_unique_dotted_and_parse_back() {
        let mut names = std::collections::HashSet::new();
        for action in AuditAction::ALL {
            let name = action.as_str();
            assert!(names.insert(name), "{name} twice");
            assert!(
                name.contains('.')
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'),
                "{name}"
            );
            assert_eq!(AuditAction::parse(name), Some(*action));
            assert!(!action.target_type().is_empty());
        }
        assert_eq!(AuditAction::parse("customer.reed"), None);
        assert_eq!(
            AuditAction::CustomerRead.read_purpose(),
            Some("customer service")
        );
        assert_eq!(AuditAction::CustomerUpdate.read_purpose(), None);
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
