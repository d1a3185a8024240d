//! Settings, layered: built-in defaults, then an optional TOML file (`UNIIKKI_CONFIG`), then
//! `UNIIKKI_*` environment variables (and `DATABASE_URL`). Validated once at start; nothing
//! reads the environment after that.
//!
//! Every variable, its default and meaning: `docs/SETTINGS.md` (a test keeps it in step).
//!
//! The variables are flat (`raw.rs` reads them, refusing unknown ones by name); the server sees
//! them grouped by concern (`settings.database.pool_size`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use domain::EmailAddress;
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use persistence::{DatabaseUrl, PoolSettings};
use secrecy::SecretString;
use serde::Deserialize;

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

/// Every setting, sorted by the part of the server that reads it. Each field is still read from
/// one flat variable under its established name (`database.pool_size` is `UNIIKKI_DB_POOL_SIZE`),
/// so no deployment has to change; `docs/SETTINGS.md` lists them by group.
#[derive(Debug, Clone)]
pub struct Settings {
    pub env: Environment,
    /// Where the generated signing secret and the outbox files are kept.
    pub data_dir: PathBuf,
    pub http: Http,
    pub database: Database,
    pub log: Logging,
    pub auth: Auth,
    pub delivery: Delivery,
    pub retention: Retention,
    pub calendar: Calendar,
}

/// The HTTP server: where it listens, what it accepts, how it stops.
#[derive(Debug, Clone)]
pub struct Http {
    pub listen: SocketAddr,
    pub workers: Option<usize>,
    pub max_body_bytes: usize,
    pub request_timeout_ms: u64,
    pub cors_origins: Vec<String>,
    pub shutdown_timeout_secs: u64,
    /// The base of links in messages (confirmation, unsubscribe).
    pub public_url: String,
    /// The allowance of the unauthenticated UniikkiLista calls, per client address.
    pub public_rate_per_minute: u32,
    pub public_rate_burst: u32,
}

/// The database and its connection pool.
#[derive(Debug, Clone)]
pub struct Database {
    pub url: DatabaseUrl,
    pub pool_size: u32,
    pub min_idle: Option<u32>,
    pub acquire_timeout_ms: u64,
    pub sqlite_busy_timeout_ms: u64,
}

/// What log lines look like and which are written.
#[derive(Debug, Clone)]
pub struct Logging {
    pub format: LogFormat,
    pub filter: String,
}

/// Tokens, the bootstrap admin, one-time passwords and login throttling.
#[derive(Debug, Clone)]
pub struct Auth {
    pub jwt_secret: Option<SecretString>,
    pub admin_email: EmailAddress,
    pub access_token_ttl_secs: u64,
    pub refresh_token_ttl_days: u64,
    pub one_time_password_ttl_hours: u64,
    pub login_window_secs: u64,
    pub login_max_failures: u32,
    pub login_max_failures_per_ip: u32,
}

/// Outgoing email and SMS, and the dispatcher that sends them with retries.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub mail_from: String,
    pub smtp: Smtp,
    pub sms: Sms,
    pub interval_ms: u64,
    pub max_attempts: i32,
    pub retry_base_ms: u64,
}

/// The SMTP relay; without a host, emails are written to the outbox directory.
#[derive(Debug, Clone)]
pub struct Smtp {
    pub host: Option<String>,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<SecretString>,
}

/// The HTTP SMS gateway; without a URL, messages are written to the outbox directory.
#[derive(Debug, Clone)]
pub struct Sms {
    pub gateway_url: Option<String>,
    pub gateway_token: Option<SecretString>,
    pub sender: String,
}

/// When inactive customers are erased.
#[derive(Debug, Clone)]
pub struct Retention {
    pub inactive_years: u32,
    pub interval_hours: u64,
}

impl From<raw::Raw> for Settings {
    fn from(raw: raw::Raw) -> Self {
        Self {
            env: raw.env,
            data_dir: raw.data_dir,
            http: Http {
                listen: raw.listen,
                workers: raw.workers,
                max_body_bytes: raw.max_body_bytes,
                request_timeout_ms: raw.request_timeout_ms,
                cors_origins: raw.cors_origins,
                shutdown_timeout_secs: raw.shutdown_timeout_secs,
                public_url: raw.public_url,
                public_rate_per_minute: raw.public_rate_per_minute,
                public_rate_burst: raw.public_rate_burst,
            },
            database: Database {
                url: raw.database_url,
                pool_size: raw.db_pool_size,
                min_idle: raw.db_min_idle,
                acquire_timeout_ms: raw.db_acquire_timeout_ms,
                sqlite_busy_timeout_ms: raw.sqlite_busy_timeout_ms,
            },
            log: Logging {
                format: raw.log_format,
                filter: raw.log,
            },
            auth: Auth {
                jwt_secret: raw.jwt_secret,
                admin_email: raw.admin_email,
                access_token_ttl_secs: raw.access_token_ttl_secs,
                refresh_token_ttl_days: raw.refresh_token_ttl_days,
                one_time_password_ttl_hours: raw.one_time_password_ttl_hours,
                login_window_secs: raw.login_window_secs,
                login_max_failures: raw.login_max_failures,
                login_max_failures_per_ip: raw.login_max_failures_per_ip,
            },
            delivery: Delivery {
                mail_from: raw.mail_from,
                smtp: Smtp {
                    host: raw.smtp_host,
                    port: raw.smtp_port,
                    tls: raw.smtp_tls,
                    username: raw.smtp_username,
                    password: raw.smtp_password,
                },
                sms: Sms {
                    gateway_url: raw.sms_gateway_url,
                    gateway_token: raw.sms_gateway_token,
                    sender: raw.sms_sender,
                },
                interval_ms: raw.delivery_interval_ms,
                max_attempts: raw.delivery_max_attempts,
                retry_base_ms: raw.delivery_retry_base_ms,
            },
            retention: Retention {
                inactive_years: raw.retention_inactive_years,
                interval_hours: raw.retention_interval_hours,
            },
            calendar: Calendar {
                cut_off_hours: raw.calendar_cut_off_hours,
                reminder_hours: raw.calendar_reminder_hours,
            },
        }
    }
}

/// The teaching calendar's rules.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Until how many hours before a lesson a customer may cancel or move their own booking;
    /// after it only staff can, and a cancellation is marked late.
    pub cut_off_hours: u32,
    /// How many hours before a lesson its booked customers are reminded (0: no reminders).
    pub reminder_hours: u32,
}

impl Calendar {
    pub fn cut_off(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.cut_off_hours))
    }

    /// How long before a lesson the reminder goes, if reminders are on.
    pub fn reminder(&self) -> Option<chrono::Duration> {
        (self.reminder_hours > 0).then(|| chrono::Duration::hours(i64::from(self.reminder_hours)))
    }
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
mod raw;
mod validate;

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
        let raw: raw::Raw = figment.merge(overrides).extract().map_err(Box::new)?;
        let settings = Self::from(raw);
        settings.validate()?;
        Ok(settings)
    }
}

impl Database {
    /// Pool sizes and waits for the persistence layer.
    pub fn pool(&self) -> PoolSettings {
        PoolSettings {
            max_size: self.pool_size,
            min_idle: self.min_idle,
            acquire_timeout: Duration::from_millis(self.acquire_timeout_ms),
            sqlite_busy_timeout: Duration::from_millis(self.sqlite_busy_timeout_ms),
        }
    }
}

#[cfg(test)]
mod tests;
