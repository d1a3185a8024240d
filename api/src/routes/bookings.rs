//! Single-lesson bookings: make one, cancel it, move it, read them.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use persistence::calendar::bookings::Window;
use uuid::Uuid;

use crate::auth::{Caller, Reader};
use crate::calendar::bookings::{self, Whose};
use crate::calendar::dto::*;
use crate::plumbing::error::{ApiError, Problem};
use crate::plumbing::extract::Json;
use crate::plumbing::http::{Page, decode_cursor, etag, page_limit};
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

fn with_etag(mut response: actix_web::HttpResponseBuilder, booking: &BookingView) -> HttpResponse {
    response
        .insert_header((header::ETAG, etag(booking.version)))
        .json(booking)
}

/// Book a lesson: a customer for themselves, office staff or the calendar integration for a
/// named customer. The last place goes to exactly one of any number of concurrent requests.
#[utoipa::path(
    tag = "bookings",
    operation_id = "create_booking",
    security(("access_token" = []), ("integration_key" = [])),
    params(crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = NewBooking,
    responses(
        (status = 201, description = "Booked", body = BookingView,
            headers(("Location" = String, description = "URL of the booking"),
                    ("ETag" = String, description = "Version of the booking"))),
        (status = 409, description = "`lesson-full`, `lesson-unavailable` (cancelled or started), `time-overlap` (the customer is booked elsewhere then), a restricted or erased customer, or a request with this `Idempotency-Key` in flight",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[post("/bookings")]
pub async fn create_booking(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NewBooking>,
) -> Result<HttpResponse, ApiError> {
    let booking = bookings::create(&state, caller, body.0).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/bookings/{}", booking.id)));
    Ok(with_etag(response, &booking))
}

/// A booking with its history: your own, or for staff who reach the customer, or for the
/// integration that made it. The read is audited.
#[utoipa::path(
    tag = "bookings",
    operation_id = "get_booking",
    security(("access_token" = []), ("integration_key" = [])),
    params(("id" = Uuid, Path, description = "Booking id")),
    responses((status = 200, description = "The booking", body = BookingView,
        headers(("ETag" = String, description = "Version of the booking"))))
)]
#[get("/bookings/{id}")]
pub async fn get_booking(
    state: web::Data<AppState>,
    caller: Reader,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let booking = bookings::get(&state, caller, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), &booking))
}

/// Cancel a booking. A customer cancels their own until the cut-off (setting, 24 h by
/// default); later only staff (or the integration that made it) can, and the cancellation is
/// marked late.
#[utoipa::path(
    tag = "bookings",
    operation_id = "cancel_booking",
    security(("access_token" = []), ("integration_key" = [])),
    params(("id" = Uuid, Path, description = "Booking id")),
    responses(
        (status = 200, description = "Cancelled", body = BookingView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "`cut-off-passed` for a customer, or the booking is not live",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[post("/bookings/{id}/cancel")]
pub async fn cancel_booking(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let booking = bookings::cancel(&state, caller, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), &booking))
}

/// Move a booking to another free lesson in one step: the new place is taken and the old one
/// freed together, or nothing changes. The cut-off applies as for cancelling.
#[utoipa::path(
    tag = "bookings",
    operation_id = "reschedule_booking",
    security(("access_token" = []), ("integration_key" = [])),
    params(("id" = Uuid, Path, description = "Booking id")),
    request_body = Reschedule,
    responses(
        (status = 200, description = "Moved", body = BookingView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "`lesson-full`, `lesson-unavailable`, `time-overlap`, `cut-off-passed`, or the booking is not live",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[post("/bookings/{id}/reschedule")]
pub async fn reschedule_booking(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
    body: Json<Reschedule>,
) -> Result<HttpResponse, ApiError> {
    let booking = bookings::reschedule(&state, caller, id.into_inner(), body.0).await?;
    Ok(with_etag(HttpResponse::Ok(), &booking))
}

/// Your bookings in order of the lesson's start (customer logins).
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_bookings",
    security(("access_token" = [])),
    params(BookingQuery),
    responses((status = 200, description = "One page of your bookings", body = Page<BookingView>))
)]
#[get("/me/bookings")]
pub async fn list_my_bookings(
    state: web::Data<AppState>,
    caller: Reader,
    query: web::Query<BookingQuery>,
) -> Result<HttpResponse, ApiError> {
    list(&state, caller, Whose::Mine, query.into_inner()).await
}

/// A customer's bookings in order of the lesson's start (office, admin, and the customer's
/// own teachers). The read is audited.
#[utoipa::path(
    tag = "customers",
    operation_id = "list_customer_bookings",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id"), BookingQuery),
    responses((status = 200, description = "One page of the customer's bookings", body = Page<BookingView>))
)]
#[get("/customers/{id}/bookings")]
pub async fn list_customer_bookings(
    state: web::Data<AppState>,
    caller: Reader,
    id: web::Path<Uuid>,
    query: web::Query<BookingQuery>,
) -> Result<HttpResponse, ApiError> {
    let whose = Whose::Customer(id.into_inner());
    list(&state, caller, whose, query.into_inner()).await
}

async fn list(
    state: &AppState,
    caller: Reader,
    whose: Whose,
    query: BookingQuery,
) -> Result<HttpResponse, ApiError> {
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<(DateTime<Utc>, Uuid)>(query.cursor.as_deref())?;
    let window = Window {
        from: query.from,
        to: query.to,
    };
    let page = bookings::list(state, caller, whose, window, after, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_booking)
        .service(get_booking)
        .service(cancel_booking)
        .service(reschedule_booking)
        .service(list_my_bookings)
        .service(list_customer_bookings);
}
