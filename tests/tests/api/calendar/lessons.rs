//! Scheduling lessons: who may, no overlaps, weekly series across the daylight-saving
//! changes, lists, and the public free times.

use serde_json::json;
use tests::{TestApp, on_both_backends};

use super::*;

async fn staff_schedule_lessons_and_no_teacher_or_room_is_double_booked(app: TestApp) {
    let school = School::open(&app).await;
    let other = school.another_teacher(&app).await;
    let at = "2030-05-06T14:00:00Z";
    let first = lesson(&school.teacher, at, 45, Some("Studio 1"));
    let id = create_lesson(&app, &school.office, &first).await;
    let created = app
        .get_as(&format!("/api/v1/lessons/{id}"), &school.office)
        .await;
    assert_eq!(created.header("etag"), Some("\"1\""));
    let view = created.json();
    assert_eq!(
        (
            &view["status"],
            &view["free_places"],
            &view["location"]["room"]
        ),
        (&json!("scheduled"), &json!(1), &json!("Studio 1"))
    );

    // The same teacher, overlapping by a minute: refused, naming the lesson in the way.
    let overlapping = lesson(&school.teacher, "2030-05-06T14:44:00Z", 30, None);
    let refused = app
        .post_json("/api/v1/lessons", Some(&school.office), &overlapping)
        .await;
    assert_eq!(refused.problem(409, OVERLAP)["existing_id"], json!(id));
    // The same room under another spelling, another teacher: refused.
    let same_room = lesson(&other, "2030-05-06T14:30:00Z", 30, Some("  studio   1 "));
    let refused = app
        .post_json("/api/v1/lessons", Some(&school.office), &same_room)
        .await;
    assert_eq!(refused.problem(409, OVERLAP)["existing_id"], json!(id));
    // Back to back is no overlap; another room at the same time is fine.
    let next = lesson(
        &school.teacher,
        "2030-05-06T14:45:00Z",
        45,
        Some("Studio 1"),
    );
    create_lesson(&app, &school.office, &next).await;
    let elsewhere = lesson(&other, "2030-05-06T14:00:00Z", 45, Some("Studio 2"));
    create_lesson(&app, &school.office, &elsewhere).await;

    // A cancelled lesson's time is free again.
    let cancel = app
        .authed(
            actix_web::http::Method::POST,
            &format!("/api/v1/lessons/{id}/cancel"),
            &school.office,
        )
        .insert_header(("if-match", "\"1\""));
    let cancelled = TestApp::send(cancel, None).await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    assert_eq!(cancelled.json()["status"], "cancelled");
    create_lesson(&app, &school.office, &first).await;
}

async fn a_teacher_schedules_only_their_own_lessons_and_sees_only_them(app: TestApp) {
    let school = School::open(&app).await;
    let other = school.another_teacher(&app).await;
    let mut own = lesson(&school.teacher, "2030-06-03T09:00:00Z", 60, None);
    own.as_object_mut().unwrap().remove("teacher_id");
    let id = create_lesson(&app, &school.teacher_token, &own).await;
    let theirs = lesson(&other, "2030-06-03T12:00:00Z", 60, None);
    let refused = app
        .post_json("/api/v1/lessons", Some(&school.teacher_token), &theirs)
        .await;
    assert_eq!(refused.error_fields(), ["teacher_id"]);
    let other_id = create_lesson(&app, &school.office, &theirs).await;

    let listed = app
        .get_as("/api/v1/lessons", &school.teacher_token)
        .await
        .json();
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id.as_str()]);
    let hidden = app
        .get_as(
            &format!("/api/v1/lessons/{other_id}"),
            &school.teacher_token,
        )
        .await;
    hidden.problem(404, "https://api.uniikkiaani.fi/problems/not-found");
    // Office names no teacher: required. A customer or an office account is no teacher.
    let mut nameless = theirs.clone();
    nameless.as_object_mut().unwrap().remove("teacher_id");
    let reply = app
        .post_json("/api/v1/lessons", Some(&school.office), &nameless)
        .await;
    assert_eq!(reply.error_fields(), ["teacher_id"]);
}

async fn bad_lessons_are_refused_field_by_field_and_nothing_is_stored(app: TestApp) {
    let school = School::open(&app).await;
    let mut bad = lesson(
        &school.teacher,
        "2030-06-03T09:00:00Z",
        5,
        Some("Sali\u{200b}"),
    );
    bad["capacity"] = json!(3);
    let reply = app
        .post_json("/api/v1/lessons", Some(&school.office), &bad)
        .await;
    assert_eq!(
        reply.error_fields(),
        ["ends_at", "capacity", "location.room"]
    );
    let mut shapes = lesson(&school.teacher, "2030-06-03T09:00:00Z", 45, None);
    shapes["location"] = json!({"kind": "online", "url": "http://plain.example.fi"});
    shapes["price_cents"] = json!(-1);
    shapes["kind"] = json!("solo");
    let reply = app
        .post_json("/api/v1/lessons", Some(&school.office), &shapes)
        .await;
    reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let listed = app.get_as("/api/v1/lessons", &school.office).await.json();
    assert_eq!(listed["items"], json!([]));
}

async fn a_weekly_series_keeps_helsinki_time_across_both_daylight_saving_changes(app: TestApp) {
    let school = School::open(&app).await;
    // Tuesday 23.3.2027 17.00 in Helsinki (+2); clocks go forward on Sunday 28.3.
    let spring = json!({"lesson": lesson(&school.teacher, "2027-03-23T15:00:00Z", 45, None),
        "weeks": 4, "skip_dates": ["2027-04-06"]});
    let reply = app
        .post_json("/api/v1/lesson-series", Some(&school.office), &spring)
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let starts: Vec<String> = reply.json()["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["starts_at"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        starts,
        [
            "2027-03-23T15:00:00Z",
            "2027-03-30T14:00:00Z",
            "2027-04-13T14:00:00Z"
        ]
    );
    // Sunday 24.10.2027 10.00 in Helsinki (+3); clocks go back on Sunday 31.10, that morning.
    let autumn = json!({"lesson": lesson(&school.teacher, "2027-10-24T07:00:00Z", 60, None),
        "weeks": 2});
    let reply = app
        .post_json("/api/v1/lesson-series", Some(&school.office), &autumn)
        .await;
    let lessons = reply.json()["lessons"].as_array().unwrap().clone();
    let times: Vec<(&str, &str)> = lessons
        .iter()
        .map(|l| {
            (
                l["starts_at"].as_str().unwrap(),
                l["ends_at"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        times,
        [
            ("2027-10-24T07:00:00Z", "2027-10-24T08:00:00Z"),
            ("2027-10-31T08:00:00Z", "2027-10-31T09:00:00Z")
        ]
    );
    // One overlap refuses the whole series: nothing of it is stored.
    let clashing = json!({"lesson": lesson(&school.teacher, "2027-10-17T07:30:00Z", 60, None),
        "weeks": 3});
    let reply = app
        .post_json("/api/v1/lesson-series", Some(&school.office), &clashing)
        .await;
    reply.problem(409, OVERLAP);
    let listed = app
        .get_as(
            "/api/v1/lessons?from=2027-10-17T00:00:00Z&to=2027-10-18T00:00:00Z",
            &school.office,
        )
        .await
        .json();
    assert_eq!(listed["items"], json!([]));
}

async fn lessons_list_by_teacher_range_and_status_a_page_at_a_time(app: TestApp) {
    let school = School::open(&app).await;
    let other = school.another_teacher(&app).await;
    let mut mine = Vec::new();
    for day in 1..=5 {
        let at = format!("2030-09-{day:02}T10:00:00Z");
        mine.push(
            create_lesson(
                &app,
                &school.office,
                &lesson(&school.teacher, &at, 45, None),
            )
            .await,
        );
        create_lesson(&app, &school.office, &lesson(&other, &at, 45, None)).await;
    }
    let path = format!(
        "/api/v1/lessons?teacher_id={}&from=2030-09-02T00:00:00Z&to=2030-09-05T00:00:00Z&status=scheduled&limit=2",
        school.teacher
    );
    let first = app.get_as(&path, &school.office).await.json();
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get_as(&format!("{path}&cursor={cursor}"), &school.office)
        .await
        .json();
    let ids: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [&mine[1], &mine[2], &mine[3]]);
    assert_eq!(second["next_cursor"], json!(null));
    // A cursor is a position (a time and an id), not a row to look up: one whose row never
    // existed continues from where it stands.
    let anywhere = format!(
        "/api/v1/lessons?teacher_id={}&cursor={}",
        school.teacher,
        "A".repeat(32)
    );
    let from_the_start = app.get_as(&anywhere, &school.office).await.json();
    assert_eq!(from_the_start["items"].as_array().unwrap().len(), 5);
}

async fn free_times_are_public_and_hold_nothing_personal(app: TestApp) {
    let school = School::open(&app).await;
    let free = create_lesson(
        &app,
        &school.office,
        &lesson(
            &school.teacher,
            "2030-10-01T10:00:00Z",
            45,
            Some("Studio 3"),
        ),
    )
    .await;
    let taken = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, "2030-10-01T11:00:00Z", 45, None),
    )
    .await;
    let customer = create_customer(&app, &school.office, "Vapaa").await;
    assert_eq!(
        book(&app, &school.office, &taken, Some(&customer))
            .await
            .status,
        201
    );
    let slots = app.get("/api/v1/lesson-slots").await;
    assert_eq!(slots.status, 200, "{}", slots.text());
    let items = slots.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    let slot = items[0].as_object().unwrap();
    assert_eq!(slot["lesson_id"], json!(free));
    let mut keys: Vec<&str> = slot.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "ends_at",
            "free_places",
            "kind",
            "lesson_id",
            "location_kind",
            "price_cents",
            "starts_at",
            "teacher_id",
            "teacher_name"
        ]
    );
    assert!(!slots.text().contains("Studio 3"), "no room, no customer");
}

on_both_backends!(
    staff_schedule_lessons_and_no_teacher_or_room_is_double_booked,
    a_teacher_schedules_only_their_own_lessons_and_sees_only_them,
    bad_lessons_are_refused_field_by_field_and_nothing_is_stored,
    a_weekly_series_keeps_helsinki_time_across_both_daylight_saving_changes,
    lessons_list_by_teacher_range_and_status_a_page_at_a_time,
    free_times_are_public_and_hold_nothing_personal,
);
