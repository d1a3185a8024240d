//! A subscription's one-time tokens: confirming a channel, unsubscribing from one or all.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::withdraw;
use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::messages::Channel;
use crate::schema::{uniikkilista_subscriptions as s, uniikkilista_tokens as t};
use crate::sql_types::{DbTime, DbUuid};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Confirm,
    Unsubscribe,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Unsubscribe => "unsubscribe",
        }
    }
}

pub fn add_token(
    conn: &mut AnyConnection,
    subscription_id: Uuid,
    purpose: TokenPurpose,
    channel: Channel,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(t::table)
        .values((
            t::token_hash.eq(token_hash),
            t::subscription_id.eq(DbUuid(subscription_id)),
            t::purpose.eq(purpose.as_str()),
            t::channel.eq(channel.as_str()),
            t::expires_at.eq(DbTime::new(expires_at)),
            t::created_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The live token with this hash and purpose: its subscription and channel.
fn live_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, Channel)>, DbError> {
    let found: Option<(DbUuid, String)> = t::table
        .filter(t::token_hash.eq(token_hash))
        .filter(t::purpose.eq(purpose.as_str()))
        .filter(t::expires_at.gt(DbTime::new(now)))
        .select((t::subscription_id, t::channel))
        .first(conn)
        .optional()?;
    found
        .map(|(id, channel)| Ok((id.0, Channel::parse(&channel)?)))
        .transpose()
}

/// The language of the subscription a live token belongs to, for the page a link lands on.
/// Reads only: opening a link changes nothing.
pub fn token_language(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbError> {
    Ok(t::table
        .inner_join(s::table)
        .filter(t::token_hash.eq(token_hash))
        .filter(t::expires_at.gt(DbTime::new(now)))
        .select(s::language)
        .first(conn)
        .optional()?)
}

/// Confirms the channel a confirmation token was sent on. A token works once.
pub fn confirm(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, Channel)>, DbError> {
    let Some((id, channel)) = live_token(conn, token_hash, TokenPurpose::Confirm, now)? else {
        return Ok(None);
    };
    let used = diesel::update(t::table.find(token_hash).filter(t::used_at.is_null()))
        .set(t::used_at.eq(DbTime::new(now)))
        .execute(conn)?;
    if used == 0 {
        return Ok(None);
    }
    let at = Some(DbTime::new(now));
    let target = s::table.find(DbUuid(id));
    match channel {
        Channel::Email => diesel::update(target)
            .set((
                s::email_confirmed_at.eq(at),
                s::updated_at.eq(DbTime::new(now)),
            ))
            .execute(conn)?,
        Channel::Sms => diesel::update(target)
            .set((
                s::sms_confirmed_at.eq(at),
                s::updated_at.eq(DbTime::new(now)),
            ))
            .execute(conn)?,
    };
    Ok(Some((id, channel)))
}

/// Withdraws the token's channel, or every channel when `all`. Works as often as it is used.
pub fn unsubscribe(
    conn: &mut AnyConnection,
    token_hash: &str,
    all: bool,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, Vec<Channel>)>, DbError> {
    let Some((id, channel)) = live_token(conn, token_hash, TokenPurpose::Unsubscribe, now)? else {
        return Ok(None);
    };
    let channels = if all {
        vec![Channel::Email, Channel::Sms]
    } else {
        vec![channel]
    };
    for &channel in &channels {
        withdraw(conn, Box::new(s::id.eq(DbUuid(id))), channel, now)?;
    }
    Ok(Some((id, channels)))
}
