//! Customer use cases. Every staff read is audited; teachers reach only their own students.

use chrono::Utc;
use domain::customer::Source;
use domain::{DisplayName, EmailAddress, Role};
use persistence::accounts::{self, NewAccount};
use persistence::customers::{self, Customer, Search, SortKey, UpdateError};
use persistence::{AnyConnection, DbError, audit};
use uuid::Uuid;

use super::dto::{CustomerPatch, CustomerView, NewCustomer};
use super::profile::ProfileInput;
use crate::auth::policy::{CustomerScope, customer_scope};
use crate::auth::{Caller, Principal, Reader};
use crate::db;
use crate::error::ApiError;
use crate::http::{Page, page};
use crate::identity::one_time::Prepared;
use crate::identity::staff::OneTimePassword;
use crate::state::AppState;

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

fn view(customer: Customer) -> CustomerView {
    CustomerView::new(customer, today())
}

/// The answer to processing a restricted person's data.
pub fn restricted() -> ApiError {
    ApiError::Conflict {
        detail: "processing of this customer's data is restricted; an admin must lift the restriction first".to_owned(),
        existing_id: None,
    }
}

/// The answer to any change about a person who has been erased.
pub fn erased() -> ApiError {
    ApiError::Conflict {
        detail: "this customer has been erased; nothing more can be recorded about them".to_owned(),
        existing_id: None,
    }
}

/// The customer, locked for this write transaction (see [`customers::find_for_write`]), when
/// they exist and have not been erased. Every change about a customer starts here.
pub fn for_write(conn: &mut AnyConnection, id: Uuid) -> Result<Customer, ApiError> {
    let customer = customers::find_for_write(conn, id)?.ok_or(ApiError::NotFound)?;
    if customer.erased_at.is_some() {
        return Err(erased());
    }
    Ok(customer)
}

/// Restricts processing with a reason, or lifts the restriction (`None`); both audited.
pub async fn set_restriction(
    state: &AppState,
    caller: Caller,
    id: Uuid,
    reason: Option<String>,
) -> Result<CustomerView, ApiError> {
    state
        .writer
        .write(move |conn| {
            let now = Utc::now();
            for_write(conn, id)?;
            customers::set_restriction(conn, id, reason.as_deref(), now)?;
            let action = if reason.is_some() {
                "customer.restrict"
            } else {
                "customer.lift_restriction"
            };
            audit::append(
                conn,
                caller.audit(action, "customer", Some(id.to_string()), Some(id)),
                now,
            )?;
            Ok(view(customers::find(conn, id)?.ok_or(ApiError::NotFound)?))
        })
        .await
}

fn duplicate_email(existing_id: Option<Uuid>) -> ApiError {
    ApiError::Conflict {
        detail: "a customer with this email already exists".to_owned(),
        existing_id,
    }
}

/// Refuses an email another customer has; `self_id` may keep its own.
fn ensure_email_free(
    conn: &mut AnyConnection,
    email: Option<&EmailAddress>,
    self_id: Option<Uuid>,
) -> Result<(), ApiError> {
    if let Some(email) = email
        && let Some(other) = customers::find_by_email(conn, email)?
        && Some(other.id) != self_id
    {
        return Err(duplicate_email(Some(other.id)));
    }
    Ok(())
}

fn unique_violation(e: DbError) -> ApiError {
    match e {
        DbError::UniqueViolation { constraint } if constraint == "customers_email_key" => {
            duplicate_email(None)
        }
        DbError::UniqueViolation { constraint } if constraint == "accounts_email_key" => {
            ApiError::Conflict {
                detail: "another account logs in with this email".to_owned(),
                existing_id: None,
            }
        }
        other => other.into(),
    }
}

/// The customer when the caller may see them: all for office and admin; for a teacher only
/// their students (none until lessons exist). Anyone else cannot reach customers at all.
fn visible(caller: &Caller, customer: Option<Customer>) -> Result<Customer, ApiError> {
    match customer_scope(&caller.principal) {
        Some(CustomerScope::All) => customer.ok_or(ApiError::NotFound),
        Some(CustomerScope::TaughtBy(_)) => Err(ApiError::NotFound),
        None => Err(ApiError::Forbidden),
    }
}

pub async fn create(
    state: &AppState,
    caller: Caller,
    body: NewCustomer,
) -> Result<CustomerView, ApiError> {
    let profile = ProfileInput::from(&body).parse(today())?;
    let source = body.source.map_or(Source::Staff, Source::from);
    state
        .writer
        .write(move |conn| {
            let now = Utc::now();
            ensure_email_free(conn, profile.email.as_ref(), None)?;
            let customer =
                customers::insert(conn, &profile, source, now).map_err(unique_violation)?;
            let id = customer.id;
            audit::append(
                conn,
                caller.audit(
                    "customer.create",
                    "customer",
                    Some(id.to_string()),
                    Some(id),
                ),
                now,
            )?;
            Ok(view(customer))
        })
        .await
}

pub async fn get(state: &AppState, reader: Reader, id: Uuid) -> Result<CustomerView, ApiError> {
    let caller = Caller::clone(&reader);
    let entry = caller.audit("customer.read", "customer", Some(id.to_string()), Some(id));
    let customer = reader
        .read_audited(state, entry, move |conn| {
            visible(&caller, customers::find(conn, id)?)
        })
        .await?;
    Ok(view(customer))
}

pub async fn list(
    state: &AppState,
    reader: Reader,
    q: Option<String>,
    after: Option<SortKey>,
    limit: i64,
) -> Result<Page<CustomerView>, ApiError> {
    let scope = customer_scope(&reader.principal).ok_or(ApiError::Forbidden)?;
    let search = q.as_deref().map(Search::new);
    let entry = reader.audit("customer.list", "customer", None, None);
    let rows = reader
        .read_audited(state, entry, move |conn| match scope {
            // Until lessons exist a teacher teaches nobody.
            CustomerScope::TaughtBy(_) => Ok(Vec::new()),
            CustomerScope::All => Ok(customers::list(
                conn,
                search.as_ref(),
                after.as_ref(),
                limit + 1,
            )?),
        })
        .await?;
    Ok(page(rows, limit, |c| c.sort_key.to_string(), view))
}

/// Applies `patch` to the customer `id` and checks the result whole. `expected_version`
/// guards against lost updates (`If-Match`).
fn patch_customer(
    conn: &mut AnyConnection,
    current: &Customer,
    patch: CustomerPatch,
    expected_version: Option<i64>,
) -> Result<Customer, ApiError> {
    if current.restriction.is_some() {
        return Err(restricted());
    }
    let now = Utc::now();
    let profile = ProfileInput::of(&current.profile)
        .apply(patch)
        .parse(now.date_naive())?;
    ensure_email_free(conn, profile.email.as_ref(), Some(current.id))?;
    let version = expected_version.unwrap_or(current.version);
    customers::update(conn, current.id, &profile, version, now).map_err(|e| match e {
        UpdateError::NotFound => ApiError::NotFound,
        UpdateError::Stale => ApiError::PreconditionFailed,
        UpdateError::Erased => erased(),
        UpdateError::Db(db) => unique_violation(db),
    })
}

pub async fn update(
    state: &AppState,
    caller: Caller,
    id: Uuid,
    patch: CustomerPatch,
    expected_version: Option<i64>,
) -> Result<CustomerView, ApiError> {
    state
        .writer
        .write(move |conn| {
            visible(&caller, customers::find(conn, id)?)?;
            let current = for_write(conn, id)?;
            let updated = patch_customer(conn, &current, patch, expected_version)?;
            audit::append(
                conn,
                caller.audit(
                    "customer.update",
                    "customer",
                    Some(id.to_string()),
                    Some(id),
                ),
                Utc::now(),
            )?;
            Ok(view(updated))
        })
        .await
}

/// Gives the customer a login (an account of role `customer`, created on first use) with a
/// one-time password. The customer's email is the login name.
pub async fn issue_one_time_password(
    state: &AppState,
    caller: Caller,
    id: Uuid,
) -> Result<OneTimePassword, ApiError> {
    let otp = Prepared::new(&state.settings).await?;
    let expires_at = state
        .writer
        .write(move |conn| {
            let now = Utc::now();
            visible(&caller, customers::find(conn, id)?)?;
            let customer = for_write(conn, id)?;
            let email = customer
                .profile
                .email
                .clone()
                .ok_or_else(|| ApiError::Conflict {
                    detail: "the customer has no email address to log in with; add one first"
                        .to_owned(),
                    existing_id: None,
                })?;
            let account_id = match customer.account_id {
                Some(account_id) => account_id,
                None => {
                    let name = format!(
                        "{} {}",
                        customer.profile.first_name.as_str(),
                        customer.profile.last_name.as_str()
                    );
                    let display_name = DisplayName::parse(&name)
                        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
                    if accounts::find_by_email(conn, &email)?.is_some() {
                        return Err(unique_violation(DbError::UniqueViolation {
                            constraint: "accounts_email_key".into(),
                        }));
                    }
                    let new = NewAccount {
                        email,
                        display_name,
                        role: Role::Customer,
                    };
                    let account = accounts::insert(conn, &new, now).map_err(unique_violation)?;
                    customers::link_account(conn, id, account.id)?;
                    account.id
                }
            };
            let expires_at = otp.install(conn, account_id, now)?;
            let entry = caller.audit(
                "customer.one_time_password",
                "customer",
                Some(id.to_string()),
                Some(id),
            );
            audit::append(conn, entry, now)?;
            Ok::<_, ApiError>((otp, expires_at))
        })
        .await?;
    let (otp, expires_at) = expires_at;
    Ok(otp.shown(expires_at))
}

/// The customer behind a customer's own login.
fn own_account(caller: &Caller) -> Result<Uuid, ApiError> {
    match &caller.principal {
        Principal::Account {
            id,
            role: Role::Customer,
            ..
        } => Ok(*id),
        _ => Err(ApiError::Forbidden),
    }
}

pub async fn me(state: &AppState, caller: Caller) -> Result<CustomerView, ApiError> {
    let account_id = own_account(&caller)?;
    let customer = db::run(&state.pool, move |conn| {
        Ok(customers::find_by_account(conn, account_id)?)
    })
    .await?;
    customer.map(view).ok_or(ApiError::NotFound)
}

/// Rectification by the person themselves. A new email becomes their login name too.
pub async fn update_me(
    state: &AppState,
    caller: Caller,
    patch: CustomerPatch,
    expected_version: Option<i64>,
) -> Result<CustomerView, ApiError> {
    let account_id = own_account(&caller)?;
    state
        .writer
        .write(move |conn| {
            let own = customers::find_by_account(conn, account_id)?.ok_or(ApiError::NotFound)?;
            let current = for_write(conn, own.id)?;
            let id = current.id;
            // Whose address it is stays unsaid: a customer learns only that it is taken.
            let updated =
                patch_customer(conn, &current, patch, expected_version).map_err(|e| match e {
                    ApiError::Conflict { detail, .. } => ApiError::Conflict {
                        detail,
                        existing_id: None,
                    },
                    other => other,
                })?;
            let Some(email) = &updated.profile.email else {
                return Err(ApiError::Validation(vec![crate::error::FieldError::new(
                    "email",
                    "required",
                    "is your login name and cannot be removed",
                )]));
            };
            accounts::update_email(conn, account_id, email, Utc::now())
                .map_err(unique_violation)?;
            audit::append(
                conn,
                caller.audit(
                    "customer.rectify",
                    "customer",
                    Some(id.to_string()),
                    Some(id),
                ),
                Utc::now(),
            )?;
            Ok(view(updated))
        })
        .await
}
