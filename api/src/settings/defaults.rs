//! The built-in value of each setting, for `#[serde(default = ...)]`.

use std::net::SocketAddr;
use std::path::PathBuf;

use domain::EmailAddress;
use persistence::DatabaseUrl;

pub fn listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
pub fn database_url() -> DatabaseUrl {
    DatabaseUrl::Sqlite(PathBuf::from("data/uniikki.db"))
}
pub fn data_dir() -> PathBuf {
    PathBuf::from("data")
}
pub fn pool_size() -> u32 {
    16
}
pub fn acquire_timeout_ms() -> u64 {
    3_000
}
pub fn busy_timeout_ms() -> u64 {
    5_000
}
pub fn max_body_bytes() -> usize {
    64 * 1024
}
pub fn request_timeout_ms() -> u64 {
    10_000
}
pub fn log() -> String {
    "info".to_owned()
}
pub fn shutdown_timeout_secs() -> u64 {
    30
}
pub fn admin_email() -> EmailAddress {
    EmailAddress::parse("admin@uniikkiaani.fi").expect("a valid default")
}
pub fn access_token_ttl_secs() -> u64 {
    900
}
pub fn refresh_token_ttl_days() -> u64 {
    30
}
pub fn one_time_password_ttl_hours() -> u64 {
    72
}
pub fn login_window_secs() -> u64 {
    900
}
pub fn login_max_failures() -> u32 {
    5
}
pub fn login_max_failures_per_ip() -> u32 {
    30
}
pub fn public_rate_per_minute() -> u32 {
    30
}
pub fn public_rate_burst() -> u32 {
    10
}
pub fn retention_inactive_years() -> u32 {
    3
}
pub fn retention_interval_hours() -> u64 {
    24
}
pub fn calendar_cut_off_hours() -> u32 {
    24
}
pub fn calendar_reminder_hours() -> u32 {
    24
}
pub fn public_url() -> String {
    "http://127.0.0.1:8080".to_owned()
}
pub fn mail_from() -> String {
    "UniikkiÄäni <info@uniikkiaani.fi>".to_owned()
}
pub fn smtp_port() -> u16 {
    587
}
pub fn sms_sender() -> String {
    "Uniikki".to_owned()
}
pub fn delivery_interval_ms() -> u64 {
    1_000
}
pub fn delivery_max_attempts() -> i32 {
    8
}
pub fn delivery_retry_base_ms() -> u64 {
    30_000
}
