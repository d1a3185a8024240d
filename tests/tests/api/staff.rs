use actix_web::http::Method;
use serde_json::json;
use tests::{PASSWORD, TestApp, on_both_backends};

async fn an_admin_creates_a_staff_member_who_logs_in_with_a_one_time_password(app: TestApp) {
    let admin = app.admin_session().await;
    let body = json!({"email": " Liisa.Laulaja@UniikkiAani.fi", "display_name": "Liisa Laulaja", "role": "teacher"});
    let created = app
        .post_json("/api/v1/staff", Some(&admin.access_token), &body)
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let member = created.json();
    assert_eq!(member["email"], "liisa.laulaja@uniikkiaani.fi");
    assert_eq!(member["role"], "teacher");
    assert_eq!(member["has_password"], false);
    let id = member["id"].as_str().unwrap();
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/staff/{id}").as_str())
    );
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert!(member.get("password_hash").is_none());

    let path = format!("/api/v1/staff/{id}/one-time-password");
    let issued = TestApp::send(app.authed(Method::POST, &path, &admin.access_token), None).await;
    assert_eq!(issued.status, 200, "{}", issued.text());
    let otp = issued.json()["one_time_password"]
        .as_str()
        .unwrap()
        .to_owned();
    let login = app.login("liisa.laulaja@uniikkiaani.fi", &otp).await;
    assert_eq!(login.json()["must_change_password"], true);
}

async fn a_duplicate_email_is_409_naming_the_existing_account(app: TestApp) {
    let admin = app.admin_session().await;
    let body = json!({"email": "sama@uniikkiaani.fi", "display_name": "Sama", "role": "office"});
    let first = app
        .post_json("/api/v1/staff", Some(&admin.access_token), &body)
        .await
        .json();
    let again =
        json!({"email": "SAMA@uniikkiaani.fi", "display_name": "Toinen", "role": "teacher"});
    let reply = app
        .post_json("/api/v1/staff", Some(&admin.access_token), &again)
        .await;
    let problem = reply.problem(409, "https://api.uniikkiaani.fi/problems/conflict");
    assert_eq!(problem["existing_id"], first["id"]);
}

async fn every_invalid_field_is_reported_at_once_and_mass_assignment_is_refused(app: TestApp) {
    let admin = app.admin_session().await;
    // Rules the contract states (an address's form, a length) and the checks only the server
    // makes (no hidden direction overrides in a name) are each reported at once.
    let long_name = "L".repeat(201);
    let bad = json!({"email": "nope", "display_name": long_name, "role": "teacher"});
    let reply = app
        .post_json("/api/v1/staff", Some(&admin.access_token), &bad)
        .await;
    reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    assert_eq!(reply.error_fields(), ["display_name", "email"]);
    let bad =
        json!({"email": "no..pe@example.fi", "display_name": "\u{202e}Liisa", "role": "teacher"});
    let reply = app
        .post_json("/api/v1/staff", Some(&admin.access_token), &bad)
        .await;
    reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    assert_eq!(reply.error_fields(), ["email", "display_name"]);
    for (field, value) in [
        ("id", json!("00000000-0000-0000-0000-000000000000")),
        ("version", json!(7)),
        ("password_hash", json!("x")),
    ] {
        let mut body = json!({"email": "x@uniikkiaani.fi", "display_name": "X", "role": "office"});
        body[field] = value;
        let reply = app
            .post_json("/api/v1/staff", Some(&admin.access_token), &body)
            .await;
        assert_eq!(
            reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"]
                [0]["code"],
            "unknown_field",
            "{field}"
        );
    }
    let customer_role =
        json!({"email": "x@uniikkiaani.fi", "display_name": "X", "role": "customer"});
    let reply = app
        .post_json("/api/v1/staff", Some(&admin.access_token), &customer_role)
        .await;
    assert_eq!(
        reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["field"],
        "role"
    );
}

async fn listing_pages_through_every_staff_member_with_filters(app: TestApp) {
    let admin = app.admin_session().await;
    for n in 0..5 {
        let role = if n % 2 == 0 { "teacher" } else { "office" };
        let body = json!({"email": format!("staff{n}@uniikkiaani.fi"), "display_name": format!("Staff {n}"), "role": role});
        assert_eq!(
            app.post_json("/api/v1/staff", Some(&admin.access_token), &body)
                .await
                .status,
            201
        );
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/staff?limit=2".to_owned();
    loop {
        let page = app.get_as(&path, &admin.access_token).await.json();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .map(|i| i["email"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/staff?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6, "the admin and five staff: {seen:?}");
    let teachers = app
        .get_as("/api/v1/staff?role=teacher", &admin.access_token)
        .await
        .json();
    assert_eq!(teachers["items"].as_array().unwrap().len(), 3);
    for bad in [
        "limit=0",
        "limit=201",
        "cursor=%21%21",
        "role=customer",
        "sort=name",
    ] {
        let reply = app
            .get_as(&format!("/api/v1/staff?{bad}"), &admin.access_token)
            .await;
        reply.problem(400, "https://api.uniikkiaani.fi/problems/invalid-parameter");
    }
}

async fn patch_with_a_stale_etag_is_412_and_changes_nothing(app: TestApp) {
    let admin = app.admin_session().await;
    let id = app
        .create_staff(&admin.access_token, "etag@uniikkiaani.fi", "office")
        .await;
    let path = format!("/api/v1/staff/{id}");
    let patch = |name: &str, etag: &str| {
        app.authed(Method::PATCH, &path, &admin.access_token)
            .insert_header(("content-type", "application/json"))
            .insert_header(("if-match", etag.to_owned()))
            .send_body(json!({"display_name": name}).to_string())
    };
    let mut first = patch("Toka", "\"1\"").await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers().get("etag").unwrap(), "\"2\"");
    let _ = first.body().await;
    let stale = patch("Kolmas", "\"1\"").await.unwrap();
    assert_eq!(stale.status(), 412);
    let current = app.get_as(&path, &admin.access_token).await;
    assert_eq!(current.json()["display_name"], "Toka");
    assert_eq!(current.header("etag"), Some("\"2\""));
}

async fn the_last_active_admin_cannot_be_demoted_or_deactivated(app: TestApp) {
    let admin = app.admin_session().await;
    let path = format!("/api/v1/staff/{}", admin.account_id);
    for change in [json!({"active": false}), json!({"role": "office"})] {
        let reply = app
            .patch_json(&path, Some(&admin.access_token), &change)
            .await;
        reply.problem(409, "https://api.uniikkiaani.fi/problems/conflict");
    }
    let second =
        json!({"email": "toinen.admin@uniikkiaani.fi", "display_name": "Toinen", "role": "admin"});
    assert_eq!(
        app.post_json("/api/v1/staff", Some(&admin.access_token), &second)
            .await
            .status,
        201
    );
    let reply = app
        .patch_json(&path, Some(&admin.access_token), &json!({"role": "office"}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

async fn unknown_ids_and_customer_accounts_are_not_staff(app: TestApp) {
    let admin = app.admin_session().await;
    let missing = format!("/api/v1/staff/{}", uuid::Uuid::now_v7());
    app.get_as(&missing, &admin.access_token)
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
    let customer = app.create_account(domain::Role::Customer, "asiakas@example.fi");
    app.get_as(&format!("/api/v1/staff/{customer}"), &admin.access_token)
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
    app.get_as("/api/v1/staff/not-a-uuid", &admin.access_token)
        .await
        .problem(400, "https://api.uniikkiaani.fi/problems/invalid-parameter");
    assert_eq!(
        app.login("asiakas@example.fi", PASSWORD).await.status,
        200,
        "customers still log in"
    );
}

on_both_backends!(
    an_admin_creates_a_staff_member_who_logs_in_with_a_one_time_password,
    a_duplicate_email_is_409_naming_the_existing_account,
    every_invalid_field_is_reported_at_once_and_mass_assignment_is_refused,
    listing_pages_through_every_staff_member_with_filters,
    patch_with_a_stale_etag_is_412_and_changes_nothing,
    the_last_active_admin_cannot_be_demoted_or_deactivated,
    unknown_ids_and_customer_accounts_are_not_staff,
);
