use actix_web::http::Method;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use domain::Role;
use persistence::sql_types::{DbTime, DbUuid};
use persistence::{idempotency, login_events, messages};
use serde_json::json;
use tests::{TestApp, on_both_backends};

async fn retention(app: &TestApp, dry_run: bool) -> api::privacy::retention::RetentionReport {
    let (pool, settings) = (app.pool.clone(), app.settings.clone());
    actix_web::web::block(move || {
        let key = api::signing_key::SigningKey::load_or_create(&settings).unwrap();
        api::privacy::retention::run(&pool, &settings, &key, dry_run)
    })
    .await
    .unwrap()
    .unwrap()
}

async fn retention_removes_only_what_has_outlived_its_purpose(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let long_ago = Utc::now() - Duration::days(400);
    let mut conn = app.pool.get().unwrap();
    let old_login = login_events::NewLoginEvent {
        account_id: None,
        login_name_hash: "x",
        outcome: login_events::LoginOutcome::BadCredentials,
        client_ip: Some("10.0.0.1"),
        user_agent: None,
    };
    login_events::record(&mut conn, &old_login, long_ago).unwrap();
    let message = messages::NewMessage {
        channel: messages::Channel::Email,
        recipient: "vanha@example.fi".into(),
        customer_id: None,
        subscription_id: None,
        purpose: "test.old",
        language: "fi",
        subject: Some("Vanha".into()),
        body: "Vanha viesti".into(),
        unsubscribe_url: None,
        calendar: None,
    };
    let old_message = messages::enqueue(&mut conn, &message, long_ago).unwrap();
    messages::mark_sent(&mut conn, old_message, long_ago).unwrap();
    for (key, at) in [
        ("vanha", Utc::now() - Duration::hours(25)),
        ("uusi", Utc::now()),
    ] {
        let request = idempotency::KeyedRequest {
            principal: "account:retention".into(),
            key: key.into(),
            method: "POST".into(),
            path: "/api/v1/customers".into(),
            fingerprint: "f".into(),
        };
        let (kept, abandoned) = (Duration::hours(24), Duration::minutes(5));
        idempotency::claim(&mut conn, &request, at, kept, abandoned).unwrap();
    }
    drop(conn);

    for email in ["vanha.tilaus@example.fi", "uusi.tilaus@example.fi"] {
        let signup = json!({"name": "Tilaaja", "age": 30, "email": email, "channels": ["email"],
            "topics": ["upcoming_enrolments"], "privacy_notice_version": "2026-11-25"});
        app.post_json("/api/v1/uniikkilista/subscriptions", None, &signup)
            .await;
    }
    {
        use persistence::schema::uniikkilista_subscriptions as s;
        diesel::update(s::table.filter(s::email.eq("vanha.tilaus@example.fi")))
            .set(s::created_at.eq(DbTime::new(Utc::now() - Duration::days(10))))
            .execute(&mut *app.pool.get().unwrap())
            .unwrap();
    }
    let mut ids = Vec::new();
    for (n, email) in [
        "passiivinen@example.fi",
        "aktiivinen@example.fi",
        "suostunut@example.fi",
    ]
    .iter()
    .enumerate()
    {
        let body =
            json!({"first_name": format!("Asiakas{n}"), "last_name": "Säilytys", "email": email});
        ids.push(
            app.post_json("/api/v1/customers", Some(&office.access_token), &body)
                .await
                .json()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // Untouched for years, but a consent given now is a sign of life.
    let consent = json!({"granted": true, "privacy_notice_version": "2026-11-25",
        "source": "staff_written_request", "given_by": "self"});
    let given = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/customers/{}/consents/uniikkilista_email", ids[2]),
            Some(&office.access_token),
            &consent,
        )
        .await;
    assert_eq!(given.status, 200, "{}", given.text());
    {
        use persistence::schema::customers as c;
        let old: Vec<DbUuid> = [&ids[0], &ids[2]]
            .iter()
            .map(|id| DbUuid(id.parse().unwrap()))
            .collect();
        diesel::update(c::table.filter(c::id.eq_any(old)))
            .set(c::updated_at.eq(DbTime::new(Utc::now() - Duration::days(4 * 365))))
            .execute(&mut *app.pool.get().unwrap())
            .unwrap();
    }

    let dry = retention(&app, true).await;
    assert_eq!(
        (
            dry.login_events,
            dry.unconfirmed_signups,
            dry.finished_messages,
            dry.inactive_customers,
            dry.idempotency_keys
        ),
        (1, 1, 1, 1, 1),
        "{dry:?}"
    );
    let again = retention(&app, true).await;
    assert_eq!(again, dry, "a dry run changes nothing");

    let done = retention(&app, false).await;
    assert_eq!(
        (
            done.login_events,
            done.unconfirmed_signups,
            done.finished_messages,
            done.inactive_customers,
            done.idempotency_keys
        ),
        (1, 1, 1, 1, 1)
    );
    let after = retention(&app, true).await;
    assert_eq!(
        (
            after.login_events,
            after.unconfirmed_signups,
            after.finished_messages,
            after.inactive_customers,
            after.idempotency_keys
        ),
        (0, 0, 0, 0, 0)
    );

    let inactive = app
        .get_as(
            &format!("/api/v1/customers/{}", ids[0]),
            &office.access_token,
        )
        .await
        .json();
    assert_eq!(inactive["first_name"], persistence::erasure::ERASED_NAME);
    assert!(inactive["email"].is_null());
    let active = app
        .get_as(
            &format!("/api/v1/customers/{}", ids[1]),
            &office.access_token,
        )
        .await
        .json();
    assert_eq!(active["first_name"], "Asiakas1");
    let consented = app
        .get_as(
            &format!("/api/v1/customers/{}", ids[2]),
            &office.access_token,
        )
        .await
        .json();
    assert_eq!(consented["first_name"], "Asiakas2");
    let admin = app.admin_session().await;
    let audit = app
        .get_as(
            "/api/v1/audit-events?action=retention.run",
            &admin.access_token,
        )
        .await
        .json();
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);
}

on_both_backends!(retention_removes_only_what_has_outlived_its_purpose);
