//! The authorization matrix rows of logins, sessions, staff and integration keys (logout last: it ends the sessions).

use actix_web::http::Method;
use serde_json::json;

use super::{Fixtures, Row, Who, admin_only, public, staff};

pub(super) fn rows(f: &Fixtures) -> Vec<Row> {
    let Fixtures {
        target, spare_id, ..
    } = f;
    let Fixtures { spare, .. } = f;
    vec![
        Row {
            method: Method::POST,
            path: "/api/v1/auth/login".into(),
            body: Some(json!({"email": "nobody@example.fi", "password": "whatever it is"})),
            expect: public(401),
        },
        Row {
            method: Method::POST,
            path: "/api/v1/auth/refresh".into(),
            body: Some(json!({"refresh_token": "not-a-token"})),
            expect: public(401),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/auth/me".into(),
            body: None,
            expect: |w| if w == Who::Anonymous { 401 } else { 200 },
        },
        Row {
            method: Method::POST,
            path: "/api/v1/auth/password".into(),
            body: Some(
                json!({"current_password": "not the password", "new_password": "uusi salasana kuorolle"}),
            ),
            expect: |w| match w {
                Who::Anonymous => 401,
                Who::Calendar | Who::Webshop => 403,
                _ => 422,
            },
        },
        Row {
            method: Method::GET,
            path: "/api/v1/staff".into(),
            body: None,
            expect: admin_only(200),
        },
        Row {
            method: Method::POST,
            path: "/api/v1/staff".into(),
            body: Some(staff("new")),
            expect: admin_only(201),
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/staff/{target}"),
            body: None,
            expect: admin_only(200),
        },
        Row {
            method: Method::PATCH,
            path: format!("/api/v1/staff/{target}"),
            body: Some(json!({"display_name": "Muutettu"})),
            expect: admin_only(200),
        },
        Row {
            method: Method::POST,
            path: format!("/api/v1/staff/{target}/one-time-password"),
            body: None,
            expect: admin_only(200),
        },
        Row {
            method: Method::GET,
            path: "/api/v1/integrations".into(),
            body: None,
            expect: admin_only(200),
        },
        Row {
            method: Method::POST,
            path: "/api/v1/integrations".into(),
            body: Some(spare.clone()),
            expect: admin_only(201),
        },
        Row {
            method: Method::DELETE,
            path: format!("/api/v1/integrations/{spare_id}"),
            body: None,
            expect: admin_only(204),
        },
        Row {
            method: Method::POST,
            path: "/api/v1/auth/logout".into(),
            body: None,
            expect: |w| match w {
                Who::Anonymous => 401,
                Who::Calendar | Who::Webshop => 403,
                _ => 204,
            },
        },
    ]
}
