use std::path::Path;

use tests::{Backend, TestApp};

/// The committed contract is what the code generates. Regenerate with
/// `cargo run -q -p api --bin uniikki -- openapi > openapi.yaml`.
#[test]
fn committed_openapi_yaml_matches_the_code() {
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yaml");
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    let generated = api::plumbing::openapi::yaml();
    assert!(
        committed == generated,
        "openapi.yaml is out of date: run `cargo run -q -p api --bin uniikki -- openapi > openapi.yaml`"
    );
}

#[test]
fn the_document_declares_both_security_schemes_and_the_problem_schema() {
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["access_token"]["bearerFormat"], "JWT");
    assert_eq!(schemes["integration_key"]["scheme"], "bearer");
    let names: Vec<&String> = schemes.as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        ["access_token", "integration_key"],
        "the token first"
    );
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["info"]["contact"]["email"].is_string());
}

#[test]
fn every_operation_documents_its_problem_responses() {
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("500"), "{method} {path} lacks 500");
            if operation.get("requestBody").is_some() {
                for status in ["400", "408", "413", "415", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} lacks {status}"
                    );
                }
            }
            let requirements = operation["security"].as_array();
            let public =
                requirements.is_some_and(|r| r.iter().any(|req| req == &serde_json::json!({})));
            assert!(
                requirements.is_some(),
                "{method} {path} must declare its security, `security(())` when public"
            );
            if !public {
                assert!(responses.contains_key("401"), "{method} {path} lacks 401");
                assert!(responses.contains_key("403"), "{method} {path} lacks 403");
            }
            assert!(
                operation["operationId"].is_string(),
                "{method} {path} lacks an operationId"
            );
        }
    }
}

#[actix_web::test]
async fn the_server_serves_the_same_document_and_swagger_ui() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let served = app.get("/api-docs/openapi.json").await.json();
    assert_eq!(
        served,
        serde_json::to_value(api::plumbing::openapi::document()).unwrap()
    );

    let redirect = app.get("/docs").await;
    assert!(redirect.status.is_redirection(), "{}", redirect.status);
    assert_eq!(redirect.header("location"), Some("/docs/"));
    let ui = app.get("/docs/").await;
    assert_eq!(ui.status, 200);
    assert!(ui.text().contains("swagger"), "{}", ui.text());
    let initializer = app.get("/docs/swagger-initializer.js").await;
    assert!(
        initializer.text().contains("/api-docs/openapi.json"),
        "{}",
        initializer.text()
    );

    // Redoc, from the binary: the page names only this server's script and document, and its
    // policy lets the browser load nothing from anywhere else.
    let redoc = app.get("/redoc").await;
    assert_eq!(redoc.status, 200);
    let html = redoc.text();
    assert!(
        html.contains("spec-url=\"/api-docs/openapi.json\""),
        "{html}"
    );
    assert!(
        html.contains("src=\"/redoc/redoc.standalone.js\""),
        "{html}"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    let policy = redoc.header("content-security-policy").unwrap();
    assert!(
        policy.starts_with("default-src 'none'; script-src 'self';"),
        "{policy}"
    );
    let script = app.get("/redoc/redoc.standalone.js").await;
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains("Redoc"), "the Redoc bundle itself");
}

#[test]
fn every_reference_in_the_document_resolves() {
    fn walk(value: &serde_json::Value, refs: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                    refs.push(target.clone());
                }
                map.values().for_each(|v| walk(v, refs));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, refs)),
            _ => {}
        }
    }
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let mut refs = Vec::new();
    walk(&doc, &mut refs);
    assert!(!refs.is_empty());
    for target in refs {
        let pointer = target.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "unresolved $ref {target}");
    }
}

/// The public writes and the password checks, and only they, declare a rate limit (the
/// declaration is what makes the limiter act), and each documents its 429.
#[test]
fn every_rate_limited_operation_documents_429() {
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let mut limited = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation.get("x-rate-limit").is_some() {
                let policy = operation["x-rate-limit"].as_str().unwrap();
                assert!(
                    api::plumbing::middleware::rate_limit::Policy::parse(policy).is_some(),
                    "{method} {path}: unknown policy {policy}"
                );
                let responses = &operation["responses"];
                assert!(responses.get("429").is_some(), "{method} {path} lacks 429");
                limited.push(format!("{policy}: {method} {path}"));
            }
        }
    }
    assert_eq!(
        limited,
        [
            "login: post /api/v1/auth/login",
            "login: post /api/v1/auth/password",
            "public: get /api/v1/ical/{token}",
            "public: get /api/v1/lesson-slots",
            "public: post /api/v1/uniikkilista/confirm",
            "public: post /api/v1/uniikkilista/subscriptions",
            "public: post /api/v1/uniikkilista/unsubscribe",
        ]
    );
}

/// A page's items are the item's own schema, so a generated client has one class for a
/// customer whether it came from a list or a single read.
#[test]
fn page_items_are_references_to_their_component() {
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let pages: Vec<_> = schemas
        .iter()
        .filter(|(name, _)| name.starts_with("Page_"))
        .collect();
    assert!(pages.len() >= 6, "{:?}", schemas.keys().collect::<Vec<_>>());
    for (name, page) in pages {
        let item = &page["properties"]["items"]["items"];
        let target = item["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} inlines its items: {item}"));
        let component = target.strip_prefix("#/components/schemas/").unwrap();
        assert!(schemas.contains_key(component), "{name} → {target}");
        assert_eq!(format!("Page_{component}"), *name);
    }
}

/// The unsubscribe token may come in the query (one-click, RFC 8058), so its body is optional,
/// and an optional body is a `UnsubscribeRequest` or nothing, never JSON `null`.
#[test]
fn the_unsubscribe_body_is_optional() {
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let body = &doc["paths"]["/api/v1/uniikkilista/unsubscribe"]["post"]["requestBody"];
    assert_ne!(body["required"], true, "{body}");
    assert_eq!(
        body["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/UnsubscribeRequest"
    );
}

/// Every versioned change requires `If-Match` (428 without it), and every GET of a versioned
/// resource documents `If-None-Match` and its 304.
#[test]
fn versioned_resources_document_their_preconditions() {
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let mut patches = 0;
    let mut gets = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let header = |op: &serde_json::Value, name: &str| {
            op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["in"] == "header" && p["name"] == name)
                .cloned()
        };
        if let Some(patch) = item.get("patch")
            && let Some(if_match) = header(patch, "If-Match")
        {
            patches += 1;
            assert_eq!(if_match["required"], true, "PATCH {path}");
            assert!(patch["responses"]["428"].is_object(), "PATCH {path}");
            assert!(patch["responses"]["412"].is_object(), "PATCH {path}");
        }
        if let Some(get) = item.get("get")
            && get["responses"]["200"]["headers"]["ETag"].is_object()
        {
            gets += 1;
            assert!(header(get, "If-None-Match").is_some(), "GET {path}");
            assert!(get["responses"]["304"].is_object(), "GET {path}");
        }
    }
    assert!(patches >= 4 && gets >= 4, "{patches} PATCH, {gets} GET");
}

/// Every list states its cursor's form, one of the forms the server decodes (the literals in
/// the routes' attributes are the constants of `plumbing::http`).
#[test]
fn every_cursor_parameter_states_a_form_the_server_decodes() {
    use api::plumbing::http::{SEQUENCE_CURSOR, TIME_CURSOR, UUID_CURSOR};
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let mut lists = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        for parameter in get["parameters"].as_array().into_iter().flatten() {
            if parameter["name"] == "cursor" {
                lists += 1;
                let pattern = parameter["schema"]["pattern"].as_str().unwrap_or_default();
                assert!(
                    [UUID_CURSOR, SEQUENCE_CURSOR, TIME_CURSOR].contains(&pattern),
                    "GET {path}: {pattern}"
                );
            }
        }
    }
    assert!(lists >= 7, "{lists}");
}

/// Every text, number and list in the contract has a bound (OWASP API4: a client and the
/// server know the largest value to expect), apart from the export's rows (as many as the
/// register holds about the person) and the Prometheus text.
#[test]
fn every_value_in_the_contract_is_bounded() {
    fn walk(node: &serde_json::Value, at: &str, unbounded: &mut Vec<String>) {
        let exempt = at.contains("/ExportDocument/properties/data/properties/")
            && !at.contains("/items")
            || at.ends_with("/ExportDocument/properties/consultations")
            || at.starts_with("/paths//metrics/");
        if let Some(map) = node.as_object() {
            let is = |name: &str| match map.get("type") {
                Some(serde_json::Value::String(t)) => t == name,
                Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t == name),
                _ => false,
            };
            let has = |key: &str| map.contains_key(key);
            if !exempt {
                if is("string") && !(has("maxLength") || has("enum") || has("const")) {
                    unbounded.push(format!("text at {at}"));
                }
                if is("integer") && !(has("minimum") && has("maximum") && has("format")) {
                    unbounded.push(format!("integer at {at}"));
                }
                if is("array") && !has("maxItems") {
                    unbounded.push(format!("list at {at}"));
                }
            }
            for (key, value) in map {
                if key != "example" && key != "examples" {
                    walk(value, &format!("{at}/{key}"), unbounded);
                }
            }
        } else if let Some(items) = node.as_array() {
            for (i, value) in items.iter().enumerate() {
                walk(value, &format!("{at}/{i}"), unbounded);
            }
        }
    }
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let mut unbounded = Vec::new();
    walk(&doc, "", &mut unbounded);
    assert!(unbounded.is_empty(), "{unbounded:#?}");
}

/// Every example in the contract (on a schema, and on each success response) fits its schema,
/// as an independent validator (boon) reads it; and every success response with a body has one.
#[test]
fn every_example_in_the_contract_fits_its_schema() {
    let doc = serde_json::to_value(api::plumbing::openapi::document()).unwrap();
    let mut contract = tests::ContractSchemas::new(&doc);
    let mut check = |pointer: &str, example: &serde_json::Value| {
        if let Err(e) = contract.check(pointer, example) {
            panic!("the example at {pointer} does not fit: {e}");
        }
    };
    let mut checked = 0;
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if let Some(example) = schema.get("example") {
            check(&format!("/components/schemas/{name}"), example);
            checked += 1;
        }
    }
    let mut without = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let Some(content) = response.get("content").and_then(|c| c.as_object()) else {
                    continue;
                };
                if !status.starts_with('2') {
                    continue;
                }
                for (media, body) in content {
                    let escaped = path.replace('~', "~0").replace('/', "~1");
                    let media_escaped = media.replace('~', "~0").replace('/', "~1");
                    match body.get("example") {
                        Some(example) => {
                            check(
                                &format!(
                                    "/paths/{escaped}/{method}/responses/{status}/content/{media_escaped}/schema"
                                ),
                                example,
                            );
                            checked += 1;
                        }
                        None if media.starts_with("application/json") => {
                            without.push(format!("{method} {path} {status}"))
                        }
                        None => {}
                    }
                }
            }
        }
    }
    assert!(
        without.is_empty(),
        "success responses without an example: {without:#?}"
    );
    assert!(checked > 60, "{checked}");
}
