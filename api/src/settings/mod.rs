//! Settings, layered: built-in defaults, then an optional TOML file (`UNIIKKI_CONFIG`), then
//! `UNIIKKI_*` environment variables (and `DATABASE_URL`). Validated once at start; nothing
//! reads the environment after that.
//!
//! Every variable, its default and meaning: `docs/SETTINGS.md` (a test keeps it in step).
//!
//! One flat struct on purpose: serde cannot refuse unknown keys through `#[serde(flatten)]`,
//! and a misspelt variable must stop the server rather than be ignored.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use domain::EmailAddress;
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use persistence::{DatabaseUrl, PoolSettings};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer};

/// The shortest signing secret accepted: 256 bits of key material for HMAC-SHA256.
pub const MIN_SECRET_BYTES: usize = 32;

/// Where the server runs; production refuses unsafe defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Development,
    Production,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Every setting, as read. See the module documentation for each variable.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub env: Environment,
    #[serde(default = "defaults::listen")]
    pub listen: SocketAddr,
    #[serde(default = "defaults::database_url", deserialize_with = "database_url")]
    pub database_url: DatabaseUrl,
    #[serde(default = "defaults::data_dir")]
    pub data_dir: PathBuf,
    #[serde(default)]
    pub jwt_secret: Option<SecretString>,
    #[serde(default = "defaults::pool_size")]
    pub db_pool_size: u32,
    #[serde(default)]
    pub db_min_idle: Option<u32>,
    #[serde(default = "defaults::acquire_timeout_ms")]
    pub db_acquire_timeout_ms: u64,
    #[serde(default = "defaults::busy_timeout_ms")]
    pub sqlite_busy_timeout_ms: u64,
    #[serde(default)]
    pub workers: Option<usize>,
    #[serde(default = "defaults::max_body_bytes")]
    pub max_body_bytes: usize,
    #[serde(default = "defaults::request_timeout_ms")]
    pub request_timeout_ms: u64,
    #[serde(default, deserialize_with = "comma_list")]
    pub cors_origins: Vec<String>,
    #[serde(default)]
    pub log_format: LogFormat,
    #[serde(default = "defaults::log")]
    pub log: String,
    #[serde(default = "defaults::shutdown_timeout_secs")]
    pub shutdown_timeout_secs: u64,
    #[serde(default = "defaults::admin_email", deserialize_with = "email")]
    pub admin_email: EmailAddress,
    #[serde(default = "defaults::access_token_ttl_secs")]
    pub access_token_ttl_secs: u64,
    #[serde(default = "defaults::refresh_token_ttl_days")]
    pub refresh_token_ttl_days: u64,
    #[serde(default = "defaults::one_time_password_ttl_hours")]
    pub one_time_password_ttl_hours: u64,
    #[serde(default = "defaults::login_window_secs")]
    pub login_window_secs: u64,
    #[serde(default = "defaults::login_max_failures")]
    pub login_max_failures: u32,
    #[serde(default = "defaults::login_max_failures_per_ip")]
    pub login_max_failures_per_ip: u32,
    #[serde(default = "defaults::public_rate_per_minute")]
    pub public_rate_per_minute: u32,
    #[serde(default = "defaults::public_rate_burst")]
    pub public_rate_burst: u32,
    #[serde(default = "defaults::retention_inactive_years")]
    pub retention_inactive_years: u32,
    #[serde(default = "defaults::retention_interval_hours")]
    pub retention_interval_hours: u64,
    #[serde(default = "defaults::public_url")]
    pub public_url: String,
    #[serde(default = "defaults::mail_from")]
    pub mail_from: String,
    #[serde(default)]
    pub smtp_host: Option<String>,
    #[serde(default = "defaults::smtp_port")]
    pub smtp_port: u16,
    #[serde(default)]
    pub smtp_tls: SmtpTls,
    #[serde(default)]
    pub smtp_username: Option<String>,
    #[serde(default)]
    pub smtp_password: Option<SecretString>,
    #[serde(default)]
    pub sms_gateway_url: Option<String>,
    #[serde(default)]
    pub sms_gateway_token: Option<SecretString>,
    #[serde(default = "defaults::sms_sender")]
    pub sms_sender: String,
    #[serde(default = "defaults::delivery_interval_ms")]
    pub delivery_interval_ms: u64,
    #[serde(default = "defaults::delivery_max_attempts")]
    pub delivery_max_attempts: i32,
    #[serde(default = "defaults::delivery_retry_base_ms")]
    pub delivery_retry_base_ms: u64,
}

/// How to secure the SMTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or tests.
    None,
}

mod defaults;

/// A setting that cannot be used, with the reason in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Unreadable(#[from] Box<figment::Error>),
    #[error("setting {name}: {reason}")]
    Invalid { name: &'static str, reason: String },
}

fn invalid(name: &'static str, reason: impl Into<String>) -> SettingsError {
    SettingsError::Invalid {
        name,
        reason: reason.into(),
    }
}

impl Settings {
    /// Reads the process environment (and the file `UNIIKKI_CONFIG` names) and validates.
    pub fn from_env() -> Result<Self, SettingsError> {
        let file = std::env::var_os("UNIIKKI_CONFIG").map(PathBuf::from);
        let env = Figment::new()
            .merge(Env::prefixed("UNIIKKI_").ignore(&["config"]))
            .merge(Env::raw().only(&["DATABASE_URL"]));
        Self::load(file.as_deref(), env)
    }

    /// The built-in defaults: what tests start from before overriding a field.
    pub fn defaults() -> Self {
        Self::load(None, Figment::new()).expect("the built-in defaults are valid")
    }

    /// Defaults, then the file, then `overrides` (the environment, or a test's values).
    fn load(file: Option<&Path>, overrides: Figment) -> Result<Self, SettingsError> {
        let mut figment = Figment::new();
        if let Some(file) = file {
            if !file.exists() {
                return Err(invalid(
                    "UNIIKKI_CONFIG",
                    format!("no file at {}", file.display()),
                ));
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        let settings: Self = figment.merge(overrides).extract().map_err(Box::new)?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what types alone cannot say.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if !(1..=1024).contains(&self.db_pool_size) {
            return Err(invalid(
                "UNIIKKI_DB_POOL_SIZE",
                "must be between 1 and 1024",
            ));
        }
        if self.db_min_idle.is_some_and(|n| n > self.db_pool_size) {
            return Err(invalid(
                "UNIIKKI_DB_MIN_IDLE",
                "must not exceed UNIIKKI_DB_POOL_SIZE",
            ));
        }
        if !(10..=60_000).contains(&self.db_acquire_timeout_ms) {
            return Err(invalid(
                "UNIIKKI_DB_ACQUIRE_TIMEOUT_MS",
                "must be between 10 and 60000",
            ));
        }
        if self.workers == Some(0) {
            return Err(invalid("UNIIKKI_WORKERS", "must be at least 1"));
        }
        if !(1024..=16 * 1024 * 1024).contains(&self.max_body_bytes) {
            return Err(invalid(
                "UNIIKKI_MAX_BODY_BYTES",
                "must be between 1024 and 16777216",
            ));
        }
        // actix reads the clock it times requests by only every 500 ms.
        if !(1_000..=300_000).contains(&self.request_timeout_ms) {
            return Err(invalid(
                "UNIIKKI_REQUEST_TIMEOUT_MS",
                "must be between 1000 and 300000",
            ));
        }
        for origin in &self.cors_origins {
            validate_origin(origin).map_err(|reason| invalid("UNIIKKI_CORS_ORIGINS", reason))?;
        }
        if !(60..=86_400).contains(&self.access_token_ttl_secs) {
            return Err(invalid(
                "UNIIKKI_ACCESS_TOKEN_TTL_SECS",
                "must be between 60 and 86400",
            ));
        }
        if !(1..=365).contains(&self.refresh_token_ttl_days) {
            return Err(invalid(
                "UNIIKKI_REFRESH_TOKEN_TTL_DAYS",
                "must be between 1 and 365",
            ));
        }
        if !(1..=24 * 30).contains(&self.one_time_password_ttl_hours) {
            return Err(invalid(
                "UNIIKKI_ONE_TIME_PASSWORD_TTL_HOURS",
                "must be between 1 and 720",
            ));
        }
        if self.login_max_failures == 0 || self.login_max_failures_per_ip == 0 {
            return Err(invalid(
                "UNIIKKI_LOGIN_MAX_FAILURES",
                "limits must be at least 1",
            ));
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(invalid(
                "UNIIKKI_PUBLIC_URL",
                "must start with http:// or https://",
            ));
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(invalid(
                "UNIIKKI_MAIL_FROM",
                "must be a mailbox like `Name <info@example.fi>`",
            ));
        }
        if let Some(url) = &self.sms_gateway_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(invalid(
                "UNIIKKI_SMS_GATEWAY_URL",
                "must start with http:// or https://",
            ));
        }
        if !(1..=20).contains(&self.retention_inactive_years) {
            return Err(invalid(
                "UNIIKKI_RETENTION_INACTIVE_YEARS",
                "must be between 1 and 20",
            ));
        }
        if !(1..=50).contains(&self.delivery_max_attempts) {
            return Err(invalid(
                "UNIIKKI_DELIVERY_MAX_ATTEMPTS",
                "must be between 1 and 50",
            ));
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log).is_err() {
            return Err(invalid(
                "UNIIKKI_LOG",
                "is not a valid log filter (e.g. `info`)",
            ));
        }
        match &self.jwt_secret {
            Some(secret) if secret.expose_secret().len() < MIN_SECRET_BYTES => Err(invalid(
                "UNIIKKI_JWT_SECRET",
                format!("must be at least {MIN_SECRET_BYTES} bytes"),
            )),
            None if self.env == Environment::Production => Err(invalid(
                "UNIIKKI_JWT_SECRET",
                "must be set explicitly when UNIIKKI_ENV=production",
            )),
            _ => Ok(()),
        }
    }

    /// Pool sizes and waits for the persistence layer.
    pub fn pool(&self) -> PoolSettings {
        PoolSettings {
            max_size: self.db_pool_size,
            min_idle: self.db_min_idle,
            acquire_timeout: Duration::from_millis(self.db_acquire_timeout_ms),
            sqlite_busy_timeout: Duration::from_millis(self.sqlite_busy_timeout_ms),
        }
    }
}

/// An origin is `scheme://host[:port]`, nothing more: a path or a wildcard would be a mistake.
fn validate_origin(origin: &str) -> Result<(), String> {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return Err(format!(
            "`{origin}` is not an origin like https://example.fi"
        ));
    };
    if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.contains(['/', '*', ' ']) {
        return Err(format!(
            "`{origin}` is not an origin like https://example.fi"
        ));
    }
    Ok(())
}

fn email<'de, D: Deserializer<'de>>(d: D) -> Result<EmailAddress, D::Error> {
    let raw = String::deserialize(d)?;
    EmailAddress::parse(&raw).map_err(serde::de::Error::custom)
}

fn database_url<'de, D: Deserializer<'de>>(d: D) -> Result<DatabaseUrl, D::Error> {
    let raw = String::deserialize(d)?;
    DatabaseUrl::parse(&raw).map_err(serde::de::Error::custom)
}

/// Accepts `a,b` (as an environment variable gives it) or a TOML list.
fn comma_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let items = match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s.split(',').map(str::to_owned).collect(),
        OneOrMany::Many(v) => v,
    };
    Ok(items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect())
}

#[cfg(test)]
mod tests;
