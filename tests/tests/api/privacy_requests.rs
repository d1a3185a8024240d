use actix_web::http::Method;
use domain::Role;
use serde_json::json;
use tests::{TestApp, on_both_backends};

async fn a_customer_files_a_request_due_in_one_calendar_month(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let (customer, token) = app
        .customer_with_login(&office.access_token, "pyytaja@example.fi", json!({}))
        .await;
    let reply = app
        .post_json(
            "/api/v1/me/privacy-requests",
            Some(&token),
            &json!({"kind": "erasure", "description": "Poistakaa tietoni"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let request = reply.json();
    assert_eq!(
        (request["status"].as_str(), request["filed_by"].as_str()),
        (Some("received"), Some("self"))
    );
    assert_eq!(request["customer_id"], customer.as_str());
    let today = chrono::Utc::now().date_naive();
    assert_eq!(
        request["due_on"],
        domain::privacy_request::due_date(today).to_string()
    );
    let mine = app
        .get_as("/api/v1/me/privacy-requests", &token)
        .await
        .json();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let bad = app
        .post_json(
            "/api/v1/me/privacy-requests",
            Some(&token),
            &json!({"kind": "forget_me"}),
        )
        .await;
    assert_eq!(
        bad.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["field"],
        "kind"
    );
    let sneaky = json!({"kind": "access", "customer_id": uuid::Uuid::now_v7()});
    let reply = app
        .post_json("/api/v1/me/privacy-requests", Some(&token), &sneaky)
        .await;
    assert_eq!(
        reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["code"],
        "unknown_field"
    );
}

async fn admins_register_move_extend_and_audit_requests(app: TestApp) {
    let admin = app.admin_session().await;
    let office = app.session_as(Role::Office).await;
    let (customer, _) = app
        .customer_with_login(&office.access_token, "paperilla@example.fi", json!({}))
        .await;
    let body = json!({"customer_id": customer, "kind": "access", "identity_verification": "Henkilökortti tarkistettu"});
    let created = app
        .post_json("/api/v1/privacy-requests", Some(&admin.access_token), &body)
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/privacy-requests/{id}");
    let patch = |body: serde_json::Value| {
        let token = admin.access_token.clone();
        let path = path.clone();
        let app = &app;
        async move { app.patch_json(&path, Some(&token), &body).await }
    };

    patch(json!({"status": "completed"}))
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    assert_eq!(
        patch(json!({"status": "in_progress"})).await.json()["status"],
        "in_progress"
    );
    patch(json!({"extend_months": 2}))
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    patch(json!({"extend_months": 3, "extension_reason": "x"}))
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let extended = patch(json!({"extend_months": 2, "extension_reason": "Laaja pyyntö"}))
        .await
        .json();
    let received = chrono::Utc::now().date_naive();
    assert_eq!(
        extended["due_on"],
        domain::privacy_request::extended_due_date(received, 2)
            .unwrap()
            .to_string()
    );
    patch(json!({"status": "rejected"}))
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let done = patch(json!({"status": "completed", "resolution": "Vienti toimitettu"}))
        .await
        .json();
    assert_eq!(done["status"], "completed");
    patch(json!({"status": "in_progress"}))
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");

    let stale = app
        .authed(Method::PATCH, &path, &admin.access_token)
        .insert_header(("if-match", "\"1\""))
        .insert_header(("content-type", "application/json"));
    TestApp::send(stale, Some(b"{\"resolution\": \"x\"}".to_vec()))
        .await
        .problem(
            412,
            "https://api.uniikkiaani.fi/problems/precondition-failed",
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
    for action in [
        "privacy_request.receive",
        "privacy_request.start",
        "privacy_request.extend",
        "privacy_request.complete",
    ] {
        assert!(
            actions.contains(&action),
            "{action} not audited: {actions:?}"
        );
    }
}

async fn the_overdue_view_lists_open_requests_past_their_deadline(app: TestApp) {
    use diesel::prelude::*;
    use persistence::schema::privacy_requests as p;
    let admin = app.admin_session().await;
    let office = app.session_as(Role::Office).await;
    let (customer, _) = app
        .customer_with_login(&office.access_token, "myohassa@example.fi", json!({}))
        .await;
    let body = json!({"customer_id": customer, "kind": "access", "identity_verification": "Passi"});
    let late = app
        .post_json("/api/v1/privacy-requests", Some(&admin.access_token), &body)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post_json("/api/v1/privacy-requests", Some(&admin.access_token), &body)
        .await;
    let long_ago = chrono::Utc::now().date_naive() - chrono::Duration::days(40);
    diesel::update(
        p::table.filter(p::id.eq(persistence::sql_types::DbUuid(late.parse().unwrap()))),
    )
    .set(p::due_on.eq(long_ago))
    .execute(&mut *app.pool.get().unwrap())
    .unwrap();
    let overdue = app
        .get_as("/api/v1/privacy-requests?overdue=true", &admin.access_token)
        .await
        .json();
    let ids: Vec<&str> = overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [late.as_str()]);
    assert_eq!(overdue["items"][0]["overdue"], true);
    let all = app
        .get_as("/api/v1/privacy-requests", &admin.access_token)
        .await
        .json();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
}

/// What `Location` names is the customer's to read, with the `ETag` the 201 gave; another
/// person's request is not found; the customer's list comes a page at a time.
async fn a_customer_reads_what_location_points_at_and_pages_their_requests(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let (_, token) = app
        .customer_with_login(&office.access_token, "seuraaja@example.fi", json!({}))
        .await;
    let (_, other) = app
        .customer_with_login(&office.access_token, "toinen@example.fi", json!({}))
        .await;
    let mut ids = Vec::new();
    for kind in ["access", "portability", "restriction"] {
        let filed = app
            .post_json(
                "/api/v1/me/privacy-requests",
                Some(&token),
                &json!({"kind": kind}),
            )
            .await;
        assert_eq!(filed.status, 201, "{}", filed.text());
        let id = filed.json()["id"].as_str().unwrap().to_owned();
        let location = filed.header("location").unwrap().to_owned();
        assert_eq!(location, format!("/api/v1/me/privacy-requests/{id}"));
        let read = app.get_as(&location, &token).await;
        assert_eq!(read.status, 200, "{}", read.text());
        assert_eq!(read.header("etag"), filed.header("etag"));
        assert_eq!(read.json(), filed.json());
        app.get_as(&location, &other)
            .await
            .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
        ids.push(id);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/me/privacy-requests?limit=2".to_owned();
    loop {
        let page = app.get_as(&path, &token).await.json();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{page}");
        seen.extend(items.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/me/privacy-requests?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    seen.sort();
    ids.sort();
    assert_eq!(seen, ids);
    let nothing = app
        .get_as("/api/v1/me/privacy-requests", &other)
        .await
        .json();
    assert_eq!(nothing["items"], json!([]));
}

on_both_backends!(
    a_customer_reads_what_location_points_at_and_pages_their_requests,
    a_customer_files_a_request_due_in_one_calendar_month,
    admins_register_move_extend_and_audit_requests,
    the_overdue_view_lists_open_requests_past_their_deadline,
);
