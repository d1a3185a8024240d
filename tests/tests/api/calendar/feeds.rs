//! Calendar feeds: made, rotated and revoked by their owner; what they show and to whom.
//! (`tests/ical/check` reads them with an independent iCalendar parser.)

use actix_web::http::Method;
use chrono::Duration;
use serde_json::json;
use tests::{TestApp, on_both_backends};

use super::*;

/// The path of a feed's URL.
fn path_of(issued: &serde_json::Value) -> String {
    let url = issued["url"].as_str().unwrap();
    url[url.find("/api/v1/").unwrap()..].to_owned()
}

/// The value of `name` in the one event of `lesson` in `calendar`, unfolded.
fn property(calendar: &str, lesson: &str, name: &str) -> Option<String> {
    let unfolded = calendar.replace("\r\n ", "");
    let event = unfolded
        .split("BEGIN:VEVENT\r\n")
        .find(|e| e.contains(&format!("UID:lesson-{lesson}@")))?;
    event
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(str::to_owned)
}

async fn owners_make_rotate_and_revoke_feeds_of_their_own_calendars(app: TestApp) {
    let school = School::open(&app).await;
    let (_, token) = app
        .customer_with_login(
            &school.office,
            "syote@example.fi",
            json!({"last_name": "Syötteinen"}),
        )
        .await;
    let (_, stranger) = app
        .customer_with_login(&school.office, "vieras@example.fi", json!({}))
        .await;
    let first = create_lesson(
        &app,
        &school.office,
        &lesson(
            &school.teacher,
            &in_future(Duration::days(5)),
            45,
            Some("Sali 2, itä"),
        ),
    )
    .await;
    let second = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::days(6)), 45, None),
    )
    .await;
    let booking = book(&app, &token, &first, None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(book(&app, &token, &second, None).await.status, 201);

    let mine = app
        .post_json("/api/v1/calendar-feeds", Some(&token), &json!({}))
        .await;
    assert_eq!(mine.status, 201, "{}", mine.text());
    let mine = mine.json();
    assert_eq!(mine["feed"]["owner"], "customer");
    let feed_id = mine["feed"]["id"].as_str().unwrap().to_owned();
    let url = path_of(&mine);

    let reply = app.get(&url).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let calendar = reply.text();
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 2);
    assert_eq!(
        property(&calendar, &first, "LOCATION").as_deref(),
        Some("Sali 2\\, itä")
    );
    assert_eq!(
        property(&calendar, &first, "STATUS").as_deref(),
        Some("CONFIRMED")
    );
    let before: i64 = property(&calendar, &first, "SEQUENCE")
        .unwrap()
        .parse()
        .unwrap();

    // A cancellation stays in the feed, cancelled, with a higher sequence.
    let path = format!("/api/v1/bookings/{booking}/cancel");
    assert_eq!(
        TestApp::send(app.authed(Method::POST, &path, &token), None)
            .await
            .status,
        200
    );
    let calendar = app.get(&url).await.text();
    assert_eq!(
        property(&calendar, &first, "STATUS").as_deref(),
        Some("CANCELLED")
    );
    let after: i64 = property(&calendar, &first, "SEQUENCE")
        .unwrap()
        .parse()
        .unwrap();
    assert!(after > before, "{after} > {before}");
    // Booked again: one event for the lesson, confirmed.
    assert_eq!(book(&app, &token, &first, None).await.status, 201);
    let calendar = app.get(&url).await.text();
    assert_eq!(calendar.matches(&format!("UID:lesson-{first}@")).count(), 1);
    assert_eq!(
        property(&calendar, &first, "STATUS").as_deref(),
        Some("CONFIRMED")
    );

    // Someone else's feed is not theirs to see, rotate or revoke.
    let listed = app.get_as("/api/v1/calendar-feeds", &stranger).await.json();
    assert_eq!(listed["items"], json!([]));
    for (method, path) in [
        (
            Method::POST,
            format!("/api/v1/calendar-feeds/{feed_id}/rotate"),
        ),
        (Method::DELETE, format!("/api/v1/calendar-feeds/{feed_id}")),
    ] {
        let reply = TestApp::send(app.authed(method, &path, &stranger), None).await;
        assert_eq!(reply.status, 404, "{path}");
    }
    // A customer names no one else.
    let other = app
        .post_json(
            "/api/v1/calendar-feeds",
            Some(&stranger),
            &json!({"teacher_id": school.teacher}),
        )
        .await;
    assert_eq!(other.error_fields(), ["teacher_id"]);

    // Rotating ends the old URL at once.
    let rotate = format!("/api/v1/calendar-feeds/{feed_id}/rotate");
    let rotated = TestApp::send(app.authed(Method::POST, &rotate, &token), None).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text());
    let new_url = path_of(&rotated.json());
    assert_ne!(new_url, url);
    assert_eq!(app.get(&url).await.status, 404);
    assert_eq!(app.get(&new_url).await.status, 200);

    // The teacher's feed shows the lesson, and no student.
    let teachers = app
        .post_json(
            "/api/v1/calendar-feeds",
            Some(&school.teacher_token),
            &json!({}),
        )
        .await;
    assert_eq!(teachers.status, 201, "{}", teachers.text());
    let calendar = app.get(&path_of(&teachers.json())).await.text();
    assert!(calendar.contains(&format!("UID:lesson-{first}@")));
    assert!(!calendar.contains("Syötteinen") && !calendar.contains("syote@"));

    // Revoked: gone.
    let revoke = format!("/api/v1/calendar-feeds/{feed_id}");
    let reply = TestApp::send(app.authed(Method::DELETE, &revoke, &token), None).await;
    assert_eq!(reply.status, 204);
    assert_eq!(app.get(&new_url).await.status, 404);
    let listed = app.get_as("/api/v1/calendar-feeds", &token).await.json();
    assert_eq!(listed["items"], json!([]));
    // A token of the wrong form is simply unknown.
    assert_eq!(app.get("/api/v1/ical/..%2F..%2Fetc").await.status, 404);
}

on_both_backends!(owners_make_rotate_and_revoke_feeds_of_their_own_calendars);
