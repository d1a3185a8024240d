//! The authorization matrix rows of lessons, free times and bookings.

use actix_web::http::Method;
use serde_json::{Value, json};

use super::{EVERYONE, Fixtures, Row, Who, customer_only, public};

/// A lesson of the matrix's teacher, `day` days into February 2030, at `hour` UTC.
pub(super) fn lesson(teacher: &str, day: usize, hour: usize) -> Value {
    json!({"teacher_id": teacher,
        "starts_at": format!("2030-02-{:02}T{hour:02}:00:00Z", day + 1),
        "ends_at": format!("2030-02-{:02}T{hour:02}:45:00Z", day + 1),
        "location": {"kind": "online", "url": "https://meet.example.fi/matriisi"},
        "kind": "group", "capacity": 50, "price_cents": 2500})
}

/// The body a caller sends to a creating calendar route: a time of its own, so that callers
/// do not overlap each other.
pub(super) fn body_for(path: &str, teacher: &str, who: Who) -> Option<Value> {
    let index = EVERYONE.iter().position(|w| *w == who).unwrap_or(0);
    match path {
        "/api/v1/lessons" => Some(lesson(teacher, index, 8)),
        "/api/v1/lesson-series" => {
            Some(json!({"lesson": lesson(teacher, index, 10), "weeks": 1, "skip_dates": []}))
        }
        _ => None,
    }
}

/// Any staff member (a teacher for their own lessons).
fn staff(success: u16) -> fn(Who) -> u16 {
    match success {
        200 => |w| match w {
            Who::Admin | Who::Office | Who::Teacher => 200,
            Who::Anonymous => 401,
            _ => 403,
        },
        201 => |w| match w {
            Who::Admin | Who::Office | Who::Teacher => 201,
            Who::Anonymous => 401,
            _ => 403,
        },
        409 => |w| match w {
            Who::Admin | Who::Office | Who::Teacher => 409,
            Who::Anonymous => 401,
            _ => 403,
        },
        428 => |w| match w {
            Who::Admin | Who::Office | Who::Teacher => 428,
            Who::Anonymous => 401,
            _ => 403,
        },
        _ => unreachable!(),
    }
}

pub(super) fn rows(f: &Fixtures) -> Vec<Row> {
    let Fixtures {
        customer,
        teacher,
        lesson: shared,
        other_lesson,
        booking,
        cancel_booking,
        feed,
        feed_token,
        spare_id,
        ..
    } = f;
    vec![
        Row {
            method: Method::POST,
            path: "/api/v1/lessons".into(),
            body: Some(lesson(teacher, 0, 8)),
            expect: staff(201),
        },
        Row {
            method: Method::POST,
            path: "/api/v1/lesson-series".into(),
            body: Some(json!({"lesson": lesson(teacher, 0, 10), "weeks": 1})),
            expect: staff(201),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/lessons".into(),
            body: None,
            expect: staff(200),
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/lessons/{shared}"),
            body: None,
            expect: staff(200),
        },
        // Without If-Match: who may cancel gets as far as the precondition.
        Row {
            method: Method::POST,
            path: format!("/api/v1/lessons/{shared}/cancel"),
            body: None,
            expect: staff(428),
        },
        // The lesson has not started: who may record attendance is told so.
        Row {
            method: Method::PUT,
            path: format!("/api/v1/lessons/{shared}/attendance/{customer}"),
            body: Some(json!({"outcome": "attended"})),
            expect: staff(409),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/lesson-slots".into(),
            body: None,
            expect: public(200),
        },
        // A customer books for themselves; staff and the calendar must name the customer.
        Row {
            method: Method::POST,
            path: "/api/v1/bookings".into(),
            body: Some(json!({"lesson_id": shared})),
            expect: |w| match w {
                Who::Customer => 201,
                Who::Office | Who::Admin | Who::Calendar => 422,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        // The teacher reaches the customer booked on their lesson; another customer and an
        // integration that did not make the booking find nothing.
        Row {
            method: Method::GET,
            path: format!("/api/v1/bookings/{booking}"),
            body: None,
            expect: |w| match w {
                Who::Admin | Who::Office | Who::Teacher => 200,
                Who::Customer | Who::Calendar => 404,
                Who::Anonymous => 401,
                Who::Webshop => 403,
            },
        },
        // The first who may cancels; the next finds it cancelled already.
        Row {
            method: Method::POST,
            path: format!("/api/v1/bookings/{cancel_booking}/cancel"),
            body: None,
            expect: |w| match w {
                Who::Office => 200,
                Who::Admin => 409,
                Who::Customer | Who::Calendar => 404,
                Who::Anonymous => 401,
                Who::Teacher | Who::Webshop => 403,
            },
        },
        Row {
            method: Method::GET,
            path: "/api/v1/me/bookings".into(),
            body: None,
            expect: customer_only(200),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/me/lessons".into(),
            body: None,
            expect: customer_only(200),
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/customers/{customer}/bookings"),
            body: None,
            expect: staff(200),
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/customers/{customer}/lessons"),
            body: None,
            expect: staff(200),
        },
        // A teacher and a customer make feeds of their own calendars; an admin must name whose.
        Row {
            method: Method::POST,
            path: "/api/v1/calendar-feeds".into(),
            body: Some(json!({})),
            expect: |w| match w {
                Who::Customer | Who::Teacher => 201,
                Who::Admin => 422,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        Row {
            method: Method::GET,
            path: "/api/v1/calendar-feeds".into(),
            body: None,
            expect: |w| match w {
                Who::Customer | Who::Teacher | Who::Admin => 200,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        // The secret URL is the credential: whoever holds it reads the calendar.
        Row {
            method: Method::GET,
            path: format!("/api/v1/ical/{feed_token}"),
            body: None,
            expect: public(200),
        },
        Row {
            method: Method::POST,
            path: format!("/api/v1/calendar-feeds/{feed}/rotate"),
            body: None,
            expect: |w| match w {
                Who::Teacher | Who::Admin => 200,
                Who::Customer => 404,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        // The teacher revokes their feed; the admin after them finds it gone.
        Row {
            method: Method::DELETE,
            path: format!("/api/v1/calendar-feeds/{feed}"),
            body: None,
            expect: |w| match w {
                Who::Teacher => 204,
                Who::Customer | Who::Admin => 404,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        // The signature is the credential: without the Standard Webhooks headers, nobody.
        Row {
            method: Method::POST,
            path: format!("/api/v1/integrations/{spare_id}/webhooks"),
            body: Some(json!({})),
            expect: public(400),
        },
        Row {
            method: Method::POST,
            path: format!("/api/v1/integrations/{spare_id}/webhook-secret"),
            body: None,
            expect: |w| match w {
                Who::Admin => 200,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        // Last: it moves the shared booking away. The first who may moves it; the next finds
        // it there already.
        Row {
            method: Method::POST,
            path: format!("/api/v1/bookings/{booking}/reschedule"),
            body: Some(json!({"lesson_id": other_lesson})),
            expect: |w| match w {
                Who::Office => 200,
                Who::Admin => 422,
                Who::Customer | Who::Calendar => 404,
                Who::Anonymous => 401,
                Who::Teacher | Who::Webshop => 403,
            },
        },
    ]
}
