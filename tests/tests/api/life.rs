//! One person's full life in the register, through the API: every personal-data column the
//! map lists gets a value. Shared by the export and erasure tests.

use actix_web::http::Method;
use domain::Role;
use serde_json::json;
use tests::{PASSWORD, TestApp, token_in};

/// Values that identify the person; none may survive an erasure.
pub const CANARIES: &[&str] = &[
    "Kanervo",
    "Kanarialintu",
    "kanervo@example.fi",
    "+358401112222",
    "Kanarialintukuja",
    "Kaarina",
    "kaarina@example.fi",
    "+358403334444",
    "Kanarian",
    "CanaryBrowser",
    "canary slot",
    "kanarialista@example.fi",
    "+358405556666",
];

pub const AGENT: &str = "CanaryBrowser/7.3";

fn message_bodies(app: &TestApp, recipient: &str, purpose: &str) -> Vec<String> {
    use diesel::prelude::*;
    use persistence::schema::messages as m;
    m::table
        .filter(m::recipient.eq(recipient))
        .filter(m::purpose.eq(purpose))
        .order(m::created_at.asc())
        .select(m::body)
        .load(&mut *app.pool.get().unwrap())
        .unwrap()
}

pub async fn post(app: &TestApp, path: &str, token: &str) -> tests::Reply {
    TestApp::send(app.authed(Method::POST, path, token), None).await
}

/// Fills every personal-data column the map lists for one person, through the API.
pub async fn a_full_life_in_the_register(app: &TestApp) -> (String, String) {
    let office = app.session_as(Role::Office).await;
    let body = json!({
        "first_name": "Kanervo", "last_name": "Kanarialintu", "email": "kanervo@example.fi",
        "phone": "040 111 2222", "birth_date": "2014-04-04", "language": "en",
        "address": {"street": "Kanarialintukuja 7", "postal_code": "11910", "city": "Riihimäki", "country": "FI"},
        "guardian": {"name": "Kaarina Kanarialintu", "email": "kaarina@example.fi", "phone": "040 333 4444"}
    });
    // With an Idempotency-Key: the kept answer holds the person's details too.
    let create = app
        .authed(Method::POST, "/api/v1/customers", &office.access_token)
        .insert_header(("content-type", "application/json"))
        .insert_header(("idempotency-key", "life-1"));
    let customer = TestApp::send(create, Some(body.to_string().into_bytes()))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get_as(
        &format!("/api/v1/customers/{customer}"),
        &office.access_token,
    )
    .await;

    let otp = post(
        app,
        &format!("/api/v1/customers/{customer}/one-time-password"),
        &office.access_token,
    )
    .await
    .json()["one_time_password"]
        .as_str()
        .unwrap()
        .to_owned();
    let login = app
        .request(Method::POST, "/api/v1/auth/login")
        .insert_header(("user-agent", AGENT))
        .insert_header(("content-type", "application/json"));
    let first = TestApp::send(
        login,
        Some(
            json!({"email": "kanervo@example.fi", "password": otp})
                .to_string()
                .into_bytes(),
        ),
    )
    .await
    .json();
    let change = json!({"current_password": otp, "new_password": PASSWORD});
    let session = app
        .post_json(
            "/api/v1/auth/password",
            Some(first["access_token"].as_str().unwrap()),
            &change,
        )
        .await
        .json();
    let refreshed = app
        .refresh(session["refresh_token"].as_str().unwrap())
        .await
        .json();
    let token = refreshed["access_token"].as_str().unwrap().to_owned();

    let signup = json!({"name": "Kanervo Kanarialintu", "age": 12, "guardian_name": "Kaarina Kanarialintu",
        "email": "kanervo@example.fi", "phone": "040 111 2222", "channels": ["email", "sms"],
        "topics": ["cancellation_slots", "upcoming_enrolments"], "privacy_notice_version": "2026-11-25", "language": "en"});
    app.linked_subscriber(&signup, &customer, &office.access_token)
        .await;
    // A second subscription at addresses the customer record does not have, linked by staff:
    // its messages are the person's through the link alone.
    let other_addresses = json!({"name": "Kanervo Kanarialintu", "age": 12, "guardian_name": "Kaarina Kanarialintu",
        "email": "kanarialista@example.fi", "phone": "040 555 6666", "channels": ["email", "sms"],
        "topics": ["cancellation_slots"], "privacy_notice_version": "2026-11-25", "language": "en"});
    app.linked_subscriber(&other_addresses, &customer, &office.access_token)
        .await;
    let notice = json!({"topic": "cancellation_slots", "text": {"fi": "Vapaa aika!", "en": "A canary slot is free!"}});
    app.post_json(
        "/api/v1/uniikkilista/notices",
        Some(&office.access_token),
        &notice,
    )
    .await;
    app.deliver_due().await;
    for recipient in ["kanervo@example.fi", "+358401112222"] {
        let stop = token_in(&message_bodies(app, recipient, "uniikkilista.notice")[0]);
        app.post_json(
            "/api/v1/uniikkilista/unsubscribe",
            None,
            &json!({"token": stop}),
        )
        .await;
    }

    let form = json!({"kind": "feedback", "title": "Palaute", "questions": [{"id": "words", "kind": "text", "text": "Sano jotain"}]});
    let survey = app
        .post_json("/api/v1/surveys", Some(&office.access_token), &form)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = json!({"answers": {"words": "Kanarian laulu on parasta"}});
    assert_eq!(
        app.post_json(
            &format!("/api/v1/surveys/{survey}/responses"),
            Some(&token),
            &answer
        )
        .await
        .status,
        201
    );

    // A lesson booked, moved and held: bookings and their history.
    let teacher = app.session_as(Role::Teacher).await.account_id;
    let mut lessons = Vec::new();
    for day in [3, 4] {
        let lesson = json!({"teacher_id": teacher, "starts_at": format!("2030-03-0{day}T12:00:00Z"),
            "ends_at": format!("2030-03-0{day}T12:45:00Z"), "location": {"kind": "room", "room": "Sali"},
            "kind": "private", "capacity": 1, "price_cents": 4000});
        let reply = app
            .post_json("/api/v1/lessons", Some(&office.access_token), &lesson)
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        lessons.push(reply.json()["id"].as_str().unwrap().to_owned());
    }
    let booked = app
        .post_json(
            "/api/v1/bookings",
            Some(&token),
            &json!({"lesson_id": lessons[0]}),
        )
        .await;
    assert_eq!(booked.status, 201, "{}", booked.text());
    let booking = booked.json()["id"].as_str().unwrap().to_owned();
    let moved = app
        .post_json(
            &format!("/api/v1/bookings/{booking}/reschedule"),
            Some(&token),
            &json!({"lesson_id": lessons[1]}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    // A lesson three hours away: the confirmation stands for the reminder.
    let soon = chrono::Utc::now() + chrono::Duration::hours(3);
    let lesson = json!({"teacher_id": teacher,
        "starts_at": soon.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "ends_at": (soon + chrono::Duration::minutes(45)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "location": {"kind": "online", "url": "https://meet.example.fi/kanarialintu"},
        "kind": "private", "capacity": 1, "price_cents": 4000});
    let reply = app
        .post_json("/api/v1/lessons", Some(&office.access_token), &lesson)
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let soon = json!({"lesson_id": reply.json()["id"]});
    let booked = app.post_json("/api/v1/bookings", Some(&token), &soon).await;
    assert_eq!(booked.status, 201, "{}", booked.text());
    // Their bookings in their own calendar application.
    let feed = app
        .post_json("/api/v1/calendar-feeds", Some(&token), &json!({}))
        .await;
    assert_eq!(feed.status, 201, "{}", feed.text());

    let give = json!({"granted": true, "privacy_notice_version": "2026-11-25"});
    let reply = app
        .send_json(
            Method::PUT,
            "/api/v1/me/consents/uniikkilista_email",
            Some(&token),
            &give,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let paper = json!({"granted": false, "privacy_notice_version": "2026-11-25", "source": "staff_written_request", "given_by": "guardian"});
    let path = format!("/api/v1/customers/{customer}/consents/feedback_surveys");
    assert_eq!(
        app.send_json(Method::PUT, &path, Some(&office.access_token), &paper)
            .await
            .status,
        200
    );

    let admin = app.admin_session().await;
    // The online calendar pushes a booking of theirs (a signed webhook).
    let calendar = app
        .post_json(
            "/api/v1/integrations",
            Some(&admin.access_token),
            &json!({"name": "Kalenteri", "kind": "calendar",
                "processor": {"company": "Kalenteri Oy", "country": "FI", "in_eea": true}}),
        )
        .await
        .json();
    let lesson = json!({"teacher_id": teacher, "starts_at": "2030-03-05T12:00:00Z",
        "ends_at": "2030-03-05T12:45:00Z", "location": {"kind": "room", "room": "Sali"},
        "kind": "private", "capacity": 1, "price_cents": 4000});
    let pushed = app
        .post_json("/api/v1/lessons", Some(&office.access_token), &lesson)
        .await
        .json()["id"]
        .clone();
    let event = serde_json::to_vec(&json!({"type": "booking.created",
        "timestamp": "2026-12-07T10:00:00Z",
        "data": {"booking_id": "kal-kanarialintu", "lesson_id": pushed, "customer_id": customer}}))
    .unwrap();
    let now = chrono::Utc::now().timestamp();
    let secret = calendar["webhook_secret"].as_str().unwrap();
    let request = app
        .request(
            Method::POST,
            &format!(
                "/api/v1/integrations/{}/webhooks",
                calendar["id"].as_str().unwrap()
            ),
        )
        .insert_header(("content-type", "application/json"))
        .insert_header(("webhook-id", "msg_kanarialintu"))
        .insert_header(("webhook-timestamp", now.to_string()))
        .insert_header((
            "webhook-signature",
            domain::webhook::sign(secret, "msg_kanarialintu", now, &event),
        ));
    let reply = TestApp::send(request, Some(event)).await;
    assert_eq!(reply.json()["outcome"], "applied", "{}", reply.text());

    let request = json!({"customer_id": customer, "kind": "access", "description": "Kanarian pyyntö", "identity_verification": "Kanarian passi"});
    let created = app
        .post_json(
            "/api/v1/privacy-requests",
            Some(&admin.access_token),
            &request,
        )
        .await
        .json();
    let path = format!(
        "/api/v1/privacy-requests/{}",
        created["id"].as_str().unwrap()
    );
    app.patch_json(
        &path,
        Some(&admin.access_token),
        &json!({"status": "in_progress", "extend_months": 1, "extension_reason": "Kanarian syy"}),
    )
    .await;
    app.patch_json(
        &path,
        Some(&admin.access_token),
        &json!({"status": "completed", "resolution": "Kanarian vastaus"}),
    )
    .await;

    let restrict = json!({"reason": "Kiistää tiedot"});
    let path = format!("/api/v1/customers/{customer}/restriction");
    assert_eq!(
        app.send_json(Method::PUT, &path, Some(&admin.access_token), &restrict)
            .await
            .status,
        200
    );

    // A fresh one-time password last, so its expiry is set too (it also ends the sessions).
    post(
        app,
        &format!("/api/v1/customers/{customer}/one-time-password"),
        &office.access_token,
    )
    .await;
    (customer, office.access_token)
}
