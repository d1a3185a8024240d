//! An access token carries no rights of its own: what ends a session or changes a role takes
//! effect on the very next request, not when the token expires; and throttling holds when the
//! guesses arrive all at once.

use actix_web::http::Method;
use domain::Role;
use serde_json::json;
use tests::{PASSWORD, TestApp, on_both_backends};

async fn patch_staff(app: &TestApp, admin: &str, id: uuid::Uuid, body: serde_json::Value) {
    let path = format!("/api/v1/staff/{id}");
    let reply = app.patch_json(&path, Some(admin), &body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// Office may list UniikkiLista subscriptions, a teacher may not — checked with the same token
/// before and after each change. The list is an audited read, which refuses a token whose role
/// has changed as an ended session (401, log in again for the new role); an ordinary request
/// (`/auth/me` is one) goes on with the role the account has now.
async fn demotion_deactivation_logout_and_password_change_end_rights_at_once(app: TestApp) {
    let admin = app.admin_session().await.access_token;
    let office = app.session_as(Role::Office).await;
    assert_eq!(
        app.get_as("/api/v1/uniikkilista/subscriptions", &office.access_token)
            .await
            .status,
        200
    );
    patch_staff(&app, &admin, office.account_id, json!({"role": "teacher"})).await;
    let demoted = app
        .get_as("/api/v1/uniikkilista/subscriptions", &office.access_token)
        .await;
    demoted.problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    let me = app.get_as("/api/v1/auth/me", &office.access_token).await;
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["role"], "teacher");

    let deactivated = app.session_as(Role::Office).await;
    patch_staff(
        &app,
        &admin,
        deactivated.account_id,
        json!({"active": false}),
    )
    .await;
    app.get_as(
        "/api/v1/uniikkilista/subscriptions",
        &deactivated.access_token,
    )
    .await
    .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");

    let leaving = app.session_as(Role::Office).await;
    let out = TestApp::send(
        app.authed(Method::POST, "/api/v1/auth/logout", &leaving.access_token),
        None,
    )
    .await;
    assert_eq!(out.status, 204);
    app.get_as("/api/v1/auth/me", &leaving.access_token)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");

    let phone = app.session_as(Role::Office).await;
    let laptop = app.login(&phone.email, PASSWORD).await.json();
    let laptop = laptop["access_token"].as_str().unwrap();
    let body = json!({"current_password": PASSWORD, "new_password": "uusi salasana kuorolle"});
    let changed = app
        .post_json("/api/v1/auth/password", Some(&phone.access_token), &body)
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    for old in [laptop, phone.access_token.as_str()] {
        app.get_as("/api/v1/uniikkilista/subscriptions", old)
            .await
            .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    }
    let fresh = changed.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get_as("/api/v1/uniikkilista/subscriptions", &fresh)
            .await
            .status,
        200
    );
}

/// Audited reads check the session together with their audit entry (in the writer's batch):
/// the same rules hold, and a refused read leaves no entry.
async fn audited_reads_end_with_the_session_too(app: TestApp) {
    let admin = app.admin_session().await.access_token;
    let customer = app
        .post_json(
            "/api/v1/customers",
            Some(&admin),
            &json!({"first_name": "Luettava", "last_name": "Asiakas", "phone": "040 765 0000"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let one = format!("/api/v1/customers/{customer}");
    let leaving = app.session_as(Role::Office).await;
    assert_eq!(app.get_as(&one, &leaving.access_token).await.status, 200);
    let out = TestApp::send(
        app.authed(Method::POST, "/api/v1/auth/logout", &leaving.access_token),
        None,
    )
    .await;
    assert_eq!(out.status, 204);
    for path in [one.as_str(), "/api/v1/customers"] {
        app.get_as(path, &leaving.access_token)
            .await
            .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    }
    let reads = app
        .audit_entries(
            &admin,
            &format!("actor_id={}&action=customer.read", leaving.account_id),
        )
        .await;
    assert_eq!(reads.len(), 1, "only the read before the logout: {reads:?}");

    let demoted = app.session_as(Role::Office).await;
    patch_staff(&app, &admin, demoted.account_id, json!({"role": "teacher"})).await;
    app.get_as(&one, &demoted.access_token)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    let deactivated = app.session_as(Role::Office).await;
    patch_staff(
        &app,
        &admin,
        deactivated.account_id,
        json!({"active": false}),
    )
    .await;
    app.get_as("/api/v1/customers", &deactivated.access_token)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
}

/// An erased customer's access token stops working at once.
async fn an_erased_customers_token_stops_working(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let admin = app.admin_session().await.access_token;
    let (customer, token) = app
        .customer_with_login(&office, "poistettava@example.fi", json!({}))
        .await;
    assert_eq!(app.get_as("/api/v1/me", &token).await.status, 200);
    let erased = app
        .post_json(
            &format!("/api/v1/customers/{customer}/erasure"),
            Some(&admin),
            &json!({"preview": false, "reason": "pyyntö"}),
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.text());
    app.get_as("/api/v1/me", &token)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
}

/// Thirty wrong passwords for one login name sent at once (as from thirty addresses would be
/// the same: the name is what is counted): only the allowed five are checked.
async fn simultaneous_wrong_passwords_are_throttled_like_consecutive_ones(app: TestApp) {
    let session = app.session_as(Role::Office).await;
    let guesses = (0..30).map(|i| {
        app.login(
            &session.email,
            if i % 2 == 0 {
                "väärä salasana"
            } else {
                "toinen arvaus"
            },
        )
    });
    let replies = futures_util::future::join_all(guesses).await;
    let (mut refused, mut throttled) = (0, 0);
    for reply in &replies {
        match reply.status.as_u16() {
            401 => refused += 1,
            429 => throttled += 1,
            other => panic!("{other}: {}", reply.text()),
        }
    }
    assert_eq!(
        refused, 5,
        "the limit is 5 failures; {throttled} were throttled"
    );
    // And the right password waits its turn too.
    app.login(&session.email, PASSWORD)
        .await
        .problem(429, "https://api.uniikkiaani.fi/problems/too-many-requests");
}

/// Correct logins sent at once for one account wait for one another instead of being refused.
async fn simultaneous_correct_logins_all_succeed(app: TestApp) {
    let session = app.session_as(Role::Office).await;
    let logins = (0..12).map(|_| app.login(&session.email, PASSWORD));
    for reply in futures_util::future::join_all(logins).await {
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
}

/// A wrong current password in a password change counts like a failed login, also when the
/// guesses arrive together.
async fn simultaneous_password_change_guesses_are_throttled(app: TestApp) {
    let session = app.session_as(Role::Teacher).await;
    let body = json!({"current_password": "ei tämä", "new_password": "uusi hyvä salasana tähän"});
    let guesses =
        (0..12).map(|_| app.post_json("/api/v1/auth/password", Some(&session.access_token), &body));
    let replies = futures_util::future::join_all(guesses).await;
    let refused = replies.iter().filter(|r| r.status == 422).count();
    let throttled = replies.iter().filter(|r| r.status == 429).count();
    assert_eq!((refused, throttled), (5, 7));
}

on_both_backends!(
    demotion_deactivation_logout_and_password_change_end_rights_at_once,
    audited_reads_end_with_the_session_too,
    an_erased_customers_token_stops_working,
    simultaneous_wrong_passwords_are_throttled_like_consecutive_ones,
    simultaneous_correct_logins_all_succeed,
    simultaneous_password_change_guesses_are_throttled,
);
