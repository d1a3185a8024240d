//! The authorization matrix rows of health, readiness and metrics.

use actix_web::http::Method;

use super::{Fixtures, Row, public};

pub(super) fn rows(_: &Fixtures) -> Vec<Row> {
    vec![
        Row {
            method: Method::GET,
            path: "/healthz".into(),
            body: None,
            expect: public(200),
        },
        Row {
            method: Method::GET,
            path: "/readyz".into(),
            body: None,
            expect: public(200),
        },
        Row {
            method: Method::GET,
            path: "/metrics".into(),
            body: None,
            expect: public(200),
        },
    ]
}
