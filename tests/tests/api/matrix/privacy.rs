//! The authorization matrix rows of consents, data-subject rights, the audit log.

use actix_web::http::Method;
use serde_json::json;

use super::{Fixtures, Row, Who, admin_only, customer_only, office_or_admin, public};

pub(super) fn rows(f: &Fixtures) -> Vec<Row> {
    let Fixtures {
        customer,
        privacy_request,
        request,
        ..
    } = f;
    vec![
        Row {
            method: Method::GET,
            path: "/api/v1/audit-events".into(),
            body: None,
            expect: admin_only(200),
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/customers/{customer}/export"),
            body: None,
            expect: office_or_admin(200),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/me/export".into(),
            body: None,
            expect: customer_only(200),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/privacy-notice?lang=en".into(),
            body: None,
            expect: public(200),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/privacy-notice/versions".into(),
            body: None,
            expect: public(200),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/me/consents".into(),
            body: None,
            expect: customer_only(200),
        },
        Row {
            method: Method::PUT,
            path: "/api/v1/me/consents/feedback_surveys".into(),
            body: Some(json!({"granted": true, "privacy_notice_version": "2026-11-25"})),
            expect: customer_only(200),
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/customers/{customer}/consents"),
            body: None,
            expect: office_or_admin(200),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/processing-records".into(),
            body: None,
            expect: admin_only(200),
        },
        Row {
            method: Method::POST,
            path: "/api/v1/me/privacy-requests".into(),
            body: Some(json!({"kind": "access"})),
            expect: |w| match w {
                Who::Customer => 201,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        Row {
            method: Method::GET,
            path: "/api/v1/me/privacy-requests".into(),
            body: None,
            expect: customer_only(200),
        },
        Row {
            method: Method::GET,
            // Filed by staff for another customer: the matrix's customer is not its subject.
            path: format!("/api/v1/me/privacy-requests/{privacy_request}"),
            body: None,
            expect: |w| match w {
                Who::Customer => 404,
                Who::Anonymous => 401,
                _ => 403,
            },
        },
        Row {
            method: Method::POST,
            path: "/api/v1/privacy-requests".into(),
            body: Some(request.clone()),
            expect: admin_only(201),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/privacy-requests?overdue=true".into(),
            body: None,
            expect: admin_only(200),
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/privacy-requests/{privacy_request}"),
            body: None,
            expect: admin_only(200),
        },
        Row {
            method: Method::PATCH,
            path: format!("/api/v1/privacy-requests/{privacy_request}"),
            body: Some(json!({"resolution": "Käsittelyssä"})),
            expect: admin_only(200),
        },
        Row {
            method: Method::POST,
            path: format!("/api/v1/customers/{customer}/erasure"),
            body: Some(json!({"preview": true, "reason": "matrix"})),
            expect: admin_only(200),
        },
        Row {
            method: Method::PUT,
            path: format!("/api/v1/customers/{customer}/restriction"),
            body: Some(json!({"reason": "matrix"})),
            expect: admin_only(200),
        },
        Row {
            method: Method::DELETE,
            path: format!("/api/v1/customers/{customer}/restriction"),
            body: None,
            expect: admin_only(200),
        },
    ]
}
