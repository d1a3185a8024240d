use actix_web::http::Method;
use diesel::prelude::*;
use domain::Role;
use persistence::schema::messages;
use serde_json::{Value, json};
use tests::{Backend, TestApp, TestDatabase, code_in, on_both_backends, token_in};

fn signup(email: &str, phone: &str) -> Value {
    json!({"name": "Maija Meikäläinen", "age": 34, "email": email, "phone": phone,
           "channels": ["email", "sms"], "topics": ["upcoming_enrolments", "cancellation_slots"],
           "privacy_notice_version": "2026-11-25"})
}

async fn subscribe(app: &TestApp, body: &Value) -> tests::Reply {
    app.post_json("/api/v1/uniikkilista/subscriptions", None, body)
        .await
}

/// The bodies of queued messages to `recipient` for `purpose`, oldest first.
fn bodies(app: &TestApp, recipient: &str, purpose: &str) -> Vec<(String, Option<String>)> {
    messages::table
        .filter(messages::recipient.eq(recipient))
        .filter(messages::purpose.eq(purpose))
        .order(messages::created_at.asc())
        .select((messages::body, messages::unsubscribe_url))
        .load(&mut *app.pool.get().unwrap())
        .unwrap()
}

async fn confirm(app: &TestApp, token: &str) -> tests::Reply {
    app.post_json(
        "/api/v1/uniikkilista/confirm",
        None,
        &json!({"token": token}),
    )
    .await
}

/// Subscribes and confirms both channels; returns nothing but leaves an active subscriber.
async fn active_subscriber(app: &TestApp, email: &str, phone: &str, extra: Value) {
    let mut body = signup(email, phone);
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    assert_eq!(subscribe(app, &body).await.status, 202);
    let email_token = token_in(&bodies(app, email, "uniikkilista.confirm")[0].0);
    assert_eq!(confirm(app, &email_token).await.status, 200);
    if let Some(phone_e164) = body["phone"]
        .as_str()
        .map(|p| domain::PhoneNumber::parse(p).unwrap())
    {
        let sms = bodies(app, phone_e164.as_str(), "uniikkilista.confirm");
        if let Some((text, _)) = sms.last() {
            assert_eq!(
                confirm(app, &code_in(text).to_lowercase().replace('-', " "))
                    .await
                    .status,
                200
            );
        }
    }
}

async fn signing_up_sends_a_confirmation_on_each_channel_and_nothing_else(app: TestApp) {
    let reply = subscribe(&app, &signup("maija@example.fi", "040 123 4567")).await;
    assert_eq!(reply.status, 202, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"status": "confirmation_sent", "channels": ["email", "sms"]})
    );
    let email = bodies(&app, "maija@example.fi", "uniikkilista.confirm");
    assert_eq!(email.len(), 1);
    assert!(
        email[0].0.contains("/uniikkilista/vahvista?token="),
        "{}",
        email[0].0
    );
    let sms = bodies(&app, "+358401234567", "uniikkilista.confirm");
    assert!(sms[0].0.contains("vahvistuskoodisi on"), "{}", sms[0].0);

    let again = subscribe(&app, &signup("maija@example.fi", "040 123 4567")).await;
    assert_eq!(
        (again.status.as_u16(), again.json()),
        (202, reply.json()),
        "an address already on the list looks the same"
    );
}

async fn confirming_activates_each_channel_once(app: TestApp) {
    subscribe(&app, &signup("maija@example.fi", "040 123 4567")).await;
    let token = token_in(&bodies(&app, "maija@example.fi", "uniikkilista.confirm")[0].0);
    let confirmed = confirm(&app, &token).await;
    assert_eq!(
        confirmed.json(),
        json!({"status": "confirmed", "channel": "email"})
    );
    confirm(&app, &token)
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    confirm(&app, "made-up-token")
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let code = code_in(&bodies(&app, "+358401234567", "uniikkilista.confirm")[0].0);
    let typed = code.to_lowercase().replace('-', "");
    assert_eq!(
        confirm(&app, &typed).await.json()["channel"],
        "sms",
        "codes may be typed loosely"
    );

    let office = app.session_as(Role::Office).await;
    let page = app
        .get_as(
            "/api/v1/uniikkilista/subscriptions?status=active",
            &office.access_token,
        )
        .await
        .json();
    let channels = &page["items"][0]["channels"];
    assert_eq!(channels[0]["status"], "active");
    assert_eq!(channels[1]["status"], "active");
}

async fn bad_sign_ups_name_the_field_and_store_nothing(app: TestApp) {
    let with = |field: &str, value: Value| {
        let mut body = signup("maija@example.fi", "040 123 4567");
        body[field] = value;
        body
    };
    let cases = [
        (
            "minor without guardian",
            with("age", json!(15)),
            "guardian_name",
            "required_for_minor",
        ),
        (
            "sms without phone",
            {
                let mut b = with("phone", Value::Null);
                b.as_object_mut().unwrap().remove("phone");
                b
            },
            "phone",
            "required",
        ),
        (
            "invalid email",
            with("email", json!("maija@")),
            "email",
            "email",
        ),
        (
            "invalid phone",
            with("phone", json!("12")),
            "phone",
            "phone",
        ),
        (
            "no channel",
            with("channels", json!([])),
            "channels",
            "length",
        ),
        (
            "unknown channel",
            with("channels", json!(["fax"])),
            "channels[0]",
            "invalid_value",
        ),
        ("no topic", with("topics", json!([])), "topics", "length"),
        ("impossible age", with("age", json!(130)), "age", "range"),
        (
            "over-long name",
            with("name", json!("a".repeat(101))),
            "name",
            "length",
        ),
        (
            "unknown field",
            with("newsletter", json!(true)),
            "newsletter",
            "unknown_field",
        ),
        (
            "unknown notice version",
            with("privacy_notice_version", json!("1999-01-01")),
            "privacy_notice_version",
            "unknown_version",
        ),
        (
            "no notice version",
            with("privacy_notice_version", json!("")),
            "privacy_notice_version",
            "length",
        ),
    ];
    for (case, body, field, code) in cases {
        let problem = subscribe(&app, &body)
            .await
            .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
        assert_eq!(problem["errors"][0]["field"], field, "{case}: {problem}");
        assert_eq!(problem["errors"][0]["code"], code, "{case}: {problem}");
    }
    let stored: i64 = persistence::schema::uniikkilista_subscriptions::table
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(stored, 0);
}

async fn under_thirteen_the_guardian_gives_the_consent(app: TestApp) {
    let mut child = signup("huoltaja@example.fi", "040 765 4321");
    child["age"] = json!(11);
    child["guardian_name"] = json!("Matti Meikäläinen");
    assert_eq!(subscribe(&app, &child).await.status, 202);
    let mut teen = signup("teini@example.fi", "040 765 4322");
    teen["age"] = json!(15);
    teen["guardian_name"] = json!("Liisa");
    assert_eq!(subscribe(&app, &teen).await.status, 202);
    let office = app.session_as(Role::Office).await;
    let items = app
        .get_as("/api/v1/uniikkilista/subscriptions", &office.access_token)
        .await
        .json()["items"]
        .clone();
    assert_eq!(items[0]["consent_given_by"], "guardian");
    assert_eq!(items[1]["consent_given_by"], "self");
    assert_eq!(items[0]["privacy_notice_version"], "2026-11-25");
}

async fn notices_reach_only_confirmed_channels_in_the_subscribers_language(app: TestApp) {
    active_subscriber(&app, "fi@example.fi", "040 000 0001", json!({})).await;
    active_subscriber(
        &app,
        "en@example.fi",
        "040 000 0002",
        json!({"language": "en", "topics": ["upcoming_enrolments"]}),
    )
    .await;
    active_subscriber(
        &app,
        "slots@example.fi",
        "040 000 0003",
        json!({"topics": ["cancellation_slots"]}),
    )
    .await;
    subscribe(&app, &signup("pending@example.fi", "040 000 0004")).await;

    let office = app.session_as(Role::Office).await;
    let notice = json!({"topic": "upcoming_enrolments", "text": {"fi": "Ilmoittautuminen alkaa!", "en": "Enrolment opens!"}});
    let reply = app
        .post_json(
            "/api/v1/uniikkilista/notices",
            Some(&office.access_token),
            &notice,
        )
        .await;
    assert_eq!(reply.status, 202, "{}", reply.text());
    assert_eq!(reply.json(), json!({"subscribers": 2, "messages": 4}));

    let fi = bodies(&app, "fi@example.fi", "uniikkilista.notice");
    assert!(
        fi[0].0.starts_with("Ilmoittautuminen alkaa!"),
        "{}",
        fi[0].0
    );
    assert!(
        fi[0]
            .1
            .as_deref()
            .unwrap()
            .contains("/api/v1/uniikkilista/unsubscribe?token=")
    );
    assert!(
        bodies(&app, "en@example.fi", "uniikkilista.notice")[0]
            .0
            .starts_with("Enrolment opens!")
    );
    assert!(
        bodies(&app, "+358400000001", "uniikkilista.notice")[0]
            .0
            .contains("Peru: ")
    );
    assert!(
        bodies(&app, "slots@example.fi", "uniikkilista.notice").is_empty(),
        "other topic"
    );
    assert!(
        bodies(&app, "pending@example.fi", "uniikkilista.notice").is_empty(),
        "not confirmed"
    );
}

async fn a_notice_retried_with_its_idempotency_key_is_sent_once(app: TestApp) {
    active_subscriber(&app, "kerran@example.fi", "040 000 0009", json!({})).await;
    let office = app.session_as(Role::Office).await;
    let notice =
        json!({"topic": "cancellation_slots", "text": {"fi": "Perjantaina vapautui aika."}});
    let send = || {
        let request = app
            .authed(
                Method::POST,
                "/api/v1/uniikkilista/notices",
                &office.access_token,
            )
            .insert_header(("content-type", "application/json"))
            .insert_header(("idempotency-key", "perjantai-1"));
        TestApp::send(request, Some(notice.to_string().into_bytes()))
    };
    let first = send().await;
    assert_eq!(first.status, 202, "{}", first.text());
    let retry = send().await;
    assert_eq!(retry.status, 202, "{}", retry.text());
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(retry.json(), first.json());
    assert_eq!(
        bodies(&app, "kerran@example.fi", "uniikkilista.notice").len(),
        1,
        "the retry queued nothing"
    );
}

async fn the_token_in_a_message_unsubscribes_its_channel_and_no_notice_follows(app: TestApp) {
    active_subscriber(&app, "maija@example.fi", "040 123 4567", json!({})).await;
    let office = app.session_as(Role::Office).await;
    let notice = json!({"topic": "cancellation_slots", "text": {"fi": "Torstaina vapautui aika."}});
    app.post_json(
        "/api/v1/uniikkilista/notices",
        Some(&office.access_token),
        &notice,
    )
    .await;
    let email_token = token_in(&bodies(&app, "maija@example.fi", "uniikkilista.notice")[0].0);
    let sms_token = token_in(&bodies(&app, "+358401234567", "uniikkilista.notice")[0].0);

    let reply = app
        .post_json(
            "/api/v1/uniikkilista/unsubscribe",
            None,
            &json!({"token": email_token}),
        )
        .await;
    assert_eq!(
        reply.json(),
        json!({"status": "unsubscribed", "channels": ["email"]})
    );
    let again = app
        .post_json(
            "/api/v1/uniikkilista/unsubscribe",
            None,
            &json!({"token": email_token}),
        )
        .await;
    assert_eq!(again.status, 200, "unsubscribing twice is fine");

    let second = app
        .post_json(
            "/api/v1/uniikkilista/notices",
            Some(&office.access_token),
            &notice,
        )
        .await;
    assert_eq!(
        second.json(),
        json!({"subscribers": 1, "messages": 1}),
        "only SMS is left"
    );

    // One-click from a mail client: the token in the query, a form body.
    let path = format!("/api/v1/uniikkilista/unsubscribe?token={sms_token}&scope=all");
    let one_click = app
        .send_raw(
            Method::POST,
            &path,
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click",
        )
        .await;
    assert_eq!(one_click.status, 200, "{}", one_click.text());
    let third = app
        .post_json(
            "/api/v1/uniikkilista/notices",
            Some(&office.access_token),
            &notice,
        )
        .await;
    assert_eq!(third.json(), json!({"subscribers": 0, "messages": 0}));
    app.post_json(
        "/api/v1/uniikkilista/unsubscribe",
        None,
        &json!({"token": "nonsense"}),
    )
    .await
    .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let no_token = app
        .send_raw(
            Method::POST,
            "/api/v1/uniikkilista/unsubscribe",
            "text/plain",
            "x",
        )
        .await;
    no_token.problem(
        415,
        "https://api.uniikkiaani.fi/problems/unsupported-media-type",
    );
    let nothing = TestApp::send(
        app.request(Method::POST, "/api/v1/uniikkilista/unsubscribe?scope=all"),
        None,
    )
    .await;
    let problem = nothing.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    assert_eq!(
        (
            problem["errors"][0]["field"].as_str(),
            problem["errors"][0]["code"].as_str()
        ),
        (Some("token"), Some("required"))
    );
}

async fn staff_filter_subscriptions_and_link_them_to_customers(app: TestApp) {
    active_subscriber(&app, "maija@example.fi", "040 123 4567", json!({})).await;
    subscribe(&app, &signup("odottaa@example.fi", "040 123 4568")).await;
    let office = app.session_as(Role::Office).await;
    let list = |query: &str| {
        let path = format!("/api/v1/uniikkilista/subscriptions?{query}");
        let token = office.access_token.clone();
        let app = &app;
        async move {
            app.get_as(&path, &token).await.json()["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(list("status=active").await, 1);
    assert_eq!(list("status=pending").await, 1);
    assert_eq!(list("status=unsubscribed").await, 0);
    assert_eq!(list("topic=cancellation_slots&channel=sms").await, 2);

    let customer = app
        .post_json(
            "/api/v1/customers",
            Some(&office.access_token),
            &json!({"first_name": "Maija", "last_name": "M", "email": "maija@example.fi"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let items = app
        .get_as(
            "/api/v1/uniikkilista/subscriptions?status=active",
            &office.access_token,
        )
        .await
        .json();
    let path = format!(
        "/api/v1/uniikkilista/subscriptions/{}",
        items["items"][0]["id"].as_str().unwrap()
    );
    let linked = app
        .patch_json(
            &path,
            Some(&office.access_token),
            &json!({"customer_id": customer}),
        )
        .await;
    assert_eq!(linked.json()["customer_id"], customer.as_str());
    assert_eq!(list(&format!("customer_id={customer}")).await, 1);
    let unknown = json!({"customer_id": uuid::Uuid::now_v7()});
    let reply = app
        .patch_json(&path, Some(&office.access_token), &unknown)
        .await;
    assert_eq!(
        reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["field"],
        "customer_id"
    );
}

async fn a_confirmation_email_is_delivered_with_its_link(app: TestApp) {
    subscribe(&app, &signup("maija@example.fi", "040 123 4567")).await;
    assert_eq!(app.deliver_due().await, 2);
    let outbox = app.data_dir().join("outbox");
    let delivered: Vec<String> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        delivered
            .iter()
            .any(|m| m.contains("To: maija@example.fi")
                && m.contains("uniikkilista/vahvista?token=")),
        "{delivered:?}"
    );
    assert!(delivered.iter().any(|m| m.contains("+358401234567")));
}

async fn a_sign_up_made_by_a_stranger_is_refused_from_the_confirmation_message(app: TestApp) {
    subscribe(&app, &signup("uhri@example.fi", "040 123 4567")).await;
    let (body, one_click) = bodies(&app, "uhri@example.fi", "uniikkilista.confirm").remove(0);
    let one_click = one_click.expect("confirmation emails carry List-Unsubscribe");
    let stop_token = token_in(&one_click);
    assert!(
        body.contains(&format!("/uniikkilista/peru?token={stop_token}")),
        "{body}"
    );
    let path = format!("/api/v1/uniikkilista/unsubscribe?token={stop_token}&scope=all");
    let refused = app
        .send_raw(
            Method::POST,
            &path,
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click",
        )
        .await;
    assert_eq!(refused.json()["channels"], json!(["email", "sms"]));

    // Even if the link is then opened, nothing is ever sent.
    confirm(&app, &token_in(&body)).await;
    let office = app.session_as(Role::Office).await;
    let notice = json!({"topic": "upcoming_enrolments", "text": {"fi": "Tervetuloa!"}});
    let sent = app
        .post_json(
            "/api/v1/uniikkilista/notices",
            Some(&office.access_token),
            &notice,
        )
        .await;
    assert_eq!(sent.json(), json!({"subscribers": 0, "messages": 0}));
}

on_both_backends!(
    a_sign_up_made_by_a_stranger_is_refused_from_the_confirmation_message,
    signing_up_sends_a_confirmation_on_each_channel_and_nothing_else,
    confirming_activates_each_channel_once,
    bad_sign_ups_name_the_field_and_store_nothing,
    under_thirteen_the_guardian_gives_the_consent,
    notices_reach_only_confirmed_channels_in_the_subscribers_language,
    a_notice_retried_with_its_idempotency_key_is_sent_once,
    the_token_in_a_message_unsubscribes_its_channel_and_no_notice_follows,
    staff_filter_subscriptions_and_link_them_to_customers,
    a_confirmation_email_is_delivered_with_its_link,
);

#[actix_web::test]
async fn public_sign_ups_are_rate_limited_per_client() {
    let app = TestApp::spawn_with(TestDatabase::new(Backend::Sqlite), |s| {
        s.http.public_rate_per_minute = 1;
        s.http.public_rate_burst = 2;
    })
    .await;
    for n in 0..2 {
        assert_eq!(
            subscribe(&app, &signup(&format!("m{n}@example.fi"), "040 123 4567"))
                .await
                .status,
            202
        );
    }
    let limited = subscribe(&app, &signup("m9@example.fi", "040 123 4567")).await;
    limited.problem(429, "https://api.uniikkiaani.fi/problems/too-many-requests");
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(
        app.get("/healthz").await.status,
        200,
        "other routes are not limited"
    );
}
