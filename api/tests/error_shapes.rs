//! Every kind of bad input through the real middleware, extractors and error rendering, on a
//! probe route (the foundation has no JSON endpoint of its own yet).

use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, test, web};
use api::plumbing::error::{ApiError, path_config, query_config};
use api::plumbing::extract::{BodyLimit, Json};
use api::plumbing::middleware::observe;
use serde::Deserialize;
use validator::Validate;

#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Probe {
    #[validate(length(min = 2, message = "must be at least 2 characters"))]
    name: String,
    age: Option<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Paging {
    #[allow(dead_code, reason = "read by serde only")]
    limit: Option<u16>,
}

async fn create(body: Json<Probe>) -> HttpResponse {
    HttpResponse::Created().json(serde_json::json!({ "name": body.0.name, "age": body.0.age }))
}

async fn read(id: web::Path<uuid::Uuid>, _q: web::Query<Paging>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(serde_json::json!({ "id": id.into_inner() })))
}

async fn send(request: test::TestRequest) -> (u16, serde_json::Value, Option<String>) {
    let app = test::init_service(
        App::new()
            .app_data(BodyLimit {
                max_bytes: 1024,
                ..BodyLimit::default()
            })
            .app_data(path_config())
            .app_data(query_config())
            .route("/probes", web::post().to(create))
            .route("/probes/{id}", web::get().to(read))
            .wrap(from_fn(observe)),
    )
    .await;
    let response = test::call_service(&app, request.to_request()).await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let request_id = response
        .headers()
        .get("x-request-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = test::read_body(response).await;
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    if status >= 400 {
        assert_eq!(
            content_type.as_deref(),
            Some("application/problem+json"),
            "{json}"
        );
        assert_eq!(json["status"], status, "{json}");
        assert_eq!(json["request_id"].as_str(), request_id.as_deref(), "{json}");
        assert!(
            json["instance"].as_str().unwrap().starts_with("/probes"),
            "{json}"
        );
    }
    (status, json, content_type)
}

fn post(body: &str) -> test::TestRequest {
    post_as("application/json", body)
}

fn post_as(content_type: &str, body: &str) -> test::TestRequest {
    test::TestRequest::post()
        .uri("/probes")
        .insert_header(("content-type", content_type))
        .set_payload(body.to_owned())
}

#[actix_web::test]
async fn a_valid_body_is_accepted() {
    let (status, json, _) = send(post(r#"{"name": "Äänö", "age": 12}"#)).await;
    assert_eq!(status, 201, "{json}");
    assert_eq!(json["name"], "Äänö");
}

#[actix_web::test]
async fn malformed_json_is_400() {
    let (status, json, _) = send(post(r#"{"name": "#)).await;
    assert_eq!(
        (status, json["type"].as_str()),
        (
            400,
            Some("https://api.uniikkiaani.fi/problems/malformed-body")
        )
    );
}

#[actix_web::test]
async fn a_wrong_content_type_is_415() {
    let (status, json, _) = send(post_as("text/plain", r#"{"name": "ok"}"#)).await;
    assert_eq!(
        (status, json["type"].as_str()),
        (
            415,
            Some("https://api.uniikkiaani.fi/problems/unsupported-media-type")
        )
    );
}

#[actix_web::test]
async fn a_missing_content_type_is_415() {
    let request = test::TestRequest::post()
        .uri("/probes")
        .set_payload(r#"{"name": "ok"}"#);
    assert_eq!(send(request).await.0, 415);
}

#[actix_web::test]
async fn a_json_suffix_content_type_is_accepted() {
    let request = test::TestRequest::post()
        .uri("/probes")
        .insert_header((
            "content-type",
            "application/merge-patch+json; charset=utf-8",
        ))
        .set_payload(r#"{"name": "ok"}"#);
    assert_eq!(send(request).await.0, 201);
}

#[actix_web::test]
async fn an_oversized_body_is_413_before_it_is_parsed() {
    let big = format!(r#"{{"name": "{}"}}"#, "a".repeat(2000));
    let (status, json, _) = send(post(&big)).await;
    assert_eq!(
        (status, json["type"].as_str()),
        (
            413,
            Some("https://api.uniikkiaani.fi/problems/payload-too-large")
        )
    );
}

#[actix_web::test]
async fn an_unknown_field_is_422_naming_it() {
    let (status, json, _) = send(post(r#"{"name": "ok", "role": "admin"}"#)).await;
    assert_eq!(status, 422, "{json}");
    assert_eq!(json["errors"][0]["field"], "role");
    assert_eq!(json["errors"][0]["code"], "unknown_field");
}

#[actix_web::test]
async fn a_wrongly_typed_field_is_422_naming_it() {
    let (status, json, _) = send(post(r#"{"name": "ok", "age": "twelve"}"#)).await;
    assert_eq!(status, 422, "{json}");
    assert_eq!(json["errors"][0]["field"], "age");
    assert_eq!(json["errors"][0]["code"], "invalid_type");
}

#[actix_web::test]
async fn a_validation_failure_is_422_with_the_rule_broken() {
    let (status, json, _) = send(post(r#"{"name": "x"}"#)).await;
    assert_eq!(status, 422, "{json}");
    assert_eq!(
        json["type"],
        "https://api.uniikkiaani.fi/problems/validation-failed"
    );
    assert_eq!(json["errors"][0]["field"], "name");
    assert_eq!(
        json["errors"][0]["message"],
        "must be at least 2 characters"
    );
}

#[actix_web::test]
async fn a_path_parameter_that_is_not_a_uuid_is_400_naming_it() {
    let (status, json, _) = send(test::TestRequest::get().uri("/probes/not-a-uuid")).await;
    assert_eq!(
        (status, json["type"].as_str()),
        (
            400,
            Some("https://api.uniikkiaani.fi/problems/invalid-parameter")
        )
    );
    assert_eq!(json["errors"][0]["field"], "id");
}

#[actix_web::test]
async fn a_bad_query_parameter_is_400() {
    let id = uuid::Uuid::now_v7();
    let (status, json, _) =
        send(test::TestRequest::get().uri(&format!("/probes/{id}?limit=many"))).await;
    assert_eq!(
        (status, json["type"].as_str()),
        (
            400,
            Some("https://api.uniikkiaani.fi/problems/invalid-parameter")
        )
    );
}
