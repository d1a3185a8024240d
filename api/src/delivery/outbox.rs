//! The file outbox: where the file transports write messages when no SMTP server or SMS
//! gateway is configured, and where erasure removes their copies.

use std::path::{Path, PathBuf};

use persistence::messages::Claimed;
use uuid::Uuid;

use super::failure::Failure;
use crate::settings::Settings;

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
