//! The teaching calendar: lessons, free times, bookings, attendance, and their races.

mod bookings;
mod feeds;
mod lessons;
mod messages;
mod races;
mod webhooks;

use domain::Role;
use serde_json::{Value, json};
use tests::{Reply, TestApp};

/// The problem types of the calendar's refusals.
pub const FULL: &str = "https://api.uniikkiaani.fi/problems/lesson-full";
pub const OVERLAP: &str = "https://api.uniikkiaani.fi/problems/time-overlap";
pub const CUT_OFF: &str = "https://api.uniikkiaani.fi/problems/cut-off-passed";
pub const UNAVAILABLE: &str = "https://api.uniikkiaani.fi/problems/lesson-unavailable";

/// Office staff, a teacher (id, token) made by them, and the office token.
pub struct School {
    pub office: String,
    pub teacher: String,
    pub teacher_token: String,
}

impl School {
    pub async fn open(app: &TestApp) -> Self {
        let office = app.session_as(Role::Office).await.access_token;
        let session = app.session_as(Role::Teacher).await;
        Self {
            office,
            teacher: session.account_id.to_string(),
            teacher_token: session.access_token,
        }
    }

    /// Another active teacher's id.
    pub async fn another_teacher(&self, app: &TestApp) -> String {
        app.session_as(Role::Teacher).await.account_id.to_string()
    }
}

/// A lesson body: `teacher`'s, from `starts_at` for `minutes`, in `room` (online if `None`).
pub fn lesson(teacher: &str, starts_at: &str, minutes: i64, room: Option<&str>) -> Value {
    let start = chrono::DateTime::parse_from_rfc3339(starts_at).unwrap();
    let end = start + chrono::Duration::minutes(minutes);
    let location = match room {
        Some(room) => json!({"kind": "room", "room": room}),
        None => json!({"kind": "online", "url": "https://meet.example.fi/laulu"}),
    };
    json!({"teacher_id": teacher, "starts_at": starts_at,
        "ends_at": end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "location": location, "kind": "private", "capacity": 1, "price_cents": 4500})
}

/// Creates a lesson as `token`; returns its id.
pub async fn create_lesson(app: &TestApp, token: &str, body: &Value) -> String {
    let reply = app.post_json("/api/v1/lessons", Some(token), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_owned()
}

/// Creates a customer as `office`; returns the id.
pub async fn create_customer(app: &TestApp, office: &str, name: &str) -> String {
    let body = json!({"first_name": "Laulaja", "last_name": name,
        "email": format!("{}@example.fi", name.to_lowercase())});
    let reply = app
        .post_json("/api/v1/customers", Some(office), &body)
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_owned()
}

/// Books `lesson` for `customer` as `token` (`customer` `None`: for oneself).
pub async fn book(app: &TestApp, token: &str, lesson: &str, customer: Option<&str>) -> Reply {
    let mut body = json!({"lesson_id": lesson});
    if let Some(customer) = customer {
        body["customer_id"] = json!(customer);
    }
    app.post_json("/api/v1/bookings", Some(token), &body).await
}

/// `t` from now, as RFC 3339 UTC to the second.
pub fn in_future(t: chrono::Duration) -> String {
    (chrono::Utc::now() + t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
