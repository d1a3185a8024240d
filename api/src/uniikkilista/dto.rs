//! What the UniikkiLista endpoints take and return.

use chrono::{DateTime, Utc};
use domain::Language;
use domain::person::GivenBy;
use persistence::messages::Channel;
use persistence::uniikkilista::{Subscription, Topic};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelName {
    Email,
    Sms,
}

impl From<ChannelName> for Channel {
    fn from(c: ChannelName) -> Self {
        match c {
            ChannelName::Email => Channel::Email,
            ChannelName::Sms => Channel::Sms,
        }
    }
}

impl From<Channel> for ChannelName {
    fn from(c: Channel) -> Self {
        match c {
            Channel::Email => ChannelName::Email,
            Channel::Sms => ChannelName::Sms,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TopicName {
    /// A lesson time freed by a cancellation.
    CancellationSlots,
    /// Enrolment for a season or course is about to open.
    UpcomingEnrolments,
}

impl From<TopicName> for Topic {
    fn from(t: TopicName) -> Self {
        match t {
            TopicName::CancellationSlots => Topic::CancellationSlots,
            TopicName::UpcomingEnrolments => Topic::UpcomingEnrolments,
        }
    }
}

/// Joining UniikkiLista. Each chosen channel needs its contact detail; under 18 a guardian's
/// name is required, and under 13 the guardian gives the consent.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Maija Meikäläinen", "age": 12, "guardian_name": "Matti Meikäläinen",
    "email": "matti@example.fi", "phone": "040 123 4567", "channels": ["email", "sms"],
    "topics": ["cancellation_slots"], "privacy_notice_version": "2026-11-25", "language": "fi"
}))]
pub struct SubscribeRequest {
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[schema(min_length = 1, max_length = 100)]
    pub guardian_name: Option<String>,
    #[schema(maximum = 120)]
    #[validate(range(max = 120, message = "must be between 0 and 120"))]
    pub age: u8,
    #[schema(max_length = 254, pattern = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$")]
    pub email: Option<String>,
    #[schema(max_length = 32, pattern = r"^[+0-9 ().-]+$")]
    pub phone: Option<String>,
    #[schema(min_items = 1, max_items = 2)]
    #[validate(length(min = 1, max = 2, message = "choose email, sms or both"))]
    pub channels: Vec<ChannelName>,
    #[schema(min_items = 1, max_items = 2)]
    #[validate(length(min = 1, max = 2, message = "choose at least one topic"))]
    pub topics: Vec<TopicName>,
    /// The version of the privacy notice shown on the form.
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50, message = "must be 1 to 50 characters"))]
    pub privacy_notice_version: String,
    /// Language of the messages; defaults to `fi`.
    pub language: Option<Language>,
}

/// The same answer whether or not the person was already on the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscribeAccepted {
    #[schema(example = "confirmation_sent")]
    #[schema(max_length = 32)]
    pub status: &'static str,
    /// Where confirmations were sent: a link by email, a code by SMS.
    #[schema(max_items = 2)]
    pub channels: Vec<ChannelName>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// The token from the email link, or the code from the SMS.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200, message = "must be the code or token you received"))]
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Confirmed {
    #[schema(example = "confirmed")]
    #[schema(max_length = 32)]
    pub status: &'static str,
    pub channel: ChannelName,
}

/// Which channels to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnsubscribeScope {
    /// Only the channel the token came on (the default).
    Channel,
    /// Email and SMS both.
    All,
}

/// Unsubscribing: the token may come in the body or, for one-click unsubscribe from a mail
/// client (RFC 8058), in the query string.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeQuery {
    /// The token from the message.
    #[param(max_length = 200)]
    pub token: Option<String>,
    /// `channel` (default) or `all`.
    pub scope: Option<UnsubscribeScope>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnsubscribeRequest {
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200, message = "must be the token from the message"))]
    pub token: String,
    pub scope: Option<UnsubscribeScope>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Unsubscribed {
    #[schema(example = "unsubscribed")]
    #[schema(max_length = 32)]
    pub status: &'static str,
    #[schema(max_items = 2)]
    pub channels: Vec<ChannelName>,
}

/// The state of one channel of a subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelState {
    pub channel: ChannelName,
    pub status: StatusName,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
}

/// A subscription as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    pub id: Uuid,
    #[schema(max_length = 100)]
    pub name: String,
    #[schema(max_length = 100)]
    pub guardian_name: Option<String>,
    pub age: i32,
    #[schema(max_length = 254)]
    pub email: Option<String>,
    #[schema(max_length = 16)]
    pub phone: Option<String>,
    #[schema(max_length = 2)]
    pub language: String,
    #[schema(max_items = 2)]
    pub channels: Vec<ChannelState>,
    #[schema(max_items = 2)]
    pub topics: Vec<TopicName>,
    #[schema(max_length = 50)]
    pub privacy_notice_version: String,
    /// `self`, or `guardian` when the person was under 13.
    pub consent_given_by: GivenBy,
    pub customer_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

fn channel_state(
    channel: Channel,
    wanted: bool,
    confirmed: Option<DateTime<Utc>>,
    unsubscribed: Option<DateTime<Utc>>,
) -> Option<ChannelState> {
    wanted.then(|| ChannelState {
        channel: channel.into(),
        status: match (confirmed, unsubscribed) {
            (_, Some(_)) => StatusName::Unsubscribed,
            (Some(_), None) => StatusName::Active,
            (None, None) => StatusName::Pending,
        },
        confirmed_at: confirmed,
        unsubscribed_at: unsubscribed,
    })
}

impl From<Subscription> for SubscriptionView {
    fn from(r: Subscription) -> Self {
        let channels = [
            channel_state(
                Channel::Email,
                r.wants_email,
                r.email_confirmed_at,
                r.email_unsubscribed_at,
            ),
            channel_state(
                Channel::Sms,
                r.wants_sms,
                r.sms_confirmed_at,
                r.sms_unsubscribed_at,
            ),
        ];
        let mut topics = Vec::new();
        if r.topic_cancellation_slots {
            topics.push(TopicName::CancellationSlots);
        }
        if r.topic_upcoming_enrolments {
            topics.push(TopicName::UpcomingEnrolments);
        }
        Self {
            id: r.id,
            name: r.name,
            guardian_name: r.guardian_name,
            age: r.age,
            email: r.email,
            phone: r.phone,
            language: r.language,
            channels: channels.into_iter().flatten().collect(),
            topics,
            privacy_notice_version: r.privacy_notice_version,
            consent_given_by: r.consent_given_by,
            customer_id: r.customer_id,
            created_at: r.created_at,
        }
    }
}

/// Filters for listing subscriptions.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubscriptionQuery {
    pub topic: Option<TopicName>,
    pub channel: Option<ChannelName>,
    /// `active`, `pending` or `unsubscribed`.
    pub status: Option<StatusName>,
    pub customer_id: Option<Uuid>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]{21}[AQgw]$", max_length = 22)]
    pub cursor: Option<String>,
}

/// A channel's state: `pending` (not yet confirmed), `active`, or `unsubscribed`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusName {
    Active,
    Pending,
    Unsubscribed,
}

/// Linking a subscription to a customer (`null` unlinks).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionPatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub customer_id: Option<Option<Uuid>>,
}

fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The text of a notice per language; Finnish is required and used where another is missing.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeText {
    #[schema(min_length = 1, max_length = 1000)]
    #[validate(length(min = 1, max = 1000, message = "must be 1 to 1000 characters"))]
    pub fi: String,
    #[schema(min_length = 1, max_length = 1000)]
    #[validate(length(min = 1, max = 1000, message = "must be 1 to 1000 characters"))]
    pub en: Option<String>,
    #[schema(min_length = 1, max_length = 1000)]
    #[validate(length(min = 1, max = 1000, message = "must be 1 to 1000 characters"))]
    pub sv: Option<String>,
}

/// A notice to every confirmed subscriber of a topic, on each channel they chose.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"topic": "upcoming_enrolments",
    "text": {"fi": "Kevätkauden ilmoittautuminen alkaa maanantaina klo 10.", "en": "Spring enrolment opens on Monday at 10."}}))]
pub struct NoticeRequest {
    pub topic: TopicName,
    #[validate(nested)]
    pub text: NoticeText,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeQueued {
    /// Subscriptions the notice goes to.
    pub subscribers: usize,
    /// Messages queued (one per active channel, each address once).
    pub messages: usize,
}
