//! The signed webhook receiver: the calendar pushes booking changes (Standard Webhooks).

use actix_web::http::Method;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use persistence::schema::{bookings, webhook_inbox};
use serde_json::{Value, json};
use tests::{Reply, TestApp, on_both_backends};

use super::*;

const SIGNATURE: &str = "https://api.uniikkiaani.fi/problems/webhook-signature";
const STALE: &str = "https://api.uniikkiaani.fi/problems/webhook-stale";
const REPLAYED: &str = "https://api.uniikkiaani.fi/problems/webhook-replayed";

/// An integration of `kind` made by the admin: (id, webhook secret).
async fn new_integration(app: &TestApp, kind: &str) -> (String, String) {
    let admin = app.admin_session().await.access_token;
    let made = app
        .post_json(
            "/api/v1/integrations",
            Some(&admin),
            &json!({"name": format!("{kind} push"), "kind": kind,
                "processor": {"company": "Kalenteri Oy", "country": "FI", "in_eea": true}}),
        )
        .await
        .json();
    let secret = made["webhook_secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    (made["id"].as_str().unwrap().to_owned(), secret)
}

/// Sends `body` to the integration's receiver as delivery `id`, signed with `secret` at
/// `signed_at` (seconds since 1970).
async fn deliver(
    app: &TestApp,
    (integration, secret): (&str, &str),
    id: &str,
    signed_at: i64,
    body: &[u8],
) -> Reply {
    let signature = domain::webhook::sign(secret, id, signed_at, body);
    let request = app
        .request(
            Method::POST,
            &format!("/api/v1/integrations/{integration}/webhooks"),
        )
        .insert_header(("content-type", "application/json"))
        .insert_header(("webhook-id", id))
        .insert_header(("webhook-timestamp", signed_at.to_string()))
        .insert_header(("webhook-signature", signature));
    TestApp::send(request, Some(body.to_vec())).await
}

/// An event body: `kind` of the calendar's booking `external` at `at` minutes past 10.00.
fn event(kind: &str, external: &str, at: i64, data: Value) -> Vec<u8> {
    let timestamp = chrono::DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z").unwrap()
        + Duration::minutes(at);
    let mut data = data;
    data["booking_id"] = json!(external);
    serde_json::to_vec(&json!({"type": kind, "timestamp": timestamp, "data": data})).unwrap()
}

fn now() -> i64 {
    Utc::now().timestamp()
}

fn inbox_size(app: &TestApp) -> i64 {
    webhook_inbox::table
        .count()
        .get_result(&mut app.pool.get().unwrap())
        .unwrap()
}

fn bookings_of_lessons(app: &TestApp, lessons: &[&str]) -> Vec<(String, String)> {
    let ids: Vec<_> = lessons
        .iter()
        .map(|l| persistence::sql_types::DbUuid(l.parse().unwrap()))
        .collect();
    bookings::table
        .filter(bookings::lesson_id.eq_any(ids))
        .select((bookings::id, bookings::status))
        .load::<(persistence::sql_types::DbUuid, String)>(&mut app.pool.get().unwrap())
        .unwrap()
        .into_iter()
        .map(|(id, status)| (id.0.to_string(), status))
        .collect()
}

async fn pushed_changes_apply_once_in_the_senders_order(app: TestApp) {
    let school = School::open(&app).await;
    let (integration, secret) = new_integration(&app, "calendar").await;
    let sender = (integration.as_str(), secret.as_str());
    let first = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::days(3)), 45, None),
    )
    .await;
    let second = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::days(4)), 45, None),
    )
    .await;
    let person = json!({"first_name": "Kalle", "last_name": "Kalenteri",
        "email": "kalle.kalenteri@example.fi"});

    let created = event(
        "booking.created",
        "kal-1",
        0,
        json!({"lesson_id": first, "person": person}),
    );
    let reply = deliver(&app, sender, "msg_1", now(), &created).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let receipt = reply.json();
    assert_eq!(receipt["outcome"], "applied");
    let booking = receipt["booking_id"].as_str().unwrap().to_owned();
    let view = app
        .get_as(&format!("/api/v1/bookings/{booking}"), &school.office)
        .await
        .json();
    assert_eq!(
        (&view["status"], &view["source"]),
        (&json!("booked"), &json!("calendar"))
    );

    // The same delivery again, signed anew: a replay, nothing changes.
    let again = deliver(&app, sender, "msg_1", now(), &created).await;
    again.problem(400, REPLAYED);
    assert_eq!(bookings_of_lessons(&app, &[&first, &second]).len(), 1);

    let moved = event(
        "booking.rescheduled",
        "kal-1",
        2,
        json!({"lesson_id": second}),
    );
    let reply = deliver(&app, sender, "msg_2", now(), &moved).await;
    assert_eq!(reply.json()["outcome"], "applied", "{}", reply.text());
    let cancelled = event("booking.cancelled", "kal-1", 3, json!({}));
    let reply = deliver(&app, sender, "msg_3", now(), &cancelled).await;
    assert_eq!(reply.json()["outcome"], "applied", "{}", reply.text());
    // An older move arriving late changes nothing.
    let late = event(
        "booking.rescheduled",
        "kal-1",
        1,
        json!({"lesson_id": first}),
    );
    let reply = deliver(&app, sender, "msg_4", now(), &late).await;
    assert_eq!(reply.json()["outcome"], "stale", "{}", reply.text());
    assert_eq!(
        bookings_of_lessons(&app, &[&first, &second]),
        [(booking.clone(), "cancelled".to_owned())]
    );

    // Cancelled before it was created (deliveries out of order): the late "created" does not
    // make the booking.
    let cancelled = event("booking.cancelled", "kal-2", 10, json!({}));
    let reply = deliver(&app, sender, "msg_5", now(), &cancelled).await;
    assert_eq!(reply.json()["outcome"], "applied", "{}", reply.text());
    let created = event(
        "booking.created",
        "kal-2",
        9,
        json!({"lesson_id": first, "person": person}),
    );
    let reply = deliver(&app, sender, "msg_6", now(), &created).await;
    assert_eq!(reply.json()["outcome"], "stale", "{}", reply.text());
    assert_eq!(bookings_of_lessons(&app, &[&first, &second]).len(), 1);

    // A change that cannot be made is filed as refused, with its reason.
    let taken = create_customer(&app, &school.office, "Ensin").await;
    let full = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::days(5)), 45, None),
    )
    .await;
    assert_eq!(
        book(&app, &school.office, &full, Some(&taken)).await.status,
        201
    );
    let created = event(
        "booking.created",
        "kal-3",
        20,
        json!({"lesson_id": full, "person": person}),
    );
    let reply = deliver(&app, sender, "msg_7", now(), &created).await;
    assert_eq!(reply.status, 200);
    let receipt = reply.json();
    assert_eq!(receipt["outcome"], "refused");
    assert_eq!(receipt["problem"], FULL);
    assert_eq!(bookings_of_lessons(&app, &[&full]).len(), 1);
    assert_eq!(inbox_size(&app), 7);
}

async fn bad_signatures_stale_times_and_strangers_change_nothing(app: TestApp) {
    let school = School::open(&app).await;
    let (integration, secret) = new_integration(&app, "calendar").await;
    let lesson_id = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::days(3)), 45, None),
    )
    .await;
    let body = event(
        "booking.created",
        "kal-9",
        0,
        json!({"lesson_id": lesson_id, "person": {"first_name": "Vieras", "last_name": "Hyökkääjä",
            "email": "vieras@example.fi"}}),
    );

    let other = "whsec_b2xkIHNlY3JldCBvZiB0aGUgaW50ZWdyYXRpb24=";
    let reply = deliver(&app, (&integration, other), "msg_a", now(), &body).await;
    reply.problem(401, SIGNATURE);
    assert!(
        reply
            .header("www-authenticate")
            .unwrap()
            .starts_with("WebhookSignature")
    );

    // A body changed after signing.
    let signature = domain::webhook::sign(&secret, "msg_b", now(), &body);
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    let request = app
        .request(
            Method::POST,
            &format!("/api/v1/integrations/{integration}/webhooks"),
        )
        .insert_header(("content-type", "application/json"))
        .insert_header(("webhook-id", "msg_b"))
        .insert_header(("webhook-timestamp", now().to_string()))
        .insert_header(("webhook-signature", signature));
    assert_eq!(TestApp::send(request, Some(tampered)).await.status, 401);

    let old = now() - 6 * 60;
    let reply = deliver(&app, (&integration, &secret), "msg_c", old, &body).await;
    reply.problem(400, STALE);
    let ahead = now() + 6 * 60;
    let reply = deliver(&app, (&integration, &secret), "msg_c", ahead, &body).await;
    reply.problem(400, STALE);

    let unknown = uuid::Uuid::now_v7().to_string();
    let reply = deliver(&app, (&unknown, &secret), "msg_d", now(), &body).await;
    assert_eq!(reply.status, 401);

    let missing = app
        .request(
            Method::POST,
            &format!("/api/v1/integrations/{integration}/webhooks"),
        )
        .insert_header(("content-type", "application/json"));
    let reply = TestApp::send(missing, Some(body.clone())).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_fields(), ["webhook-id"]);

    // Signed, but not JSON, or not an event: refused, nothing filed.
    let reply = deliver(&app, (&integration, &secret), "msg_e", now(), b"{not json").await;
    assert_eq!(reply.status, 400);
    let reply = deliver(
        &app,
        (&integration, &secret),
        "msg_f",
        now(),
        br#"{"type":"booking.created"}"#,
    )
    .await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    // A field the event has not, signed: refused like any body's.
    let mut extra: Value = serde_json::from_slice(&body).unwrap();
    extra["id"] = json!("01a21200-0000-7000-8000-000000000000");
    let extra = serde_json::to_vec(&extra).unwrap();
    let reply = deliver(&app, (&integration, &secret), "msg_f2", now(), &extra).await;
    assert_eq!(reply.error_fields(), ["id"], "{}", reply.text());
    // The webshop sends no booking changes.
    let (shop, shop_secret) = new_integration(&app, "webshop").await;
    let reply = deliver(&app, (&shop, &shop_secret), "msg_g", now(), &body).await;
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert_eq!(inbox_size(&app), 0);
    assert!(bookings_of_lessons(&app, &[&lesson_id]).is_empty());

    // A rotated secret: the new one verifies, and the old one for a day.
    let admin = app.admin_session().await.access_token;
    let path = format!("/api/v1/integrations/{integration}/webhook-secret");
    let rotated = TestApp::send(app.authed(Method::POST, &path, &admin), None).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text());
    let new_secret = rotated.json()["webhook_secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = deliver(&app, (&integration, &secret), "msg_h", now(), &body).await;
    assert_eq!(reply.json()["outcome"], "applied", "{}", reply.text());
    let cancel = event("booking.cancelled", "kal-9", 1, json!({}));
    let reply = deliver(&app, (&integration, &new_secret), "msg_i", now(), &cancel).await;
    assert_eq!(reply.json()["outcome"], "applied", "{}", reply.text());

    // A revoked integration's deliveries are refused.
    let path = format!("/api/v1/integrations/{integration}");
    assert_eq!(
        TestApp::send(app.authed(Method::DELETE, &path, &admin), None)
            .await
            .status,
        204
    );
    let reply = deliver(&app, (&integration, &new_secret), "msg_j", now(), &cancel).await;
    assert_eq!(reply.status, 401);
}

/// One delivery sent many times at once: one is applied, the rest are replays.
async fn one_delivery_sent_twenty_times_at_once_is_applied_once(app: TestApp) {
    let school = School::open(&app).await;
    let (integration, secret) = new_integration(&app, "calendar").await;
    let group = json!({"teacher_id": school.teacher, "starts_at": in_future(Duration::days(6)),
        "ends_at": in_future(Duration::days(6) + Duration::minutes(45)),
        "location": {"kind": "room", "room": "Sali"}, "kind": "group", "capacity": 30,
        "price_cents": 2000});
    let lesson_id = create_lesson(&app, &school.office, &group).await;
    let body = event(
        "booking.created",
        "kal-race",
        0,
        json!({"lesson_id": lesson_id, "person": {"first_name": "Rinna", "last_name": "Kkain",
            "email": "rinna@example.fi"}}),
    );
    let at = now();
    let sends: Vec<_> = (0..20)
        .map(|_| deliver(&app, (&integration, &secret), "msg_race", at, &body))
        .collect();
    let replies = futures_util::future::join_all(sends).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    for reply in replies.iter().filter(|r| r.status != 200) {
        reply.problem(400, REPLAYED);
    }
    assert_eq!(bookings_of_lessons(&app, &[&lesson_id]).len(), 1);
    assert_eq!(inbox_size(&app), 1);
}

on_both_backends!(
    pushed_changes_apply_once_in_the_senders_order,
    bad_signatures_stale_times_and_strangers_change_nothing,
    one_delivery_sent_twenty_times_at_once_is_applied_once,
);
