//! The school's clock. The API speaks UTC; people live in Europe/Helsinki, where a lesson
//! "every Tuesday at 17.00" stays at 17.00 across the daylight-saving changes, so its UTC time
//! moves by an hour twice a year.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::person::Language;

/// The zone of every message and page.
pub const SCHOOL_ZONE: Tz = chrono_tz::Europe::Helsinki;

/// The most weeks one recurring creation makes: a school year.
pub const MAX_WEEKS: u32 = 52;

/// `t` on the school's clock.
pub fn local(t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&SCHOOL_ZONE)
}

/// `t` on the school's clock as people write it in `language`: `ti 31.3.2026 klo 17.00`,
/// `tis 31.3.2026 kl. 17.00`, `Tue 31 Mar 2026 at 17:00`.
pub fn spoken(t: DateTime<Utc>, language: Language) -> String {
    let l = local(t);
    let day = chrono::Datelike::weekday(&l).num_days_from_monday() as usize;
    match language {
        Language::Fi => {
            const DAYS: [&str; 7] = ["ma", "ti", "ke", "to", "pe", "la", "su"];
            format!(
                "{} {} klo {}",
                DAYS[day],
                l.format("%-d.%-m.%Y"),
                l.format("%H.%M")
            )
        }
        Language::Sv => {
            const DAYS: [&str; 7] = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"];
            format!(
                "{} {} kl. {}",
                DAYS[day],
                l.format("%-d.%-m.%Y"),
                l.format("%H.%M")
            )
        }
        Language::En => l.format("%a %-d %b %Y at %H:%M").to_string(),
    }
}

/// The time of day of `t` on the school's clock, as in [`spoken`].
pub fn clock(t: DateTime<Utc>, language: Language) -> String {
    match language {
        Language::En => local(t).format("%H:%M").to_string(),
        Language::Fi | Language::Sv => local(t).format("%H.%M").to_string(),
    }
}

/// A lesson's start and end.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// Why a weekly series could not be laid out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeriesError {
    #[error("weeks must be between 1 and {MAX_WEEKS}")]
    Weeks,
    #[error("every week of the series is skipped")]
    Empty,
    /// The wall-clock time is skipped that day (the spring change jumps from 03.00 to 04.00).
    #[error("the start time does not exist in Helsinki on {0}")]
    NoSuchTime(NaiveDate),
}

/// The times of a weekly series: the first lesson at `starts_at`–`ends_at`, then the same
/// Helsinki wall-clock time every week for `weeks` weeks, leaving out the Helsinki dates in
/// `skip`. Each lesson lasts as long as the first. A repeated hour (the autumn change) takes
/// its first occurrence.
pub fn weekly(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    weeks: u32,
    skip: &[NaiveDate],
) -> Result<Vec<Span>, SeriesError> {
    if !(1..=MAX_WEEKS).contains(&weeks) {
        return Err(SeriesError::Weeks);
    }
    let length = ends_at - starts_at;
    let first = local(starts_at).naive_local();
    let mut times = Vec::new();
    for week in 0..weeks {
        let wall = first + Duration::weeks(i64::from(week));
        if skip.contains(&wall.date()) {
            continue;
        }
        let start = match SCHOOL_ZONE.from_local_datetime(&wall) {
            LocalResult::Single(t) => t,
            LocalResult::Ambiguous(earliest, _) => earliest,
            LocalResult::None => return Err(SeriesError::NoSuchTime(wall.date())),
        }
        .with_timezone(&Utc);
        times.push((start, start + length));
    }
    if times.is_empty() {
        return Err(SeriesError::Empty);
    }
    Ok(times)
}

/// Whether a booking of a lesson starting at `starts_at` may still be cancelled by the
/// customer at `now`: not later than `cut_off` before the start.
pub fn before_cut_off(starts_at: DateTime<Utc>, now: DateTime<Utc>, cut_off: Duration) -> bool {
    now + cut_off <= starts_at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_weekly_lesson_keeps_its_helsinki_time_across_the_spring_change() {
        // Tuesday 24.3.2026 17.00 EET (+2) = 15.00 UTC; Sunday 29.3. clocks go to EEST (+3).
        let times = weekly(
            utc("2026-03-24T15:00:00Z"),
            utc("2026-03-24T16:00:00Z"),
            2,
            &[],
        )
        .unwrap();
        assert_eq!(
            times,
            vec![
                (utc("2026-03-24T15:00:00Z"), utc("2026-03-24T16:00:00Z")),
                (utc("2026-03-31T14:00:00Z"), utc("2026-03-31T15:00:00Z")),
            ]
        );
        assert_eq!(spoken(times[0].0, Language::Fi), "ti 24.3.2026 klo 17.00");
        assert_eq!(spoken(times[1].0, Language::Fi), "ti 31.3.2026 klo 17.00");
    }

    #[test]
    fn a_weekly_lesson_keeps_its_helsinki_time_across_the_autumn_change() {
        // Sunday 25.10.2026 clocks go back from +3 to +2; a Sunday lesson that day too.
        let times = weekly(
            utc("2026-10-18T07:00:00Z"),
            utc("2026-10-18T08:30:00Z"),
            3,
            &[NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()],
        )
        .unwrap();
        assert_eq!(
            times,
            vec![
                (utc("2026-10-18T07:00:00Z"), utc("2026-10-18T08:30:00Z")),
                (utc("2026-10-25T08:00:00Z"), utc("2026-10-25T09:30:00Z")),
            ]
        );
        assert_eq!(spoken(times[1].0, Language::Fi), "su 25.10.2026 klo 10.00");
        assert_eq!(spoken(times[1].0, Language::Sv), "sön 25.10.2026 kl. 10.00");
        assert_eq!(spoken(times[1].0, Language::En), "Sun 25 Oct 2026 at 10:00");
        assert_eq!(clock(times[1].1, Language::En), "11:30");
    }

    #[test]
    fn the_hour_the_spring_change_skips_is_refused_and_the_repeated_hour_takes_the_first() {
        // 3.30 on 29.3.2026 does not exist in Helsinki.
        assert_eq!(
            weekly(
                utc("2026-03-22T01:30:00Z"),
                utc("2026-03-22T02:00:00Z"),
                2,
                &[]
            ),
            Err(SeriesError::NoSuchTime(
                NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
            ))
        );
        // 3.30 on 25.10.2026 happens twice: +3 (00.30 UTC) first.
        let times = weekly(
            utc("2026-10-18T00:30:00Z"),
            utc("2026-10-18T01:00:00Z"),
            2,
            &[],
        )
        .unwrap();
        assert_eq!(times[1].0, utc("2026-10-25T00:30:00Z"));
    }

    #[test]
    fn weeks_are_bounded_and_a_series_of_only_skipped_weeks_is_refused() {
        let (s, e) = (utc("2026-01-05T10:00:00Z"), utc("2026-01-05T11:00:00Z"));
        assert_eq!(weekly(s, e, 0, &[]), Err(SeriesError::Weeks));
        assert_eq!(weekly(s, e, MAX_WEEKS + 1, &[]), Err(SeriesError::Weeks));
        assert_eq!(
            weekly(s, e, 1, &[NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()]),
            Err(SeriesError::Empty)
        );
        assert_eq!(weekly(s, e, MAX_WEEKS, &[]).unwrap().len(), 52);
    }

    #[test]
    fn the_cut_off_is_inclusive_of_its_last_moment() {
        let start = utc("2026-05-05T12:00:00Z");
        let day = Duration::hours(24);
        assert!(before_cut_off(start, utc("2026-05-04T12:00:00Z"), day));
        assert!(!before_cut_off(start, utc("2026-05-04T12:00:01Z"), day));
    }
}
