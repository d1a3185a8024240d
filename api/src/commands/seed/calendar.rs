//! A term of the teaching calendar: three teachers with logins, their weekly private lessons
//! for twelve weeks from next Monday (17.00, 18.00 and 19.00 Helsinki time, Monday to
//! Thursday, each in the teacher's own room), and the first customers booked on them.

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use domain::audit::ActorKind;
use domain::calendar::{BookingSource, LessonKind, time::SCHOOL_ZONE};
use domain::{DisplayName, EmailAddress, Role};
use persistence::calendar::bookings::{self, Actor, NewBooking};
use persistence::calendar::lessons::{self, Location, NewLesson};
use persistence::{AnyConnection, accounts};
use uuid::Uuid;

const TEACHERS: [(&str, &str, &str); 3] = [
    ("seed.teacher1@uniikkiaani.fi", "Liisa Laulaja", "Studio 1"),
    ("seed.teacher2@uniikkiaani.fi", "Aaro Äänimaa", "Studio 2"),
    ("seed.teacher3@uniikkiaani.fi", "Sini Sävel", "Sali"),
];
const WEEKS: i64 = 12;
const HOURS: [u32; 3] = [17, 18, 19];
/// Every other lesson is booked, while customers last.
const BOOKED_EVERY: usize = 2;

/// What the term wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub teachers: usize,
    pub lessons: usize,
    pub bookings: usize,
}

/// Writes the term in the caller's transaction; each customer in `customers` is booked on at
/// most one lesson, by the seeded `office` account.
pub fn seed_term(
    conn: &mut AnyConnection,
    password_hash: &str,
    customers: &[Uuid],
    office: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<Term> {
    let mut term = Term::default();
    let today = now.with_timezone(&SCHOOL_ZONE).date_naive();
    let monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let mut lesson_ids = Vec::new();
    for (email, name, room) in TEACHERS {
        let account = accounts::insert(
            conn,
            &accounts::NewAccount {
                email: EmailAddress::parse(email)?,
                display_name: DisplayName::parse(name)?,
                role: Role::Teacher,
            },
            now,
        )?;
        accounts::set_password(conn, account.id, password_hash, None, now)?;
        term.teachers += 1;
        for week in 0..WEEKS {
            for day in 0..4 {
                let date = monday + Duration::days(week * 7 + day);
                for hour in HOURS {
                    let wall =
                        date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default());
                    let Some(start) = SCHOOL_ZONE.from_local_datetime(&wall).earliest() else {
                        continue;
                    };
                    let starts_at = start.with_timezone(&Utc);
                    let new = NewLesson {
                        teacher_id: account.id,
                        starts_at,
                        ends_at: starts_at + Duration::minutes(45),
                        location: Location::Room(room.to_owned()),
                        kind: LessonKind::Private,
                        capacity: 1,
                        price_cents: 4500,
                    };
                    lesson_ids.push((lessons::insert(conn, &new, None, now)?, new));
                    term.lessons += 1;
                }
            }
        }
    }
    let actor = Actor {
        kind: ActorKind::Account,
        id: Some(office),
    };
    let booked = lesson_ids.iter().step_by(BOOKED_EVERY).zip(customers);
    for ((lesson_id, lesson), customer_id) in booked {
        if lessons::take_place(conn, *lesson_id, now)? {
            let new = NewBooking {
                lesson_id: *lesson_id,
                customer_id: *customer_id,
                starts_at: lesson.starts_at,
                ends_at: lesson.ends_at,
                source: BookingSource::Staff,
            };
            bookings::insert(conn, &new, actor, now)?;
            term.bookings += 1;
        }
    }
    Ok(term)
}
