//! Calendar feeds: secret iCalendar URLs of a teacher's lessons or a customer's bookings.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use uuid::Uuid;

use crate::auth::Caller;
use crate::calendar::feed_dto::{CalendarFeedView, IssuedCalendarFeed, NewCalendarFeed};
use crate::calendar::feeds;
use crate::plumbing::error::ApiError;
use crate::plumbing::extract::Json;
use crate::plumbing::http::{Page, PageQuery, decode_cursor, page_limit};
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

/// Make a feed URL: a teacher of their lessons, a customer of their bookings (leave both
/// fields out), an admin for the teacher or customer named. The URL is shown this once.
#[utoipa::path(
    tag = "calendar-feeds",
    operation_id = "create_calendar_feed",
    security(("access_token" = [])),
    request_body = NewCalendarFeed,
    responses((status = 201, description = "Made, with its secret URL", body = IssuedCalendarFeed,
        headers(("Location" = String, description = "URL of the feed's record"))))
)]
#[post("/calendar-feeds")]
pub async fn create_calendar_feed(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NewCalendarFeed>,
) -> Result<HttpResponse, ApiError> {
    let issued = feeds::create(&state, caller, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/calendar-feeds/{}", issued.feed.id),
        ))
        .json(issued))
}

/// The caller's own feeds (an admin: every feed), oldest first, without their URLs.
#[utoipa::path(
    tag = "calendar-feeds",
    operation_id = "list_calendar_feeds",
    security(("access_token" = [])),
    params(PageQuery),
    responses((status = 200, description = "One page of feeds", body = Page<CalendarFeedView>))
)]
#[get("/calendar-feeds")]
pub async fn list_calendar_feeds(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<Uuid>(query.cursor.as_deref())?;
    Ok(HttpResponse::Ok().json(feeds::list(&state, caller, after, limit).await?))
}

/// Replace a feed's URL: the old one stops working at once.
#[utoipa::path(
    tag = "calendar-feeds",
    operation_id = "rotate_calendar_feed",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Feed id")),
    responses((status = 200, description = "The feed with its new secret URL", body = IssuedCalendarFeed))
)]
#[post("/calendar-feeds/{id}/rotate")]
pub async fn rotate_calendar_feed(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(feeds::rotate(&state, caller, id.into_inner()).await?))
}

/// Revoke a feed: its URL stops working at once.
#[utoipa::path(
    tag = "calendar-feeds",
    operation_id = "revoke_calendar_feed",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Feed id")),
    responses((status = 204, description = "Revoked"))
)]
#[delete("/calendar-feeds/{id}")]
pub async fn revoke_calendar_feed(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    feeds::revoke(&state, caller, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The feed itself, for calendar applications: RFC 5545 `text/calendar`, times in UTC, one
/// event per lesson with a stable `UID` and a `SEQUENCE` raised on every change; cancelled
/// lessons stay 30 days as `STATUS:CANCELLED`. The secret URL is the only credential.
#[utoipa::path(
    tag = "calendar-feeds",
    operation_id = "read_calendar_feed",
    security(()),
    extensions(("x-rate-limit" = json!("public"))),
    params(("token" = String, Path, description = "The feed's secret token, from its URL",
        pattern = "^[A-Za-z0-9_-]{32}$", min_length = 32, max_length = 32)),
    responses((status = 200, description = "The calendar",
        content_type = "text/calendar", body = String,
        headers(("Cache-Control" = String, description = "`private, max-age=300`"))))
)]
#[get("/ical/{token}")]
pub async fn read_calendar_feed(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token = token.into_inner();
    // 24 random bytes: 32 characters.
    if !crate::auth::secrets::has_token_form(&token, 32..=32) {
        return Err(ApiError::NotFound);
    }
    let calendar = feeds::render(&state, token).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(calendar))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_calendar_feed)
        .service(list_calendar_feeds)
        .service(rotate_calendar_feed)
        .service(revoke_calendar_feed)
        .service(read_calendar_feed);
}
