//! No double booking, ever: each race many times at once, twenty rounds, on both engines.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::{TestApp, on_both_backends};

use super::*;

const ROUNDS: usize = 20;
const AT_ONCE: usize = 50;

/// Sends every body to `path` as `token` at once; returns the statuses and problem types.
async fn all_at_once(
    app: &TestApp,
    token: &str,
    path: &str,
    bodies: Vec<Value>,
) -> Vec<(u16, String)> {
    let requests = bodies.into_iter().map(|body| {
        let request = app
            .authed(Method::POST, path, token)
            .insert_header(("content-type", "application/json"));
        TestApp::send(request, Some(body.to_string().into_bytes()))
    });
    futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|reply| {
            let kind = reply.json()["type"].as_str().unwrap_or("").to_owned();
            (reply.status.as_u16(), kind)
        })
        .collect()
}

/// Exactly one request won and every other was refused with `refusal`.
fn one_winner(outcomes: &[(u16, String)], refusal: &str, round: usize) {
    let won = outcomes.iter().filter(|(s, _)| *s == 201).count();
    let lost = outcomes
        .iter()
        .filter(|(s, t)| *s == 409 && t == refusal)
        .count();
    assert_eq!(
        (won, lost),
        (1, outcomes.len() - 1),
        "round {round}: {outcomes:?}"
    );
}

async fn fifty_customers_race_for_one_private_lesson_and_one_wins(app: TestApp) {
    let school = School::open(&app).await;
    let mut customers = Vec::new();
    for n in 0..AT_ONCE {
        customers.push(create_customer(&app, &school.office, &format!("Kilpa{n}")).await);
    }
    for round in 0..ROUNDS {
        let at = format!("2031-01-{:02}T10:00:00Z", round + 1);
        let id = create_lesson(
            &app,
            &school.office,
            &lesson(&school.teacher, &at, 45, None),
        )
        .await;
        let bodies = customers
            .iter()
            .map(|c| json!({"lesson_id": id, "customer_id": c}))
            .collect();
        let outcomes = all_at_once(&app, &school.office, "/api/v1/bookings", bodies).await;
        one_winner(&outcomes, FULL, round);
        let view = app
            .get_as(&format!("/api/v1/lessons/{id}"), &school.office)
            .await
            .json();
        assert_eq!(view["free_places"], 0, "round {round}");
    }
    use diesel::prelude::*;
    let stored: i64 = persistence::schema::bookings::table
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(stored, ROUNDS as i64, "one booking per lesson, no more");
}

async fn fifty_overlapping_lessons_for_one_teacher_and_one_is_scheduled(app: TestApp) {
    let school = School::open(&app).await;
    for round in 0..ROUNDS {
        let bodies = (0..AT_ONCE)
            .map(|n| {
                let at = format!("2031-02-{:02}T10:{n:02}:00Z", round + 1);
                lesson(&school.teacher, &at, 60, Some(&format!("Huone {n}")))
            })
            .collect();
        let outcomes = all_at_once(&app, &school.office, "/api/v1/lessons", bodies).await;
        one_winner(&outcomes, OVERLAP, round);
    }
}

async fn fifty_bookings_of_one_customer_at_one_time_and_one_is_made(app: TestApp) {
    let school = School::open(&app).await;
    let mut teachers = vec![school.teacher.clone()];
    for _ in 0..4 {
        teachers.push(school.another_teacher(&app).await);
    }
    let customer = create_customer(&app, &school.office, "Yksi").await;
    for round in 0..ROUNDS {
        let mut lessons = Vec::new();
        for (n, teacher) in teachers.iter().enumerate() {
            let at = format!("2031-03-{:02}T10:{:02}:00Z", round + 1, n * 5);
            let mut body = lesson(teacher, &at, 60, None);
            body["kind"] = json!("group");
            body["capacity"] = json!(20);
            lessons.push(create_lesson(&app, &school.office, &body).await);
        }
        let bodies = (0..AT_ONCE)
            .map(|n| json!({"lesson_id": lessons[n % lessons.len()], "customer_id": customer}))
            .collect();
        let outcomes = all_at_once(&app, &school.office, "/api/v1/bookings", bodies).await;
        one_winner(&outcomes, OVERLAP, round);
    }
}

on_both_backends!(
    fifty_customers_race_for_one_private_lesson_and_one_wins,
    fifty_overlapping_lessons_for_one_teacher_and_one_is_scheduled,
    fifty_bookings_of_one_customer_at_one_time_and_one_is_made,
);

/// On PostgreSQL the database itself refuses overlaps, whatever the code above it checks:
/// rows written straight to the tables, past every check, are refused by the exclusion
/// constraints.
#[actix_web::test]
async fn postgres_itself_refuses_overlapping_lessons_and_bookings() {
    use chrono::{DateTime, Utc};
    use persistence::DbError;
    use persistence::calendar::bookings::{self, Actor, NewBooking};
    use persistence::calendar::lessons::{self, Location, NewLesson};

    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let school = School::open(&app).await;
    let customer: uuid::Uuid = create_customer(&app, &school.office, "Suora")
        .await
        .parse()
        .unwrap();
    let at = |text: &str| {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    };
    let new = |teacher: &str, start: &str, room: &str| NewLesson {
        teacher_id: teacher.parse().unwrap(),
        starts_at: at(start),
        ends_at: at(start) + chrono::Duration::minutes(60),
        location: Location::Room(room.to_owned()),
        kind: domain::calendar::LessonKind::Group,
        capacity: 5,
        price_cents: 0,
    };
    let other = school.another_teacher(&app).await;
    let mut conn = app.pool.get().unwrap();
    let now = Utc::now();
    let first = lessons::insert(
        &mut conn,
        &new(&school.teacher, "2032-01-01T10:00:00Z", "A"),
        None,
        now,
    )
    .unwrap();
    let constraint = |result: Result<uuid::Uuid, DbError>| match result {
        Err(DbError::ExclusionViolation { constraint }) => constraint,
        other => panic!("not refused by the database: {other:?}"),
    };
    assert_eq!(
        constraint(lessons::insert(
            &mut conn,
            &new(&school.teacher, "2032-01-01T10:30:00Z", "B"),
            None,
            now
        )),
        "lessons_teacher_overlap"
    );
    assert_eq!(
        constraint(lessons::insert(
            &mut conn,
            &new(&other, "2032-01-01T10:59:00Z", " a "),
            None,
            now
        )),
        "lessons_room_overlap"
    );
    let second = lessons::insert(
        &mut conn,
        &new(&other, "2032-01-01T10:30:00Z", "C"),
        None,
        now,
    )
    .unwrap();
    let actor = Actor {
        kind: domain::audit::ActorKind::Account,
        id: Some(school.teacher.parse().unwrap()),
    };
    let booking = |lesson: uuid::Uuid, start: &str| NewBooking {
        lesson_id: lesson,
        customer_id: customer,
        starts_at: at(start),
        ends_at: at(start) + chrono::Duration::minutes(60),
        source: domain::calendar::BookingSource::Staff,
    };
    bookings::insert(
        &mut conn,
        &booking(first, "2032-01-01T10:00:00Z"),
        actor,
        now,
    )
    .unwrap();
    match bookings::insert(
        &mut conn,
        &booking(second, "2032-01-01T10:30:00Z"),
        actor,
        now,
    ) {
        Err(DbError::ExclusionViolation { constraint }) => {
            assert_eq!(constraint, "bookings_customer_overlap")
        }
        other => panic!("not refused by the database: {other:?}"),
    }
    drop(conn);
    drop(app);
    tests::all_stopped().await;
}
