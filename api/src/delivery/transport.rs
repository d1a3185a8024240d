//! Where messages go: SMTP and an HTTP SMS gateway when configured, otherwise files in the
//! data directory that a developer can read.

use std::path::{Path, PathBuf};

use uuid::Uuid;

use persistence::messages::{Channel, Claimed};

use super::{email, sms};
use crate::settings::Settings;

/// Why a delivery failed: a kind fit for logs (no recipient, no content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: &'static str,
    /// Retrying cannot help (e.g. an address that cannot be parsed).
    pub permanent: bool,
}

impl Failure {
    pub fn transient(kind: &'static str) -> Self {
        Self {
            kind,
            permanent: false,
        }
    }

    pub fn permanent(kind: &'static str) -> Self {
        Self {
            kind,
            permanent: true,
        }
    }
}

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

/// Where the file transports write messages.
pub fn outbox_of(settings: &Settings) -> PathBuf {
    settings.data_dir.join("outbox")
}

/// The file extensions of the file transports' copies.
const EXTENSIONS: [&str; 2] = ["eml", "sms.json"];

/// Removes the file copies of `messages` (erased, or deleted while being delivered). A copy
/// that cannot be removed is logged by id; there is nothing else to do about it here.
pub fn forget_copies(outbox: &Path, messages: &[Uuid]) {
    for id in messages {
        for extension in EXTENSIONS {
            let path = outbox.join(format!("{id}.{extension}"));
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::error!(message_id = %id, error = %e.kind(), "could not remove a message file")
                }
            }
        }
    }
}

/// Writes `contents` to `<outbox>/<id>.<extension>`, for the file transports.
pub fn write_file(
    outbox: &PathBuf,
    message: &Claimed,
    extension: &str,
    contents: &[u8],
) -> Result<(), Failure> {
    std::fs::create_dir_all(outbox).map_err(|_| Failure::transient("file_io"))?;
    let path = outbox.join(format!("{}.{extension}", message.id));
    std::fs::write(path, contents).map_err(|_| Failure::transient("file_io"))
}
