//! The teaching calendar's lessons, the public free times, and attendance.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use persistence::calendar::lessons::LessonFilter;
use uuid::Uuid;

use crate::auth::{Caller, Reader};
use crate::calendar::bookings::Whose;
use crate::calendar::dto::*;
use crate::calendar::{attendance, lessons};
use crate::plumbing::error::{ApiError, Problem};
use crate::plumbing::extract::Json;
use crate::plumbing::http::{Page, decode_cursor, etag, if_match, page_limit};
use crate::plumbing::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

fn with_etag(mut response: actix_web::HttpResponseBuilder, lesson: &LessonView) -> HttpResponse {
    response
        .insert_header((header::ETAG, etag(lesson.version)))
        .json(lesson)
}

/// Schedule a lesson: office and admin for any teacher, a teacher for themselves. A teacher's
/// lessons may not overlap, nor may two lessons share a room at once.
#[utoipa::path(
    tag = "lessons",
    operation_id = "create_lesson",
    security(("access_token" = [])),
    params(crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = NewLesson,
    responses(
        (status = 201, description = "Scheduled", body = LessonView,
            headers(("Location" = String, description = "URL of the lesson"),
                    ("ETag" = String, description = "Version of the lesson"))),
        (status = 409, description = "The time overlaps the teacher's or the room's other lesson (`time-overlap`, `existing_id` names it), or a request with this `Idempotency-Key` is in flight",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[post("/lessons")]
pub async fn create_lesson(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NewLesson>,
) -> Result<HttpResponse, ApiError> {
    let lesson = lessons::create(&state, caller, body.0).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/lessons/{}", lesson.id)));
    Ok(with_etag(response, &lesson))
}

/// Schedule a weekly series in one request: the same Helsinki wall-clock time every week for
/// `weeks` weeks, leaving out `skip_dates`. All or nothing: one overlap refuses the series.
#[utoipa::path(
    tag = "lessons",
    operation_id = "create_lesson_series",
    security(("access_token" = [])),
    params(crate::plumbing::middleware::idempotency::IdempotencyKey),
    request_body = NewLessonSeries,
    responses(
        (status = 201, description = "Every lesson of the series", body = LessonSeriesView),
        (status = 409, description = "A lesson of the series overlaps another (`time-overlap`), or a request with this `Idempotency-Key` is in flight",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[post("/lesson-series")]
pub async fn create_lesson_series(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<NewLessonSeries>,
) -> Result<HttpResponse, ApiError> {
    let series = lessons::create_series(&state, caller, body.0).await?;
    Ok(HttpResponse::Created().json(series))
}

/// Lessons in order of start (staff: a teacher sees only their own).
#[utoipa::path(
    tag = "lessons",
    operation_id = "list_lessons",
    security(("access_token" = [])),
    params(LessonQuery),
    responses((status = 200, description = "One page of lessons", body = Page<LessonView>))
)]
#[get("/lessons")]
pub async fn list_lessons(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<LessonQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<(DateTime<Utc>, Uuid)>(query.cursor.as_deref())?;
    let filter = LessonFilter {
        teacher_id: query.teacher_id,
        from: query.from,
        to: query.to,
        status: query.status,
        ..LessonFilter::default()
    };
    Ok(HttpResponse::Ok().json(lessons::list(&state, caller, filter, after, limit).await?))
}

/// A lesson (staff: a teacher only their own).
#[utoipa::path(
    tag = "lessons",
    operation_id = "get_lesson",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Lesson id")),
    responses((status = 200, description = "The lesson", body = LessonView,
        headers(("ETag" = String, description = "Version of the lesson"))))
)]
#[get("/lessons/{id}")]
pub async fn get_lesson(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let lesson = lessons::get(&state, caller, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), &lesson))
}

/// The school cancels a lesson: every live booking on it becomes `cancelled_by_school`.
#[utoipa::path(
    tag = "lessons",
    operation_id = "cancel_lesson",
    security(("access_token" = [])),
    params(
        ("id" = Uuid, Path, description = "Lesson id"),
        ("If-Match" = String, Header, description = "The ETag of the version you read, or `*` for whatever is current; without it the change is 428")
    ),
    responses(
        (status = 200, description = "Cancelled", body = LessonView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "The lesson is already cancelled",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[post("/lessons/{id}/cancel")]
pub async fn cancel_lesson(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    lessons::scope_of(&caller)?;
    let expected = if_match(&req)?;
    let lesson = lessons::cancel(&state, caller, id.into_inner(), expected).await?;
    Ok(with_etag(HttpResponse::Ok(), &lesson))
}

/// Record what became of a participant: attended, no-show, excused, or cancelled by the
/// school (the lesson's teacher, office or admin). Recording the same outcome again changes
/// nothing.
#[utoipa::path(
    tag = "lessons",
    operation_id = "record_attendance",
    security(("access_token" = [])),
    params(
        ("id" = Uuid, Path, description = "Lesson id"),
        ("customer_id" = Uuid, Path, description = "The participant's customer id")
    ),
    request_body = AttendanceRecord,
    responses(
        (status = 200, description = "The participant's booking", body = BookingView),
        (status = 409, description = "The lesson has not started, or the booking cannot take this outcome",
            content_type = "application/problem+json", body = Problem)
    )
)]
#[put("/lessons/{id}/attendance/{customer_id}")]
pub async fn record_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<AttendanceRecord>,
) -> Result<HttpResponse, ApiError> {
    let (lesson_id, customer_id) = path.into_inner();
    let booking =
        attendance::record(&state, caller, lesson_id, customer_id, body.0.outcome).await?;
    Ok(HttpResponse::Ok().json(booking))
}

/// Bookable free times: scheduled lessons with a place left that have not started. Public,
/// and holds nothing about anyone booked.
#[utoipa::path(
    tag = "lessons",
    operation_id = "list_lesson_slots",
    security(()),
    extensions(("x-rate-limit" = json!("public"))),
    params(SlotQuery),
    responses((status = 200, description = "One page of free times, in order of start", body = Page<SlotView>))
)]
#[get("/lesson-slots")]
pub async fn list_lesson_slots(
    state: web::Data<AppState>,
    query: web::Query<SlotQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<(DateTime<Utc>, Uuid)>(query.cursor.as_deref())?;
    let slots =
        lessons::slots(&state, query.teacher_id, query.from, query.to, after, limit).await?;
    Ok(HttpResponse::Ok().json(slots))
}

/// Your lessons up to now: their times and what became of each (customer logins).
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_lessons",
    security(("access_token" = [])),
    params(TimePageQuery),
    responses((status = 200, description = "One page of your past lessons, oldest first", body = Page<BookingView>))
)]
#[get("/me/lessons")]
pub async fn list_my_lessons(
    state: web::Data<AppState>,
    caller: Reader,
    query: web::Query<TimePageQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<(DateTime<Utc>, Uuid)>(query.cursor.as_deref())?;
    let page = attendance::history(&state, caller, Whose::Mine, after, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A customer's lessons up to now, with what became of each (office, admin, and the
/// customer's own teachers). The read is audited.
#[utoipa::path(
    tag = "customers",
    operation_id = "list_customer_lessons",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "Customer id"), TimePageQuery),
    responses((status = 200, description = "One page of past lessons, oldest first", body = Page<BookingView>))
)]
#[get("/customers/{id}/lessons")]
pub async fn list_customer_lessons(
    state: web::Data<AppState>,
    caller: Reader,
    id: web::Path<Uuid>,
    query: web::Query<TimePageQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page_limit(query.limit)?;
    let after = decode_cursor::<(DateTime<Utc>, Uuid)>(query.cursor.as_deref())?;
    let whose = Whose::Customer(id.into_inner());
    let page = attendance::history(&state, caller, whose, after, limit).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Registers this area's routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_lesson)
        .service(create_lesson_series)
        .service(list_lessons)
        .service(get_lesson)
        .service(cancel_lesson)
        .service(record_attendance)
        .service(list_lesson_slots)
        .service(list_my_lessons)
        .service(list_customer_lessons);
}
