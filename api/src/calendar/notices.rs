//! Booking messages (confirmation, change, cancellation, reminder), written to the outbox in
//! the transaction of the change they tell about, to the customer's email and phone and, for a
//! minor, to their guardian's; emails carry the lesson as an iCalendar attachment.

use chrono::{DateTime, Utc};
use domain::calendar::ical::{self, EventStatus};
use persistence::calendar::bookings::{self, Booking};
use persistence::calendar::lessons::{self, Lesson};
use persistence::customers::{self, Customer};
use persistence::messages::{self, Channel, NewMessage};
use persistence::{AnyConnection, DbError, Pool, write_transaction};

use super::ics;
use super::wording::{self, Occasion};
use crate::settings::Settings;

/// Reminders queued per transaction.
const REMINDER_BATCH: i64 = 100;

/// Where a message about `customer` goes: their own email and phone, and their guardian's
/// while they are a minor; each address once.
fn recipients(customer: &Customer, now: DateTime<Utc>) -> Vec<(Channel, String)> {
    let profile = &customer.profile;
    let mut out: Vec<(Channel, String)> = Vec::new();
    let guardian = profile
        .guardian
        .as_ref()
        .filter(|_| profile.is_minor(now.date_naive()));
    let emails = [
        profile.email.as_ref(),
        guardian.and_then(|g| g.email.as_ref()),
    ];
    let phones = [
        profile.phone.as_ref(),
        guardian.and_then(|g| g.phone.as_ref()),
    ];
    for email in emails.into_iter().flatten() {
        out.push((Channel::Email, email.as_str().to_owned()));
    }
    for phone in phones.into_iter().flatten() {
        out.push((Channel::Sms, phone.as_str().to_owned()));
    }
    out.dedup();
    out
}

/// Tells `customer` of `occasion` on `lesson` (for a move, `left` is the lesson the booking
/// left, which the attachment cancels). Nothing goes to a customer whose processing is
/// restricted or who has been erased.
pub fn tell(
    conn: &mut AnyConnection,
    settings: &Settings,
    customer: &Customer,
    booking: &Booking,
    (lesson, left): (&Lesson, Option<&Lesson>),
    occasion: Occasion,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    if customer.restriction.is_some() || customer.erased_at.is_some() {
        return Ok(());
    }
    let language = customer.profile.language;
    let sequence = ical::booking_sequence(lesson.version, booking.version);
    let status = if occasion.keeps_the_lesson() {
        EventStatus::Confirmed
    } else {
        EventStatus::Cancelled
    };
    let mut events = vec![ics::event(lesson, sequence, now, status, language)];
    if let Some(left) = left {
        let sequence = ical::booking_sequence(left.version, booking.version);
        events.push(ics::event(
            left,
            sequence,
            now,
            EventStatus::Cancelled,
            language,
        ));
    }
    let attachment = ical::calendar(ics::CALENDAR_NAME, Some("PUBLISH"), &events);
    let (subject, body) = wording::email(
        occasion,
        language,
        customer.profile.first_name.as_str(),
        lesson,
        settings.calendar.cut_off_hours,
    );
    for (channel, recipient) in recipients(customer, now) {
        let email = channel == Channel::Email;
        let message = NewMessage {
            channel,
            recipient,
            customer_id: Some(customer.id),
            subscription_id: None,
            purpose: occasion.purpose(),
            language: language.as_str(),
            subject: email.then(|| subject.clone()),
            body: if email {
                body.clone()
            } else {
                wording::sms(occasion, language, lesson)
            },
            unsubscribe_url: None,
            calendar: email.then(|| attachment.clone()),
        };
        messages::enqueue(conn, &message, now)?;
    }
    if matches!(occasion, Occasion::Booked | Occasion::Moved) {
        skip_reminder_inside_window(conn, settings, booking, lesson, now)?;
    }
    Ok(())
}

/// A booking made (or moved) later than the reminder time gets its confirmation only.
fn skip_reminder_inside_window(
    conn: &mut AnyConnection,
    settings: &Settings,
    booking: &Booking,
    lesson: &Lesson,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    if let Some(before) = settings.calendar.reminder()
        && lesson.starts_at - before <= now
    {
        bookings::mark_reminded(conn, booking.id, now)?;
    }
    Ok(())
}

/// Queues the reminder of every live booking whose lesson starts within the reminder time and
/// that has not been reminded; returns how many bookings were reminded. Each booking is marked
/// by a conditional update in the transaction that queues its messages, so two servers never
/// remind twice. Blocking: call it on the blocking pool.
pub fn remind_due(pool: &Pool, settings: &Settings, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let Some(before) = settings.calendar.reminder() else {
        return Ok(0);
    };
    let mut reminded = 0;
    loop {
        let mut conn = pool.get()?;
        let batch = write_transaction(&mut conn, |conn| {
            let due = bookings::due_reminders(conn, now, now + before, REMINDER_BATCH)?;
            let mut done = 0;
            for id in &due {
                if !bookings::mark_reminded(conn, *id, now)? {
                    continue;
                }
                let booking = bookings::find(conn, *id)?.ok_or(DbError::corrupt("bookings"))?;
                let lesson = lessons::find(conn, booking.lesson_id)?
                    .ok_or(DbError::corrupt("bookings.lesson_id"))?;
                let customer = customers::find_for_write(conn, booking.customer_id)?
                    .ok_or(DbError::corrupt("bookings.customer_id"))?;
                tell(
                    conn,
                    settings,
                    &customer,
                    &booking,
                    (&lesson, None),
                    Occasion::Reminder,
                    now,
                )?;
                done += 1;
            }
            Ok::<_, DbError>((due.len(), done))
        })?;
        reminded += batch.1;
        if batch.0 < usize::try_from(REMINDER_BATCH).unwrap_or(usize::MAX) {
            return Ok(reminded);
        }
    }
}

/// How often the reminder job looks for bookings to remind.
const REMINDER_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs [`remind_due`] every minute while the server runs, if reminders are on.
pub fn spawn_reminders(
    background: &mut crate::background::Background,
    pool: Pool,
    settings: std::sync::Arc<Settings>,
) {
    if settings.calendar.reminder().is_none() || settings.delivery.interval_ms == 0 {
        return;
    }
    background.every_blocking(REMINDER_INTERVAL, "reminders", move || {
        remind_due(&pool, &settings, Utc::now())
    });
}
