//! Booking a lesson, cancelling and moving a booking: each one transaction whose conditional
//! writes settle every race (see `persistence::calendar`).

use chrono::{DateTime, Utc};
use domain::FieldCode;
use domain::audit::{AuditAction, Touched};
use domain::calendar::{BookingEvent, BookingSource, BookingStatus, LessonStatus, time};
use persistence::calendar::bookings::{self, Booking, NewBooking as StoredBooking, Window};
use persistence::calendar::lessons::{self, Lesson};
use persistence::customers::{self, Customer};
use persistence::{AnyConnection, DbError};
use uuid::Uuid;

use super::actor_of;
use super::dto::*;
use super::notices;
use super::wording::Occasion;
use crate::auth::policy;
use crate::auth::{Action, Caller, Principal, Reader};
use crate::plumbing::error::{ApiError, CalendarRefusal, FieldError};
use crate::plumbing::http::{Page, page};
use crate::plumbing::state::AppState;
use crate::settings::Settings;

/// Whose booking this is to the caller: their own, or one they manage.
enum Standing {
    /// The customer themselves: the cut-off applies.
    Own,
    /// Office or admin, or the integration that made the booking: no cut-off.
    Manager,
}

/// How the caller stands to `booking`, or 404 when it is not theirs to touch.
fn standing(
    conn: &mut AnyConnection,
    caller: &Caller,
    booking: &Booking,
) -> Result<Standing, ApiError> {
    if let Some(account) = policy::own_account(&caller.principal) {
        let own = customers::find_by_account(conn, account)?.ok_or(ApiError::NotFound)?;
        return if own.id == booking.customer_id {
            Ok(Standing::Own)
        } else {
            Err(ApiError::NotFound)
        };
    }
    caller.require(Action::ManageBookings)?;
    match caller.principal {
        Principal::Integration { id, .. } if booking.created_by.id != Some(id) => {
            Err(ApiError::NotFound)
        }
        _ => Ok(Standing::Manager),
    }
}

fn field(name: &str, code: FieldCode, message: &str) -> ApiError {
    ApiError::Validation(vec![FieldError::new(name, code, message)])
}

/// The customer a new booking is for, locked for this transaction, and how it was made.
fn booker(
    conn: &mut AnyConnection,
    caller: &Caller,
    body: &NewBooking,
    now: DateTime<Utc>,
) -> Result<(Customer, BookingSource), ApiError> {
    let integration = matches!(caller.principal, Principal::Integration { .. });
    if body.person.is_some() && !integration {
        return Err(field(
            "person",
            FieldCode::NotAllowed,
            "only the calendar integration names a person; name the customer by customer_id",
        ));
    }
    let (id, source) = if let Some(account) = policy::own_account(&caller.principal) {
        let own = customers::find_by_account(conn, account)?.ok_or(ApiError::NotFound)?;
        if body.customer_id.is_some_and(|n| n != own.id) {
            return Err(field(
                "customer_id",
                FieldCode::NotAllowed,
                "you book for yourself; leave customer_id out",
            ));
        }
        (own.id, BookingSource::Customer)
    } else {
        caller.require(Action::ManageBookings)?;
        let source = if integration {
            BookingSource::Calendar
        } else {
            BookingSource::Staff
        };
        let id = match (body.customer_id, &body.person) {
            (Some(id), None) => id,
            (None, Some(person)) => super::person::customer_for(conn, caller, person, now)?,
            (Some(_), Some(_)) => {
                return Err(field(
                    "person",
                    FieldCode::NotAllowed,
                    "name the customer by customer_id or as a person, not both",
                ));
            }
            (None, None) => {
                return Err(field(
                    "customer_id",
                    FieldCode::Required,
                    "name the customer",
                ));
            }
        };
        (id, source)
    };
    let customer = match crate::customers::service::for_write(conn, id) {
        Err(ApiError::NotFound) => {
            return Err(field(
                "customer_id",
                FieldCode::NotFound,
                "no customer has this id",
            ));
        }
        other => other?,
    };
    domain::customer::ensure_processable(customer.restriction.as_ref())?;
    Ok((customer, source))
}

/// A lesson that can still be booked, or why not.
fn bookable(conn: &mut AnyConnection, id: Uuid, now: DateTime<Utc>) -> Result<Lesson, ApiError> {
    let lesson = lessons::find(conn, id)?
        .ok_or_else(|| field("lesson_id", FieldCode::NotFound, "no lesson has this id"))?;
    if lesson.status != LessonStatus::Scheduled || lesson.starts_at <= now {
        return Err(ApiError::Calendar(CalendarRefusal::Unavailable));
    }
    Ok(lesson)
}

fn customer_overlap(existing_id: Uuid) -> ApiError {
    ApiError::Calendar(CalendarRefusal::Overlap {
        what: "another booking of the same customer",
        existing_id,
    })
}

/// Takes a place on `lesson` for `customer_id`, unless they are booked elsewhere then.
fn take_place(
    conn: &mut AnyConnection,
    lesson: &Lesson,
    customer_id: Uuid,
    except: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if let Some(existing) =
        bookings::customer_busy(conn, customer_id, lesson.starts_at, lesson.ends_at, except)?
    {
        return Err(customer_overlap(existing));
    }
    if !lessons::take_place(conn, lesson.id, now)? {
        return Err(ApiError::Calendar(CalendarRefusal::Full));
    }
    Ok(())
}

/// PostgreSQL's constraints answer a race the checks could not see, as the checks would.
fn constraint_refusal(error: DbError) -> ApiError {
    match error {
        DbError::ExclusionViolation { .. } | DbError::UniqueViolation { .. } => {
            customer_overlap(Uuid::nil())
        }
        other => other.into(),
    }
}

pub async fn create(
    state: &AppState,
    caller: Caller,
    body: NewBooking,
) -> Result<BookingView, ApiError> {
    let settings = state.settings.clone();
    let entry = caller.entry(AuditAction::BookingCreate);
    state
        .writer
        .write_audited(entry, move |conn, now| {
            book_in(conn, &caller, &body, &settings, now)
        })
        .await
}

/// Books in the caller's transaction (a request of its own, or a webhook's event).
pub fn book_in(
    conn: &mut AnyConnection,
    caller: &Caller,
    body: &NewBooking,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<(BookingView, Touched), ApiError> {
    let (customer, source) = booker(conn, caller, body, now)?;
    let lesson = bookable(conn, body.lesson_id, now)?;
    take_place(conn, &lesson, customer.id, None, now)?;
    let new = StoredBooking {
        lesson_id: lesson.id,
        customer_id: customer.id,
        starts_at: lesson.starts_at,
        ends_at: lesson.ends_at,
        source,
    };
    let booking =
        bookings::insert(conn, &new, actor_of(caller), now).map_err(constraint_refusal)?;
    let told = (&lesson, None);
    notices::tell(
        conn,
        settings,
        &customer,
        &booking,
        told,
        Occasion::Booked,
        now,
    )?;
    let touched = Touched::thing(booking.id, Some(customer.id));
    Ok((with_history(conn, booking)?, touched))
}

fn with_history(conn: &mut AnyConnection, booking: Booking) -> Result<BookingView, ApiError> {
    let history = bookings::history(conn, booking.id)?;
    let mut view = BookingView::from(booking);
    view.history = history.into_iter().map(Into::into).collect();
    Ok(view)
}

/// The live booking `id` the caller may change, its customer (locked), and whether the
/// cut-off has passed (refused for the customer themselves).
fn changeable(
    conn: &mut AnyConnection,
    caller: &Caller,
    id: Uuid,
    cut_off: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<(Booking, Customer, bool), ApiError> {
    let booking = bookings::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let standing = standing(conn, caller, &booking)?;
    let customer = crate::customers::service::for_write(conn, booking.customer_id)?;
    // Read again under the customer's lock: a concurrent change has committed by now.
    let booking = bookings::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if !booking.status.is_live() {
        return Err(ApiError::Conflict {
            detail: format!("the booking is {}, not booked", booking.status.as_str()),
            existing_id: None,
        });
    }
    let late = !time::before_cut_off(booking.starts_at, now, cut_off);
    if late && matches!(standing, Standing::Own) {
        let hours = u32::try_from(cut_off.num_hours()).unwrap_or(u32::MAX);
        return Err(ApiError::Calendar(CalendarRefusal::CutOffPassed { hours }));
    }
    Ok((booking, customer, late))
}

/// The end of a cancellation or a move: when `changed` (else the booking changed meanwhile,
/// and the transaction rolls back), the place `was` held is given back and the customer is
/// told; answers the booking as it is now.
fn left_lesson(
    conn: &mut AnyConnection,
    settings: &Settings,
    (changed, occasion): (bool, Occasion),
    was: &Booking,
    customer: &Customer,
    now: DateTime<Utc>,
) -> Result<(BookingView, Touched), ApiError> {
    if !changed {
        return Err(ApiError::Conflict {
            detail: "the booking changed meanwhile; read it again".to_owned(),
            existing_id: None,
        });
    }
    lessons::free_place(conn, was.lesson_id, now)?;
    let booking = bookings::find(conn, was.id)?.ok_or(ApiError::NotFound)?;
    let lesson = lessons::find(conn, booking.lesson_id)?.ok_or(ApiError::NotFound)?;
    let left = match occasion {
        Occasion::Moved => lessons::find(conn, was.lesson_id)?,
        _ => None,
    };
    let told = (&lesson, left.as_ref());
    notices::tell(conn, settings, customer, &booking, told, occasion, now)?;
    let touched = Touched::thing(was.id, Some(booking.customer_id));
    Ok((with_history(conn, booking)?, touched))
}

pub async fn cancel(state: &AppState, caller: Caller, id: Uuid) -> Result<BookingView, ApiError> {
    let settings = state.settings.clone();
    let entry = caller.entry(AuditAction::BookingCancel);
    state
        .writer
        .write_audited(entry, move |conn, now| {
            cancel_in(conn, &caller, id, &settings, now)
        })
        .await
}

/// Cancels in the caller's transaction.
pub fn cancel_in(
    conn: &mut AnyConnection,
    caller: &Caller,
    id: Uuid,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<(BookingView, Touched), ApiError> {
    let cut_off = settings.calendar.cut_off();
    let (booking, customer, late) = changeable(conn, caller, id, cut_off, now)?;
    let changed = bookings::change_status(
        conn,
        &booking,
        BookingStatus::Cancelled,
        BookingEvent::Cancelled,
        late,
        None,
        actor_of(caller),
        now,
    )?;
    let outcome = (changed, Occasion::Cancelled);
    left_lesson(conn, settings, outcome, &booking, &customer, now)
}

pub async fn reschedule(
    state: &AppState,
    caller: Caller,
    id: Uuid,
    body: Reschedule,
) -> Result<BookingView, ApiError> {
    let settings = state.settings.clone();
    let entry = caller.entry(AuditAction::BookingReschedule);
    state
        .writer
        .write_audited(entry, move |conn, now| {
            reschedule_in(conn, &caller, id, body.lesson_id, &settings, now)
        })
        .await
}

/// Moves the booking to `lesson_id` in the caller's transaction.
pub fn reschedule_in(
    conn: &mut AnyConnection,
    caller: &Caller,
    id: Uuid,
    lesson_id: Uuid,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<(BookingView, Touched), ApiError> {
    let cut_off = settings.calendar.cut_off();
    let (booking, customer, _) = changeable(conn, caller, id, cut_off, now)?;
    if booking.lesson_id == lesson_id {
        return Err(field(
            "lesson_id",
            FieldCode::Unchanged,
            "the booking is on this lesson already",
        ));
    }
    let lesson = bookable(conn, lesson_id, now)?;
    take_place(conn, &lesson, booking.customer_id, Some(booking.id), now)?;
    let moved = bookings::move_to(
        conn,
        &booking,
        lesson.id,
        (lesson.starts_at, lesson.ends_at),
        None,
        actor_of(caller),
        now,
    )
    .map_err(constraint_refusal)?;
    let outcome = (moved, Occasion::Moved);
    left_lesson(conn, settings, outcome, &booking, &customer, now)
}

/// One booking with its history: the customer's own, or for staff who reach the customer, or
/// for the integration that made it. The read is audited.
pub async fn get(state: &AppState, caller: Reader, id: Uuid) -> Result<BookingView, ApiError> {
    let who: Caller = (*caller).clone();
    let (view, customer_id) = crate::plumbing::db::run(&state.pool, move |conn| {
        let booking = bookings::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let reachable = match policy::customer_scope(&who.principal) {
            Some(scope) => customers::find(conn, booking.customer_id, scope)?.is_some(),
            None => standing(conn, &who, &booking).map(|_| true)?,
        };
        if !reachable {
            return Err(ApiError::NotFound);
        }
        let customer_id = booking.customer_id;
        Ok((with_history(conn, booking)?, customer_id))
    })
    .await?;
    let entry = caller.audit(
        AuditAction::BookingRead,
        Some(id.to_string()),
        Some(customer_id),
    );
    caller.read_audited(state, entry, |_| Ok(())).await?;
    Ok(view)
}

/// Whose bookings a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Whose {
    /// The caller's own (a customer's login).
    Mine,
    /// The customer `id`, for staff who reach them.
    Customer(Uuid),
}

/// The customer whose list this is, or 404/403.
fn list_owner(conn: &mut AnyConnection, caller: &Caller, whose: Whose) -> Result<Uuid, ApiError> {
    match whose {
        Whose::Mine => {
            let account = policy::own_account(&caller.principal).ok_or(ApiError::Forbidden)?;
            Ok(customers::find_by_account(conn, account)?
                .ok_or(ApiError::NotFound)?
                .id)
        }
        Whose::Customer(id) => {
            let scope = policy::customer_scope(&caller.principal).ok_or(ApiError::Forbidden)?;
            customers::find(conn, id, scope)?.ok_or(ApiError::NotFound)?;
            Ok(id)
        }
    }
}

/// A page of a customer's bookings in order of the lesson's start. A staff read is audited.
pub async fn list(
    state: &AppState,
    caller: Reader,
    whose: Whose,
    window: Window,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Page<BookingView>, ApiError> {
    let who: Caller = (*caller).clone();
    let read = move |conn: &mut AnyConnection| {
        let customer_id = list_owner(conn, &who, whose)?;
        Ok(bookings::of_customer(
            conn,
            customer_id,
            window,
            after,
            limit + 1,
        )?)
    };
    let rows = match whose {
        Whose::Mine => crate::plumbing::db::run(&state.pool, read).await?,
        Whose::Customer(id) => {
            let entry = caller.audit(
                AuditAction::CustomerBookingsRead,
                Some(id.to_string()),
                Some(id),
            );
            caller.read_audited(state, entry, read).await?
        }
    };
    Ok(page(rows, limit, |b| (b.starts_at, b.id), Into::into))
}
