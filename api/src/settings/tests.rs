use super::*;

fn with(key: &str, value: impl serde::Serialize) -> Result<Settings, SettingsError> {
    Settings::load(None, Figment::new().merge((key, value)))
}

/// docs/SETTINGS.md documents exactly the keys the settings read: serde names every key it
/// knows when it refuses an unknown one.
#[test]
fn the_settings_document_lists_every_key_and_no_other() {
    let refused = with("no_such_setting", 1).unwrap_err().to_string();
    let expected = refused
        .split("one of ")
        .nth(1)
        .unwrap_or_else(|| panic!("no key list in: {refused}"));
    let known: std::collections::BTreeSet<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .take_while(|key| {
            !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
        .map(|key| match key {
            "database_url" => "DATABASE_URL".to_owned(),
            key => format!("UNIIKKI_{}", key.to_uppercase()),
        })
        .collect();
    let doc = include_str!("../../../docs/SETTINGS.md");
    let documented: std::collections::BTreeSet<String> = doc
        .lines()
        .filter(|line| line.starts_with("| `"))
        .flat_map(|line| {
            let first = line.split(" | ").next().unwrap_or_default();
            first
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|var| var != "UNIIKKI_CONFIG")
        .collect();
    assert!(known.len() > 30, "{known:?}");
    assert_eq!(documented, known);
}

#[test]
fn defaults_run_out_of_the_box() {
    let s = Settings::defaults();
    assert_eq!(s.http.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(
        s.database.url.sqlite_path(),
        Some(Path::new("data/uniikki.db"))
    );
    assert_eq!(s.env, Environment::Development);
}

#[test]
fn production_refuses_to_start_without_an_explicit_secret() {
    let err = with("env", "production").unwrap_err().to_string();
    assert!(err.contains("UNIIKKI_JWT_SECRET"), "{err}");
}

#[test]
fn production_accepts_a_strong_secret() {
    let figment = Figment::new()
        .merge(("env", "production"))
        .merge(("jwt_secret", "x".repeat(32)));
    assert!(Settings::load(None, figment).is_ok());
}

#[test]
fn a_short_secret_is_refused_everywhere() {
    assert!(
        with("jwt_secret", "short")
            .unwrap_err()
            .to_string()
            .contains("32 bytes")
    );
}

#[test]
fn bad_values_name_the_setting() {
    let cases: [(&str, serde_json::Value, &str); 7] = [
        ("listen", "nonsense".into(), "listen"),
        ("db_pool_size", 0.into(), "UNIIKKI_DB_POOL_SIZE"),
        ("database_url", "mysql://h/db".into(), "mysql"),
        (
            "cors_origins",
            "https://ok.fi,https://bad.fi/path".into(),
            "UNIIKKI_CORS_ORIGINS",
        ),
        ("log_format", "xml".into(), "log_format"),
        ("log", "=!=".into(), "UNIIKKI_LOG"),
        ("admin_email", "not-an-email".into(), "email"),
    ];
    for (key, value, expected) in cases {
        let err = with(key, value).unwrap_err().to_string();
        assert!(err.contains(expected), "{key}: {err}");
    }
}

#[test]
fn unknown_keys_in_the_file_are_refused() {
    assert!(with("lisen", "127.0.0.1:1").is_err());
}

#[test]
fn cors_origins_split_on_commas() {
    let s = with("cors_origins", "https://a.fi, https://b.fi:8443").unwrap();
    assert_eq!(s.http.cors_origins, ["https://a.fi", "https://b.fi:8443"]);
}

#[test]
fn a_missing_config_file_is_reported() {
    let err = Settings::load(Some(Path::new("/nonexistent.toml")), Figment::new()).unwrap_err();
    assert!(err.to_string().contains("UNIIKKI_CONFIG"));
}

/// The flat keys land in the groups the server reads: every numeric key gets a value of its
/// own, so two fields swapped in the sorting would show here.
#[test]
fn each_flat_key_lands_in_its_group() {
    let keys: [(&str, u64); 19] = [
        ("db_pool_size", 11),
        ("db_acquire_timeout_ms", 1_012),
        ("sqlite_busy_timeout_ms", 13),
        ("workers", 14),
        ("max_body_bytes", 2_015),
        ("request_timeout_ms", 1_016),
        ("shutdown_timeout_secs", 17),
        ("public_rate_per_minute", 18),
        ("public_rate_burst", 19),
        ("access_token_ttl_secs", 120),
        ("refresh_token_ttl_days", 21),
        ("one_time_password_ttl_hours", 22),
        ("login_window_secs", 23),
        ("login_max_failures", 24),
        ("login_max_failures_per_ip", 25),
        ("smtp_port", 26),
        ("delivery_interval_ms", 27),
        ("delivery_max_attempts", 28),
        ("delivery_retry_base_ms", 29),
    ];
    let figment = keys
        .iter()
        .fold(Figment::new(), |f, (key, value)| f.merge((*key, *value)))
        .merge(("db_min_idle", 10))
        .merge(("retention_inactive_years", 9))
        .merge(("retention_interval_hours", 8));
    let s = Settings::load(None, figment).unwrap();
    let read: [u64; 19] = [
        s.database.pool_size.into(),
        s.database.acquire_timeout_ms,
        s.database.sqlite_busy_timeout_ms,
        s.http.workers.unwrap() as u64,
        s.http.max_body_bytes as u64,
        s.http.request_timeout_ms,
        s.http.shutdown_timeout_secs,
        s.http.public_rate_per_minute.into(),
        s.http.public_rate_burst.into(),
        s.auth.access_token_ttl_secs,
        s.auth.refresh_token_ttl_days,
        s.auth.one_time_password_ttl_hours,
        s.auth.login_window_secs,
        s.auth.login_max_failures.into(),
        s.auth.login_max_failures_per_ip.into(),
        s.delivery.smtp.port.into(),
        s.delivery.interval_ms,
        s.delivery.max_attempts as u64,
        s.delivery.retry_base_ms,
    ];
    assert_eq!(read, keys.map(|(_, value)| value));
    assert_eq!(s.database.min_idle, Some(10));
    assert_eq!(s.retention.inactive_years, 9);
    assert_eq!(s.retention.interval_hours, 8);

    let strings = Figment::new()
        .merge(("smtp_host", "smtp.example.fi"))
        .merge(("smtp_username", "user"))
        .merge(("sms_gateway_url", "https://sms.example.fi"))
        .merge(("sms_sender", "Lähettäjä"))
        .merge(("mail_from", "Koulu <koulu@example.fi>"))
        .merge(("public_url", "https://oma.example.fi"))
        .merge(("log", "debug"))
        .merge(("log_format", "json"))
        .merge(("data_dir", "/var/lib/uniikki"));
    let s = Settings::load(None, strings).unwrap();
    assert_eq!(s.delivery.smtp.host.as_deref(), Some("smtp.example.fi"));
    assert_eq!(s.delivery.smtp.username.as_deref(), Some("user"));
    assert_eq!(
        s.delivery.sms.gateway_url.as_deref(),
        Some("https://sms.example.fi")
    );
    assert_eq!(s.delivery.sms.sender, "Lähettäjä");
    assert_eq!(s.delivery.mail_from, "Koulu <koulu@example.fi>");
    assert_eq!(s.http.public_url, "https://oma.example.fi");
    assert_eq!(s.log.filter, "debug");
    assert_eq!(s.log.format, LogFormat::Json);
    assert_eq!(s.data_dir, Path::new("/var/lib/uniikki"));
}
