//! What every UniikkiLista message is made of: its unsubscribe links and whom it belongs to.

use chrono::{DateTime, Utc};
use domain::Language;
use persistence::messages::{Channel, NewMessage};
use persistence::uniikkilista::{self as store, TokenPurpose};
use persistence::{AnyConnection, DbError};
use uuid::Uuid;

use crate::auth::secrets;
use crate::settings::Settings;

/// Unsubscribe tokens work as long as anyone could still hold the message.
const UNSUBSCRIBE_TTL: chrono::Duration = chrono::Duration::days(5 * 365);

pub(super) fn language_of(code: &str) -> Language {
    Language::parse(code).unwrap_or_default()
}

/// A fresh unsubscribe token for one channel of a subscription, as the link for people (a
/// frontend page) and the one-click URL for mail clients (`List-Unsubscribe`).
pub(super) fn unsubscribe_links(
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
        format!(
            "{}/uniikkilista/peru?token={token}",
            settings.http.public_url
        ),
        format!(
            "{}/api/v1/uniikkilista/unsubscribe?token={token}",
            settings.http.public_url
        ),
    ))
}

/// A message to `(subscription, address)` on `channel`: it belongs to whoever the subscription
/// belongs to, whatever address it goes to.
pub(super) fn outgoing(
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
        calendar: None,
    }
}
