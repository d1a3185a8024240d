//! iCalendar (RFC 5545) text for feeds and email attachments: the few properties calendar
//! applications need, escaped and folded as the RFC says, times in UTC.
//!
//! Calendar applications match events by `UID` and take the one with the higher `SEQUENCE`,
//! so a lesson keeps one `UID` for life and its version serves as the sequence.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Where every `UID` of ours ends, so that it is unique across the world (RFC 5545 3.8.4.7).
const UID_DOMAIN: &str = "uniikkiaani.fi";

/// The longest content line in octets, line break excluded (RFC 5545 3.1).
const LINE_OCTETS: usize = 75;

/// Whether the event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Confirmed,
    Cancelled,
}

/// One lesson as a calendar event.
#[derive(Debug, Clone)]
pub struct Event {
    /// The lesson: its `UID` stays the same through every change.
    pub lesson_id: Uuid,
    /// Raised on every change of the lesson or the booking.
    pub sequence: i64,
    /// When the information last changed.
    pub changed_at: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: String,
    /// The online lesson's link, if it is one.
    pub url: Option<String>,
    pub status: EventStatus,
}

/// A `VCALENDAR` named `name`, holding `events`. `method` is `PUBLISH` for attachments
/// (RFC 5546) and absent for subscribed feeds.
pub fn calendar(name: &str, method: Option<&str>, events: &[Event]) -> String {
    let mut out = String::with_capacity(512 + 512 * events.len());
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//UniikkiÄäni Oy//Asiakasrekisteri//FI");
    line(&mut out, "CALSCALE:GREGORIAN");
    if let Some(method) = method {
        line(&mut out, &format!("METHOD:{method}"));
    }
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    for event in events {
        write_event(&mut out, event);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn write_event(out: &mut String, event: &Event) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:lesson-{}@{UID_DOMAIN}", event.lesson_id));
    line(out, &format!("SEQUENCE:{}", event.sequence.max(0)));
    line(out, &format!("DTSTAMP:{}", utc(event.changed_at)));
    line(out, &format!("LAST-MODIFIED:{}", utc(event.changed_at)));
    line(out, &format!("DTSTART:{}", utc(event.starts_at)));
    line(out, &format!("DTEND:{}", utc(event.ends_at)));
    line(out, &format!("SUMMARY:{}", text(&event.summary)));
    line(out, &format!("LOCATION:{}", text(&event.location)));
    line(out, &format!("DESCRIPTION:{}", text(&event.description)));
    if let Some(url) = &event.url {
        line(out, &format!("URL:{}", strip_controls(url)));
    }
    let status = match event.status {
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
    };
    line(out, &format!("STATUS:{status}"));
    line(out, "TRANSP:OPAQUE");
    line(out, "END:VEVENT");
}

/// A UTC date-time, form #2 of RFC 5545 3.3.5.
fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as
/// `\n`, other control characters left out (they may not appear in a value at all).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn strip_controls(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// Appends one content line, folded after at most 75 octets without splitting a character
/// (RFC 5545 3.1), each physical line ending in CRLF.
fn line(out: &mut String, content: &str) {
    let mut used = 0;
    for c in content.chars() {
        let width = c.len_utf8();
        if used + width > LINE_OCTETS {
            out.push_str("\r\n ");
            // The leading space of a continuation line counts towards its 75 octets.
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
}

/// The `SEQUENCE` of a customer's booked lesson: both versions only grow, so their sum grows
/// with a change of either.
pub fn booking_sequence(lesson_version: i64, booking_version: i64) -> i64 {
    lesson_version.saturating_add(booking_version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event(summary: &str) -> Event {
        let at = Utc.with_ymd_and_hms(2027, 3, 28, 15, 0, 0).unwrap();
        Event {
            lesson_id: Uuid::nil(),
            sequence: 3,
            changed_at: at,
            starts_at: at,
            ends_at: at + chrono::Duration::minutes(45),
            summary: summary.to_owned(),
            location: "Luokka 2".to_owned(),
            description: String::new(),
            url: None,
            status: EventStatus::Confirmed,
        }
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let summary = "Ääni".repeat(40);
        let out = calendar("Tunnit", None, &[event(&summary)]);
        for physical in out.split("\r\n") {
            assert!(physical.len() <= LINE_OCTETS, "{physical:?}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{summary}\r\n")));
    }

    #[test]
    fn text_values_escape_the_separators_and_drop_control_characters() {
        assert_eq!(
            text("a,b;c\\d\r\ne\nf\u{0}g\u{7}"),
            "a\\,b\\;c\\\\d\\ne\\nfg"
        );
    }

    #[test]
    fn times_are_utc_and_the_uid_names_the_lesson() {
        let out = calendar("Tunnit", Some("PUBLISH"), &[event("Laulutunti")]);
        assert!(out.contains("DTSTART:20270328T150000Z\r\n"));
        assert!(out.contains("DTEND:20270328T154500Z\r\n"));
        assert!(out.contains("UID:lesson-00000000-0000-0000-0000-000000000000@uniikkiaani.fi\r\n"));
        assert!(out.contains("SEQUENCE:3\r\n"));
        assert!(out.contains("METHOD:PUBLISH\r\n"));
        assert!(out.ends_with("END:VCALENDAR\r\n"));
    }
}
