use actix_web::http::Method;
use domain::Role;
use serde_json::{Value, json};
use tests::{TestApp, on_both_backends};

const VERSION: &str = "2026-11-25";

async fn the_privacy_notice_is_served_in_finnish_and_english_with_its_editions(app: TestApp) {
    let admin = app.admin_session().await;
    let body = json!({"name": "Kalenteri", "kind": "calendar", "processor": {"company": "Kalenteri Inc", "country": "US", "in_eea": false}});
    app.post_json("/api/v1/integrations", Some(&admin.access_token), &body)
        .await;

    let fi = app.get("/api/v1/privacy-notice").await.json();
    assert_eq!(fi["version"], VERSION);
    assert_eq!(fi["language"], "fi");
    assert_eq!(fi["controller"]["name"], "UniikkiÄäni Oy");
    assert!(
        fi["purposes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["purpose"].as_str().unwrap().contains("UniikkiLista"))
    );
    assert!(
        fi["complaints"]
            .as_str()
            .unwrap()
            .contains("tietosuojavaltuutetulle")
    );
    let en = app.get("/api/v1/privacy-notice?lang=en").await.json();
    assert!(
        en["complaints"]
            .as_str()
            .unwrap()
            .contains("Data Protection Ombudsman")
    );
    assert_eq!(en["recipients"][0]["company"], "Kalenteri Inc");
    assert_eq!(
        en["transfers_outside_eea"][0]["country"], "US",
        "a processor outside the EEA is a transfer"
    );
    let bases: Vec<&str> = en["purposes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["legal_basis"].as_str().unwrap())
        .collect();
    assert!(bases.contains(&"consent") && bases.contains(&"contract"));

    let versions = app.get("/api/v1/privacy-notice/versions").await.json();
    assert_eq!(versions["items"][0]["version"], VERSION);
    app.get("/api/v1/privacy-notice?lang=de")
        .await
        .problem(400, "https://api.uniikkiaani.fi/problems/invalid-parameter");
}

async fn consents_are_given_and_withdrawn_in_one_call_and_the_history_is_kept(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let (customer, token) = app
        .customer_with_login(&office.access_token, "suostuja@example.fi", json!({}))
        .await;
    let start = app.get_as("/api/v1/me/consents", &token).await.json();
    assert!(
        start["current"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["granted"].is_null())
    );

    let put = |granted: bool| {
        let body = json!({"granted": granted, "privacy_notice_version": VERSION});
        let token = token.clone();
        let app = &app;
        async move {
            app.send_json(
                Method::PUT,
                "/api/v1/me/consents/feedback_surveys",
                Some(&token),
                &body,
            )
            .await
        }
    };
    assert_eq!(put(true).await.status, 200);
    let withdrawn = put(false).await.json();
    let state = withdrawn["current"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["purpose"] == "feedback_surveys")
        .unwrap()
        .clone();
    assert_eq!(state["granted"], false);
    let history = withdrawn["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "never overwritten");
    assert_eq!(
        (
            history[0]["granted"].as_bool(),
            history[0]["source"].as_str()
        ),
        (Some(true), Some("self"))
    );
    assert_eq!(history[1]["privacy_notice_version"], VERSION);

    let paper = json!({"granted": true, "privacy_notice_version": VERSION, "source": "staff_written_request", "given_by": "guardian"});
    let recorded = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/customers/{customer}/consents/uniikkilista_sms"),
            Some(&office.access_token),
            &paper,
        )
        .await;
    let last = recorded.json()["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["given_by"].as_str(), last["recorded_by"].as_str()),
        (
            Some("guardian"),
            Some(office.account_id.to_string().as_str())
        )
    );

    let unknown = json!({"granted": true, "privacy_notice_version": "1999-01-01"});
    let reply = app
        .send_json(
            Method::PUT,
            "/api/v1/me/consents/feedback_surveys",
            Some(&token),
            &unknown,
        )
        .await;
    assert_eq!(
        reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["code"],
        "unknown_version"
    );
    let reply = app
        .send_json(
            Method::PUT,
            "/api/v1/me/consents/marketing",
            Some(&token),
            &json!({"granted": true, "privacy_notice_version": VERSION}),
        )
        .await;
    reply.problem(400, "https://api.uniikkiaani.fi/problems/invalid-parameter");
}

async fn a_child_under_thirteen_consents_through_a_guardian(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let child = json!({"birth_date": "2016-01-01", "guardian": {"name": "Huoltaja", "phone": "040 111 0000"}});
    let (_, token) = app
        .customer_with_login(&office.access_token, "lapsi@example.fi", child)
        .await;
    let body = json!({"granted": true, "privacy_notice_version": VERSION});
    let reply = app
        .send_json(
            Method::PUT,
            "/api/v1/me/consents/uniikkilista_email",
            Some(&token),
            &body,
        )
        .await;
    assert_eq!(reply.json()["history"][0]["given_by"], "guardian");
}

async fn no_uniikkilista_notice_reaches_a_person_who_withdrew(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let (customer, token) = app
        .customer_with_login(&office.access_token, "peruuttaja@example.fi", json!({}))
        .await;
    let signup = json!({"name": "Peruuttaja", "age": 40, "email": "peruuttaja@example.fi", "channels": ["email"],
        "topics": ["upcoming_enrolments"], "privacy_notice_version": VERSION});
    app.linked_subscriber(&signup, &customer, &office.access_token)
        .await;

    let notice = json!({"topic": "upcoming_enrolments", "text": {"fi": "Ilmoittautuminen alkaa!"}});
    let before = app
        .post_json(
            "/api/v1/uniikkilista/notices",
            Some(&office.access_token),
            &notice,
        )
        .await
        .json();
    assert_eq!(before["messages"], 1);

    let withdraw = json!({"granted": false, "privacy_notice_version": VERSION});
    assert_eq!(
        app.send_json(
            Method::PUT,
            "/api/v1/me/consents/uniikkilista_email",
            Some(&token),
            &withdraw
        )
        .await
        .status,
        200
    );
    let after = app
        .post_json(
            "/api/v1/uniikkilista/notices",
            Some(&office.access_token),
            &notice,
        )
        .await
        .json();
    assert_eq!(after, json!({"subscribers": 0, "messages": 0}));
    let state = app
        .get_as("/api/v1/uniikkilista/subscriptions", &office.access_token)
        .await
        .json();
    assert_eq!(state["items"][0]["channels"][0]["status"], "unsubscribed");
}

/// A person who toggles a consent hundreds of times gets the newest 200 changes in the answer
/// (the contract's bound), while where every purpose stands is still read from its latest
/// change, however old; the export keeps every change.
async fn a_long_history_shows_its_newest_changes_and_the_standing_of_every_purpose(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let (_, token) = app
        .customer_with_login(&office.access_token, "vaihtaja@example.fi", json!({}))
        .await;
    let put = |purpose: &'static str, granted: bool| {
        let body = json!({"granted": granted, "privacy_notice_version": VERSION});
        let token = token.clone();
        let app = &app;
        async move {
            let reply = app
                .send_json(
                    Method::PUT,
                    &format!("/api/v1/me/consents/{purpose}"),
                    Some(&token),
                    &body,
                )
                .await;
            assert_eq!(reply.status, 200, "{}", reply.text());
            reply.json()
        }
    };
    put("uniikkilista_sms", true).await;
    let mut last = Value::Null;
    for i in 0..210 {
        last = put("feedback_surveys", i % 2 == 0).await;
    }
    let history = last["history"].as_array().unwrap();
    assert_eq!(history.len(), 200);
    assert!(history.iter().all(|r| r["purpose"] == "feedback_surveys"));
    assert_eq!(history.last().unwrap()["granted"], false, "the newest last");
    let standing = |purpose: &str| {
        last["current"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["purpose"] == purpose)
            .unwrap()["granted"]
            .clone()
    };
    assert_eq!(
        standing("uniikkilista_sms"),
        true,
        "read from an old change"
    );
    assert_eq!(standing("feedback_surveys"), false);
    assert_eq!(standing("uniikkilista_email"), Value::Null);
    let export = app.get_as("/api/v1/me/export", &token).await.json();
    assert_eq!(export["data"]["consents"].as_array().unwrap().len(), 211);
}

on_both_backends!(
    a_long_history_shows_its_newest_changes_and_the_standing_of_every_purpose,
    the_privacy_notice_is_served_in_finnish_and_english_with_its_editions,
    consents_are_given_and_withdrawn_in_one_call_and_the_history_is_kept,
    a_child_under_thirteen_consents_through_a_guardian,
    no_uniikkilista_notice_reaches_a_person_who_withdrew,
);

async fn the_records_of_processing_follow_the_map_and_the_processors(app: TestApp) {
    let admin = app.admin_session().await;
    let body = json!({"name": "Verkkokauppa", "kind": "webshop", "processor": {"company": "Kauppa Oy", "country": "FI", "in_eea": true}});
    app.post_json("/api/v1/integrations", Some(&admin.access_token), &body)
        .await;
    let records = app
        .get_as("/api/v1/processing-records", &admin.access_token)
        .await
        .json();
    let tables: Vec<&str> = records["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["table"].as_str().unwrap())
        .collect();
    for table in persistence::privacy_map::TABLES
        .iter()
        .filter(|t| t.is_personal())
    {
        assert!(
            tables.contains(&table.name),
            "{} is not in the record",
            table.name
        );
    }
    assert_eq!(records["processors"][0]["company"], "Kauppa Oy");
    assert_eq!(records["transfers_outside_eea"], json!([]));
    assert!(!records["security_measures"].as_array().unwrap().is_empty());
    let office = app.session_as(Role::Office).await;
    app.get_as("/api/v1/processing-records", &office.access_token)
        .await
        .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");
}

on_both_backends!(the_records_of_processing_follow_the_map_and_the_processors);
