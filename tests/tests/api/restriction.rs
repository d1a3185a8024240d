use actix_web::http::Method;
use domain::Role;
use serde_json::json;
use tests::{TestApp, on_both_backends};

async fn a_restricted_customer_is_kept_but_not_processed_until_lifted(app: TestApp) {
    let admin = app.admin_session().await;
    let office = app.session_as(Role::Office).await;
    let body = json!({"first_name": "Rajoitettu", "last_name": "Asiakas", "email": "rajoitettu@example.fi"});
    let customer = app
        .post_json("/api/v1/customers", Some(&office.access_token), &body)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let signup = json!({"name": "Rajoitettu", "age": 30, "email": "rajoitettu@example.fi", "channels": ["email"],
        "topics": ["upcoming_enrolments"], "privacy_notice_version": "2026-11-25"});
    app.linked_subscriber(&signup, &customer, &office.access_token)
        .await;
    let form = json!({"kind": "feedback", "title": "P", "questions": [{"id": "mood", "kind": "scale", "text": "?", "required": true}]});
    let survey = app
        .post_json("/api/v1/surveys", Some(&office.access_token), &form)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let path = format!("/api/v1/customers/{customer}/restriction");
    let restricted = app
        .send_json(
            Method::PUT,
            &path,
            Some(&admin.access_token),
            &json!({"reason": "Kiistää tietojen oikeellisuuden"}),
        )
        .await;
    assert_eq!(restricted.status, 200, "{}", restricted.text());
    assert_eq!(restricted.json()["restricted"], true);

    let shown = app
        .get_as(
            &format!("/api/v1/customers/{customer}"),
            &office.access_token,
        )
        .await
        .json();
    assert_eq!(
        (
            shown["restricted"].as_bool(),
            shown["restriction_reason"].as_str()
        ),
        (Some(true), Some("Kiistää tietojen oikeellisuuden"))
    );
    let change = app
        .patch_json(
            &format!("/api/v1/customers/{customer}"),
            Some(&office.access_token),
            &json!({"first_name": "Muutettu"}),
        )
        .await;
    change.problem(409, "https://api.uniikkiaani.fi/problems/conflict");
    let answer = json!({"customer_id": customer, "answers": {"mood": 3}});
    app.post_json(
        &format!("/api/v1/surveys/{survey}/responses"),
        Some(&office.access_token),
        &answer,
    )
    .await
    .problem(409, "https://api.uniikkiaani.fi/problems/conflict");
    let notice = json!({"topic": "upcoming_enrolments", "text": {"fi": "Tervetuloa"}});
    let sent = app
        .post_json(
            "/api/v1/uniikkilista/notices",
            Some(&office.access_token),
            &notice,
        )
        .await
        .json();
    assert_eq!(sent["messages"], 0, "no notices while restricted");

    let lifted = app.delete_as(&path, &admin.access_token).await;
    assert_eq!(lifted.json()["restricted"], false);
    let sent = app
        .post_json(
            "/api/v1/uniikkilista/notices",
            Some(&office.access_token),
            &notice,
        )
        .await
        .json();
    assert_eq!(sent["messages"], 1);
    assert_eq!(
        app.patch_json(
            &format!("/api/v1/customers/{customer}"),
            Some(&office.access_token),
            &json!({"first_name": "Muutettu"})
        )
        .await
        .status,
        200
    );

    let audit = app
        .get_as(
            &format!("/api/v1/audit-events?subject_id={customer}"),
            &admin.access_token,
        )
        .await
        .json();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"customer.restrict") && actions.contains(&"customer.lift_restriction"),
        "{actions:?}"
    );
    app.send_json(
        Method::PUT,
        &path,
        Some(&office.access_token),
        &json!({"reason": "x"}),
    )
    .await
    .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");
}

on_both_backends!(a_restricted_customer_is_kept_but_not_processed_until_lifted);
