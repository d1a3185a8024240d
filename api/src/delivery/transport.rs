//! Where messages go: SMTP and an HTTP SMS gateway when configured, otherwise files in the
//! data directory that a developer can read.

use persistence::messages::{Channel, Claimed};

use super::failure::Failure;
use super::outbox::outbox_of;
use super::{email, sms};
use crate::settings::Settings;

/// The configured transport of each channel.
pub struct Transports {
    email: email::EmailTransport,
    sms: sms::SmsTransport,
}

impl Transports {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let outbox = outbox_of(settings);
        Ok(Self {
            email: email::EmailTransport::from_settings(settings, outbox.clone())?,
            sms: sms::SmsTransport::from_settings(settings, outbox),
        })
    }

    pub fn send(&self, message: &Claimed) -> Result<(), Failure> {
        match message.channel {
            Channel::Email => self.email.send(message),
            Channel::Sms => self.sms.send(message),
        }
    }
}
