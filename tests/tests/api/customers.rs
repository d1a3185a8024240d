use actix_web::http::Method;
use domain::Role;
use serde_json::{Value, json};
use tests::{PASSWORD, TestApp, on_both_backends};

fn maija() -> Value {
    json!({
        "first_name": "Maija", "last_name": "Meikäläinen", "email": "Maija.Meikalainen@Example.fi",
        "phone": "040 123 4567", "birth_date": "1990-05-01", "language": "fi",
        "address": {"street": "Lehmustie 4", "postal_code": "11910", "city": "Riihimäki", "country": "fi"}
    })
}

fn customer(first: &str, last: &str, email: &str) -> Value {
    json!({"first_name": first, "last_name": last, "email": email})
}

async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    let reply = app.post_json("/api/v1/customers", Some(token), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()
}

fn count_customers(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    persistence::schema::customers::table
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap()
}

async fn staff_create_a_customer_with_normalised_contact_details(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let reply = app
        .post_json("/api/v1/customers", Some(&office.access_token), &maija())
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["email"], "maija.meikalainen@example.fi");
    assert_eq!(body["phone"], "+358401234567");
    assert_eq!(body["address"]["country"], "FI");
    assert_eq!(body["source"], "staff");
    assert_eq!(body["is_minor"], false);
    assert_eq!(body["has_account"], false);
    assert!(body["age"].as_u64().unwrap() >= 36);
    let id = body["id"].as_str().unwrap();
    assert_eq!(
        reply.header("location"),
        Some(format!("/api/v1/customers/{id}").as_str())
    );
    assert_eq!(reply.header("etag"), Some("\"1\""));
}

async fn bad_input_is_422_naming_each_field_and_changes_nothing(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let with = |field: &str, value: Value| {
        let mut body = maija();
        body[field] = value;
        body
    };
    let mut minor = maija();
    minor["birth_date"] = json!("2015-03-03");
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "invalid email",
            with("email", json!("maija@")),
            "email",
            "email",
        ),
        (
            "invalid phone",
            with("phone", json!("040 12x")),
            "phone",
            "phone",
        ),
        (
            "minor without guardian",
            minor.clone(),
            "guardian",
            "required_for_minor",
        ),
        (
            "unknown field",
            with("role", json!("admin")),
            "role",
            "unknown_field",
        ),
        (
            "over-long name",
            with("last_name", json!("ä".repeat(101))),
            "last_name",
            "length",
        ),
        (
            "over-long email",
            with("email", json!(format!("{}@example.fi", "a".repeat(250)))),
            "email",
            "length",
        ),
        (
            "empty first name",
            with("first_name", json!("  ")),
            "first_name",
            "required",
        ),
        (
            "future birth date",
            with("birth_date", json!("2999-01-01")),
            "birth_date",
            "birth_date",
        ),
        (
            "impossible date",
            with("birth_date", json!("2020-02-30")),
            "birth_date",
            "invalid_format",
        ),
        (
            "bad postal code",
            with(
                "address",
                json!({"street": "a", "postal_code": "1", "city": "b", "country": "FI"}),
            ),
            "address.postal_code",
            "postal_code",
        ),
        (
            "no contact",
            json!({"first_name": "A", "last_name": "B"}),
            "email",
            "contact_required",
        ),
        (
            "unknown language",
            with("language", json!("de")),
            "language",
            "invalid_value",
        ),
        (
            "self as source",
            with("source", json!("self")),
            "source",
            "invalid_value",
        ),
        (
            "guardian without contact",
            {
                let mut m = minor.clone();
                m["guardian"] = json!({"name": "Matti"});
                m
            },
            "guardian",
            "contact_required",
        ),
    ];
    for (case, body, field, code) in cases {
        let reply = app
            .post_json("/api/v1/customers", Some(&office.access_token), &body)
            .await;
        let problem = reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
        assert_eq!(problem["errors"][0]["field"], field, "{case}: {problem}");
        assert_eq!(problem["errors"][0]["code"], code, "{case}: {problem}");
    }
    let reply = app
        .send_raw(Method::POST, "/api/v1/customers", "application/json", "{")
        .await;
    assert_eq!(reply.status, 401, "credentials are checked before the body");
    let request = app
        .authed(Method::POST, "/api/v1/customers", &office.access_token)
        .insert_header(("content-type", "application/json"));
    TestApp::send(request, Some(b"{\"first_name\":".to_vec()))
        .await
        .problem(400, "https://api.uniikkiaani.fi/problems/malformed-body");
    assert_eq!(count_customers(&app), 0, "nothing was stored");

    let mut with_guardian = minor;
    with_guardian["guardian"] = json!({"name": "Matti Meikäläinen", "phone": "040 765 4321"});
    let created = create(&app, &office.access_token, &with_guardian).await;
    assert_eq!(created["is_minor"], true);
    assert_eq!(created["guardian"]["phone"], "+358407654321");
}

async fn a_duplicate_email_is_409_with_the_existing_customer(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let first = create(&app, &office.access_token, &maija()).await;
    let again = customer("Toinen", "Henkilö", "MAIJA.meikalainen@example.fi");
    let reply = app
        .post_json("/api/v1/customers", Some(&office.access_token), &again)
        .await;
    assert_eq!(
        reply.problem(409, "https://api.uniikkiaani.fi/problems/conflict")["existing_id"],
        first["id"]
    );
}

async fn search_matches_name_prefixes_email_and_phone_with_finnish_letters(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    create(&app, &office.access_token, &maija()).await;
    create(
        &app,
        &office.access_token,
        &customer("Åsa", "Öhman", "asa@example.fi"),
    )
    .await;
    create(
        &app,
        &office.access_token,
        &customer("Matti", "Mäkinen", "matti@example.fi"),
    )
    .await;
    let search = |q: &str| {
        let encoded: String = q
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~@".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let path = format!("/api/v1/customers?q={encoded}");
        let token = office.access_token.clone();
        let app = &app;
        async move {
            let page = app.get_as(&path, &token).await.json();
            let mut names: Vec<String> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["last_name"].as_str().unwrap().to_owned())
                .collect();
            names.sort();
            names
        }
    };
    assert_eq!(search("MEIKÄ").await, ["Meikäläinen"]);
    assert_eq!(search("öh").await, ["Öhman"]);
    assert_eq!(search("ÅSA").await, ["Öhman"]);
    assert_eq!(search("m").await, ["Meikäläinen", "Mäkinen"]);
    assert_eq!(search("matti mäk").await, ["Mäkinen"]);
    assert_eq!(search("matti mei").await, Vec::<String>::new());
    assert_eq!(search("asa@ex").await, ["Öhman"]);
    assert_eq!(search("040 123").await, ["Meikäläinen"]);
    assert_eq!(search("+35840").await, ["Meikäläinen"]);
    assert_eq!(search("%").await, Vec::<String>::new(), "no wildcards");
    assert_eq!(search("  ").await, Vec::<String>::new(), "nothing to match");
}

/// The last names of every customer `query` lists, following `next_cursor` to the end.
async fn last_names_page_by_page(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut path = format!("/api/v1/customers?{query}");
    loop {
        let page = app.get_as(&path, token).await.json();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["last_name"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                // Opaque, and no one's name: the cursor is the last customer's id.
                use base64::Engine as _;
                let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(cursor)
                    .unwrap();
                let last = page["items"].as_array().unwrap().last().unwrap();
                assert_eq!(
                    uuid::Uuid::from_slice(&decoded).unwrap().to_string(),
                    last["id"].as_str().unwrap()
                );
                path = format!("/api/v1/customers?{query}&cursor={cursor}");
            }
            None => return seen,
        }
    }
}

/// Matches by last name, by first name, by both and by email, paged two at a time: every match
/// once, in list order.
async fn a_search_pages_through_every_kind_of_match_once_in_order(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    for (first, last, email) in [
        ("Kalle", "Virta", "ma.virta@example.fi"),
        ("Maija", "Mäkinen", "maija@example.fi"),
        ("Liisa", "Niemi", "liisa@example.fi"),
        ("Eeva", "Mattila", "eeva@example.fi"),
        ("Mari", "Aalto", "mari@example.fi"),
    ] {
        create(&app, &office.access_token, &customer(first, last, email)).await;
    }
    let seen = last_names_page_by_page(&app, &office.access_token, "q=ma&limit=2").await;
    assert_eq!(seen, ["Aalto", "Mattila", "Mäkinen", "Virta"]);
}

async fn lists_page_in_finnish_alphabetical_order(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    for (n, last) in [
        "Öhman",
        "Aalto",
        "Zetterberg",
        "Åberg",
        "Ärväs",
        "Virtanen",
        "Aalto",
    ]
    .iter()
    .enumerate()
    {
        create(
            &app,
            &office.access_token,
            &customer(&format!("Etu{n}"), last, &format!("c{n}@example.fi")),
        )
        .await;
    }
    let seen = last_names_page_by_page(&app, &office.access_token, "limit=3").await;
    assert_eq!(
        seen,
        [
            "Aalto",
            "Aalto",
            "Virtanen",
            "Zetterberg",
            "Åberg",
            "Ärväs",
            "Öhman"
        ]
    );
}

async fn patch_honours_if_match_and_rechecks_the_whole_customer(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let created = create(&app, &office.access_token, &maija()).await;
    let path = format!("/api/v1/customers/{}", created["id"].as_str().unwrap());
    let patch = |body: Value, etag: Option<&str>| {
        let mut request = app
            .authed(Method::PATCH, &path, &office.access_token)
            .insert_header(("content-type", "application/json"));
        if let Some(etag) = etag {
            request = request.insert_header(("if-match", etag.to_owned()));
        }
        TestApp::send(request, Some(body.to_string().into_bytes()))
    };
    let updated = patch(
        json!({"phone": "+358 50 999 8888", "address": null}),
        Some("\"1\""),
    )
    .await;
    assert_eq!(updated.status, 200, "{}", updated.text());
    assert_eq!(updated.json()["phone"], "+358509998888");
    assert!(updated.json()["address"].is_null());
    assert_eq!(updated.header("etag"), Some("\"2\""));

    patch(json!({"first_name": "Ei"}), Some("\"1\""))
        .await
        .problem(
            412,
            "https://api.uniikkiaani.fi/problems/precondition-failed",
        );
    patch(json!({"first_name": "Ei"}), None).await.problem(
        428,
        "https://api.uniikkiaani.fi/problems/precondition-required",
    );
    let became_minor = patch(json!({"birth_date": "2014-01-01"}), Some("*")).await;
    became_minor.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let unreachable = patch(json!({"email": null, "phone": null}), Some("*")).await;
    assert_eq!(
        unreachable.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"]
            [0]["code"],
        "contact_required"
    );
    let current = app.get_as(&path, &office.access_token).await.json();
    assert_eq!(current["first_name"], "Maija");
    assert_eq!(current["version"], 2, "failed patches changed nothing");
}

async fn staff_reads_are_audited_and_a_teacher_without_students_sees_no_one(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let created = create(&app, &office.access_token, &maija()).await;
    let id = created["id"].as_str().unwrap();
    app.get_as(&format!("/api/v1/customers/{id}"), &office.access_token)
        .await;
    let admin = app.admin_session().await;
    let audit = app
        .get_as(
            &format!("/api/v1/audit-events?subject_id={id}"),
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
    assert_eq!(actions, ["customer.read", "customer.create"]);

    let teacher = app.session_as(Role::Teacher).await;
    let list = app.get_as("/api/v1/customers", &teacher.access_token).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json()["items"], json!([]));
    app.get_as(&format!("/api/v1/customers/{id}"), &teacher.access_token)
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
    let missing = format!("/api/v1/customers/{}", uuid::Uuid::now_v7());
    app.get_as(&missing, &office.access_token)
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
}

async fn a_customer_logs_in_with_a_one_time_password_and_rectifies_their_details(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let created = create(&app, &office.access_token, &maija()).await;
    let id = created["id"].as_str().unwrap();
    let issued = TestApp::send(
        app.authed(
            Method::POST,
            &format!("/api/v1/customers/{id}/one-time-password"),
            &office.access_token,
        ),
        None,
    )
    .await;
    assert_eq!(issued.status, 200, "{}", issued.text());
    let otp = issued.json()["one_time_password"]
        .as_str()
        .unwrap()
        .to_owned();

    let first = app.login("maija.meikalainen@example.fi", &otp).await.json();
    let limited = first["access_token"].as_str().unwrap();
    app.get_as("/api/v1/me", limited).await.problem(
        403,
        "https://api.uniikkiaani.fi/problems/password-change-required",
    );
    let change = json!({"current_password": otp, "new_password": PASSWORD});
    let session = app
        .post_json("/api/v1/auth/password", Some(limited), &change)
        .await
        .json();
    let token = session["access_token"].as_str().unwrap().to_owned();

    let me = app.get_as("/api/v1/me", &token).await;
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["id"], id);
    assert_eq!(me.json()["has_account"], true);

    let fix = json!({"email": "maija.uusi@example.fi", "phone": "050 111 2222"});
    let fixed = app.patch_json("/api/v1/me", Some(&token), &fix).await;
    assert_eq!(fixed.status, 200, "{}", fixed.text());
    assert_eq!(fixed.json()["phone"], "+358501112222");
    assert_eq!(
        app.login("maija.uusi@example.fi", PASSWORD).await.status,
        200,
        "the new email is the login"
    );
    let bad = app
        .patch_json("/api/v1/me", Some(&token), &json!({"phone": "nope"}))
        .await;
    bad.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let sneaky = app
        .patch_json("/api/v1/me", Some(&token), &json!({"source": "webshop"}))
        .await;
    assert_eq!(
        sneaky.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["code"],
        "unknown_field"
    );

    app.get_as("/api/v1/customers", &token)
        .await
        .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");
    app.get_as(&format!("/api/v1/customers/{id}"), &token)
        .await
        .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");
    app.get_as("/api/v1/me", &office.access_token)
        .await
        .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");
}

async fn a_customer_without_email_cannot_get_a_login(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let created = create(
        &app,
        &office.access_token,
        &json!({"first_name": "Puh", "last_name": "Vain", "phone": "040 000 0000"}),
    )
    .await;
    let path = format!(
        "/api/v1/customers/{}/one-time-password",
        created["id"].as_str().unwrap()
    );
    TestApp::send(app.authed(Method::POST, &path, &office.access_token), None)
        .await
        .problem(409, "https://api.uniikkiaani.fi/problems/conflict");
}

/// A cursor is an id: one no customer has, or one in the old name-bearing form, is refused.
async fn a_cursor_not_given_out_is_400_naming_the_cursor(app: TestApp) {
    use base64::Engine as _;
    let office = app.session_as(Role::Office).await;
    create(
        &app,
        &office.access_token,
        &customer("Maija", "Mäkinen", "maija@example.fi"),
    )
    .await;
    let encode = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    for cursor in [
        // Well formed, naming no customer.
        encode(uuid::Uuid::now_v7().as_bytes()),
        // The forms cursors had before: an id as text, the name keys.
        encode(uuid::Uuid::now_v7().to_string().as_bytes()),
        encode(format!("mäkinen\u{1f}maija\u{1f}{}", uuid::Uuid::now_v7()).as_bytes()),
    ] {
        let reply = app
            .get_as(
                &format!("/api/v1/customers?cursor={cursor}"),
                &office.access_token,
            )
            .await;
        reply.problem(400, "https://api.uniikkiaani.fi/problems/invalid-parameter");
        assert_eq!(
            reply.json()["errors"][0]["field"],
            "cursor",
            "{}",
            reply.json()
        );
    }
}

on_both_backends!(
    a_cursor_not_given_out_is_400_naming_the_cursor,
    staff_create_a_customer_with_normalised_contact_details,
    bad_input_is_422_naming_each_field_and_changes_nothing,
    a_duplicate_email_is_409_with_the_existing_customer,
    search_matches_name_prefixes_email_and_phone_with_finnish_letters,
    a_search_pages_through_every_kind_of_match_once_in_order,
    lists_page_in_finnish_alphabetical_order,
    patch_honours_if_match_and_rechecks_the_whole_customer,
    staff_reads_are_audited_and_a_teacher_without_students_sees_no_one,
    a_customer_logs_in_with_a_one_time_password_and_rectifies_their_details,
    a_customer_without_email_cannot_get_a_login,
);
