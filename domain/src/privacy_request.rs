//! Privacy requests: what a person asks of the register, when it is due, and how it moves.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// What the person asks for (GDPR Art. 15–21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Access,
    Rectification,
    Erasure,
    Restriction,
    Objection,
    Portability,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Rectification => "rectification",
            Self::Erasure => "erasure",
            Self::Restriction => "restriction",
            Self::Objection => "objection",
            Self::Portability => "portability",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Access,
            Self::Rectification,
            Self::Erasure,
            Self::Restriction,
            Self::Objection,
            Self::Portability,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Received,
    InProgress,
    Completed,
    Rejected,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Received,
            Self::InProgress,
            Self::Completed,
            Self::Rejected,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Received | Self::InProgress)
    }
}

/// Who filed a request: the person through their own login, or staff for them (a letter, a
/// visit), with the identity check written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FiledBy {
    #[serde(rename = "self")]
    Person,
    Staff,
}

impl FiledBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "self",
            Self::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Person, Self::Staff]
            .into_iter()
            .find(|f| f.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("cannot go from {0} to {1}")]
    Transition(&'static str, &'static str),
    #[error("a rejection needs a reason")]
    ReasonRequired,
    #[error("the deadline can be extended by at most two months in all")]
    ExtensionTooLong,
    #[error("an extension needs a reason")]
    ExtensionReasonRequired,
}

/// One calendar month after receipt; a day that month lacks becomes its last day
/// (31 January → 28 or 29 February).
pub fn due_date(received: NaiveDate) -> NaiveDate {
    received
        .checked_add_months(Months::new(1))
        .expect("dates stay in range")
}

/// The deadline after extending by `months` more (Art. 12(3): at most two months in all).
pub fn extended_due_date(received: NaiveDate, months: u32) -> Result<NaiveDate, RequestError> {
    if !(1..=2).contains(&months) {
        return Err(RequestError::ExtensionTooLong);
    }
    Ok(received
        .checked_add_months(Months::new(1 + months))
        .expect("dates stay in range"))
}

/// Checks a status change: received → in progress → completed, or rejected (with a reason)
/// from either open state.
pub fn transition(
    from: RequestStatus,
    to: RequestStatus,
    reason: Option<&str>,
) -> Result<(), RequestError> {
    use RequestStatus::*;
    match (from, to) {
        (Received, InProgress) | (InProgress, Completed) => Ok(()),
        (Received | InProgress, Rejected) => match reason.map(str::trim) {
            Some(r) if !r.is_empty() => Ok(()),
            _ => Err(RequestError::ReasonRequired),
        },
        _ => Err(RequestError::Transition(from.as_str(), to.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn due_in_one_calendar_month_clamped_to_month_end() {
        assert_eq!(due_date(date(2026, 1, 31)), date(2026, 2, 28));
        assert_eq!(due_date(date(2028, 1, 31)), date(2028, 2, 29));
        assert_eq!(due_date(date(2026, 11, 25)), date(2026, 12, 25));
        assert_eq!(due_date(date(2026, 12, 31)), date(2027, 1, 31));
    }

    #[test]
    fn extensions_add_at_most_two_months() {
        assert_eq!(
            extended_due_date(date(2026, 1, 31), 2),
            Ok(date(2026, 4, 30))
        );
        assert_eq!(
            extended_due_date(date(2026, 1, 31), 3),
            Err(RequestError::ExtensionTooLong)
        );
    }

    #[test]
    fn the_status_moves_forward_only_and_rejections_need_a_reason() {
        use RequestStatus::*;
        assert!(transition(Received, InProgress, None).is_ok());
        assert!(transition(InProgress, Completed, None).is_ok());
        assert_eq!(
            transition(Received, Rejected, Some(" ")),
            Err(RequestError::ReasonRequired)
        );
        assert!(transition(Received, Rejected, Some("identity not verified")).is_ok());
        assert!(transition(Completed, InProgress, None).is_err());
        assert!(transition(Received, Completed, None).is_err());
    }
}
