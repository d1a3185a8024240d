use actix_web::http::Method;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::Role;
use serde_json::{Value, json};
use tests::{PASSWORD, TestApp, on_both_backends};

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

async fn the_first_admin_must_change_the_one_time_password_before_anything_else(app: TestApp) {
    let email = app.admin.email.as_str().to_owned();
    let first = app.login(&email, &app.admin.one_time_password).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let body = first.json();
    assert_eq!(body["must_change_password"], true);
    let limited = body["access_token"].as_str().unwrap();

    let me = app.me(limited).await;
    assert_eq!(me["must_change_password"], true);
    app.get_as("/api/v1/staff", limited).await.problem(
        403,
        "https://api.uniikkiaani.fi/problems/password-change-required",
    );

    let change = json!({"current_password": app.admin.one_time_password, "new_password": PASSWORD});
    let changed = app
        .post_json("/api/v1/auth/password", Some(limited), &change)
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert_eq!(changed.json()["must_change_password"], false);
    let full = changed.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get_as("/api/v1/staff", &full).await.status, 200);

    let again = app.login(&email, &app.admin.one_time_password).await;
    again.problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    assert_eq!(app.login(&email, PASSWORD).await.status, 200);
}

async fn login_returns_an_oauth_token_response_with_the_documented_claims(app: TestApp) {
    let session = app.session_as(Role::Office).await;
    let reply = app.login(&session.email, PASSWORD).await;
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["must_change_password"], false);
    assert!(
        body["refresh_token"].as_str().unwrap().len() >= 43,
        "256 bits"
    );
    let claims = claims_of(body["access_token"].as_str().unwrap());
    assert_eq!(claims["sub"], session.account_id.to_string());
    assert_eq!(claims["role"], "office");
    assert_eq!(claims["iss"], "uniikki");
    assert_eq!(claims["aud"], "uniikki-api");
    assert!(claims["jti"].is_string() && claims["sid"].is_string());
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 900);
}

async fn unknown_email_wrong_password_and_deactivated_account_look_the_same(app: TestApp) {
    let known = app.session_as(Role::Teacher).await;
    let inactive = app.session_as(Role::Teacher).await;
    deactivate(&app, inactive.account_id).await;
    let replies = [
        app.login("nobody.here@example.fi", PASSWORD).await,
        app.login(&known.email, "a wrong password here").await,
        app.login(&inactive.email, PASSWORD).await,
        app.login("not even an email", PASSWORD).await,
    ];
    let shapes: Vec<(u16, Value)> = replies
        .iter()
        .map(|r| {
            let mut body = r.problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
            body.as_object_mut().unwrap().remove("request_id");
            assert!(r.header("www-authenticate").is_some());
            (r.status.as_u16(), body)
        })
        .collect();
    assert!(shapes.windows(2).all(|w| w[0] == w[1]), "{shapes:?}");
}

async fn deactivate(app: &TestApp, id: uuid::Uuid) {
    let admin = app.admin_session().await;
    let path = format!("/api/v1/staff/{id}");
    let reply = app
        .patch_json(&path, Some(&admin.access_token), &json!({"active": false}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

async fn every_login_attempt_is_recorded_and_last_login_is_kept(app: TestApp) {
    use diesel::prelude::*;
    use persistence::schema::{accounts, login_events};
    let session = app.session_as(Role::Office).await;
    app.login(&session.email, "a wrong password here").await;
    app.login("nobody.here@example.fi", PASSWORD).await;
    let mut conn = app.pool.get().unwrap();
    let outcomes: Vec<(String, Option<String>)> = login_events::table
        .select((login_events::outcome, login_events::user_agent))
        .order(login_events::occurred_at.asc())
        .load(&mut *conn)
        .unwrap();
    let names: Vec<&str> = outcomes.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(names, ["success", "bad_credentials", "bad_credentials"]);
    let with_ip: i64 = login_events::table
        .filter(login_events::client_ip.eq("127.0.0.1"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(with_ip, 3);
    let last_login: Option<persistence::sql_types::DbTime> = accounts::table
        .find(persistence::sql_types::DbUuid(session.account_id))
        .select(accounts::last_login_at)
        .first(&mut *conn)
        .unwrap();
    assert!(last_login.is_some());
}

async fn refresh_rotates_and_a_reused_token_revokes_the_whole_session(app: TestApp) {
    let session = app.session_as(Role::Office).await;
    let first = app.refresh(&session.refresh_token).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let second_token = first.json()["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_token, session.refresh_token);

    app.refresh(&session.refresh_token)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    app.refresh(&second_token)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
}

async fn logout_ends_the_session(app: TestApp) {
    let session = app.session_as(Role::Teacher).await;
    let reply = TestApp::send(
        app.authed(Method::POST, "/api/v1/auth/logout", &session.access_token),
        None,
    )
    .await;
    assert_eq!(reply.status, 204);
    app.refresh(&session.refresh_token)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
}

async fn changing_the_password_ends_the_other_sessions(app: TestApp) {
    let phone = app.session_as(Role::Office).await;
    let laptop = app.login(&phone.email, PASSWORD).await.json();
    let body = json!({"current_password": PASSWORD, "new_password": "uusi salasana kuorolle"});
    let changed = app
        .post_json("/api/v1/auth/password", Some(&phone.access_token), &body)
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    app.refresh(laptop["refresh_token"].as_str().unwrap())
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    app.refresh(&phone.refresh_token)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    let fresh = changed.json()["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(app.refresh(&fresh).await.status, 200);
    assert_eq!(
        app.login(&phone.email, "uusi salasana kuorolle")
            .await
            .status,
        200
    );
}

async fn the_password_policy_names_the_broken_rule(app: TestApp) {
    let session = app.session_as(Role::Teacher).await;
    let cases = [
        ("short", "length"),
        ("salasana1234", "too_common"),
        (session.email.as_str(), "same_as_email"),
        (PASSWORD, "unchanged"),
    ];
    for (new_password, code) in cases {
        let body = json!({"current_password": PASSWORD, "new_password": new_password});
        let reply = app
            .post_json("/api/v1/auth/password", Some(&session.access_token), &body)
            .await;
        let problem = reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
        assert_eq!(
            problem["errors"][0]["field"], "new_password",
            "{new_password}"
        );
        assert_eq!(problem["errors"][0]["code"], code, "{new_password}");
    }
    let wrong =
        json!({"current_password": "not my password", "new_password": "uusi salasana kuorolle"});
    let reply = app
        .post_json("/api/v1/auth/password", Some(&session.access_token), &wrong)
        .await;
    assert_eq!(
        reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["field"],
        "current_password"
    );
}

async fn repeated_failures_are_throttled_with_a_growing_retry_after(app: TestApp) {
    let session = app.session_as(Role::Office).await;
    let policy = "\"login\";q=5;w=900, \"login-address\";q=30;w=900";
    for _ in 0..5 {
        let failed = app.login(&session.email, "a wrong password here").await;
        failed.problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
        assert_eq!(failed.header("ratelimit-policy"), Some(policy));
        assert_eq!(
            failed.header("ratelimit"),
            None,
            "how many failures are left is never told"
        );
    }
    let throttled = app.login(&session.email, PASSWORD).await;
    throttled.problem(429, "https://api.uniikkiaani.fi/problems/too-many-requests");
    let first_wait: u64 = throttled.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&first_wait), "{first_wait}");
    assert_eq!(throttled.header("ratelimit-policy"), Some(policy));
    assert_eq!(
        throttled.header("ratelimit"),
        Some(format!("\"login\";r=0;t={first_wait}").as_str())
    );

    for _ in 0..5 {
        app.login("nobody.here@example.fi", "a wrong password here")
            .await;
    }
    let unknown = app.login("nobody.here@example.fi", PASSWORD).await;
    unknown.problem(429, "https://api.uniikkiaani.fi/problems/too-many-requests");
}

async fn a_deactivated_account_loses_its_session_at_the_next_refresh(app: TestApp) {
    let session = app.session_as(Role::Teacher).await;
    deactivate(&app, session.account_id).await;
    app.refresh(&session.refresh_token)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
}

async fn an_expired_one_time_password_no_longer_logs_in(app: TestApp) {
    use diesel::prelude::*;
    use persistence::schema::accounts;
    let mut conn = app.pool.get().unwrap();
    let past = persistence::sql_types::DbTime::new(chrono::Utc::now() - chrono::Duration::hours(1));
    diesel::update(accounts::table.filter(accounts::email.eq(app.admin.email.as_str())))
        .set(accounts::password_expires_at.eq(Some(past)))
        .execute(&mut *conn)
        .unwrap();
    let reply = app
        .login(app.admin.email.as_str(), &app.admin.one_time_password)
        .await;
    reply.problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
}

on_both_backends!(
    the_first_admin_must_change_the_one_time_password_before_anything_else,
    login_returns_an_oauth_token_response_with_the_documented_claims,
    unknown_email_wrong_password_and_deactivated_account_look_the_same,
    every_login_attempt_is_recorded_and_last_login_is_kept,
    refresh_rotates_and_a_reused_token_revokes_the_whole_session,
    logout_ends_the_session,
    changing_the_password_ends_the_other_sessions,
    the_password_policy_names_the_broken_rule,
    repeated_failures_are_throttled_with_a_growing_retry_after,
    a_deactivated_account_loses_its_session_at_the_next_refresh,
    an_expired_one_time_password_no_longer_logs_in,
);
