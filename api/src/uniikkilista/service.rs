//! UniikkiLista use cases. Every message is queued in the same transaction as its cause.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, Touched};
use domain::person::{consents_through_guardian, is_minor};
use domain::{EmailAddress, Language, PersonName, PhoneNumber};
use persistence::messages::{self, Channel, NewMessage};
use persistence::uniikkilista::{
    self as store, Filter, NewSubscription, Status, Subscription, TokenPurpose, Topic,
};
use persistence::{AnyConnection, DbError, customers};
use uuid::Uuid;

use super::dto::*;
use super::templates;
use crate::auth::{Caller, Reader, RequestMeta, secrets};
use crate::db;
use crate::error::{ApiError, FieldError};
use crate::http::{Fields, Page, page};
use crate::settings::Settings;
use crate::state::AppState;

/// How long a confirmation link or code works.
const CONFIRM_TTL_EMAIL: chrono::Duration = chrono::Duration::days(7);
const CONFIRM_TTL_SMS: chrono::Duration = chrono::Duration::days(1);
/// Unsubscribe tokens work as long as anyone could still hold the message.
const UNSUBSCRIBE_TTL: chrono::Duration = chrono::Duration::days(5 * 365);

fn language_of(code: &str) -> Language {
    Language::parse(code).unwrap_or_default()
}

/// An SMS code typed by hand: any case, with or without the dash.
fn normalise_token(raw: &str) -> String {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.len() == 8 && compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        let upper = compact.to_uppercase();
        return format!("{}-{}", &upper[..4], &upper[4..]);
    }
    raw.trim().to_owned()
}

fn sms_code() -> String {
    secrets::one_time_password()[..9].to_owned()
}

/// Checks a sign-up and turns it into what is stored: only the contact details of the chosen
/// channels are kept.
fn parse(req: &SubscribeRequest) -> Result<NewSubscription, ApiError> {
    let mut fields = Fields::default();
    let name = fields.check("name", PersonName::parse(&req.name));
    let wants_email = req.channels.contains(&ChannelName::Email);
    let wants_sms = req.channels.contains(&ChannelName::Sms);
    let email = match (&req.email, wants_email) {
        (Some(raw), true) => fields.check("email", EmailAddress::parse(raw)),
        (None, true) => {
            fields.push("email", "required", "is required for email notices");
            None
        }
        _ => None,
    };
    let phone = match (&req.phone, wants_sms) {
        (Some(raw), true) => fields.check("phone", PhoneNumber::parse(raw)),
        (None, true) => {
            fields.push("phone", "required", "is required for SMS notices");
            None
        }
        _ => None,
    };
    let guardian_name = match (&req.guardian_name, is_minor(req.age.into())) {
        (Some(raw), _) => fields.check("guardian_name", PersonName::parse(raw)),
        (None, true) => {
            fields.push(
                "guardian_name",
                "required_for_minor",
                "is required under 18",
            );
            None
        }
        (None, false) => None,
    };
    fields.finish()?;
    Ok(NewSubscription {
        id: Uuid::now_v7(),
        name: name.expect("checked").into(),
        guardian_name: guardian_name.map(Into::into),
        age: i32::from(req.age),
        email: email.map(Into::into),
        phone: phone.map(Into::into),
        language: req.language.unwrap_or_default().as_str().to_owned(),
        wants_email,
        wants_sms,
        topic_cancellation_slots: req.topics.contains(&TopicName::CancellationSlots),
        topic_upcoming_enrolments: req.topics.contains(&TopicName::UpcomingEnrolments),
        privacy_notice_version: req.privacy_notice_version.trim().to_owned(),
        consent_given_by: if consents_through_guardian(req.age.into()) {
            "guardian"
        } else {
            "self"
        }
        .to_owned(),
    })
}

/// Stores the subscription unconfirmed and sends a confirmation on each chosen channel. The
/// answer is the same whether or not the address was on the list already.
pub async fn subscribe(
    state: &AppState,
    req: SubscribeRequest,
    meta: RequestMeta,
) -> Result<SubscribeAccepted, ApiError> {
    let new = parse(&req)?;
    let version = new.privacy_notice_version.clone();
    let known = db::run(&state.pool, move |conn| {
        Ok(persistence::consents::notice_exists(conn, &version)?)
    })
    .await?;
    if !known {
        return Err(ApiError::Validation(vec![FieldError::new(
            "privacy_notice_version",
            "unknown_version",
            "is not an edition of the privacy notice (see GET /api/v1/privacy-notice/versions)",
        )]));
    }
    let settings = state.settings.clone();
    let mut channels: Vec<ChannelName> = req.channels.clone();
    channels.sort_by_key(|c| *c as u8);
    channels.dedup();
    state
        .writer
        .write_audited(
            meta.anonymous(AuditAction::UniikkilistaSubscribe),
            move |conn, now| {
                store::insert(conn, &new, now)?;
                let id = new.id;
                let language = language_of(&new.language);
                if let Some(email) = &new.email {
                    let token = secrets::random_token(32);
                    store::add_token(
                        conn,
                        id,
                        TokenPurpose::Confirm,
                        Channel::Email,
                        &secrets::sha256_hex(&token),
                        now + CONFIRM_TTL_EMAIL,
                        now,
                    )?;
                    let link = format!(
                        "{}/uniikkilista/vahvista?token={token}",
                        settings.public_url
                    );
                    let (stop, one_click) =
                        unsubscribe_links(conn, &settings, id, Channel::Email, now)?;
                    let (subject, body) =
                        templates::confirm_email(language, &new.name, &link, &stop);
                    let message = outgoing(
                        (id, email),
                        Channel::Email,
                        "uniikkilista.confirm",
                        language,
                        Some(subject),
                        body,
                        Some(one_click),
                    );
                    messages::enqueue(conn, &message, now)?;
                }
                if let Some(phone) = &new.phone {
                    let code = sms_code();
                    store::add_token(
                        conn,
                        id,
                        TokenPurpose::Confirm,
                        Channel::Sms,
                        &secrets::sha256_hex(&code),
                        now + CONFIRM_TTL_SMS,
                        now,
                    )?;
                    let (stop, _) = unsubscribe_links(conn, &settings, id, Channel::Sms, now)?;
                    let message = outgoing(
                        (id, phone),
                        Channel::Sms,
                        "uniikkilista.confirm",
                        language,
                        None,
                        templates::confirm_sms(language, &code, &stop),
                        None,
                    );
                    messages::enqueue(conn, &message, now)?;
                }
                Ok(((), Touched::thing(id, None)))
            },
        )
        .await?;
    Ok(SubscribeAccepted {
        status: "confirmation_sent",
        channels,
    })
}

/// A fresh unsubscribe token for one channel of a subscription, as the link for people (a
/// frontend page) and the one-click URL for mail clients (`List-Unsubscribe`).
fn unsubscribe_links(
    conn: &mut AnyConnection,
    settings: &Settings,
    subscription_id: Uuid,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<(String, String), DbError> {
    let token = secrets::random_token(24);
    let hash = secrets::sha256_hex(&token);
    store::add_token(
        conn,
        subscription_id,
        TokenPurpose::Unsubscribe,
        channel,
        &hash,
        now + UNSUBSCRIBE_TTL,
        now,
    )?;
    Ok((
        format!("{}/uniikkilista/peru?token={token}", settings.public_url),
        format!(
            "{}/api/v1/uniikkilista/unsubscribe?token={token}",
            settings.public_url
        ),
    ))
}

/// A message to `(subscription, address)` on `channel`: it belongs to whoever the subscription
/// belongs to, whatever address it goes to.
fn outgoing(
    (subscription_id, recipient): (Uuid, &str),
    channel: Channel,
    purpose: &'static str,
    language: Language,
    subject: Option<String>,
    body: String,
    unsubscribe_url: Option<String>,
) -> NewMessage {
    NewMessage {
        channel,
        recipient: recipient.to_owned(),
        customer_id: None,
        subscription_id: Some(subscription_id),
        purpose,
        language: language.as_str(),
        subject,
        body,
        unsubscribe_url,
    }
}

fn invalid_token() -> ApiError {
    ApiError::Validation(vec![FieldError::new(
        "token",
        "invalid_or_expired",
        "is not valid, or has expired or been used",
    )])
}

pub async fn confirm(
    state: &AppState,
    token: &str,
    meta: RequestMeta,
) -> Result<Confirmed, ApiError> {
    let hash = secrets::sha256_hex(&normalise_token(token));
    let channel = state
        .writer
        .write_audited(
            meta.anonymous(AuditAction::UniikkilistaConfirm),
            move |conn, now| {
                let (id, channel) = store::confirm(conn, &hash, now)?.ok_or_else(invalid_token)?;
                Ok((channel, Touched::thing(id, None)))
            },
        )
        .await?;
    Ok(Confirmed {
        status: "confirmed",
        channel: channel.into(),
    })
}

pub async fn unsubscribe(
    state: &AppState,
    token: &str,
    scope: Option<UnsubscribeScope>,
    meta: RequestMeta,
) -> Result<Unsubscribed, ApiError> {
    let hash = secrets::sha256_hex(token.trim());
    let all = scope == Some(UnsubscribeScope::All);
    let entry = meta.anonymous(AuditAction::UniikkilistaUnsubscribe);
    let channels = state
        .writer
        .write_audited(entry, move |conn, now| {
            let (id, channels) =
                store::unsubscribe(conn, &hash, all, now)?.ok_or_else(invalid_token)?;
            Ok((channels, Touched::thing(id, None)))
        })
        .await?;
    Ok(Unsubscribed {
        status: "unsubscribed",
        channels: channels.into_iter().map(Into::into).collect(),
    })
}

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
    Ok(page(
        rows,
        limit,
        |r| r.id.to_string(),
        SubscriptionView::from,
    ))
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
                                    "not_found",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_sms_codes_are_normalised_and_email_tokens_kept() {
        assert_eq!(normalise_token(" abcd efgh "), "ABCD-EFGH");
        assert_eq!(normalise_token("ABCD-EFGH"), "ABCD-EFGH");
        let token = "q5m0Vd3f-long-email-token-with-dashes-in-it";
        assert_eq!(normalise_token(token), token);
    }

    #[test]
    fn sms_codes_have_two_groups_of_four() {
        let code = sms_code();
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
    }
}
