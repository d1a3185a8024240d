use serde_json::json;
use tests::{TestApp, on_both_backends};

fn calendar() -> serde_json::Value {
    json!({"name": "Online calendar", "kind": "calendar",
           "processor": {"company": "Kalenteripalvelu Oy", "country": "fi", "in_eea": true}})
}

async fn an_integration_key_is_shown_once_stored_hashed_and_authenticates_with_its_scopes(
    app: TestApp,
) {
    use diesel::prelude::*;
    let admin = app.admin_session().await;
    let created = app
        .post_json(
            "/api/v1/integrations",
            Some(&admin.access_token),
            &calendar(),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let body = created.json();
    let key = body["api_key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("uk_") && key.len() > 40, "{key}");
    assert!(body["webhook_secret"].as_str().unwrap().len() >= 43);
    assert_eq!(body["scopes"], json!(["calendar"]));
    assert_eq!(body["processor"]["country"], "FI");
    assert!(key.starts_with(body["key_prefix"].as_str().unwrap()));

    let listed = app
        .get_as("/api/v1/integrations", &admin.access_token)
        .await;
    assert!(
        !listed.text().contains(&key),
        "the key is never shown again"
    );
    let stored: Vec<String> = persistence::schema::integrations::table
        .select(persistence::schema::integrations::key_hash)
        .load(&mut *app.pool.get().unwrap())
        .unwrap();
    assert!(
        !stored.iter().any(|h| h.contains(&key[3..])),
        "only a hash is stored"
    );

    let me = app.me(&key).await;
    assert_eq!(me["kind"], "integration");
    assert_eq!(me["scopes"], json!(["calendar"]));
    let after_use = app
        .get_as("/api/v1/integrations", &admin.access_token)
        .await
        .json();
    assert!(after_use["items"][0]["last_used_at"].is_string());
    app.get_as("/api/v1/staff", &key)
        .await
        .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");
}

async fn a_revoked_key_stops_working_at_once(app: TestApp) {
    let admin = app.admin_session().await;
    let body = app
        .post_json(
            "/api/v1/integrations",
            Some(&admin.access_token),
            &calendar(),
        )
        .await
        .json();
    let key = body["api_key"].as_str().unwrap();
    let path = format!("/api/v1/integrations/{}", body["id"].as_str().unwrap());
    assert_eq!(app.delete_as(&path, &admin.access_token).await.status, 204);
    app.get_as("/api/v1/auth/me", key)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    let missing = format!("/api/v1/integrations/{}", uuid::Uuid::now_v7());
    app.delete_as(&missing, &admin.access_token)
        .await
        .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
}

async fn bad_integration_requests_name_their_fields(app: TestApp) {
    let admin = app.admin_session().await;
    let mut bad = calendar();
    bad["processor"]["country"] = json!("Finland");
    bad["name"] = json!("");
    let reply = app
        .post_json("/api/v1/integrations", Some(&admin.access_token), &bad)
        .await;
    reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed");
    let fields = reply.error_fields();
    assert_eq!(fields, ["name", "processor.country"]);
    let mut unknown_kind = calendar();
    unknown_kind["kind"] = json!("crm");
    let reply = app
        .post_json(
            "/api/v1/integrations",
            Some(&admin.access_token),
            &unknown_kind,
        )
        .await;
    assert_eq!(
        reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["field"],
        "kind"
    );
}

on_both_backends!(
    an_integration_key_is_shown_once_stored_hashed_and_authenticates_with_its_scopes,
    a_revoked_key_stops_working_at_once,
    bad_integration_requests_name_their_fields,
);
