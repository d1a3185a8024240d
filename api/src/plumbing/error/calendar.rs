//! Why the calendar refused a change, each with a problem type of its own so that a client can
//! tell "full" from "too late" without reading prose.

use uuid::Uuid;

use super::ProblemType;

/// A booking or lesson change the calendar's state does not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarRefusal {
    /// No free place is left.
    Full,
    /// The lesson is cancelled or has started.
    Unavailable,
    /// Another lesson or booking is in the way; `what` says whose (never who).
    Overlap {
        what: &'static str,
        existing_id: Uuid,
    },
    /// The customer's own cancellation or move came after the cut-off.
    CutOffPassed { hours: u32 },
}

impl CalendarRefusal {
    pub(super) fn kind(&self) -> ProblemType {
        match self {
            Self::Full => ProblemType::LessonFull,
            Self::Unavailable => ProblemType::LessonUnavailable,
            Self::Overlap { .. } => ProblemType::TimeOverlap,
            Self::CutOffPassed { .. } => ProblemType::CutOffPassed,
        }
    }

    pub(super) fn detail(&self) -> String {
        match self {
            Self::Full => "every place on the lesson is taken".to_owned(),
            Self::Unavailable => "the lesson is cancelled or has started".to_owned(),
            Self::Overlap { what, .. } => format!("the time overlaps {what}"),
            Self::CutOffPassed { hours } => format!(
                "bookings can be cancelled or moved online until {hours} hours before the lesson; contact the school"
            ),
        }
    }
}
