//! Booking, cancelling (with the cut-off), moving, attendance and a customer's history.

use actix_web::http::Method;
use chrono::Duration;
use serde_json::json;
use tests::{TestApp, on_both_backends};

use super::*;

async fn post(app: &TestApp, path: &str, token: &str) -> tests::Reply {
    TestApp::send(app.authed(Method::POST, path, token), None).await
}

async fn a_customer_books_cancels_and_moves_their_own_lessons(app: TestApp) {
    let school = School::open(&app).await;
    let (me, token) = app
        .customer_with_login(&school.office, "oma.varaaja@example.fi", json!({}))
        .await;
    let first = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::days(10)), 45, None),
    )
    .await;
    let second = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::days(11)), 45, None),
    )
    .await;
    let booked = book(&app, &token, &first, None).await;
    assert_eq!(booked.status, 201, "{}", booked.text());
    let booking = booked.json();
    assert_eq!(
        (
            &booking["customer_id"],
            &booking["source"],
            &booking["status"]
        ),
        (&json!(me), &json!("customer"), &json!("booked"))
    );
    let id = booking["id"].as_str().unwrap().to_owned();
    // The lesson is full now, for anyone.
    let other = create_customer(&app, &school.office, "Toinen").await;
    book(&app, &school.office, &first, Some(&other))
        .await
        .problem(409, FULL);
    // Booking for someone else is not the customer's to do.
    let reply = book(&app, &token, &second, Some(&other)).await;
    assert_eq!(reply.error_fields(), ["customer_id"]);

    let moved = app
        .post_json(
            &format!("/api/v1/bookings/{id}/reschedule"),
            Some(&token),
            &json!({"lesson_id": second}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text());
    assert_eq!(moved.json()["lesson_id"], json!(second));
    // The first lesson's place is free again.
    assert_eq!(
        book(&app, &school.office, &first, Some(&other))
            .await
            .status,
        201
    );
    let cancelled = post(&app, &format!("/api/v1/bookings/{id}/cancel"), &token).await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    let view = cancelled.json();
    assert_eq!(
        (&view["status"], &view["late_cancellation"]),
        (&json!("cancelled"), &json!(false))
    );
    let events: Vec<&str> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["booked", "rescheduled", "cancelled"]);
    // Cancelled is final.
    post(&app, &format!("/api/v1/bookings/{id}/cancel"), &token)
        .await
        .problem(409, "https://api.uniikkiaani.fi/problems/conflict");
    let mine = app.get_as("/api/v1/me/bookings", &token).await.json();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    // Another customer's booking is not found.
    let (_, stranger) = app
        .customer_with_login(&school.office, "vieras@example.fi", json!({}))
        .await;
    app.get_as(&format!("/api/v1/bookings/{id}"), &stranger)
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
    post(&app, &format!("/api/v1/bookings/{id}/cancel"), &stranger)
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
}

async fn after_the_cut_off_only_staff_cancel_and_the_cancellation_is_late(app: TestApp) {
    let school = School::open(&app).await;
    let (_, token) = app
        .customer_with_login(&school.office, "myohassa@example.fi", json!({}))
        .await;
    let soon = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::hours(5)), 45, None),
    )
    .await;
    let later = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::days(3)), 45, None),
    )
    .await;
    let id = book(&app, &token, &soon, None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    post(&app, &format!("/api/v1/bookings/{id}/cancel"), &token)
        .await
        .problem(409, CUT_OFF);
    app.post_json(
        &format!("/api/v1/bookings/{id}/reschedule"),
        Some(&token),
        &json!({"lesson_id": later}),
    )
    .await
    .problem(409, CUT_OFF);
    let cancelled = post(
        &app,
        &format!("/api/v1/bookings/{id}/cancel"),
        &school.office,
    )
    .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    assert_eq!(cancelled.json()["late_cancellation"], true);
    assert_eq!(cancelled.json()["history"][1]["late"], true);
}

async fn one_customer_is_never_booked_twice_at_once(app: TestApp) {
    let school = School::open(&app).await;
    let other = school.another_teacher(&app).await;
    let customer = create_customer(&app, &school.office, "Kaksois").await;
    let at = "2030-11-05T16:00:00Z";
    let one = create_lesson(&app, &school.office, &lesson(&school.teacher, at, 60, None)).await;
    let two = create_lesson(
        &app,
        &school.office,
        &lesson(&other, "2030-11-05T16:30:00Z", 60, None),
    )
    .await;
    let first = book(&app, &school.office, &one, Some(&customer)).await;
    assert_eq!(first.status, 201);
    let refused = book(&app, &school.office, &two, Some(&customer)).await;
    assert_eq!(
        refused.problem(409, OVERLAP)["existing_id"],
        first.json()["id"]
    );
}

async fn the_school_cancels_a_lesson_and_its_bookings_follow(app: TestApp) {
    let school = School::open(&app).await;
    let customer = create_customer(&app, &school.office, "Peruttu").await;
    let id = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, "2030-12-01T10:00:00Z", 45, None),
    )
    .await;
    let booking = book(&app, &school.office, &id, Some(&customer))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cancel = app
        .authed(
            Method::POST,
            &format!("/api/v1/lessons/{id}/cancel"),
            &school.teacher_token,
        )
        .insert_header(("if-match", "*"));
    assert_eq!(TestApp::send(cancel, None).await.status, 200);
    let view = app
        .get_as(&format!("/api/v1/bookings/{booking}"), &school.office)
        .await
        .json();
    assert_eq!(view["status"], "cancelled_by_school");
    book(&app, &school.office, &id, Some(&customer))
        .await
        .problem(409, UNAVAILABLE);
}

async fn attendance_is_recorded_by_the_teacher_and_shows_in_the_history(app: TestApp) {
    let school = School::open(&app).await;
    let (customer, token) = app
        .customer_with_login(&school.office, "kavija@example.fi", json!({}))
        .await;
    let stranger = create_customer(&app, &school.office, "Muukalainen").await;
    let id = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, &in_future(Duration::days(2)), 45, None),
    )
    .await;
    assert_eq!(book(&app, &token, &id, None).await.status, 201);
    let path = format!("/api/v1/lessons/{id}/attendance/{customer}");
    let early = app
        .send_json(
            Method::PUT,
            &path,
            Some(&school.teacher_token),
            &json!({"outcome": "attended"}),
        )
        .await;
    early.problem(409, "https://api.uniikkiaani.fi/problems/conflict");
    // The lesson is held: move it into the past, as time would.
    {
        use diesel::prelude::*;
        use persistence::schema::{bookings as b, lessons as l};
        use persistence::sql_types::{DbTime, DbUuid};
        let lesson_id = DbUuid(id.parse().unwrap());
        let start = DbTime::new(chrono::Utc::now() - Duration::hours(2));
        let end = DbTime::new(chrono::Utc::now() - Duration::hours(1));
        let mut conn = app.pool.get().unwrap();
        diesel::update(l::table.find(lesson_id))
            .set((l::starts_at.eq(start), l::ends_at.eq(end)))
            .execute(&mut *conn)
            .unwrap();
        diesel::update(b::table.filter(b::lesson_id.eq(lesson_id)))
            .set((b::starts_at.eq(start), b::ends_at.eq(end)))
            .execute(&mut *conn)
            .unwrap();
    }
    for outcome in ["no_show", "attended", "attended"] {
        let reply = app
            .send_json(
                Method::PUT,
                &path,
                Some(&school.teacher_token),
                &json!({"outcome": outcome}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.json()["status"], outcome);
    }
    // Someone not on the lesson has no attendance; another teacher cannot record it.
    let other = app.session_as(domain::Role::Teacher).await.access_token;
    for (token, path) in [
        (
            &school.teacher_token,
            format!("/api/v1/lessons/{id}/attendance/{stranger}"),
        ),
        (&other, path.clone()),
    ] {
        app.send_json(
            Method::PUT,
            &path,
            Some(token),
            &json!({"outcome": "attended"}),
        )
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
    }
    let history = app.get_as("/api/v1/me/lessons", &token).await.json();
    assert_eq!(history["items"][0]["status"], "attended");
    let booking = history["items"][0]["id"].as_str().unwrap().to_owned();
    let detail = app
        .get_as(&format!("/api/v1/bookings/{booking}"), &token)
        .await
        .json();
    let events: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["booked", "no_show", "attended"]);
    // The teacher now reaches their student, and staff reads of the history are audited.
    let seen = app
        .get_as(
            &format!("/api/v1/customers/{customer}/lessons"),
            &school.teacher_token,
        )
        .await;
    assert_eq!(seen.status, 200, "{}", seen.text());
    let admin = app.admin_session().await.access_token;
    let entries = app
        .audit_entries(
            &admin,
            &format!("action=customer.bookings.read&subject_id={customer}"),
        )
        .await;
    assert_eq!(entries.len(), 1);
    app.get_as(
        &format!("/api/v1/customers/{stranger}"),
        &school.teacher_token,
    )
    .await
    .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
}

async fn a_repeated_booking_with_its_key_is_answered_once(app: TestApp) {
    let school = School::open(&app).await;
    let customer = create_customer(&app, &school.office, "Toisto").await;
    let id = create_lesson(
        &app,
        &school.office,
        &lesson(&school.teacher, "2030-12-02T10:00:00Z", 45, None),
    )
    .await;
    let send = || {
        let request = app
            .authed(Method::POST, "/api/v1/bookings", &school.office)
            .insert_header(("content-type", "application/json"))
            .insert_header(("idempotency-key", "varaus-1"));
        TestApp::send(
            request,
            Some(
                json!({"lesson_id": id, "customer_id": customer})
                    .to_string()
                    .into_bytes(),
            ),
        )
    };
    let first = send().await;
    let again = send().await;
    assert_eq!((first.status.as_u16(), again.status.as_u16()), (201, 201));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(first.json()["id"], again.json()["id"]);
}

on_both_backends!(
    a_customer_books_cancels_and_moves_their_own_lessons,
    after_the_cut_off_only_staff_cancel_and_the_cancellation_is_late,
    one_customer_is_never_booked_twice_at_once,
    the_school_cancels_a_lesson_and_its_bookings_follow,
    attendance_is_recorded_by_the_teacher_and_shows_in_the_history,
    a_repeated_booking_with_its_key_is_answered_once,
);

async fn the_calendar_books_a_person_by_email_matching_or_making_the_customer(app: TestApp) {
    let school = School::open(&app).await;
    let admin = app.admin_session().await.access_token;
    let key = app
        .post_json(
            "/api/v1/integrations",
            Some(&admin),
            &json!({"name": "Kalenteri", "kind": "calendar",
                "processor": {"company": "Kalenteri Oy", "country": "FI", "in_eea": true}}),
        )
        .await
        .json()["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut lessons = Vec::new();
    for day in 1..=3 {
        let at = format!("2030-08-{day:02}T09:00:00Z");
        lessons.push(
            create_lesson(
                &app,
                &school.office,
                &lesson(&school.teacher, &at, 45, None),
            )
            .await,
        );
    }
    let person = json!({"first_name": "Kalle", "last_name": "Kalenteri",
        "email": "kalle.kalenteri@example.fi", "phone": "040 555 1234"});
    let first = app
        .post_json(
            "/api/v1/bookings",
            Some(&key),
            &json!({"lesson_id": lessons[0], "person": person}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text());
    assert_eq!(first.json()["source"], "calendar");
    let customer = first.json()["customer_id"].as_str().unwrap().to_owned();
    let made = app
        .get_as(&format!("/api/v1/customers/{customer}"), &school.office)
        .await
        .json();
    assert_eq!(
        (&made["source"], &made["phone"]),
        (&json!("calendar"), &json!("+358405551234"))
    );
    // The same email again: the same customer, whatever else the calendar sends.
    let mut again = person.clone();
    again["first_name"] = json!("Kaarlo");
    let second = app
        .post_json(
            "/api/v1/bookings",
            Some(&key),
            &json!({"lesson_id": lessons[1], "person": again}),
        )
        .await;
    assert_eq!(second.status, 201, "{}", second.text());
    assert_eq!(second.json()["customer_id"], json!(customer));
    // A minor needs a guardian; the calendar cannot choose the source; an email is needed.
    let child = json!({"first_name": "Pieni", "last_name": "Laulaja",
        "email": "pieni@example.fi", "birth_date": "2016-01-01", "source": "staff"});
    let refused = app
        .post_json(
            "/api/v1/bookings",
            Some(&key),
            &json!({"lesson_id": lessons[2], "person": child}),
        )
        .await;
    assert_eq!(refused.error_fields(), ["person.guardian", "person.source"]);
    let nameless = json!({"first_name": "Ei", "last_name": "Sähköpostia", "phone": "0401112233"});
    let refused = app
        .post_json(
            "/api/v1/bookings",
            Some(&key),
            &json!({"lesson_id": lessons[2], "person": nameless}),
        )
        .await;
    assert_eq!(refused.error_fields(), ["person.email"]);
    // Staff name customers by id.
    let refused = app
        .post_json(
            "/api/v1/bookings",
            Some(&school.office),
            &json!({"lesson_id": lessons[2], "person": person}),
        )
        .await;
    assert_eq!(refused.error_fields(), ["person"]);
    let created = app
        .audit_entries(
            &admin,
            &format!("action=customer.create&subject_id={customer}"),
        )
        .await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["actor_kind"], "integration");
}

on_both_backends!(the_calendar_books_a_person_by_email_matching_or_making_the_customer);
