//! The staff list's filters: restricted, has a login, minor, language, source, changed since;
//! each alone and together with a search, on both engines.

use actix_web::http::Method;
use chrono::{Duration, Utc};
use domain::Role;
use serde_json::{Value, json};
use tests::{TestApp, on_both_backends};

async fn create(app: &TestApp, token: &str, body: Value) -> String {
    let reply = app.post_json("/api/v1/customers", Some(token), &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_owned()
}

async fn names(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let reply = app
        .get_as(&format!("/api/v1/customers?{query}"), token)
        .await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.text());
    reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["first_name"].as_str().unwrap().to_owned())
        .collect()
}

async fn each_filter_narrows_the_list(app: TestApp) {
    let admin = app.admin_session().await;
    let office = app.session_as(Role::Office).await;
    let token = office.access_token.as_str();
    let today = Utc::now().date_naive();
    let just_adult = today - chrono::Months::new(12 * 18);
    let aino = create(
        &app,
        token,
        json!({"first_name": "Aino", "last_name": "Aalto",
        "email": "aino@example.fi", "birth_date": just_adult, "language": "fi"}),
    )
    .await;
    let _bertta = create(
        &app,
        token,
        json!({"first_name": "Bertta", "last_name": "Berg",
        "birth_date": just_adult + Duration::days(1), "language": "sv", "phone": "040 333 4444",
        "guardian": {"name": "Bengt Berg", "phone": "040 111 2222"}}),
    )
    .await;
    let cecilia = create(
        &app,
        token,
        json!({"first_name": "Cecilia", "last_name": "Cole",
        "email": "cecilia@example.fi", "language": "en"}),
    )
    .await;

    let restricted = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/customers/{cecilia}/restriction"),
            Some(&admin.access_token),
            &json!({"reason": "Kiistää tietojen oikeellisuuden"}),
        )
        .await;
    assert_eq!(restricted.status, 200, "{}", restricted.text());
    let issued = TestApp::send(
        app.authed(
            Method::POST,
            &format!("/api/v1/customers/{aino}/one-time-password"),
            token,
        ),
        None,
    )
    .await;
    assert_eq!(issued.status, 200, "{}", issued.text());

    let cases: [(&str, &[&str]); 12] = [
        ("", &["Aino", "Bertta", "Cecilia"]),
        ("restricted=true", &["Cecilia"]),
        ("restricted=false", &["Aino", "Bertta"]),
        ("has_account=true", &["Aino"]),
        ("has_account=false", &["Bertta", "Cecilia"]),
        ("minor=true", &["Bertta"]),
        ("minor=false", &["Aino", "Cecilia"]),
        ("language=sv", &["Bertta"]),
        ("source=staff", &["Aino", "Bertta", "Cecilia"]),
        ("source=webshop", &[]),
        ("minor=false&language=en&restricted=true", &["Cecilia"]),
        ("q=aalto&has_account=false", &[]),
    ];
    for (query, expected) in cases {
        assert_eq!(names(&app, token, query).await, expected, "{query}");
    }
    let future = (Utc::now() + Duration::hours(1)).format("%Y-%m-%dT%H:%M:%SZ");
    assert!(
        names(&app, token, &format!("updated_since={future}"))
            .await
            .is_empty()
    );
    let past = (Utc::now() - Duration::hours(1)).format("%Y-%m-%dT%H:%M:%SZ");
    assert_eq!(
        names(&app, token, &format!("updated_since={past}"))
            .await
            .len(),
        3
    );
    for bad in [
        "minor=maybe",
        "language=de",
        "source=fax",
        "updated_since=yesterday",
    ] {
        let reply = app.get_as(&format!("/api/v1/customers?{bad}"), token).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.text());
    }
}

on_both_backends!(each_filter_narrows_the_list);
