use domain::Role;
use serde_json::{Value, json};
use tests::{TestApp, on_both_backends};

fn intake() -> Value {
    json!({"kind": "intake", "title": "Alkukysely", "questions": [
        {"id": "goals", "kind": "multiple_choice", "text": "Mitä haluat oppia?", "required": true,
         "options": ["Hengitys", "Korkeat äänet", "Esiintyminen"]},
        {"id": "level", "kind": "single_choice", "text": "Taso", "options": ["Aloittelija", "Edistynyt"]},
        {"id": "experience", "kind": "scale", "text": "Kokemus 1–5", "required": true},
        {"id": "other", "kind": "text", "text": "Muuta kerrottavaa?"}]})
}

async fn create_form(app: &TestApp, token: &str) -> String {
    let reply = app
        .post_json("/api/v1/surveys", Some(token), &intake())
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_owned()
}

async fn create_customer(app: &TestApp, token: &str, email: &str) -> String {
    let body = json!({"first_name": "Vastaaja", "last_name": "Asiakas", "email": email});
    app.post_json("/api/v1/customers", Some(token), &body)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn staff_define_versioned_forms_and_bad_forms_are_refused(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let id = create_form(&app, &office.access_token).await;
    let form = app
        .get_as(&format!("/api/v1/surveys/{id}"), &office.access_token)
        .await
        .json();
    assert_eq!(
        (
            form["version"].as_i64(),
            form["questions"].as_array().unwrap().len()
        ),
        (Some(1), 4)
    );

    let v2 = json!({"questions": [{"id": "experience", "kind": "scale", "text": "Kokemus", "required": true}]});
    let reply = app
        .post_json(
            &format!("/api/v1/surveys/{id}/versions"),
            Some(&office.access_token),
            &v2,
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text());
    assert_eq!(reply.json()["version"], 2);
    let old = app
        .get_as(
            &format!("/api/v1/surveys/{id}?version=1"),
            &office.access_token,
        )
        .await
        .json();
    assert_eq!(
        old["questions"].as_array().unwrap().len(),
        4,
        "old versions stay as they were"
    );

    let mut bad = intake();
    bad["questions"][1]["id"] = json!("goals");
    bad["questions"][2]["options"] = json!(["x"]);
    let problem = app
        .post_json("/api/v1/surveys", Some(&office.access_token), &bad)
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["questions[1].id", "questions[2].options"]);
    let mut wrong_kind = intake();
    wrong_kind["kind"] = json!("exam");
    app.post_json("/api/v1/surveys", Some(&office.access_token), &wrong_kind)
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
}

async fn customers_answer_their_own_and_staff_answer_for_a_named_customer(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let id = create_form(&app, &office.access_token).await;
    let (customer_id, customer) = app
        .customer_with_login(&office.access_token, "vastaaja@example.fi", json!({}))
        .await;
    let path = format!("/api/v1/surveys/{id}/responses");

    let own = app
        .post_json(
            &path,
            Some(&customer),
            &json!({"answers": {"goals": ["Hengitys"], "experience": 2, "other": "Jännittää"}}),
        )
        .await;
    assert_eq!(own.status, 201, "{}", own.text());
    assert_eq!(own.json()["customer_id"], customer_id.as_str());
    let someone_else = json!({"customer_id": uuid::Uuid::now_v7(), "answers": {"goals": ["Hengitys"], "experience": 2}});
    let reply = app.post_json(&path, Some(&customer), &someone_else).await;
    assert_eq!(
        reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["field"],
        "customer_id"
    );

    let for_customer = json!({"customer_id": customer_id, "answers": {"goals": ["Esiintyminen", "Hengitys"], "experience": 5, "level": "Edistynyt"}});
    let staff_entry = app
        .post_json(&path, Some(&office.access_token), &for_customer)
        .await;
    assert_eq!(staff_entry.status, 201, "{}", staff_entry.text());
    assert_eq!(
        staff_entry.json()["submitted_by"],
        office.account_id.to_string()
    );
    let unnamed = app
        .post_json(
            &path,
            Some(&office.access_token),
            &json!({"answers": {"goals": ["Hengitys"], "experience": 1}}),
        )
        .await;
    assert_eq!(
        unnamed.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]
            ["code"],
        "required"
    );

    let answers = app
        .get_as(
            &format!("/api/v1/customers/{customer_id}/survey-responses"),
            &office.access_token,
        )
        .await
        .json();
    assert_eq!(answers["items"].as_array().unwrap().len(), 2);
    assert_eq!(answers["next_cursor"], serde_json::Value::Null);

    // One at a time: newest first, and the cursor leads to the older one.
    let first = app
        .get_as(
            &format!("/api/v1/customers/{customer_id}/survey-responses?limit=1"),
            &office.access_token,
        )
        .await
        .json();
    assert_eq!(first["items"][0]["id"], staff_entry.json()["id"]);
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = app
        .get_as(
            &format!("/api/v1/customers/{customer_id}/survey-responses?limit=1&cursor={cursor}"),
            &office.access_token,
        )
        .await
        .json();
    assert_eq!(second["items"][0]["id"], own.json()["id"]);
    assert_eq!(second["next_cursor"], serde_json::Value::Null);
}

async fn the_forms_list_is_paginated_oldest_first(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let first = create_form(&app, &office.access_token).await;
    let second = create_form(&app, &office.access_token).await;
    let page = app
        .get_as("/api/v1/surveys?limit=1", &office.access_token)
        .await
        .json();
    assert_eq!(page["items"][0]["id"], first.as_str());
    let cursor = page["next_cursor"].as_str().expect("a second page");
    let rest = app
        .get_as(
            &format!("/api/v1/surveys?limit=1&cursor={cursor}"),
            &office.access_token,
        )
        .await
        .json();
    assert_eq!(rest["items"][0]["id"], second.as_str());
    assert_eq!(rest["next_cursor"], serde_json::Value::Null);
    let everything = app
        .get_as("/api/v1/surveys?limit=0", &office.access_token)
        .await;
    assert_eq!(everything.status, 400, "limit is 1 to 200");
}

async fn answers_are_checked_against_the_version_they_answer(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let id = create_form(&app, &office.access_token).await;
    let customer_id = create_customer(&app, &office.access_token, "versio@example.fi").await;
    let path = format!("/api/v1/surveys/{id}/responses");
    let fields_of = |problem: &serde_json::Value| -> Vec<(String, String)> {
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    // Answers of a shape no question takes are refused by the contract's schema, every one named.
    let misshapen =
        json!({"customer_id": customer_id, "answers": {"experience": 6, "extra": true}});
    let problem = app
        .post_json(&path, Some(&office.access_token), &misshapen)
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    assert_eq!(
        fields_of(&problem),
        [
            ("answers.experience".to_owned(), "range".to_owned()),
            ("answers.extra".to_owned(), "invalid_type".to_owned())
        ]
    );
    // Well-shaped answers that do not fit this form are named in the form's order.
    let bad = json!({"customer_id": customer_id, "answers": {"goals": ["Laulu"], "experience": "kolme", "extra": "x"}});
    let problem = app
        .post_json(&path, Some(&office.access_token), &bad)
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let fields: Vec<String> = fields_of(&problem).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        ["answers.extra", "answers.goals", "answers.experience"],
        "in form order"
    );

    let v2 =
        json!({"questions": [{"id": "mood", "kind": "scale", "text": "Fiilis", "required": true}]});
    app.post_json(
        &format!("/api/v1/surveys/{id}/versions"),
        Some(&office.access_token),
        &v2,
    )
    .await;
    let to_v1 = json!({"customer_id": customer_id, "version": 1, "answers": {"goals": ["Hengitys"], "experience": 3}});
    assert_eq!(
        app.post_json(&path, Some(&office.access_token), &to_v1)
            .await
            .json()["version"],
        1
    );
    let v1_answers_to_v2 =
        json!({"customer_id": customer_id, "answers": {"goals": ["Hengitys"], "experience": 3}});
    app.post_json(&path, Some(&office.access_token), &v1_answers_to_v2)
        .await
        .problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let missing = json!({"customer_id": customer_id, "version": 9, "answers": {}});
    app.post_json(&path, Some(&office.access_token), &missing)
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
}

async fn aggregates_count_and_average_without_personal_data(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let id = create_form(&app, &office.access_token).await;
    let path = format!("/api/v1/surveys/{id}/responses");
    for (n, (goals, experience)) in [
        (json!(["Hengitys"]), 2),
        (json!(["Hengitys", "Esiintyminen"]), 5),
    ]
    .into_iter()
    .enumerate()
    {
        let customer =
            create_customer(&app, &office.access_token, &format!("a{n}@example.fi")).await;
        let body = json!({"customer_id": customer, "answers": {"goals": goals, "experience": experience, "other": "Minä olen Aino Salainen"}});
        assert_eq!(
            app.post_json(&path, Some(&office.access_token), &body)
                .await
                .status,
            201
        );
    }
    let reply = app
        .get_as(
            &format!("/api/v1/surveys/{id}/aggregates"),
            &office.access_token,
        )
        .await;
    let figures = reply.json();
    assert_eq!(figures["responses"], 2);
    assert_eq!(
        figures["questions"][0]["option_counts"],
        json!({"Hengitys": 2, "Korkeat äänet": 0, "Esiintyminen": 1})
    );
    assert_eq!(figures["questions"][2]["average"], 3.5);
    assert_eq!(figures["questions"][3]["answered"], 2);
    assert!(
        !reply.text().contains("Aino") && !reply.text().contains("customer_id"),
        "{}",
        reply.text()
    );
}

on_both_backends!(
    staff_define_versioned_forms_and_bad_forms_are_refused,
    customers_answer_their_own_and_staff_answer_for_a_named_customer,
    answers_are_checked_against_the_version_they_answer,
    aggregates_count_and_average_without_personal_data,
    the_forms_list_is_paginated_oldest_first,
);
