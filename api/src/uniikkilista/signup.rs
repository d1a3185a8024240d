//! The public side of UniikkiLista: sign-up with double opt-in, confirmation, one-call
//! unsubscribe. Every message is queued in the same transaction as its cause.

use domain::FieldCode;
use domain::audit::{AuditAction, Touched};
use domain::person::{GivenBy, is_minor};
use domain::{EmailAddress, PersonName, PhoneNumber};
use persistence::messages::{self, Channel};
use persistence::uniikkilista::{self as store, NewSubscription, TokenPurpose};
use uuid::Uuid;

use super::dto::*;
use super::outgoing::{language_of, outgoing, unsubscribe_links};
use super::templates;
use crate::auth::{RequestMeta, secrets};
use crate::plumbing::db;
use crate::plumbing::error::{ApiError, FieldError};
use crate::plumbing::http::Fields;
use crate::plumbing::state::AppState;

/// How long a confirmation link or code works.
const CONFIRM_TTL_EMAIL: chrono::Duration = chrono::Duration::days(7);

const CONFIRM_TTL_SMS: chrono::Duration = chrono::Duration::days(1);

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
            fields.push(
                "email",
                FieldCode::Required,
                "is required for email notices",
            );
            None
        }
        _ => None,
    };
    let phone = match (&req.phone, wants_sms) {
        (Some(raw), true) => fields.check("phone", PhoneNumber::parse(raw)),
        (None, true) => {
            fields.push("phone", FieldCode::Required, "is required for SMS notices");
            None
        }
        _ => None,
    };
    let guardian_name = match (&req.guardian_name, is_minor(req.age.into())) {
        (Some(raw), _) => fields.check("guardian_name", PersonName::parse(raw)),
        (None, true) => {
            fields.push(
                "guardian_name",
                FieldCode::RequiredForMinor,
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
        consent_given_by: GivenBy::for_age(req.age.into()),
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
            FieldCode::UnknownVersion,
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
                        settings.http.public_url
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

fn invalid_token() -> ApiError {
    ApiError::Validation(vec![FieldError::new(
        "token",
        FieldCode::InvalidOrExpired,
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
