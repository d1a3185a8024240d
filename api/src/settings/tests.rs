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
    assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(
        s.database_url.sqlite_path(),
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
    assert_eq!(s.cors_origins, ["https://a.fi", "https://b.fi:8443"]);
}

#[test]
fn a_missing_config_file_is_reported() {
    let err = Settings::load(Some(Path::new("/nonexistent.toml")), Figment::new()).unwrap_err();
    assert!(err.to_string().contains("UNIIKKI_CONFIG"));
}
