//! Notices to the list: queued to every active subscription of a topic, once per address.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use domain::Language;
use domain::audit::{AuditAction, Touched};
use persistence::messages::{self, Channel, NewMessage};
use persistence::uniikkilista::{self as store, Subscription, Topic};
use persistence::{AnyConnection, DbError};
use uuid::Uuid;

use super::dto::*;
use super::outgoing::{language_of, outgoing, unsubscribe_links};
use super::templates;
use crate::auth::Caller;
use crate::plumbing::error::ApiError;
use crate::plumbing::state::AppState;
use crate::settings::Settings;

pub async fn send_notice(
    state: &AppState,
    caller: Caller,
    req: NoticeRequest,
) -> Result<NoticeQueued, ApiError> {
    let settings = state.settings.clone();
    state
        .writer
        .write_audited(
            caller.entry(AuditAction::UniikkilistaNotice),
            move |conn, now| {
                let queued = enqueue_notice(conn, &settings, req.topic.into(), &req.text, now)?;
                Ok((queued, Touched::nothing()))
            },
        )
        .await
}

/// Queues a notice to every subscription with an active channel for `topic`, once per
/// address, each message with its own unsubscribe token. Runs in the caller's transaction, so
/// the bookings work can send cancellation-slot notices through the same path.
pub fn enqueue_notice(
    conn: &mut AnyConnection,
    settings: &Settings,
    topic: Topic,
    text: &NoticeText,
    now: DateTime<Utc>,
) -> Result<NoticeQueued, DbError> {
    let recipients: Vec<Subscription> = store::recipients(conn, topic)?;
    let linked: Vec<Uuid> = recipients.iter().filter_map(|r| r.customer_id).collect();
    let withdrawn = persistence::consents::withdrawals(conn, &linked)?;
    let mut sent_to = BTreeSet::new();
    let mut queued = 0;
    for subscription in &recipients {
        let language = language_of(&subscription.language);
        let body = match language {
            Language::En => text.en.as_deref().unwrap_or(&text.fi),
            Language::Sv => text.sv.as_deref().unwrap_or(&text.fi),
            Language::Fi => &text.fi,
        };
        for (channel, address) in [
            (Channel::Email, &subscription.email),
            (Channel::Sms, &subscription.phone),
        ] {
            // A linked customer's withdrawn consent wins over the subscription (restricted
            // customers are already left out of the recipients).
            let purpose = if channel == Channel::Email {
                "uniikkilista_email"
            } else {
                "uniikkilista_sms"
            };
            if let Some(customer) = subscription.customer_id
                && withdrawn.contains(&(customer, purpose.to_owned()))
            {
                continue;
            }
            let Some(address) = address.as_deref().filter(|_| subscription.active(channel)) else {
                continue;
            };
            if !sent_to.insert((channel.as_str(), address.to_owned())) {
                continue;
            }
            let (page_link, one_click) =
                unsubscribe_links(conn, settings, subscription.id, channel, now)?;
            let message = match channel {
                Channel::Email => {
                    let (subject, body) = templates::notice_email(language, body, &page_link);
                    outgoing(
                        (subscription.id, address),
                        channel,
                        "uniikkilista.notice",
                        language,
                        Some(subject),
                        body,
                        Some(one_click),
                    )
                }
                Channel::Sms => outgoing(
                    (subscription.id, address),
                    channel,
                    "uniikkilista.notice",
                    language,
                    None,
                    templates::notice_sms(language, body, &page_link),
                    None,
                ),
            };
            messages::enqueue(
                conn,
                &NewMessage {
                    customer_id: subscription.customer_id,
                    ..message
                },
                now,
            )?;
            queued += 1;
        }
    }
    Ok(NoticeQueued {
        subscribers: recipients.len(),
        messages: queued,
    })
}
