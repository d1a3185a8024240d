//! What types alone cannot say about the settings, checked once at start; each refusal names
//! the variable an operator sets.

use secrecy::ExposeSecret;

use super::{Environment, MIN_SECRET_BYTES, Settings, SettingsError, invalid};

impl Settings {
    /// Checks what types alone cannot say.
    pub(super) fn validate(&self) -> Result<(), SettingsError> {
        if !(1..=1024).contains(&self.database.pool_size) {
            return Err(invalid(
                "UNIIKKI_DB_POOL_SIZE",
                "must be between 1 and 1024",
            ));
        }
        if self
            .database
            .min_idle
            .is_some_and(|n| n > self.database.pool_size)
        {
            return Err(invalid(
                "UNIIKKI_DB_MIN_IDLE",
                "must not exceed UNIIKKI_DB_POOL_SIZE",
            ));
        }
        if !(10..=60_000).contains(&self.database.acquire_timeout_ms) {
            return Err(invalid(
                "UNIIKKI_DB_ACQUIRE_TIMEOUT_MS",
                "must be between 10 and 60000",
            ));
        }
        if self.http.workers == Some(0) {
            return Err(invalid("UNIIKKI_WORKERS", "must be at least 1"));
        }
        if !(1024..=16 * 1024 * 1024).contains(&self.http.max_body_bytes) {
            return Err(invalid(
                "UNIIKKI_MAX_BODY_BYTES",
                "must be between 1024 and 16777216",
            ));
        }
        // actix reads the clock it times requests by only every 500 ms.
        if !(1_000..=300_000).contains(&self.http.request_timeout_ms) {
            return Err(invalid(
                "UNIIKKI_REQUEST_TIMEOUT_MS",
                "must be between 1000 and 300000",
            ));
        }
        for origin in &self.http.cors_origins {
            validate_origin(origin).map_err(|reason| invalid("UNIIKKI_CORS_ORIGINS", reason))?;
        }
        if !(60..=86_400).contains(&self.auth.access_token_ttl_secs) {
            return Err(invalid(
                "UNIIKKI_ACCESS_TOKEN_TTL_SECS",
                "must be between 60 and 86400",
            ));
        }
        if !(1..=365).contains(&self.auth.refresh_token_ttl_days) {
            return Err(invalid(
                "UNIIKKI_REFRESH_TOKEN_TTL_DAYS",
                "must be between 1 and 365",
            ));
        }
        if !(1..=24 * 30).contains(&self.auth.one_time_password_ttl_hours) {
            return Err(invalid(
                "UNIIKKI_ONE_TIME_PASSWORD_TTL_HOURS",
                "must be between 1 and 720",
            ));
        }
        if self.auth.login_max_failures == 0 || self.auth.login_max_failures_per_ip == 0 {
            return Err(invalid(
                "UNIIKKI_LOGIN_MAX_FAILURES",
                "limits must be at least 1",
            ));
        }
        if !(self.http.public_url.starts_with("http://")
            || self.http.public_url.starts_with("https://"))
        {
            return Err(invalid(
                "UNIIKKI_PUBLIC_URL",
                "must start with http:// or https://",
            ));
        }
        if self
            .delivery
            .mail_from
            .parse::<lettre::message::Mailbox>()
            .is_err()
        {
            return Err(invalid(
                "UNIIKKI_MAIL_FROM",
                "must be a mailbox like `Name <info@example.fi>`",
            ));
        }
        if let Some(url) = &self.delivery.sms.gateway_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(invalid(
                "UNIIKKI_SMS_GATEWAY_URL",
                "must start with http:// or https://",
            ));
        }
        if !(1..=20).contains(&self.retention.inactive_years) {
            return Err(invalid(
                "UNIIKKI_RETENTION_INACTIVE_YEARS",
                "must be between 1 and 20",
            ));
        }
        if self.calendar.cut_off_hours > 24 * 14 {
            return Err(invalid(
                "UNIIKKI_CALENDAR_CUT_OFF_HOURS",
                "must be between 0 and 336 (two weeks)",
            ));
        }
        if self.calendar.reminder_hours > 24 * 14 {
            return Err(invalid(
                "UNIIKKI_CALENDAR_REMINDER_HOURS",
                "must be between 0 (no reminders) and 336 (two weeks)",
            ));
        }
        if !(1..=50).contains(&self.delivery.max_attempts) {
            return Err(invalid(
                "UNIIKKI_DELIVERY_MAX_ATTEMPTS",
                "must be between 1 and 50",
            ));
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log.filter).is_err() {
            return Err(invalid(
                "UNIIKKI_LOG",
                "is not a valid log filter (e.g. `info`)",
            ));
        }
        match &self.auth.jwt_secret {
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
