//! The authorization matrix rows of UniikkiLista.

use actix_web::http::Method;
use serde_json::json;

use super::{Fixtures, Row, office_or_admin, public};

pub(super) fn rows(f: &Fixtures) -> Vec<Row> {
    let Fixtures {
        customer,
        subscription,
        signup,
        ..
    } = f;
    vec![
        Row {
            method: Method::POST,
            path: "/api/v1/uniikkilista/subscriptions".into(),
            body: Some(signup.clone()),
            expect: public(202),
        },
        Row {
            method: Method::POST,
            path: "/api/v1/uniikkilista/confirm".into(),
            body: Some(json!({"token": "not-a-token"})),
            expect: public(422),
        },
        Row {
            method: Method::POST,
            path: "/api/v1/uniikkilista/unsubscribe".into(),
            body: Some(json!({"token": "not-a-token"})),
            expect: public(422),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/uniikkilista/subscriptions".into(),
            body: None,
            expect: office_or_admin(200),
        },
        Row {
            method: Method::PATCH,
            path: format!("/api/v1/uniikkilista/subscriptions/{subscription}"),
            body: Some(json!({"customer_id": null})),
            expect: office_or_admin(200),
        },
        Row {
            method: Method::POST,
            path: "/api/v1/uniikkilista/notices".into(),
            body: Some(json!({"topic": "upcoming_enrolments", "text": {"fi": "Tervetuloa!"}})),
            expect: office_or_admin(202),
        },
        Row {
            method: Method::PUT,
            path: format!("/api/v1/customers/{customer}/consents/uniikkilista_sms"),
            body: Some(
                json!({"granted": true, "privacy_notice_version": "2026-11-25",
                "source": "web_form", "given_by": "self"}),
            ),
            expect: office_or_admin(200),
        },
    ]
}
