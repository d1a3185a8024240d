//! Customer use cases. Every staff read is audited; teachers reach only their own students.

use chrono::Utc;
use domain::FieldCode;
use domain::audit::{AuditAction, Touched};
use domain::customer::{Source, ensure_processable};
use domain::{DisplayName, EmailAddress, Role};
use persistence::accounts::{self, NewAccount};
use persistence::customers::{self, Customer, Search, UpdateError};
use persistence::{AnyConnection, DbError};
use uuid::Uuid;

use super::dto::{CustomerPatch, CustomerView, NewCustomer};
use super::profile::ProfileInput;
use crate::auth::policy::{self, CustomerScope, customer_scope};
use crate::auth::{Caller, Reader};
use crate::identity::one_time::OneTimePassword;
use crate::identity::one_time::Prepared;
use crate::plumbing::db;
use crate::plumbing::error::ApiError;
use crate::plumbing::http::{Page, page, unknown_cursor};
use crate::plumbing::state::AppState;

pub(crate) fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

fn view(customer: Customer) -> CustomerView {
    CustomerView::new(customer, today())
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
    let action = if reason.is_some() {
        AuditAction::CustomerRestrict
    } else {
        AuditAction::CustomerLiftRestriction
    };
    state
        .writer
        .write_audited(caller.entry(action), move |conn, now| {
            for_write(conn, id)?;
            customers::set_restriction(conn, id, reason.as_deref(), now)?;
            let customer =
                customers::find(conn, id, CustomerScope::All)?.ok_or(ApiError::NotFound)?;
            Ok((view(customer), Touched::person(id)))
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

/// The customer `id` when the caller's scope reaches them (all for office and admin, a
/// teacher's own students); anyone else cannot reach customers at all.
fn find_visible(conn: &mut AnyConnection, caller: &Caller, id: Uuid) -> Result<Customer, ApiError> {
    let scope = customer_scope(&caller.principal).ok_or(ApiError::Forbidden)?;
    customers::find(conn, id, scope)?.ok_or(ApiError::NotFound)
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
        .write_audited(
            caller.entry(AuditAction::CustomerCreate),
            move |conn, now| {
                ensure_email_free(conn, profile.email.as_ref(), None)?;
                let customer =
                    customers::insert(conn, &profile, source, now).map_err(unique_violation)?;
                let touched = Touched::person(customer.id);
                Ok((view(customer), touched))
            },
        )
        .await
}

pub async fn get(state: &AppState, reader: Reader, id: Uuid) -> Result<CustomerView, ApiError> {
    let caller = Caller::clone(&reader);
    let entry = caller.audit(AuditAction::CustomerRead, Some(id.to_string()), Some(id));
    let customer = reader
        .read_audited(state, entry, move |conn| find_visible(conn, &caller, id))
        .await?;
    Ok(view(customer))
}

pub async fn list(
    state: &AppState,
    reader: Reader,
    q: Option<String>,
    filter: customers::Filter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<CustomerView>, ApiError> {
    let scope = customer_scope(&reader.principal).ok_or(ApiError::Forbidden)?;
    let search = q.as_deref().map(Search::new);
    let entry = reader.audit(AuditAction::CustomerList, None, None);
    let rows = reader
        .read_audited(state, entry, move |conn| {
            let after = match after {
                // The page after a customer the caller's scope reaches, so a cursor cannot
                // tell anyone whether an id exists outside it.
                Some(id) => Some(
                    customers::find(conn, id, scope)?
                        .ok_or_else(unknown_cursor)?
                        .sort_key,
                ),
                None => None,
            };
            Ok(customers::list(
                conn,
                scope,
                search.as_ref(),
                &filter,
                after.as_ref(),
                limit + 1,
            )?)
        })
        .await?;
    Ok(page(rows, limit, |c| c.id, view))
}

/// Applies `patch` to the customer `id` and checks the result whole. `expected_version`
/// guards against lost updates (`If-Match`).
fn patch_customer(
    conn: &mut AnyConnection,
    current: &Customer,
    patch: CustomerPatch,
    expected_version: Option<i64>,
) -> Result<Customer, ApiError> {
    ensure_processable(current.restriction.as_ref())?;
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
        .write_audited(caller.entry(AuditAction::CustomerUpdate), move |conn, _| {
            find_visible(conn, &caller, id)?;
            let current = for_write(conn, id)?;
            let updated = patch_customer(conn, &current, patch, expected_version)?;
            Ok((view(updated), Touched::person(id)))
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
        .write_audited(
            caller.entry(AuditAction::CustomerOneTimePassword),
            move |conn, now| {
                find_visible(conn, &caller, id)?;
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
                        let account =
                            accounts::insert(conn, &new, now).map_err(unique_violation)?;
                        customers::link_account(conn, id, account.id)?;
                        account.id
                    }
                };
                let expires_at = otp.install(conn, account_id, now)?;
                Ok(((otp, expires_at), Touched::person(id)))
            },
        )
        .await?;
    let (otp, expires_at) = expires_at;
    Ok(otp.shown(expires_at))
}

/// The customer behind a customer's own login.
fn own_account(caller: &Caller) -> Result<Uuid, ApiError> {
    policy::own_account(&caller.principal).ok_or(ApiError::Forbidden)
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
        .write_audited(
            caller.entry(AuditAction::CustomerRectify),
            move |conn, now| {
                let own =
                    customers::find_by_account(conn, account_id)?.ok_or(ApiError::NotFound)?;
                let current = for_write(conn, own.id)?;
                let id = current.id;
                // Whose address it is stays unsaid: a customer learns only that it is taken.
                let updated = patch_customer(conn, &current, patch, expected_version).map_err(
                    |e| match e {
                        ApiError::Conflict { detail, .. } => ApiError::Conflict {
                            detail,
                            existing_id: None,
                        },
                        other => other,
                    },
                )?;
                let Some(email) = &updated.profile.email else {
                    return Err(ApiError::Validation(vec![
                        crate::plumbing::error::FieldError::new(
                            "email",
                            FieldCode::Required,
                            "is your login name and cannot be removed",
                        ),
                    ]));
                };
                accounts::update_email(conn, account_id, email, now).map_err(unique_violation)?;
                Ok((view(updated), Touched::person(id)))
            },
        )
        .await
}
