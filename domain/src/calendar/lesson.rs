//! What makes a lesson well-formed, beyond the shape the contract states.

use chrono::{DateTime, Duration, Utc};

use super::LessonKind;
use crate::FieldCode;

/// The shortest and the longest lesson the school teaches.
pub const MIN_LENGTH_MINUTES: i64 = 15;
pub const MAX_LENGTH_MINUTES: i64 = 8 * 60;

/// One rule a lesson breaks, on one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonProblem {
    pub field: &'static str,
    pub code: FieldCode,
    pub message: &'static str,
}

/// Every rule the lesson's times and size break, all at once.
pub fn check_lesson(
    kind: LessonKind,
    capacity: i32,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Vec<LessonProblem> {
    let mut problems = Vec::new();
    let length = ends_at - starts_at;
    if length < Duration::minutes(MIN_LENGTH_MINUTES)
        || length > Duration::minutes(MAX_LENGTH_MINUTES)
    {
        problems.push(LessonProblem {
            field: "ends_at",
            code: FieldCode::Range,
            message: "a lesson ends 15 minutes to 8 hours after it starts",
        });
    }
    match kind {
        LessonKind::Private if capacity != 1 => problems.push(LessonProblem {
            field: "capacity",
            code: FieldCode::Range,
            message: "a private lesson has exactly one place",
        }),
        LessonKind::Group if capacity < 2 => problems.push(LessonProblem {
            field: "capacity",
            code: FieldCode::Range,
            message: "a group lesson has at least two places",
        }),
        _ => {}
    }
    problems
}

/// The room as overlaps compare it: "Studio 1", "studio  1" and "STUDIO 1" are one room.
pub fn room_key(room: &str) -> String {
    room.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-09-01T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::minutes(minutes)
    }

    #[test]
    fn lengths_and_sizes_outside_the_school_s_are_named_field_by_field() {
        assert!(check_lesson(LessonKind::Private, 1, at(0), at(45)).is_empty());
        assert!(check_lesson(LessonKind::Group, 12, at(0), at(MAX_LENGTH_MINUTES)).is_empty());
        let fields = |p: Vec<LessonProblem>| p.iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(
            fields(check_lesson(LessonKind::Private, 2, at(0), at(10))),
            ["ends_at", "capacity"]
        );
        assert_eq!(
            fields(check_lesson(LessonKind::Group, 1, at(0), at(-30))),
            ["ends_at", "capacity"]
        );
    }

    #[test]
    fn rooms_differing_in_case_or_spacing_are_one_room() {
        assert_eq!(room_key("  Studio   1 "), "studio 1");
        assert_eq!(room_key("STUDIO 1"), room_key("studio 1"));
        assert_eq!(room_key("Sali Ä"), "sali ä");
    }
}
