//! The contract's rules and the server's agree: a sample of bodies, each judged by an
//! independent JSON Schema validator (boon) against the schema the served contract gives the
//! operation's body, and sent to the server. What the contract refuses the server refuses with
//! a 422 naming every field at fault; what the contract accepts the server accepts.

use actix_web::http::Method;
use domain::Role;
use serde_json::{Value, json};
use tests::{ContractSchemas, TestApp, on_both_backends};

/// The contract's verdict on `body` for the operation's request body.
fn contract_accepts(contract: &Value, path: &str, method: &str, body: &Value) -> bool {
    let reference = contract["paths"][path][method]["requestBody"]["content"]["application/json"]
        ["schema"]["$ref"]
        .as_str()
        .unwrap_or_else(|| panic!("{method} {path} takes a body by reference"));
    let pointer = reference.trim_start_matches('#');
    ContractSchemas::new(contract).check(pointer, body).is_ok()
}

fn long(n: usize) -> String {
    "a".repeat(n)
}

async fn contract_and_server_agree_on_every_sample(app: TestApp) {
    let contract = app.get("/api-docs/openapi.json").await.json();
    let office = app.session_as(Role::Office).await;
    let customer = |extra: Value| {
        let mut body = json!({"first_name": "Aino", "last_name": "Laulaja"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let mut unique = 0;
    let mut email = || {
        unique += 1;
        format!("sample{unique}@example.fi")
    };
    let samples: Vec<(&str, Value, &[&str])> = vec![
        ("valid", customer(json!({"email": email()})), &[]),
        (
            "valid, every field",
            customer(
                json!({"email": email(), "phone": "040 123 4567", "birth_date": "1990-05-01",
                "language": "sv", "address": {"street": "Lehmustie 4", "postal_code": "11910",
                "city": "Riihimäki", "country": "FI"}}),
            ),
            &[],
        ),
        (
            "longest names",
            customer(json!({"first_name": long(100), "last_name": long(100), "email": email()})),
            &[],
        ),
        (
            "names one too long, bad email, letters in phone, unknown field",
            customer(json!({"first_name": long(101), "last_name": long(101),
                "email": "not-an-address", "phone": "call me", "role": "admin"})),
            &["email", "first_name", "last_name", "phone", "role"],
        ),
        (
            "missing and mistyped",
            json!({"last_name": 5, "birth_date": "1990-02-30", "language": "de"}),
            &["birth_date", "first_name", "language", "last_name"],
        ),
        (
            "address parts",
            customer(
                json!({"email": email(), "address": {"street": "", "postal_code": "1",
                "country": "Finland"}}),
            ),
            &[
                "address.city",
                "address.country",
                "address.postal_code",
                "address.street",
            ],
        ),
        ("not an object", json!(["Aino", "Laulaja"]), &["body"]),
        (
            "blank names",
            json!({"first_name": "  ", "last_name": "\t", "email": email()}),
            &["first_name", "last_name"],
        ),
        (
            "a Finnish postal code is five digits",
            customer(json!({"email": email(), "address": {"street": "Katu 1",
                "postal_code": "1234X", "city": "Riihimäki", "country": "fi"}})),
            &["address.postal_code"],
        ),
        (
            "elsewhere a postal code has its own form",
            customer(
                json!({"email": email(), "address": {"street": "Storgatan 1",
                "postal_code": "123 45", "city": "Stockholm", "country": "SE"}}),
            ),
            &[],
        ),
    ];
    for (case, body, faults) in samples {
        let accepts = contract_accepts(&contract, "/api/v1/customers", "post", &body);
        assert_eq!(accepts, faults.is_empty(), "{case}: the contract's verdict");
        let reply = app
            .post_json("/api/v1/customers", Some(&office.access_token), &body)
            .await;
        if accepts {
            assert_eq!(reply.status, 201, "{case}: {}", reply.text());
        } else {
            let problem =
                reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
            let mut named: Vec<&str> = problem["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["field"].as_str().unwrap())
                .collect();
            named.sort_unstable();
            assert_eq!(named, faults, "{case}: {problem}");
        }
    }
    let listed = app.authed(
        Method::GET,
        "/api/v1/customers?limit=200",
        &office.access_token,
    );
    let page = TestApp::send(listed, None).await.json();
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        4,
        "only the accepted samples were stored"
    );
}

on_both_backends!(contract_and_server_agree_on_every_sample);
