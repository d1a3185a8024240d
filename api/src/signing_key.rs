//! The secret that signs access tokens: from settings, or generated once and kept on disk so
//! tokens survive a restart of a development server.

use std::fs;
use std::io::Write;
use std::path::Path;

use rand::RngCore;
use secrecy::{ExposeSecret, SecretSlice};

use crate::settings::{MIN_SECRET_BYTES, Settings};

/// File name of the generated secret inside the data directory.
const FILE_NAME: &str = "signing-key";

/// The token-signing key bytes. Never logged, never serialised.
#[derive(Clone)]
pub struct SigningKey(std::sync::Arc<SecretSlice<u8>>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

impl SigningKey {
    pub fn bytes(&self) -> &[u8] {
        self.0.expose_secret()
    }

    fn from_vec(bytes: Vec<u8>) -> Self {
        Self(std::sync::Arc::new(SecretSlice::from(bytes)))
    }

    /// The configured secret, or the one kept in the data directory (created on first start
    /// with owner-only permissions). Production never gets here without a configured secret:
    /// settings validation refuses it.
    pub fn load_or_create(settings: &Settings) -> std::io::Result<Self> {
        if let Some(secret) = &settings.auth.jwt_secret {
            return Ok(Self::from_vec(secret.expose_secret().as_bytes().to_vec()));
        }
        let path = settings.data_dir.join(FILE_NAME);
        match fs::read(&path) {
            Ok(bytes) if bytes.len() >= MIN_SECRET_BYTES => Ok(Self::from_vec(bytes)),
            Ok(_) => Err(std::io::Error::other(format!(
                "{} holds fewer than {MIN_SECRET_BYTES} bytes; delete it to generate a new one",
                path.display()
            ))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(&path),
            Err(e) => Err(e),
        }
    }
}

fn create(path: &Path) -> std::io::Result<SigningKey> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut bytes = vec![0u8; 64];
    rand::rng().fill_bytes(&mut bytes);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    tracing::info!(path = %path.display(), "generated a token-signing secret");
    Ok(SigningKey::from_vec(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings_in(dir: &Path) -> Settings {
        let mut s = Settings::defaults();
        s.data_dir = dir.to_path_buf();
        s
    }

    #[test]
    fn generates_once_with_owner_only_permissions_and_reuses_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = SigningKey::load_or_create(&settings_in(dir.path())).unwrap();
        let second = SigningKey::load_or_create(&settings_in(dir.path())).unwrap();
        assert_eq!(first.bytes(), second.bytes());
        assert!(first.bytes().len() >= MIN_SECRET_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_configured_secret_wins_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings_in(dir.path());
        s.auth.jwt_secret = Some("k".repeat(40).into());
        let key = SigningKey::load_or_create(&s).unwrap();
        assert_eq!(key.bytes(), "k".repeat(40).as_bytes());
        assert!(!dir.path().join(FILE_NAME).exists());
    }
}
