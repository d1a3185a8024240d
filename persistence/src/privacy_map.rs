//! The personal-data map: every table and column of the register, what it holds about people,
//! why, on what legal basis, from where, and for how long. Export, erasure, retention and the
//! records of processing read it; a test fails when the live schema has a column it does not
//! classify, so no future table can escape the data-subject rights.

/// What kind of information a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Names, birth date: who the person is.
    Identity,
    /// Email, phone, postal address.
    Contact,
    /// Login name, role, account state.
    Account,
    /// Logins, client addresses, user agents: identification and usage data.
    Usage,
    /// What the customer relationship consists of (source, links).
    Relationship,
    /// Answers to intake and feedback surveys.
    Survey,
    /// Lesson times booked and lessons held (attendance).
    Teaching,
    /// Consents given or withdrawn, the notice version shown.
    Consent,
    /// Messages sent to the person.
    Communication,
    /// Secrets (hashes of passwords, tokens, keys): about a person, never exported.
    Secret,
    /// Ids, timestamps of records, technical state: not personal data in itself.
    NotPersonal,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Contact => "contact",
            Self::Account => "account",
            Self::Usage => "usage",
            Self::Relationship => "relationship",
            Self::Survey => "survey",
            Self::Teaching => "teaching",
            Self::Consent => "consent",
            Self::Communication => "communication",
            Self::Secret => "secret",
            Self::NotPersonal => "not_personal",
        }
    }
}

/// Why processing is lawful (GDPR Art. 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalBasis {
    Consent,
    Contract,
    LegalObligation,
}

impl LegalBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Consent => "consent",
            Self::Contract => "contract",
            Self::LegalObligation => "legal_obligation",
        }
    }
}

/// How a table's rows are found for one person. A row belongs to the person when any link
/// matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The column holds the person's customer id.
    Customer(&'static str),
    /// The column holds the id of the person's login account.
    Account(&'static str),
    /// The column holds the id of a UniikkiLista subscription linked to the person's customer
    /// record (linking is an explicit, audited act).
    Subscription(&'static str),
    /// The column holds the id of one of the person's bookings.
    Booking(&'static str),
}

/// One table: the processing it serves and what each column holds.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub purpose: &'static str,
    pub basis: LegalBasis,
    pub source: &'static str,
    pub retention: &'static str,
    /// How to find one person's rows; empty when the table holds nobody's data directly.
    pub links: &'static [Link],
    pub columns: &'static [(&'static str, Category)],
    /// Columns stored as booleans (SQLite keeps them as 0/1), so exports read the same.
    pub booleans: &'static [&'static str],
}

impl Table {
    /// Whether any column holds personal data.
    pub fn is_personal(&self) -> bool {
        self.columns
            .iter()
            .any(|(_, c)| *c != Category::NotPersonal)
    }

    /// The columns an export shows: everything but secrets.
    pub fn exported_columns(&self) -> impl Iterator<Item = &'static str> {
        self.columns
            .iter()
            .filter(|(_, c)| *c != Category::Secret)
            .map(|(name, _)| *name)
    }
}

use Category::*;

const CUSTOMER_SERVICE: &str = "customer service and maintaining the customer relationship";
const WHILE_CUSTOMER: &str = "while the customer relationship lasts, then erased after the inactivity period (default 3 years)";

/// The map. Every table of both migration sets appears here.
pub const TABLES: &[Table] = &[
    Table {
        name: "customers",
        purpose: CUSTOMER_SERVICE,
        basis: LegalBasis::Contract,
        source: "the person, their guardian, staff, the booking calendar or the webshop",
        retention: WHILE_CUSTOMER,
        links: &[Link::Customer("id")],
        columns: &[
            ("id", NotPersonal),
            ("first_name", Identity),
            ("last_name", Identity),
            ("first_name_key", Identity),
            ("last_name_key", Identity),
            ("email", Contact),
            ("phone", Contact),
            ("street", Contact),
            ("postal_code", Contact),
            ("city", Contact),
            ("country", Contact),
            ("birth_date", Identity),
            ("language", Identity),
            ("guardian_name", Identity),
            ("guardian_email", Contact),
            ("guardian_phone", Contact),
            ("source", Relationship),
            ("account_id", Relationship),
            ("created_at", Relationship),
            ("updated_at", NotPersonal),
            ("version", NotPersonal),
            ("restricted_at", Consent),
            ("restriction_reason", Consent),
            ("erased_at", NotPersonal),
        ],
        booleans: &[],
    },
    Table {
        name: "accounts",
        purpose: "identifying people who log in and controlling what they may do",
        basis: LegalBasis::Contract,
        source: "staff (who create accounts) and the person (who sets the password)",
        retention: "while the account is needed; customer accounts are erased with the customer",
        links: &[Link::Account("id")],
        columns: &[
            ("id", NotPersonal),
            ("email", Account),
            ("display_name", Identity),
            ("role", Account),
            ("password_hash", Secret),
            ("password_is_one_time", Account),
            ("password_expires_at", Account),
            ("active", Account),
            ("last_login_at", Usage),
            ("created_at", Account),
            ("updated_at", NotPersonal),
            ("version", NotPersonal),
        ],
        booleans: &["password_is_one_time", "active"],
    },
    Table {
        name: "refresh_tokens",
        purpose: "keeping people logged in securely",
        basis: LegalBasis::Contract,
        source: "the login service",
        retention: "until the session expires (30 days) or ends",
        links: &[Link::Account("account_id")],
        columns: &[
            ("id", NotPersonal),
            ("family_id", Usage),
            ("account_id", Usage),
            ("token_hash", Secret),
            ("password_change_only", Usage),
            ("created_at", Usage),
            ("expires_at", Usage),
            ("used_at", Usage),
            ("revoked_at", Usage),
        ],
        booleans: &["password_change_only"],
    },
    Table {
        name: "login_events",
        purpose: "monitoring misuse and showing the person their own logins",
        basis: LegalBasis::Contract,
        source: "the login service",
        retention: "12 months",
        links: &[Link::Account("account_id")],
        columns: &[
            ("id", NotPersonal),
            ("account_id", Usage),
            ("login_name_hash", Secret),
            ("occurred_at", Usage),
            ("outcome", Usage),
            ("client_ip", Usage),
            ("user_agent", Usage),
        ],
        booleans: &[],
    },
    Table {
        name: "messages",
        purpose: "sending the messages the person asked for or needs (notices, confirmations)",
        basis: LegalBasis::Consent,
        source: "generated by the register",
        retention: "12 months after delivery",
        links: &[
            Link::Customer("customer_id"),
            Link::Subscription("subscription_id"),
        ],
        columns: &[
            ("id", NotPersonal),
            ("channel", Communication),
            ("recipient", Contact),
            ("customer_id", Relationship),
            ("purpose", Communication),
            ("language", Communication),
            ("subject", Communication),
            ("body", Communication),
            ("unsubscribe_url", Secret),
            ("status", Communication),
            ("attempts", NotPersonal),
            ("next_attempt_at", NotPersonal),
            ("locked_until", NotPersonal),
            ("last_error", NotPersonal),
            ("created_at", Communication),
            ("sent_at", Communication),
            ("subscription_id", Relationship),
            ("calendar", Communication),
        ],
        booleans: &[],
    },
    Table {
        name: "uniikkilista_subscriptions",
        purpose: "notifying of cancellation slots and upcoming enrolments (UniikkiLista)",
        basis: LegalBasis::Consent,
        source: "the person or their guardian, on the sign-up form",
        retention: "until withdrawn; unconfirmed sign-ups 7 days",
        links: &[Link::Customer("customer_id")],
        columns: &[
            ("id", NotPersonal),
            ("name", Identity),
            ("guardian_name", Identity),
            ("age", Identity),
            ("email", Contact),
            ("phone", Contact),
            ("language", Identity),
            ("wants_email", Consent),
            ("wants_sms", Consent),
            ("email_confirmed_at", Consent),
            ("sms_confirmed_at", Consent),
            ("email_unsubscribed_at", Consent),
            ("sms_unsubscribed_at", Consent),
            ("topic_cancellation_slots", Consent),
            ("topic_upcoming_enrolments", Consent),
            ("privacy_notice_version", Consent),
            ("consent_given_by", Consent),
            ("customer_id", Relationship),
            ("created_at", Consent),
            ("updated_at", NotPersonal),
        ],
        booleans: &[
            "wants_email",
            "wants_sms",
            "topic_cancellation_slots",
            "topic_upcoming_enrolments",
        ],
    },
    Table {
        name: "uniikkilista_tokens",
        purpose: "confirming and withdrawing UniikkiLista consent",
        basis: LegalBasis::Consent,
        source: "generated by the register",
        retention: "with the subscription",
        links: &[],
        columns: &[
            ("token_hash", Secret),
            ("subscription_id", NotPersonal),
            ("purpose", NotPersonal),
            ("channel", NotPersonal),
            ("expires_at", NotPersonal),
            ("used_at", NotPersonal),
            ("created_at", NotPersonal),
        ],
        booleans: &[],
    },
    Table {
        name: "survey_responses",
        purpose: "planning teaching and developing services (intake and feedback surveys)",
        basis: LegalBasis::Contract,
        source: "the person, or staff on their behalf",
        retention: WHILE_CUSTOMER,
        links: &[Link::Customer("customer_id")],
        columns: &[
            ("id", NotPersonal),
            ("survey_id", Survey),
            ("version", Survey),
            ("customer_id", Relationship),
            ("answers", Survey),
            ("submitted_by", Survey),
            ("created_at", Survey),
        ],
        booleans: &[],
    },
    Table {
        name: "lessons",
        purpose: "the teaching calendar: lesson times, rooms and places",
        basis: LegalBasis::Contract,
        source: "staff",
        retention: "kept as the school's calendar; a lesson names its teacher, not its students",
        links: &[],
        columns: &[
            ("id", NotPersonal),
            ("teacher_id", Usage),
            ("starts_at", NotPersonal),
            ("ends_at", NotPersonal),
            ("location_kind", NotPersonal),
            ("room", NotPersonal),
            ("room_key", NotPersonal),
            ("online_url", NotPersonal),
            ("kind", NotPersonal),
            ("capacity", NotPersonal),
            ("price_cents", NotPersonal),
            ("status", NotPersonal),
            ("booked", NotPersonal),
            ("version", NotPersonal),
            ("created_by", Usage),
            ("created_at", NotPersonal),
            ("updated_at", NotPersonal),
            ("cancelled_at", NotPersonal),
        ],
        booleans: &[],
    },
    Table {
        name: "bookings",
        purpose: "single-lesson bookings: lesson times and lessons held",
        basis: LegalBasis::Contract,
        source: "the person through the online calendar or their login, or staff",
        retention: WHILE_CUSTOMER,
        links: &[Link::Customer("customer_id")],
        columns: &[
            ("id", NotPersonal),
            ("lesson_id", Teaching),
            ("customer_id", Relationship),
            ("starts_at", Teaching),
            ("ends_at", Teaching),
            ("status", Teaching),
            ("late_cancellation", Teaching),
            ("source", Relationship),
            ("created_by_kind", NotPersonal),
            ("created_by", Usage),
            ("version", NotPersonal),
            ("created_at", Teaching),
            ("updated_at", NotPersonal),
            ("reminded_at", Communication),
        ],
        booleans: &["late_cancellation"],
    },
    Table {
        name: "calendar_feeds",
        purpose: "a teacher's lessons or a customer's bookings in their own calendar application",
        basis: LegalBasis::Contract,
        source: "created by the person (or an administrator) on request",
        retention: "until the owner revokes it; a customer's feeds go with the customer",
        links: &[Link::Customer("customer_id"), Link::Account("teacher_id")],
        columns: &[
            ("id", NotPersonal),
            // A teacher's own feed: staff, never a customer's row.
            ("teacher_id", NotPersonal),
            ("customer_id", Relationship),
            ("token_hash", Secret),
            ("created_by", Usage),
            ("created_at", Relationship),
            ("token_made_at", Relationship),
        ],
        booleans: &[],
    },
    Table {
        name: "booking_events",
        purpose: "the history of each booking: booked, moved, cancelled, attended",
        basis: LegalBasis::Contract,
        source: "the person, staff, or the online calendar",
        retention: WHILE_CUSTOMER,
        links: &[Link::Booking("booking_id")],
        columns: &[
            ("id", NotPersonal),
            ("booking_id", Relationship),
            ("event", Teaching),
            ("lesson_id", Teaching),
            ("late", Teaching),
            ("actor_kind", NotPersonal),
            ("actor_id", Usage),
            ("occurred_at", Teaching),
        ],
        booleans: &["late"],
    },
    Table {
        name: "audit_events",
        purpose: "showing who touched whose data, and detecting misuse",
        basis: LegalBasis::LegalObligation,
        source: "generated by the register",
        retention: "kept (ids only) as the record of processing",
        links: &[],
        columns: &[
            ("seq", NotPersonal),
            ("id", NotPersonal),
            ("occurred_at", Usage),
            ("actor_kind", NotPersonal),
            ("actor_id", Usage),
            ("action", Usage),
            ("target_type", NotPersonal),
            ("target_id", NotPersonal),
            ("subject_id", Usage),
            ("request_id", NotPersonal),
            ("client_ip", Usage),
            ("prev_hash", NotPersonal),
            ("hash", NotPersonal),
        ],
        booleans: &[],
    },
    Table {
        name: "integrations",
        purpose: "authenticating the booking calendar and the webshop",
        basis: LegalBasis::Contract,
        source: "staff",
        retention: "while the integration is in use",
        links: &[],
        columns: &[
            ("id", NotPersonal),
            ("name", NotPersonal),
            ("kind", NotPersonal),
            ("scopes", NotPersonal),
            ("processor_company", NotPersonal),
            ("processor_country", NotPersonal),
            ("processor_in_eea", NotPersonal),
            ("key_prefix", NotPersonal),
            ("key_hash", Secret),
            ("webhook_secret", Secret),
            ("created_by", Usage),
            ("created_at", NotPersonal),
            ("last_used_at", NotPersonal),
            ("revoked_at", NotPersonal),
            ("previous_webhook_secret", Secret),
            ("previous_secret_until", NotPersonal),
        ],
        booleans: &["processor_in_eea"],
    },
    Table {
        name: "webhook_inbox",
        purpose: "receiving bookings from the online calendar (signed webhooks), each once",
        basis: LegalBasis::Contract,
        source: "the online calendar, on the person's booking",
        retention: "30 days after receipt",
        links: &[Link::Customer("customer_id")],
        columns: &[
            ("id", NotPersonal),
            ("integration_id", NotPersonal),
            ("webhook_id", NotPersonal),
            ("event_type", Relationship),
            ("changed_at", Relationship),
            ("received_at", Relationship),
            ("payload", Contact),
            ("outcome", NotPersonal),
            ("detail", NotPersonal),
            ("customer_id", Relationship),
        ],
        booleans: &[],
    },
    Table {
        name: "external_bookings",
        purpose: "matching the online calendar's bookings to ours, in the order they changed",
        basis: LegalBasis::Contract,
        source: "the online calendar",
        retention: WHILE_CUSTOMER,
        links: &[Link::Booking("booking_id")],
        columns: &[
            ("integration_id", NotPersonal),
            ("external_id", NotPersonal),
            ("booking_id", Relationship),
            ("state", Teaching),
            ("changed_at", Teaching),
        ],
        booleans: &[],
    },
    Table {
        name: "idempotency_keys",
        purpose: "answering a repeated request the same way",
        basis: LegalBasis::Contract,
        source: "API clients",
        retention: "24 hours",
        links: &[],
        columns: &[
            ("principal", Usage),
            ("idempotency_key", NotPersonal),
            ("request_method", NotPersonal),
            ("request_path", NotPersonal),
            ("request_fingerprint", NotPersonal),
            ("response_status", NotPersonal),
            ("response_headers", NotPersonal),
            ("response_body", Communication),
            ("created_at", NotPersonal),
            ("expires_at", NotPersonal),
        ],
        booleans: &[],
    },
    Table {
        name: "consents",
        purpose: "recording consents and their withdrawal, as the law requires us to prove them",
        basis: LegalBasis::LegalObligation,
        source: "the person or their guardian; staff for consents given on paper",
        retention: "while the customer relationship lasts (the history proves what was agreed)",
        links: &[Link::Customer("customer_id")],
        columns: &[
            ("id", NotPersonal),
            ("customer_id", Relationship),
            ("purpose", Consent),
            ("granted", Consent),
            ("source", Consent),
            ("given_by", Consent),
            ("privacy_notice_version", Consent),
            ("recorded_by", Consent),
            ("created_at", Consent),
        ],
        booleans: &["granted"],
    },
    Table {
        name: "privacy_requests",
        purpose: "answering data-subject requests within the legal deadline",
        basis: LegalBasis::LegalObligation,
        source: "the person, or staff for requests made on paper or in person",
        retention: "while the customer relationship lasts",
        links: &[Link::Customer("customer_id")],
        columns: &[
            ("id", NotPersonal),
            ("customer_id", Relationship),
            ("kind", Consent),
            ("status", Consent),
            ("description", Consent),
            ("filed_by", Consent),
            ("identity_verification", Consent),
            ("received_at", Consent),
            ("due_on", Consent),
            ("extension_reason", Consent),
            ("resolution", Consent),
            ("recorded_by", Consent),
            ("updated_at", NotPersonal),
            ("version", NotPersonal),
        ],
        booleans: &[],
    },
    Table {
        name: "privacy_notice_versions",
        purpose: "keeping every edition of the privacy notice",
        basis: LegalBasis::LegalObligation,
        source: "the register",
        retention: "kept",
        links: &[],
        columns: &[
            ("version", NotPersonal),
            ("published_at", NotPersonal),
            ("content", NotPersonal),
        ],
        booleans: &[],
    },
    Table {
        name: "audit_pending",
        purpose: "audit entries of committed changes, until they are chained into audit_events",
        basis: LegalBasis::LegalObligation,
        source: "generated by the register",
        retention: "until chained (moments; at the next start after a crash)",
        links: &[],
        columns: &[
            ("id", NotPersonal),
            ("entry_id", NotPersonal),
            ("occurred_at", Usage),
            ("actor_kind", NotPersonal),
            ("actor_id", Usage),
            ("action", Usage),
            ("target_type", NotPersonal),
            ("target_id", NotPersonal),
            ("subject_id", Usage),
            ("request_id", NotPersonal),
            ("client_ip", Usage),
        ],
        booleans: &[],
    },
    Table {
        name: "audit_chain_head",
        purpose: "keeping the audit log tamper-evident",
        basis: LegalBasis::LegalObligation,
        source: "generated by the register",
        retention: "kept",
        links: &[],
        columns: &[
            ("id", NotPersonal),
            ("seq", NotPersonal),
            ("hash", NotPersonal),
        ],
        booleans: &[],
    },
    Table {
        name: "surveys",
        purpose: "survey forms",
        basis: LegalBasis::Contract,
        source: "staff",
        retention: "kept",
        links: &[],
        columns: &[
            ("id", NotPersonal),
            ("kind", NotPersonal),
            ("title", NotPersonal),
            ("current_version", NotPersonal),
            ("created_at", NotPersonal),
            ("updated_at", NotPersonal),
        ],
        booleans: &[],
    },
    Table {
        name: "survey_versions",
        purpose: "survey forms",
        basis: LegalBasis::Contract,
        source: "staff",
        retention: "kept",
        links: &[],
        columns: &[
            ("survey_id", NotPersonal),
            ("version", NotPersonal),
            ("questions", NotPersonal),
            ("created_at", NotPersonal),
        ],
        booleans: &[],
    },
];

/// Tables that belong to the tooling, not to the register.
pub const TOOLING_TABLES: &[&str] = &["__diesel_schema_migrations"];

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}
