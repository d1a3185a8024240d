//! The authorization matrix rows of survey forms and answers.

use actix_web::http::Method;
use serde_json::json;

use super::{Fixtures, Row, Who, office_or_admin, people_only};

pub(super) fn rows(f: &Fixtures) -> Vec<Row> {
    let Fixtures {
        customer,
        survey,
        form,
        ..
    } = f;
    vec![
        Row {
            method: Method::POST,
            path: "/api/v1/surveys".into(),
            body: Some(form.clone()),
            expect: office_or_admin(201),
        },
        Row {
            method: Method::POST,
            path: format!("/api/v1/surveys/{survey}/versions"),
            body: Some(json!({"questions": form["questions"]})),
            expect: office_or_admin(201),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/surveys".into(),
            body: None,
            expect: people_only(200),
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/surveys/{survey}"),
            body: None,
            expect: people_only(200),
        },
        Row {
            method: Method::POST,
            path: format!("/api/v1/surveys/{survey}/responses"),
            body: Some(json!({"answers": {"mood": 4}})),
            // A customer answers for themselves; staff must name the customer (422 here).
            expect: |w| match w {
                Who::Customer => 201,
                Who::Admin | Who::Office => 422,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/surveys/{survey}/aggregates"),
            body: None,
            expect: office_or_admin(200),
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/customers/{customer}/survey-responses"),
            body: None,
            expect: office_or_admin(200),
        },
    ]
}
