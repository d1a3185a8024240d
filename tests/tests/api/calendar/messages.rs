//! Booking messages: confirmation, change, cancellation and reminders, to the customer and a
//! minor's guardian, with the lesson attached to emails.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use persistence::schema::messages;
use serde_json::json;
use tests::{TestApp, on_both_backends};

use super::*;

/// `(purpose, channel, recipient, subject, body, calendar)` of every message about
/// `customer`, oldest first.
type Sent = (
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
);

fn sent_about(app: &TestApp, customer: &str) -> Vec<Sent> {
    let mut conn = app.pool.get().unwrap();
    let id = persistence::sql_types::DbUuid(customer.parse().unwrap());
    messages::table
        .filter(messages::customer_id.eq(id))
        .order((messages::created_at.asc(), messages::id.asc()))
        .select((
            messages::purpose,
            messages::channel,
            messages::recipient,
            messages::subject,
            messages::body,
            messages::calendar,
        ))
        .load(&mut conn)
        .unwrap()
}

fn purposes(sent: &[Sent]) -> Vec<(&str, &str, &str)> {
    sent.iter()
        .map(|m| (m.0.as_str(), m.1.as_str(), m.2.as_str()))
        .collect()
}

async fn remind(app: &TestApp, at: chrono::DateTime<Utc>) -> usize {
    let (pool, settings) = (app.pool.clone(), app.settings.clone());
    actix_web::web::block(move || api::calendar::notices::remind_due(&pool, &settings, at))
        .await
        .unwrap()
        .unwrap()
}

async fn a_minor_and_their_guardian_hear_of_every_change_in_their_language(app: TestApp) {
    let school = School::open(&app).await;
    let minor = json!({"first_name": "Saga", "last_name": "Sångare", "language": "sv",
        "email": "saga@example.fi", "birth_date": "2015-05-01",
        "guardian": {"name": "Stina Sångare", "email": "stina@example.fi", "phone": "0401234567"}});
    let reply = app
        .post_json("/api/v1/customers", Some(&school.office), &minor)
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let customer = reply.json()["id"].as_str().unwrap().to_owned();
    // Tuesday 30 March 2027, 17.00 in Helsinki (summer time, UTC+3).
    let first = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, "2027-03-30T14:00:00Z", 45, Some("Sali 2")),
    )
    .await;
    let second = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, "2027-04-06T14:00:00Z", 45, None),
    )
    .await;
    let booked = book(&app, &school.office, &first, Some(&customer)).await;
    assert_eq!(booked.status, 201, "{}", booked.text());
    let booking = booked.json()["id"].as_str().unwrap().to_owned();

    let sent = sent_about(&app, &customer);
    assert_eq!(
        purposes(&sent),
        [
            ("booking.confirmation", "email", "saga@example.fi"),
            ("booking.confirmation", "email", "stina@example.fi"),
            ("booking.confirmation", "sms", "+358401234567"),
        ]
    );
    let (_, _, _, subject, body, calendar) = &sent[0];
    assert_eq!(
        subject.as_deref(),
        Some("Bokningen bekräftad: tis 30.3.2027 kl. 17.00–17.45")
    );
    assert!(body.starts_with("Hej Saga,"), "{body}");
    assert!(body.contains("Plats: Sali 2"), "{body}");
    let calendar = calendar.as_deref().expect("the lesson is attached");
    assert!(
        calendar.contains("DTSTART:20270330T140000Z\r\n"),
        "{calendar}"
    );
    assert!(calendar.contains(&format!("UID:lesson-{first}@uniikkiaani.fi")));
    assert!(calendar.contains("STATUS:CONFIRMED"));
    assert!(
        sent[2].4.contains("tis 30.3.2027 kl. 17.00"),
        "{}",
        sent[2].4
    );
    assert_eq!(sent[2].3, None);
    assert_eq!(sent[2].5, None, "a text message has no attachment");

    let moved = app
        .post_json(
            &format!("/api/v1/bookings/{booking}/reschedule"),
            Some(&school.office),
            &json!({"lesson_id": second}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    let sent = sent_about(&app, &customer);
    assert_eq!(sent.len(), 6);
    let change = &sent[3];
    assert_eq!(change.0, "booking.change");
    assert!(
        change
            .4
            .contains("Distanslektion: https://meet.example.fi/laulu")
    );
    let calendar = change.5.as_deref().unwrap();
    // The new lesson confirmed, the old one cancelled, each by its own UID.
    assert!(calendar.contains(&format!("UID:lesson-{second}@uniikkiaani.fi")));
    assert!(calendar.contains(&format!("UID:lesson-{first}@uniikkiaani.fi")));
    assert!(calendar.contains("STATUS:CANCELLED"));

    let cancelled = TestApp::send(
        app.authed(
            actix_web::http::Method::POST,
            &format!("/api/v1/bookings/{booking}/cancel"),
            &school.office,
        ),
        None,
    )
    .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    let sent = sent_about(&app, &customer);
    assert_eq!(sent.len(), 9);
    assert_eq!(sent[6].0, "booking.cancellation");
    assert!(sent[6].5.as_deref().unwrap().contains("STATUS:CANCELLED"));

    // A lesson the school cancels tells the one booked on it.
    let third = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, "2027-04-13T14:00:00Z", 45, Some("Sali 2")),
    )
    .await;
    assert_eq!(
        book(&app, &school.office, &third, Some(&customer))
            .await
            .status,
        201
    );
    let cancel = TestApp::send(
        app.authed(
            actix_web::http::Method::POST,
            &format!("/api/v1/lessons/{third}/cancel"),
            &school.office,
        )
        .insert_header(("If-Match", "*")),
        None,
    )
    .await;
    assert_eq!(cancel.status, 200, "{}", cancel.text());
    let sent = sent_about(&app, &customer);
    assert_eq!(sent.len(), 15);
    assert_eq!(sent[12].0, "lesson.cancellation");
    assert!(
        sent[12]
            .3
            .as_deref()
            .unwrap()
            .starts_with("Lektionen inställd")
    );

    // The file transport writes the email with its calendar part.
    app.deliver_due().await;
    let outbox = app.data_dir().join("outbox");
    let eml = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|text| text.contains("To: saga@example.fi") && text.contains("text/calendar"))
        .expect("an email with the lesson attached");
    assert!(eml.contains("multipart/mixed"), "{eml}");
}

async fn each_booking_is_reminded_once_and_again_after_a_move(app: TestApp) {
    let school = School::open(&app).await;
    let customer = create_customer(&app, &school.office, "Muistettava").await;
    let soon = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::hours(30)), 45, None),
    )
    .await;
    let later = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::hours(60)), 45, None),
    )
    .await;
    let booking = book(&app, &school.office, &soon, Some(&customer))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reminders = |app: &TestApp| {
        sent_about(app, &customer)
            .iter()
            .filter(|m| m.0 == "booking.reminder")
            .count()
    };
    let now = Utc::now();
    assert_eq!(remind(&app, now).await, 0, "30 hours ahead is not yet");
    assert_eq!(remind(&app, now + Duration::hours(7)).await, 1);
    assert_eq!(remind(&app, now + Duration::hours(8)).await, 0, "only once");
    assert_eq!(reminders(&app), 1);

    let moved = app
        .post_json(
            &format!("/api/v1/bookings/{booking}/reschedule"),
            Some(&school.office),
            &json!({"lesson_id": later}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    assert_eq!(remind(&app, now + Duration::hours(7)).await, 0);
    assert_eq!(
        remind(&app, now + Duration::hours(37)).await,
        1,
        "a new time"
    );
    assert_eq!(reminders(&app), 2);

    // Booked inside the reminder time: the confirmation is enough.
    let close = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::hours(3)), 45, None),
    )
    .await;
    let other = create_customer(&app, &school.office, "Myohainen").await;
    assert_eq!(
        book(&app, &school.office, &close, Some(&other))
            .await
            .status,
        201
    );
    assert_eq!(remind(&app, now + Duration::hours(1)).await, 0);
}

/// Several servers remind at once: every booking once.
async fn concurrent_reminder_rounds_remind_each_booking_once(app: TestApp) {
    let school = School::open(&app).await;
    for n in 0..8 {
        let customer = create_customer(&app, &school.office, &format!("Rinnakkainen{n}")).await;
        let at = in_future(Duration::hours(30) + Duration::minutes(50 * n));
        let lesson = create_lesson(
            &app,
            &school.office,
            &lesson(&school.teacher, &at, 45, None),
        )
        .await;
        assert_eq!(
            book(&app, &school.office, &lesson, Some(&customer))
                .await
                .status,
            201
        );
    }
    // 12 hours from now, every lesson is within the reminder time (24 hours).
    let later = Utc::now() + Duration::hours(12);
    let rounds: Vec<_> = (0..4).map(|_| remind(&app, later)).collect();
    let reminded: usize = futures_util::future::join_all(rounds)
        .await
        .into_iter()
        .sum();
    assert_eq!(reminded, 8);
    let mut conn = app.pool.get().unwrap();
    let queued: i64 = messages::table
        .filter(messages::purpose.eq("booking.reminder"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(queued, 8);
}

on_both_backends!(
    a_minor_and_their_guardian_hear_of_every_change_in_their_language,
    each_booking_is_reminded_once_and_again_after_a_move,
    concurrent_reminder_rounds_remind_each_booking_once,
);
