//! Staff's side of the subscriptions: the audited list, and linking one to a customer.

use domain::FieldCode;
use domain::audit::{AuditAction, Touched};
use persistence::customers;
use persistence::uniikkilista::{self as store, Filter, Status};
use uuid::Uuid;

use super::dto::*;
use crate::auth::{Caller, Reader};
use crate::plumbing::error::{ApiError, FieldError};
use crate::plumbing::http::{Page, page};
use crate::plumbing::state::AppState;

pub async fn list(
    state: &AppState,
    caller: Reader,
    query: SubscriptionQuery,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<SubscriptionView>, ApiError> {
    let filter = Filter {
        topic: query.topic.map(Into::into),
        channel: query.channel.map(Into::into),
        status: query.status.map(|s| match s {
            StatusName::Active => Status::Active,
            StatusName::Pending => Status::Pending,
            StatusName::Unsubscribed => Status::Unsubscribed,
        }),
        customer_id: query.customer_id,
    };
    let entry = caller.audit(AuditAction::UniikkilistaList, None, filter.customer_id);
    let rows = caller
        .read_audited(state, entry, move |conn| {
            Ok(store::list(conn, &filter, after, limit + 1)?)
        })
        .await?;
    Ok(page(rows, limit, |r| r.id, SubscriptionView::from))
}

pub async fn link_customer(
    state: &AppState,
    caller: Caller,
    id: Uuid,
    patch: SubscriptionPatch,
) -> Result<SubscriptionView, ApiError> {
    state
        .writer
        .write_audited(
            caller.entry(AuditAction::UniikkilistaLinkCustomer),
            move |conn, now| {
                if store::find(conn, id)?.is_none() {
                    return Err(ApiError::NotFound);
                }
                if let Some(customer_id) = patch.customer_id {
                    if let Some(customer_id) = customer_id {
                        match customers::find_for_write(conn, customer_id)? {
                            None => {
                                return Err(ApiError::Validation(vec![FieldError::new(
                                    "customer_id",
                                    FieldCode::NotFound,
                                    "no customer has this id",
                                )]));
                            }
                            Some(c) if c.erased_at.is_some() => {
                                return Err(crate::customers::service::erased());
                            }
                            Some(_) => {}
                        }
                    }
                    store::link_customer(conn, id, customer_id, now)?;
                }
                let linked = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
                Ok((
                    linked.into(),
                    Touched::thing(id, patch.customer_id.flatten()),
                ))
            },
        )
        .await
}
