//! The settings as read: one flat struct, because serde cannot refuse unknown keys through
//! `#[serde(flatten)]` and its errors there lose the key's name, and a misspelt or bad
//! variable must stop the server naming it. `Settings::load` sorts the keys into groups.

use std::net::SocketAddr;
use std::path::PathBuf;

use domain::EmailAddress;
use persistence::DatabaseUrl;
use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

use super::{Environment, LogFormat, SmtpTls, defaults};

/// Every setting as the environment and the file name it: one flat key each.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    #[serde(default)]
    pub(super) env: Environment,
    #[serde(default = "defaults::listen")]
    pub(super) listen: SocketAddr,
    #[serde(default = "defaults::database_url", deserialize_with = "database_url")]
    pub(super) database_url: DatabaseUrl,
    #[serde(default = "defaults::data_dir")]
    pub(super) data_dir: PathBuf,
    #[serde(default)]
    pub(super) jwt_secret: Option<SecretString>,
    #[serde(default = "defaults::pool_size")]
    pub(super) db_pool_size: u32,
    #[serde(default)]
    pub(super) db_min_idle: Option<u32>,
    #[serde(default = "defaults::acquire_timeout_ms")]
    pub(super) db_acquire_timeout_ms: u64,
    #[serde(default = "defaults::busy_timeout_ms")]
    pub(super) sqlite_busy_timeout_ms: u64,
    #[serde(default)]
    pub(super) workers: Option<usize>,
    #[serde(default = "defaults::max_body_bytes")]
    pub(super) max_body_bytes: usize,
    #[serde(default = "defaults::request_timeout_ms")]
    pub(super) request_timeout_ms: u64,
    #[serde(default, deserialize_with = "comma_list")]
    pub(super) cors_origins: Vec<String>,
    #[serde(default)]
    pub(super) log_format: LogFormat,
    #[serde(default = "defaults::log")]
    pub(super) log: String,
    #[serde(default = "defaults::shutdown_timeout_secs")]
    pub(super) shutdown_timeout_secs: u64,
    #[serde(default = "defaults::admin_email", deserialize_with = "email")]
    pub(super) admin_email: EmailAddress,
    #[serde(default = "defaults::access_token_ttl_secs")]
    pub(super) access_token_ttl_secs: u64,
    #[serde(default = "defaults::refresh_token_ttl_days")]
    pub(super) refresh_token_ttl_days: u64,
    #[serde(default = "defaults::one_time_password_ttl_hours")]
    pub(super) one_time_password_ttl_hours: u64,
    #[serde(default = "defaults::login_window_secs")]
    pub(super) login_window_secs: u64,
    #[serde(default = "defaults::login_max_failures")]
    pub(super) login_max_failures: u32,
    #[serde(default = "defaults::login_max_failures_per_ip")]
    pub(super) login_max_failures_per_ip: u32,
    #[serde(default = "defaults::public_rate_per_minute")]
    pub(super) public_rate_per_minute: u32,
    #[serde(default = "defaults::public_rate_burst")]
    pub(super) public_rate_burst: u32,
    #[serde(default = "defaults::retention_inactive_years")]
    pub(super) retention_inactive_years: u32,
    #[serde(default = "defaults::retention_interval_hours")]
    pub(super) retention_interval_hours: u64,
    #[serde(default = "defaults::calendar_cut_off_hours")]
    pub(super) calendar_cut_off_hours: u32,
    #[serde(default = "defaults::calendar_reminder_hours")]
    pub(super) calendar_reminder_hours: u32,
    #[serde(default = "defaults::public_url")]
    pub(super) public_url: String,
    #[serde(default = "defaults::mail_from")]
    pub(super) mail_from: String,
    #[serde(default)]
    pub(super) smtp_host: Option<String>,
    #[serde(default = "defaults::smtp_port")]
    pub(super) smtp_port: u16,
    #[serde(default)]
    pub(super) smtp_tls: SmtpTls,
    #[serde(default)]
    pub(super) smtp_username: Option<String>,
    #[serde(default)]
    pub(super) smtp_password: Option<SecretString>,
    #[serde(default)]
    pub(super) sms_gateway_url: Option<String>,
    #[serde(default)]
    pub(super) sms_gateway_token: Option<SecretString>,
    #[serde(default = "defaults::sms_sender")]
    pub(super) sms_sender: String,
    #[serde(default = "defaults::delivery_interval_ms")]
    pub(super) delivery_interval_ms: u64,
    #[serde(default = "defaults::delivery_max_attempts")]
    pub(super) delivery_max_attempts: i32,
    #[serde(default = "defaults::delivery_retry_base_ms")]
    pub(super) delivery_retry_base_ms: u64,
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
