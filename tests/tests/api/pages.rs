//! The pages message links land on: opening shows, pressing the button does.
//! (`tests/pages/check` presses the buttons in headless Chromium.)

use actix_web::http::Method;
use diesel::prelude::*;
use persistence::schema::{messages as m, uniikkilista_subscriptions as s};
use serde_json::json;
use tests::{Reply, TestApp, on_both_backends, token_in};

/// The body of the newest message to `recipient`, and its one-click unsubscribe URL.
fn newest_to(app: &TestApp, recipient: &str) -> (String, Option<String>) {
    m::table
        .filter(m::recipient.eq(recipient))
        .order(m::created_at.desc())
        .select((m::body, m::unsubscribe_url))
        .first(&mut *app.pool.get().unwrap())
        .unwrap()
}

/// (email confirmed, email unsubscribed) of the subscription of `email`.
fn state_of(app: &TestApp, email: &str) -> (bool, bool) {
    let (confirmed, withdrawn): (
        Option<persistence::sql_types::DbTime>,
        Option<persistence::sql_types::DbTime>,
    ) = s::table
        .filter(s::email.eq(email))
        .select((s::email_confirmed_at, s::email_unsubscribed_at))
        .first(&mut *app.pool.get().unwrap())
        .unwrap();
    (confirmed.is_some(), withdrawn.is_some())
}

/// The path of the first link in `text` that goes to `page`.
fn link_to(text: &str, page: &str) -> String {
    let start = text.find(page).expect("the link");
    text[start..].split_whitespace().next().unwrap().to_owned()
}

async fn press(app: &TestApp, path: &str, form: &str) -> Reply {
    let request = app
        .request(Method::POST, path)
        .insert_header(("content-type", "application/x-www-form-urlencoded"));
    TestApp::send(request, Some(form.as_bytes().to_vec())).await
}

async fn opening_a_link_shows_and_pressing_the_button_does(app: TestApp) {
    let signup = json!({"name": "Sigrid", "age": 30, "email": "sigrid@example.fi",
        "language": "sv", "channels": ["email"], "topics": ["cancellation_slots"],
        "privacy_notice_version": "2026-11-25"});
    let reply = app
        .post_json("/api/v1/uniikkilista/subscriptions", None, &signup)
        .await;
    assert_eq!(reply.status, 202, "{}", reply.text());
    let (body, _) = newest_to(&app, "sigrid@example.fi");
    let confirm = link_to(&body, "/uniikkilista/vahvista?token=");

    // Opened twice, as a mail scanner and then the person would: nothing changes.
    for _ in 0..2 {
        let page = TestApp::send(app.request(Method::GET, &confirm), None).await;
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(html.contains("<html lang=\"sv\">"), "{html}");
        assert!(html.contains("<form method=\"post\" action=\"/uniikkilista/vahvista\">"));
        assert!(html.contains("Bekräfta prenumerationen</button>"));
        assert_eq!(page.header("cache-control"), Some("no-store"));
    }
    assert_eq!(state_of(&app, "sigrid@example.fi"), (false, false));

    let token = token_in(&body);
    let done = press(
        &app,
        "/uniikkilista/vahvista",
        &format!("token={token}&scope=confirm"),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(done.text().contains("Din prenumeration är bekräftad"));
    assert_eq!(state_of(&app, "sigrid@example.fi"), (true, false));
    // The token worked once.
    let again = press(&app, "/uniikkilista/vahvista", &format!("token={token}")).await;
    assert_eq!(again.status, 400);
    assert!(
        again.text().contains("Länken gäller inte"),
        "{}",
        again.text()
    );

    // Unsubscribing from the link in the same message.
    let stop = link_to(&body, "/uniikkilista/peru?token=");
    let page = TestApp::send(app.request(Method::GET, &stop), None).await;
    assert_eq!(page.status, 200, "{stop}: {}", page.text());
    assert!(page.text().contains("name=\"scope\" value=\"all\""));
    assert_eq!(state_of(&app, "sigrid@example.fi"), (true, false));
    let stop_token = token_in(&stop);
    let done = press(
        &app,
        "/uniikkilista/peru",
        &format!("token={stop_token}&scope=all"),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(state_of(&app, "sigrid@example.fi"), (true, true));

    // Made-up and short tokens (an SMS code) are not looked up here.
    for form in ["token=ABCD-EFGH", "token=%3Cscript%3E", "nothing=here"] {
        let reply = press(&app, "/uniikkilista/vahvista", form).await;
        assert!(reply.status.is_client_error(), "{form}: {}", reply.status);
    }
    let page = TestApp::send(
        app.request(
            Method::GET,
            "/uniikkilista/vahvista?token=%22%3E%3Cscript%3E",
        ),
        None,
    )
    .await;
    assert_eq!(page.status, 400);
    assert!(!page.text().contains("<script>"));
}

on_both_backends!(opening_a_link_shows_and_pressing_the_button_does);
