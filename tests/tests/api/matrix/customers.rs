//! The authorization matrix rows of customers and a customer's own record.

use actix_web::http::Method;
use serde_json::json;

use super::{Fixtures, Row, Who, customer_only, office_or_admin, person};

pub(super) fn rows(f: &Fixtures) -> Vec<Row> {
    let Fixtures { customer, .. } = f;
    vec![
        Row {
            method: Method::POST,
            path: "/api/v1/customers".into(),
            body: Some(person("new")),
            expect: office_or_admin(201),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/customers".into(),
            body: None,
            expect: |w| match w {
                Who::Admin | Who::Office | Who::Teacher => 200,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/customers/{customer}"),
            body: None,
            // A teacher reaches only their own students; this customer is booked on the
            // matrix teacher's lesson (another person is simply not found: see `calendar`).
            expect: |w| match w {
                Who::Admin | Who::Office | Who::Teacher => 200,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        Row {
            method: Method::PATCH,
            path: format!("/api/v1/customers/{customer}"),
            body: Some(json!({"phone": "040 123 4567"})),
            expect: office_or_admin(200),
        },
        Row {
            method: Method::POST,
            path: format!("/api/v1/customers/{customer}/one-time-password"),
            body: None,
            expect: office_or_admin(200),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/me".into(),
            body: None,
            expect: customer_only(200),
        },
        Row {
            method: Method::PATCH,
            path: "/api/v1/me".into(),
            body: Some(json!({"phone": "050 765 4321"})),
            expect: customer_only(200),
        },
    ]
}
