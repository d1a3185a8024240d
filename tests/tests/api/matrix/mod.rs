//! The authorization matrix: every documented operation, called as every kind of caller, gets
//! the status the policy promises. Each area's rows are in its own file here; a new endpoint
//! fails the test until its area has a row for it, and a new area adds its file to `AREAS`.

mod calendar;
mod customers;
mod identity;
mod operations;
mod privacy;
mod surveys;
mod uniikkilista;

use std::collections::BTreeSet;

use actix_web::http::Method;
use domain::Role;
use serde_json::{Value, json};
use tests::{TestApp, on_both_backends};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Customer,
    Teacher,
    Office,
    Admin,
    Calendar,
    Webshop,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::Customer,
    Who::Teacher,
    Who::Office,
    Who::Admin,
    Who::Calendar,
    Who::Webshop,
];

/// One operation and the status each caller gets.
struct Row {
    method: Method,
    path: String,
    body: Option<Value>,
    expect: fn(Who) -> u16,
}

/// The things rows act on, made once before the matrix runs.
struct Fixtures {
    customer: String,
    target: String,
    subscription: uuid::Uuid,
    survey: String,
    privacy_request: String,
    spare_id: String,
    /// The survey form created as `survey`.
    form: Value,
    /// The bodies that created `spare_id`, `privacy_request` and the subscription.
    spare: Value,
    request: Value,
    signup: Value,
    /// The matrix's teacher (the account behind `Who::Teacher`), their lessons, bookings of
    /// `customer` on `lesson` and on another lesson (to cancel), and a lesson to move to.
    teacher: String,
    lesson: String,
    other_lesson: String,
    booking: String,
    cancel_booking: String,
    /// A calendar feed of the matrix's teacher, made by the admin, and its URL's token.
    feed: String,
    feed_token: String,
}

/// Each area's rows, in the order they run (identity last: its logout ends the sessions).
const AREAS: [fn(&Fixtures) -> Vec<Row>; 7] = [
    operations::rows,
    customers::rows,
    calendar::rows,
    uniikkilista::rows,
    surveys::rows,
    privacy::rows,
    identity::rows,
];

/// A staff account to create, named `n`.
fn staff(n: &str) -> Value {
    json!({"email": format!("matrix.{n}@uniikkiaani.fi"), "display_name": "M", "role": "office"})
}

/// A customer to create, named `n`.
fn person(n: &str) -> Value {
    json!({"first_name": "Matriisi", "last_name": n, "email": format!("matrix.{n}@example.fi")})
}

fn public(status: u16) -> fn(Who) -> u16 {
    match status {
        200 => |_| 200,
        202 => |_| 202,
        400 => |_| 400,
        401 => |_| 401,
        422 => |_| 422,
        _ => unreachable!(),
    }
}

/// Only an admin may; everyone else authenticated is refused, the anonymous asked to log in.
fn admin_only(success: u16) -> fn(Who) -> u16 {
    match success {
        200 => |w| match w {
            Who::Admin => 200,
            Who::Anonymous => 401,
            _ => 403,
        },
        201 => |w| match w {
            Who::Admin => 201,
            Who::Anonymous => 401,
            _ => 403,
        },
        204 => |w| match w {
            Who::Admin => 204,
            Who::Anonymous => 401,
            _ => 403,
        },
        _ => unreachable!(),
    }
}

/// Office and admin may; everyone else authenticated is refused.
fn office_or_admin(success: u16) -> fn(Who) -> u16 {
    match success {
        200 => |w| match w {
            Who::Admin | Who::Office => 200,
            Who::Anonymous => 401,
            _ => 403,
        },
        201 => |w| match w {
            Who::Admin | Who::Office => 201,
            Who::Anonymous => 401,
            _ => 403,
        },
        202 => |w| match w {
            Who::Admin | Who::Office => 202,
            Who::Anonymous => 401,
            _ => 403,
        },
        _ => unreachable!(),
    }
}

/// Any person logged in; integrations are refused.
fn people_only(success: u16) -> fn(Who) -> u16 {
    match success {
        200 => |w| match w {
            Who::Anonymous => 401,
            Who::Calendar | Who::Webshop => 403,
            _ => 200,
        },
        _ => unreachable!(),
    }
}

/// Only a customer, about themselves.
fn customer_only(success: u16) -> fn(Who) -> u16 {
    match success {
        200 => |w| match w {
            Who::Customer => 200,
            Who::Anonymous => 401,
            _ => 403,
        },
        _ => unreachable!(),
    }
}

/// The documented operation a concrete request is an instance of.
fn operation_of(method: &Method, path: &str, documented: &BTreeSet<String>) -> Option<String> {
    let path = path.split('?').next().unwrap_or(path);
    documented
        .iter()
        .find(|op| {
            let (m, template) = op.split_once(' ').unwrap();
            m == method.as_str() && actix_web::dev::ResourceDef::new(template).is_match(path)
        })
        .cloned()
}

async fn every_operation_answers_each_caller_as_the_policy_says(app: TestApp) {
    let admin = app.admin_session().await;
    let mut tokens = Vec::new();
    for who in EVERYONE {
        let token = match who {
            Who::Anonymous => None,
            Who::Customer => {
                let session = app.session_as(Role::Customer).await;
                let own =
                    json!({"first_name": "Oma", "last_name": "Asiakas", "email": session.email});
                let created = app
                    .post_json("/api/v1/customers", Some(&admin.access_token), &own)
                    .await;
                let id = created.json()["id"].as_str().unwrap().parse().unwrap();
                let mut conn = app.pool.get().unwrap();
                persistence::customers::link_account(&mut conn, id, session.account_id).unwrap();
                Some(session.access_token)
            }
            Who::Teacher => Some(app.session_as(Role::Teacher).await.access_token),
            Who::Office => Some(app.session_as(Role::Office).await.access_token),
            Who::Admin => Some(admin.access_token.clone()),
            Who::Calendar | Who::Webshop => {
                let kind = if who == Who::Calendar {
                    "calendar"
                } else {
                    "webshop"
                };
                let body = json!({"name": kind, "kind": kind, "processor": {"company": "P Oy", "country": "FI", "in_eea": true}});
                let created = app
                    .post_json("/api/v1/integrations", Some(&admin.access_token), &body)
                    .await;
                Some(created.json()["api_key"].as_str().unwrap().to_owned())
            }
        };
        tokens.push((who, token));
    }
    let target = app
        .post_json("/api/v1/staff", Some(&admin.access_token), &staff("target"))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let customer = app
        .post_json(
            "/api/v1/customers",
            Some(&admin.access_token),
            &person("target"),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let signup = json!({"name": "Matriisi", "age": 30, "email": "lista@example.fi", "channels": ["email"],
        "topics": ["upcoming_enrolments"], "privacy_notice_version": "2026-11-25"});
    assert_eq!(
        app.post_json("/api/v1/uniikkilista/subscriptions", None, &signup)
            .await
            .status,
        202
    );
    let subscription = {
        use diesel::prelude::*;
        let ids: Vec<persistence::sql_types::DbUuid> =
            persistence::schema::uniikkilista_subscriptions::table
                .select(persistence::schema::uniikkilista_subscriptions::id)
                .load(&mut *app.pool.get().unwrap())
                .unwrap();
        ids[0].0
    };
    let form = json!({"kind": "feedback", "title": "Palaute", "questions": [
        {"id": "mood", "kind": "scale", "text": "Fiilis", "required": true}]});
    let survey = app
        .post_json("/api/v1/surveys", Some(&admin.access_token), &form)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let request =
        json!({"customer_id": customer, "kind": "access", "identity_verification": "Passi"});
    let privacy_request = app
        .post_json(
            "/api/v1/privacy-requests",
            Some(&admin.access_token),
            &request,
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let spare = json!({"name": "spare", "kind": "webshop", "processor": {"company": "P Oy", "country": "FI", "in_eea": true}});
    let spare_id = app
        .post_json("/api/v1/integrations", Some(&admin.access_token), &spare)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let teacher_token = tokens
        .iter()
        .find(|(w, _)| *w == Who::Teacher)
        .and_then(|(_, t)| t.clone())
        .unwrap();
    let teacher = app.me(&teacher_token).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let make_lesson = async |day: usize| {
        let reply = app
            .post_json(
                "/api/v1/lessons",
                Some(&admin.access_token),
                &calendar::lesson(&teacher, day, 14),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_str().unwrap().to_owned()
    };
    let lesson = make_lesson(10).await;
    let other_lesson = make_lesson(11).await;
    let cancel_lesson = make_lesson(12).await;
    let book = async |lesson: &str| {
        let body = json!({"lesson_id": lesson, "customer_id": customer});
        let reply = app
            .post_json("/api/v1/bookings", Some(&admin.access_token), &body)
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_str().unwrap().to_owned()
    };
    let booking = book(&lesson).await;
    let cancel_booking = book(&cancel_lesson).await;
    let feed = app
        .post_json(
            "/api/v1/calendar-feeds",
            Some(&admin.access_token),
            &json!({"teacher_id": teacher}),
        )
        .await;
    assert_eq!(feed.status, 201, "{}", feed.text());
    let feed = feed.json();
    let feed_token = feed["url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let feed = feed["feed"]["id"].as_str().unwrap().to_owned();

    let fixtures = Fixtures {
        customer,
        target,
        subscription,
        survey,
        privacy_request,
        spare_id,
        form,
        spare,
        request,
        signup,
        teacher,
        lesson,
        other_lesson,
        booking,
        cancel_booking,
        feed,
        feed_token,
    };
    let rows: Vec<Row> = AREAS.iter().flat_map(|area| area(&fixtures)).collect();

    let documented = documented_operations();
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    for row in &rows {
        covered.extend(operation_of(&row.method, &row.path, &documented));
        for (who, token) in &tokens {
            let mut body = row.body.clone();
            // Bodies that must differ per caller: a new email each, and a login name each
            // (five failures for one name would rightly be throttled).
            let name = format!("{who:?}").to_lowercase();
            if row.method == Method::POST && row.path == "/api/v1/staff" {
                body = Some(staff(&name));
            }
            if row.method == Method::POST && row.path == "/api/v1/customers" {
                body = Some(person(&name));
            }
            if row.method == Method::POST
                && let Some(own) = calendar::body_for(&row.path, &fixtures.teacher, *who)
            {
                body = Some(own);
            }
            if row.path == "/api/v1/auth/login" {
                body = Some(
                    json!({"email": format!("nobody.{name}@example.fi"), "password": "whatever it is"}),
                );
            }
            let reply = match (&body, token) {
                (Some(body), token) if row.method == Method::PATCH => {
                    app.patch_json(&row.path, token.as_deref(), body).await
                }
                (Some(body), token) => {
                    app.send_json(row.method.clone(), &row.path, token.as_deref(), body)
                        .await
                }
                (None, Some(token)) => {
                    TestApp::send(app.authed(row.method.clone(), &row.path, token), None).await
                }
                (None, None) => {
                    TestApp::send(app.request(row.method.clone(), &row.path), None).await
                }
            };
            let expected = (row.expect)(*who);
            if reply.status.as_u16() != expected {
                failures.push(format!(
                    "{} {} as {who:?}: {} (expected {expected})",
                    row.method, row.path, reply.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "operations missing from the matrix: {missing:?}"
    );
}

fn documented_operations() -> BTreeSet<String> {
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    out
}

on_both_backends!(every_operation_answers_each_caller_as_the_policy_says);
