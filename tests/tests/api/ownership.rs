//! A person's data is theirs by id, never by a matching email or phone number, and an erased
//! person stays erased: every write about them is refused in its own transaction.

use actix_web::http::Method;
use domain::Role;
use serde_json::{Value, json};
use tests::{TestApp, on_both_backends};

/// Subscribes `email`/`phone` to UniikkiLista (confirmed on both channels) without linking it
/// to any customer, and sends it one notice; returns the subscription id.
async fn a_stranger_on_the_list(app: &TestApp, office: &str, email: &str, phone: &str) -> String {
    let signup = json!({"name": "Vieras Henkilö", "age": 40, "email": email, "phone": phone,
        "channels": ["email", "sms"], "topics": ["cancellation_slots"],
        "privacy_notice_version": "2026-11-25"});
    let stranger = app
        .post_json(
            "/api/v1/customers",
            Some(office),
            &json!({"first_name": "Vieras", "last_name": "Henkilö", "phone": "040 999 7777"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let subscription = app.linked_subscriber(&signup, &stranger, office).await;
    // Unlinked again: the subscription is nobody's customer record now.
    let path = format!("/api/v1/uniikkilista/subscriptions/{subscription}");
    let unlinked = app
        .patch_json(&path, Some(office), &json!({"customer_id": null}))
        .await;
    assert_eq!(unlinked.status, 200, "{}", unlinked.text());
    let notice = json!({"topic": "cancellation_slots", "text": {"fi": "Vieraan viesti"}});
    let sent = app
        .post_json("/api/v1/uniikkilista/notices", Some(office), &notice)
        .await;
    assert_eq!(sent.status, 202, "{}", sent.text());
    subscription
}

fn rows_to(app: &TestApp, recipient: &str) -> i64 {
    use diesel::prelude::*;
    use persistence::schema::messages as m;
    m::table
        .filter(m::recipient.eq(recipient))
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap()
}

/// A customer who names someone else's email and phone as their guardian's gets none of that
/// person's data in their export, and their erasure leaves that person's data alone.
async fn contact_details_claimed_by_someone_else_are_not_theirs(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let subscription =
        a_stranger_on_the_list(&app, &office, "vieras@example.fi", "040 999 8888").await;
    let messages_before = rows_to(&app, "vieras@example.fi") + rows_to(&app, "+358409998888");
    assert!(messages_before >= 3, "confirmations and the notice");

    let (attacker, token) = app
        .customer_with_login(&office, "hyokkaaja@example.fi", json!({}))
        .await;
    let claim = json!({"guardian": {"name": "Vieras Henkilö", "email": "vieras@example.fi", "phone": "040 999 8888"}});
    let me = app.get_as("/api/v1/me", &token).await;
    let patched = app
        .authed(Method::PATCH, "/api/v1/me", &token)
        .insert_header(("content-type", "application/json"))
        .insert_header(("if-match", me.header("etag").unwrap().to_owned()));
    let patched = TestApp::send(patched, Some(claim.to_string().into_bytes())).await;
    assert_eq!(patched.status, 200, "{}", patched.text());

    let export = app.get_as("/api/v1/me/export", &token).await;
    assert_eq!(export.status, 200, "{}", export.text());
    let data = &export.json()["data"];
    for table in ["uniikkilista_subscriptions", "messages"] {
        let rows = data[table].as_array().map_or(0, Vec::len);
        assert_eq!(rows, 0, "{table} of someone else in the export: {data}");
    }
    assert!(!export.text().contains("Vieraan viesti"));

    let admin = app.admin_session().await.access_token;
    let erased = app
        .post_json(
            &format!("/api/v1/customers/{attacker}/erasure"),
            Some(&admin),
            &json!({"preview": false, "reason": "pyyntö"}),
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.text());
    let after = rows_to(&app, "vieras@example.fi") + rows_to(&app, "+358409998888");
    assert_eq!(after, messages_before, "the stranger's messages survive");
    let list = app
        .get_as("/api/v1/uniikkilista/subscriptions", &office)
        .await
        .json();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == subscription.as_str()),
        "the stranger's subscription survives: {list}"
    );
}

/// Everything a client can do about a customer, after the customer's erasure: each is refused
/// with 409 and changes nothing.
async fn an_erased_customer_can_never_be_written_to_again(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let admin = app.admin_session().await.access_token;
    let (customer, token) = app
        .customer_with_login(
            &office,
            "poistuva@example.fi",
            json!({"phone": "040 123 4567"}),
        )
        .await;
    let survey = app
        .post_json(
            "/api/v1/surveys",
            Some(&office),
            &json!({"kind": "feedback", "title": "Palaute", "questions": [{"id": "q", "kind": "text", "text": "?"}]}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let subscription = {
        let signup = json!({"name": "Lista", "age": 30, "email": "lista.poistuva@example.fi",
            "channels": ["email"], "topics": ["upcoming_enrolments"], "privacy_notice_version": "2026-11-25"});
        let other = app
            .post_json(
                "/api/v1/customers",
                Some(&office),
                &json!({"first_name": "Toinen", "last_name": "Asiakas", "phone": "040 999 6666"}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        app.linked_subscriber(&signup, &other, &office).await
    };
    let erased = app
        .post_json(
            &format!("/api/v1/customers/{customer}/erasure"),
            Some(&admin),
            &json!({"preview": false, "reason": "pyyntö"}),
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.text());
    let before = app
        .get_as(&format!("/api/v1/customers/{customer}"), &office)
        .await;
    assert!(before.json()["erased_at"].is_string(), "{}", before.text());

    let id = customer.as_str();
    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::PATCH,
            format!("/api/v1/customers/{id}"),
            Some(json!({"phone": "040 765 4321", "email": "uusi@example.fi"})),
        ),
        (
            Method::POST,
            format!("/api/v1/customers/{id}/one-time-password"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/customers/{id}/restriction"),
            Some(json!({"reason": "x"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/customers/{id}/consents/feedback_surveys"),
            Some(
                json!({"granted": true, "privacy_notice_version": "2026-11-25", "source": "staff_written_request", "given_by": "self"}),
            ),
        ),
        (
            Method::POST,
            "/api/v1/privacy-requests".to_owned(),
            Some(json!({"customer_id": id, "kind": "access", "identity_verification": "passi"})),
        ),
        (
            Method::POST,
            format!("/api/v1/surveys/{survey}/responses"),
            Some(json!({"customer_id": id, "answers": {"q": "vastaus"}})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/uniikkilista/subscriptions/{subscription}"),
            Some(json!({"customer_id": id})),
        ),
        (
            Method::POST,
            format!("/api/v1/customers/{id}/erasure"),
            Some(json!({"preview": false, "reason": "again"})),
        ),
    ];
    for (method, path, body) in attempts {
        let mut request = app.authed(method.clone(), &path, &admin);
        if method == Method::PATCH && path.starts_with("/api/v1/customers/") {
            request =
                request.insert_header(("if-match", before.header("etag").unwrap().to_owned()));
        }
        let reply = match body {
            Some(body) => {
                let request = request.insert_header(("content-type", "application/json"));
                TestApp::send(request, Some(body.to_string().into_bytes())).await
            }
            None => TestApp::send(request, None).await,
        };
        assert_eq!(reply.status, 409, "{method} {path}: {}", reply.text());
    }
    let after = app
        .get_as(&format!("/api/v1/customers/{customer}"), &office)
        .await;
    assert_eq!(after.json(), before.json(), "nothing changed");
    let own = app.get_as("/api/v1/me", &token).await;
    assert!(matches!(own.status.as_u16(), 401 | 404), "{}", own.text());
}

/// Erasures racing PATCHes without `If-Match`: whichever commits first, the erased row never
/// holds a value written by a PATCH.
async fn an_erasure_racing_updates_leaves_nothing_written(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let admin = app.admin_session().await.access_token;
    for round in 0..5 {
        let customer = app
            .post_json(
                "/api/v1/customers",
                Some(&office),
                &json!({"first_name": "Kilpa", "last_name": "Ajo", "email": format!("kilpa{round}@example.fi")}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/api/v1/customers/{customer}");
        let bodies: Vec<Value> = (0..10)
            .map(|i| json!({"phone": format!("040 55{round} {i:04}")}))
            .collect();
        let patches = bodies
            .iter()
            .map(|body| app.patch_json(&path, Some(&office), body));
        let (erasure_path, reason) = (
            format!("{path}/erasure"),
            json!({"preview": false, "reason": "kilpa"}),
        );
        let erasure = app.post_json(&erasure_path, Some(&admin), &reason);
        let (replies, erased) =
            futures_util::future::join(futures_util::future::join_all(patches), erasure).await;
        assert_eq!(erased.status, 200, "{}", erased.text());
        for reply in replies {
            assert!(
                matches!(reply.status.as_u16(), 200 | 409 | 412),
                "{}",
                reply.text()
            );
        }
        let row = app.get_as(&path, &office).await.json();
        assert!(row["phone"].is_null(), "round {round}: {row}");
        assert!(row["email"].is_null(), "round {round}: {row}");
        assert!(row["erased_at"].is_string(), "round {round}: {row}");
    }
}

/// Changing one's own email to someone else's says it is taken, not whose it is.
async fn self_service_does_not_tell_whose_email_it_is(app: TestApp) {
    let office = app.session_as(Role::Office).await.access_token;
    let other = app
        .post_json(
            "/api/v1/customers",
            Some(&office),
            &json!({"first_name": "Toinen", "last_name": "Ihminen", "email": "toinen@example.fi"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, token) = app
        .customer_with_login(&office, "utelias@example.fi", json!({}))
        .await;
    let me = app.get_as("/api/v1/me", &token).await;
    let request = app
        .authed(Method::PATCH, "/api/v1/me", &token)
        .insert_header(("content-type", "application/json"))
        .insert_header(("if-match", me.header("etag").unwrap().to_owned()));
    let reply = TestApp::send(
        request,
        Some(
            json!({"email": "toinen@example.fi"})
                .to_string()
                .into_bytes(),
        ),
    )
    .await;
    let problem = reply.problem(409, "https://api.uniikkiaani.fi/problems/conflict");
    assert!(
        problem.get("existing_id").is_none_or(Value::is_null),
        "{problem}"
    );
    assert!(!reply.text().contains(&other), "{}", reply.text());
}

on_both_backends!(
    contact_details_claimed_by_someone_else_are_not_theirs,
    an_erased_customer_can_never_be_written_to_again,
    an_erasure_racing_updates_leaves_nothing_written,
    self_service_does_not_tell_whose_email_it_is,
);
