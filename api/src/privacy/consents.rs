//! Consents per person and purpose: given or withdrawn in one call, history kept, and a
//! withdrawal stops the processing that rested on it at once.

use chrono::{DateTime, Utc};
use diesel::Connection;
use domain::FieldCode;
use domain::audit::{AuditAction, Touched};
use domain::person::{age_on, consents_through_guardian};
use persistence::consents::{self as store, Consent, NewConsent};
use persistence::messages::Channel;
use persistence::{AnyConnection, customers, uniikkilista};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::policy;
use crate::auth::{Caller, Principal};
use crate::plumbing::db;
use crate::plumbing::error::{ApiError, FieldError};
use crate::plumbing::state::AppState;

/// What a consent is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// UniikkiLista notices by email.
    UniikkilistaEmail,
    /// UniikkiLista notices by SMS.
    UniikkilistaSms,
    /// Being asked for feedback.
    FeedbackSurveys,
}

impl ConsentPurpose {
    pub const ALL: [Self; 3] = [
        Self::UniikkilistaEmail,
        Self::UniikkilistaSms,
        Self::FeedbackSurveys,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UniikkilistaEmail => "uniikkilista_email",
            Self::UniikkilistaSms => "uniikkilista_sms",
            Self::FeedbackSurveys => "feedback_surveys",
        }
    }

    fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == stored)
    }

    /// The UniikkiLista channel a consent governs.
    pub fn channel(self) -> Option<Channel> {
        match self {
            Self::UniikkilistaEmail => Some(Channel::Email),
            Self::UniikkilistaSms => Some(Channel::Sms),
            Self::FeedbackSurveys => None,
        }
    }
}

/// How staff received a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentSource {
    /// A signed paper or a letter.
    StaffWrittenRequest,
    /// A web form outside this API.
    WebForm,
}

pub use domain::person::GivenBy;

/// How a recorded consent came in: the person through their own login (`self`), or as staff
/// recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentOrigin {
    #[serde(rename = "self")]
    Person,
    StaffWrittenRequest,
    WebForm,
}

impl ConsentOrigin {
    fn parse(stored: &str) -> Option<Self> {
        match stored {
            "self" => Some(Self::Person),
            "staff_written_request" => Some(Self::StaffWrittenRequest),
            "web_form" => Some(Self::WebForm),
            _ => None,
        }
    }
}

/// Giving (`granted: true`) or withdrawing (`false`) one consent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"granted": false, "privacy_notice_version": "2026-11-25"}))]
pub struct ConsentChange {
    pub granted: bool,
    /// The privacy notice edition shown (see `GET /api/v1/privacy-notice`).
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50, message = "must be 1 to 50 characters"))]
    pub privacy_notice_version: String,
}

/// A consent recorded by staff, with how it was received.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"granted": true, "privacy_notice_version": "2026-11-25",
    "source": "staff_written_request", "given_by": "guardian"}))]
pub struct StaffConsentChange {
    pub granted: bool,
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50, message = "must be 1 to 50 characters"))]
    pub privacy_notice_version: String,
    pub source: ConsentSource,
    pub given_by: GivenBy,
}

/// One entry of the history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentRecord {
    pub purpose: ConsentPurpose,
    pub granted: bool,
    pub source: ConsentOrigin,
    pub given_by: GivenBy,
    #[schema(max_length = 50)]
    pub privacy_notice_version: String,
    pub recorded_by: Option<Uuid>,
    pub at: DateTime<Utc>,
}

impl TryFrom<Consent> for ConsentRecord {
    type Error = ApiError;
    fn try_from(r: Consent) -> Result<Self, ApiError> {
        let unreadable = |column: &str| ApiError::from(persistence::DbError::corrupt(column));
        Ok(Self {
            purpose: ConsentPurpose::parse(&r.purpose)
                .ok_or_else(|| unreadable("consents.purpose"))?,
            granted: r.granted,
            source: ConsentOrigin::parse(&r.source).ok_or_else(|| unreadable("consents.source"))?,
            given_by: GivenBy::parse(&r.given_by).ok_or_else(|| unreadable("consents.given_by"))?,
            privacy_notice_version: r.privacy_notice_version,
            recorded_by: r.recorded_by,
            at: r.created_at,
        })
    }
}

/// Where a purpose stands now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentState {
    pub purpose: ConsentPurpose,
    /// `null` when never asked.
    pub granted: Option<bool>,
    pub since: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Consents {
    #[schema(max_items = 100)]
    pub current: Vec<ConsentState>,
    /// The newest changes (at most 200), oldest first; records are never overwritten. The
    /// complete history is in the export (`data.consents`).
    #[schema(max_items = 200)]
    pub history: Vec<ConsentRecord>,
}

/// How many of the newest records `history` shows.
const HISTORY_SHOWN: i64 = 200;

/// Where each purpose stands and the newest changes, read in `conn`'s snapshot.
fn read(conn: &mut AnyConnection, customer_id: Uuid) -> Result<Consents, ApiError> {
    let mut current = Vec::with_capacity(ConsentPurpose::ALL.len());
    for purpose in ConsentPurpose::ALL {
        let latest = store::latest(conn, customer_id, purpose.as_str())?;
        current.push(ConsentState {
            purpose,
            granted: latest.as_ref().map(|r| r.granted),
            since: latest.map(|r| r.created_at),
        });
    }
    Ok(Consents {
        current,
        history: store::recent(conn, customer_id, HISTORY_SHOWN)?
            .into_iter()
            .map(ConsentRecord::try_from)
            .collect::<Result<_, _>>()?,
    })
}

/// The customer a caller may record consents for: a customer their own; staff any.
fn customer_of(
    conn: &mut AnyConnection,
    caller: &Caller,
    named: Option<Uuid>,
) -> Result<persistence::customers::Customer, ApiError> {
    let found = match (named, policy::own_account(&caller.principal)) {
        (Some(id), _) => customers::find(conn, id, customers::CustomerScope::All)?,
        (None, Some(account)) => customers::find_by_account(conn, account)?,
        (None, None) => return Err(ApiError::Forbidden),
    };
    found.ok_or(ApiError::NotFound)
}

pub async fn list(
    state: &AppState,
    caller: Caller,
    customer_id: Option<Uuid>,
) -> Result<Consents, ApiError> {
    let reader = caller.clone();
    let (subject, consents) = db::run(&state.pool, move |conn| {
        // A read transaction: the customer and their consents from one snapshot.
        conn.transaction(|conn| {
            let customer = customer_of(conn, &reader, customer_id)?;
            Ok((customer.id, read(conn, customer.id)?))
        })
    })
    .await?;
    // Staff reading someone's consents is audited; a person reading their own is not.
    if customer_id.is_some() {
        let entry = caller.audit(
            AuditAction::ConsentRead,
            Some(subject.to_string()),
            Some(subject),
        );
        state.writer.audit(entry).await?;
    }
    Ok(consents)
}

/// How a change came in and who gave it.
pub struct Provenance {
    pub source: &'static str,
    /// `None`: decided from the person's age (a customer under 13 consents through a guardian).
    pub given_by: Option<&'static str>,
}

pub async fn change(
    state: &AppState,
    caller: Caller,
    customer_id: Option<Uuid>,
    purpose: ConsentPurpose,
    granted: bool,
    version: String,
    provenance: Provenance,
) -> Result<Consents, ApiError> {
    let action = if granted {
        AuditAction::ConsentGive
    } else {
        AuditAction::ConsentWithdraw
    };
    let entry = caller.entry(action);
    state.writer.write_audited(entry, move |conn, now| {
        let customer = customer_of(conn, &caller, customer_id)?;
        let customer = crate::customers::service::for_write(conn, customer.id)?;
        if !store::notice_exists(conn, &version)? {
            return Err(ApiError::Validation(vec![FieldError::new(
                "privacy_notice_version",
                FieldCode::UnknownVersion,
                "is not an edition of the privacy notice (see GET /api/v1/privacy-notice/versions)",
            )]));
        }
        let through_guardian = customer
            .profile
            .birth_date
            .is_some_and(|b| consents_through_guardian(age_on(b, now.date_naive())));
        let given_by = provenance.given_by.unwrap_or(if through_guardian { "guardian" } else { "self" });
        let recorded_by = match (&caller.principal, provenance.source) {
            (Principal::Account { id, .. }, source) if source != "self" => Some(*id),
            _ => None,
        };
        let new = NewConsent {
            customer_id: customer.id,
            purpose: purpose.as_str(),
            granted,
            source: provenance.source,
            given_by,
            privacy_notice_version: &version,
            recorded_by,
        };
        store::record(conn, &new, now)?;
        if let (false, Some(channel)) = (granted, purpose.channel()) {
            uniikkilista::withdraw_for_customer(conn, customer.id, channel, now)?;
        }
        let touched = Touched::thing(purpose.as_str(), Some(customer.id));
        Ok((read(conn, customer.id)?, touched))
    })
    .await
}
