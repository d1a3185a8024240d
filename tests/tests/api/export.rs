use domain::Role;
use persistence::privacy_map::{Category, TABLES};
use serde_json::json;
use tests::{PASSWORD, TestApp, on_both_backends};

use crate::life::{AGENT, a_full_life_in_the_register, post};

async fn the_export_holds_every_mapped_column_of_the_person_and_no_secret(app: TestApp) {
    let (customer, office) = a_full_life_in_the_register(&app).await;
    let reply = app
        .get_as(&format!("/api/v1/customers/{customer}/export"), &office)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        reply
            .header("content-disposition")
            .unwrap()
            .contains("attachment")
    );
    let export = reply.json();
    let text = reply.text();

    for table in TABLES
        .iter()
        .filter(|t| t.is_personal() && !t.links.is_empty())
    {
        let rows = export["data"][table.name]
            .as_array()
            .unwrap_or_else(|| panic!("{} is missing from the export", table.name));
        assert!(!rows.is_empty(), "{}", table.name);
        for (column, category) in table.columns {
            if *category == Category::Secret {
                assert!(
                    rows.iter().all(|r| r.get(*column).is_none()),
                    "secret {}.{column} was exported",
                    table.name
                );
                continue;
            }
            assert!(
                rows.iter().all(|r| r.get(*column).is_some()),
                "{}.{column} is missing",
                table.name
            );
            if *category != Category::NotPersonal {
                assert!(
                    rows.iter().any(|r| !r[*column].is_null()),
                    "{}.{column} was never filled",
                    table.name
                );
            }
        }
    }
    for value in [
        "Kanervo",
        "Kanarialintu",
        "kanervo@example.fi",
        "+358401112222",
        "Kanarialintukuja 7",
        "11910",
        "Kaarina Kanarialintu",
        "kaarina@example.fi",
        "+358403334444",
        AGENT,
        "Kanarian laulu on parasta",
        "A canary slot is free!",
        "2014-04-04",
    ] {
        assert!(text.contains(value), "{value} is not in the export");
    }
    assert!(!text.contains("$argon2id"), "no password hashes");
    assert_eq!(export["controller"]["business_id"], "2686898-3");
    assert!(
        export["processing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["legal_basis"] == "consent")
    );
    assert!(export["rights"].as_array().unwrap().len() >= 6);
    let consultations = export["consultations"].as_array().unwrap();
    assert!(
        consultations
            .iter()
            .any(|c| c["action"] == "customer.read" && c["purpose"] == "customer service"),
        "{consultations:?}"
    );
}

async fn a_customer_exports_their_own_data_and_the_export_is_audited(app: TestApp) {
    let office = app.session_as(Role::Office).await;
    let body =
        json!({"first_name": "Oma", "last_name": "Vienti", "email": "oma.vienti@example.fi"});
    let customer = app
        .post_json("/api/v1/customers", Some(&office.access_token), &body)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let otp = post(
        &app,
        &format!("/api/v1/customers/{customer}/one-time-password"),
        &office.access_token,
    )
    .await
    .json()["one_time_password"]
        .as_str()
        .unwrap()
        .to_owned();
    let limited = app.login("oma.vienti@example.fi", &otp).await.json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let change = json!({"current_password": otp, "new_password": PASSWORD});
    let token = app
        .post_json("/api/v1/auth/password", Some(&limited), &change)
        .await
        .json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let mine = app.get_as("/api/v1/me/export", &token).await;
    assert_eq!(mine.status, 200, "{}", mine.text());
    assert_eq!(mine.json()["customer_id"], customer.as_str());
    assert_eq!(
        mine.json()["data"]["customers"][0]["email"],
        "oma.vienti@example.fi"
    );
    app.get_as("/api/v1/me/export", &office.access_token)
        .await
        .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");
    app.get_as(&format!("/api/v1/customers/{customer}/export"), &token)
        .await
        .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");

    let admin = app.admin_session().await;
    let audit = app
        .get_as(
            &format!("/api/v1/audit-events?subject_id={customer}&action=customer.export"),
            &admin.access_token,
        )
        .await
        .json();
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);
}

on_both_backends!(
    the_export_holds_every_mapped_column_of_the_person_and_no_secret,
    a_customer_exports_their_own_data_and_the_export_is_audited,
);
