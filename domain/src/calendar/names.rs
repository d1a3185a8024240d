//! The calendar's closed vocabularies: each a Rust enum, its snake_case name in the API and
//! the database, and the way back from that name.

/// Declares an enum whose members have one stable name each, shared by JSON and SQL.
macro_rules! named {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The name in the API and the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }

            /// The member named `text`, as [`Self::as_str`] gives it.
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }
    };
}

named! {
    /// A private lesson has one place; a group lesson several.
    LessonKind {
        Private => "private",
        Group => "group",
    }
}

named! {
    /// A lesson is scheduled until the school cancels it.
    LessonStatus {
        Scheduled => "scheduled",
        Cancelled => "cancelled",
    }
}

named! {
    /// Where a lesson is held.
    LocationKind {
        Room => "room",
        Online => "online",
    }
}

named! {
    /// Where a booking stands. `booked` is the only live state: every other one is final.
    BookingStatus {
        /// A place is held on the lesson.
        Booked => "booked",
        /// Cancelled by the customer or on their behalf (`late_cancellation` says whether
        /// after the cut-off).
        Cancelled => "cancelled",
        /// The customer came.
        Attended => "attended",
        /// The customer did not come and did not cancel.
        NoShow => "no_show",
        /// The customer did not come, with a reason the school accepts.
        Excused => "excused",
        /// The school cancelled the lesson or this place on it.
        CancelledBySchool => "cancelled_by_school",
    }
}

named! {
    /// What a lesson's teacher or the office records for a participant.
    Attendance {
        Attended => "attended",
        NoShow => "no_show",
        Excused => "excused",
        CancelledBySchool => "cancelled_by_school",
    }
}

named! {
    /// Who made a booking: the customer themselves, staff, or the online calendar.
    BookingSource {
        Customer => "customer",
        Staff => "staff",
        Calendar => "calendar",
    }
}

named! {
    /// One step in a booking's history.
    BookingEvent {
        Booked => "booked",
        Rescheduled => "rescheduled",
        Cancelled => "cancelled",
        Attended => "attended",
        NoShow => "no_show",
        Excused => "excused",
        CancelledBySchool => "cancelled_by_school",
    }
}

impl Attendance {
    /// The booking status this record puts the booking in.
    pub fn status(self) -> BookingStatus {
        match self {
            Self::Attended => BookingStatus::Attended,
            Self::NoShow => BookingStatus::NoShow,
            Self::Excused => BookingStatus::Excused,
            Self::CancelledBySchool => BookingStatus::CancelledBySchool,
        }
    }

    /// The history event this record writes.
    pub fn event(self) -> BookingEvent {
        match self {
            Self::Attended => BookingEvent::Attended,
            Self::NoShow => BookingEvent::NoShow,
            Self::Excused => BookingEvent::Excused,
            Self::CancelledBySchool => BookingEvent::CancelledBySchool,
        }
    }
}

impl BookingStatus {
    /// Whether the booking holds a place (and may still be cancelled or moved).
    pub fn is_live(self) -> bool {
        self == Self::Booked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_and_serde_agrees() {
        for status in BookingStatus::ALL {
            assert_eq!(BookingStatus::parse(status.as_str()), Some(*status));
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status.as_str())
            );
        }
        for attendance in Attendance::ALL {
            assert_eq!(attendance.status().as_str(), attendance.as_str());
            assert_eq!(attendance.event().as_str(), attendance.as_str());
        }
        assert_eq!(LessonKind::parse("Private"), None);
    }

    #[test]
    fn only_a_booked_booking_is_live() {
        assert!(BookingStatus::Booked.is_live());
        assert!(!BookingStatus::Attended.is_live());
        assert!(!BookingStatus::Cancelled.is_live());
    }
}
