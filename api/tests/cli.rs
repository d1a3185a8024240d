//! The `uniikki` binary as an operator meets it: help, version, exit codes and one-line
//! reasons, the OpenAPI command, migrations, JSON logs and a graceful stop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn uniikki(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_uniikki"));
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs the command, expects failure, and returns its one line of explanation.
fn one_line_failure(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn version_and_help_for_each_command() {
    let dir = tempfile::tempdir().unwrap();
    let version = uniikki(dir.path()).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("uniikki "));
    for command in ["serve", "migrate", "openapi"] {
        let help = uniikki(dir.path())
            .args([command, "--help"])
            .output()
            .unwrap();
        assert!(help.status.success(), "{command} --help");
        assert!(!help.stdout.is_empty(), "{command} --help prints usage");
    }
}

#[test]
fn openapi_prints_the_committed_document() {
    let dir = tempfile::tempdir().unwrap();
    let output = uniikki(dir.path()).arg("openapi").output().unwrap();
    assert!(output.status.success());
    let committed = include_str!("../../openapi.yaml");
    assert!(
        String::from_utf8_lossy(&output.stdout) == committed,
        "openapi.yaml drifted"
    );
}

#[test]
fn a_bad_setting_exits_non_zero_with_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = one_line_failure(
        uniikki(dir.path())
            .env("UNIIKKI_DB_POOL_SIZE", "lots")
            .arg("migrate"),
    );
    assert!(stderr.to_lowercase().contains("db_pool_size"), "{stderr}");
}

#[test]
fn production_without_a_signing_secret_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = one_line_failure(
        uniikki(dir.path())
            .env("UNIIKKI_ENV", "production")
            .arg("serve"),
    );
    assert!(stderr.contains("UNIIKKI_JWT_SECRET"), "{stderr}");
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

#[test]
fn an_unreachable_database_exits_non_zero_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = one_line_failure(
        uniikki(dir.path())
            .env("DATABASE_URL", "postgres://nobody:hunter2@127.0.0.1:1/none")
            .env("UNIIKKI_DB_ACQUIRE_TIMEOUT_MS", "500")
            .env("UNIIKKI_LOG", "off")
            .arg("migrate"),
    );
    assert!(
        stderr.contains("cannot connect to the database"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2"),
        "the password is not echoed: {stderr}"
    );
}

#[test]
fn migrate_creates_the_default_sqlite_database_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let first = uniikki(dir.path()).arg("migrate").output().unwrap();
    assert!(first.status.success(), "{}", stderr_of(&first));
    assert!(dir.path().join("data/uniikki.db").exists());
    let again = uniikki(dir.path()).arg("migrate").output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("applied 0 migration(s)"));
}

/// Starts `serve` on a free port with one extra setting; returns the process, what it printed
/// up to the docs URL, and the address it listens on.
fn serve(
    dir: &std::path::Path,
    settings: &[(&str, &str)],
) -> (std::process::Child, String, String) {
    let mut child = uniikki(dir)
        .env("UNIIKKI_LISTEN", "127.0.0.1:0")
        .envs(settings.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (mut printed, mut line) = (String::new(), String::new());
    while !line.contains("/docs/") {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "serve printed no docs URL"
        );
        printed.push_str(&line);
    }
    let address = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_start_matches("http://")
        .trim_end_matches("/docs/")
        .to_owned();
    (child, printed, address)
}

/// `serve` on a free port: prints where the docs are, logs one JSON line per request with
/// the route pattern and request id (never the raw path), and stops cleanly on SIGTERM.
#[test]
fn serve_logs_json_lines_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (child, printed, address) = serve(dir.path(), &[("UNIIKKI_LOG_FORMAT", "json")]);
    assert!(
        printed.contains("Created the first admin account: admin@uniikkiaani.fi"),
        "{printed}"
    );
    assert!(printed.contains("one-time password"), "{printed}");
    let address = address.as_str();

    let secret_path = "/nowhere/maija@example.fi";
    for path in ["/healthz", secret_path] {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        use std::io::{Read, Write};
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.contains("x-request-id"), "{response}");
    }

    let logs = stop(child);
    let requests: Vec<serde_json::Value> = logs
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .filter(|entry: &serde_json::Value| entry["target"] == "uniikki::request")
        .collect();
    assert_eq!(requests.len(), 2, "{logs}");
    assert_eq!(requests[0]["route"], "/healthz");
    assert_eq!(requests[0]["status"], 200);
    assert!(requests[0]["request_id"].is_string());
    assert!(requests[0]["latency_ms"].is_number());
    assert_eq!(requests[1]["status"], 404);
    assert!(
        !logs.contains("maija"),
        "raw paths never reach the logs: {logs}"
    );
}

#[test]
fn create_admin_prints_only_a_one_time_password() {
    let dir = tempfile::tempdir().unwrap();
    let output = uniikki(dir.path())
        .args(["create-admin", "--email", "Johtaja@UniikkiAani.fi"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert_eq!(lines[0].len(), 19, "four groups of four: {}", lines[0]);

    let again = uniikki(dir.path())
        .args(["create-admin", "--email", "johtaja@uniikkiaani.fi"])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_ne!(
        again.stdout, output.stdout,
        "a new one-time password for the same admin"
    );

    let bad =
        one_line_failure(uniikki(dir.path()).args(["create-admin", "--email", "not-an-email"]));
    assert!(bad.contains("--email"), "{bad}");
}

#[test]
fn audit_verify_passes_on_an_intact_chain_and_names_the_first_broken_entry() {
    use diesel::connection::SimpleConnection;
    let dir = tempfile::tempdir().unwrap();
    assert!(
        uniikki(dir.path())
            .args(["create-admin", "--email", "a@uniikkiaani.fi"])
            .status()
            .unwrap()
            .success()
    );
    assert!(
        uniikki(dir.path())
            .args(["create-admin", "--email", "a@uniikkiaani.fi"])
            .status()
            .unwrap()
            .success()
    );
    let intact = uniikki(dir.path())
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(intact.status.success(), "{}", stderr_of(&intact));
    assert!(String::from_utf8_lossy(&intact.stdout).contains("intact: 2 entries"));

    let url = persistence::DatabaseUrl::Sqlite(dir.path().join("data/uniikki.db"));
    let pool = persistence::pool::build(&url, &Default::default()).unwrap();
    // An entry recorded but not yet chained (what a crash can leave on PostgreSQL) is reported,
    // and is no break in the chain.
    tests::leave_pending_audit_entry(&mut pool.get().unwrap(), uuid::Uuid::now_v7());
    let waiting = uniikki(dir.path())
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(waiting.status.success(), "{}", stderr_of(&waiting));
    let stdout = String::from_utf8_lossy(&waiting.stdout);
    assert!(
        stdout.contains("waiting to be chained: 1") && stdout.contains("intact: 2 entries"),
        "{stdout}"
    );
    pool.get()
        .unwrap()
        .batch_execute("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET action = 'x' WHERE seq = 1;")
        .unwrap();
    let broken = one_line_failure(uniikki(dir.path()).args(["audit", "verify"]));
    assert!(broken.contains("broken at entry 1"), "{broken}");
}

#[test]
fn retention_dry_run_reports_counts_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    let output = uniikki(dir.path())
        .args(["retention", "run", "--dry-run"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("retention would remove:"), "{stdout}");
    assert!(
        stdout.contains("login events older than 12 months: 0"),
        "{stdout}"
    );
    assert!(
        stdout.contains("inactive customers (erased): 0"),
        "{stdout}"
    );
}

/// Stops the server with SIGTERM, expects a clean exit within 15 s, and returns its logs.
fn stop(mut child: std::process::Child) -> String {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let mut logs = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    logs
}

/// One HTTP/1.1 exchange over a fresh connection: status and body.
fn call(address: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_owned())
}

fn field(body: &str, name: &str) -> String {
    let value: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name}: {body}"))
        .to_owned()
}

#[test]
fn no_password_token_email_or_phone_reaches_the_logs_on_sqlite() {
    let database = tests::TestDatabase::sqlite();
    let url = database
        .url()
        .sqlite_path()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    canary_flow(&url);
}

/// PostgreSQL's own error messages quote the values they reject, so the flow runs there too.
#[test]
fn no_password_token_email_or_phone_reaches_the_logs_on_postgres() {
    let Some(database) = tests::TestDatabase::postgres() else {
        return;
    };
    let persistence::DatabaseUrl::Postgres(url) = database.url() else {
        unreachable!("a PostgreSQL database")
    };
    canary_flow(url);
}

/// A whole flow at debug level with canary values — passwords, tokens, an email, a phone
/// number — none of which may reach the logs, in any form.
fn canary_flow(database_url: &str) {
    const PASSWORD: &str = "kanarialintu laulaa 7";
    const EMAIL: &str = "kanaria.lintu@example.fi";
    const PHONE: &str = "+358409871234";
    let dir = tempfile::tempdir().unwrap();
    let (child, printed, address) = serve(
        dir.path(),
        &[("UNIIKKI_LOG", "debug"), ("DATABASE_URL", database_url)],
    );
    let one_time = printed
        .lines()
        .find_map(|line| line.split_once("): ").map(|(_, p)| p.trim().to_owned()))
        .expect("the one-time password was printed");
    let json = |value: serde_json::Value| value.to_string();

    let login = |password: &str| {
        call(
            &address,
            "POST",
            "/api/v1/auth/login",
            None,
            &json(serde_json::json!({"email": "admin@uniikkiaani.fi", "password": password})),
        )
    };
    let (status, body) = login(&one_time);
    assert_eq!(status, 200, "{body}");
    let first_token = field(&body, "access_token");
    let change = json(serde_json::json!({"current_password": one_time, "new_password": PASSWORD}));
    let (status, body) = call(
        &address,
        "POST",
        "/api/v1/auth/password",
        Some(&first_token),
        &change,
    );
    assert_eq!(status, 200, "{body}");
    let changed_token = field(&body, "access_token");
    assert_eq!(login("väärä salasana 123").0, 401);
    let (status, body) = login(PASSWORD);
    assert_eq!(status, 200, "{body}");
    let (token, refresh) = (field(&body, "access_token"), field(&body, "refresh_token"));
    let customer = json(serde_json::json!({
        "first_name": "Kanaria", "last_name": "Lintu", "email": EMAIL, "phone": PHONE}));
    let (status, body) = call(
        &address,
        "POST",
        "/api/v1/customers",
        Some(&token),
        &customer,
    );
    assert_eq!(status, 201, "{body}");
    let id = field(&body, "id");
    assert_eq!(
        call(
            &address,
            "POST",
            "/api/v1/customers",
            Some(&token),
            &customer
        )
        .0,
        409
    );
    for path in [
        format!("/api/v1/customers/{id}"),
        format!("/api/v1/customers?q={EMAIL}"),
        "/api/v1/customers?q=%2B358409871234".to_owned(),
        format!("/api/v1/customers/{id}/export"),
    ] {
        let (status, body) = call(&address, "GET", &path, Some(&token), "");
        assert_eq!(status, 200, "{path}: {body}");
    }
    let subscribe = json(serde_json::json!({
        "name": "Kanaria Lintu", "age": 30, "email": EMAIL, "phone": PHONE,
        "channels": ["email", "sms"], "topics": ["cancellation_slots"],
        "privacy_notice_version": "2026-11-25"}));
    let (status, body) = call(
        &address,
        "POST",
        "/api/v1/uniikkilista/subscriptions",
        None,
        &subscribe,
    );
    assert_eq!(status, 202, "{body}");
    let refreshed = json(serde_json::json!({"refresh_token": refresh}));
    assert_eq!(
        call(&address, "POST", "/api/v1/auth/refresh", None, &refreshed).0,
        200
    );
    assert_eq!(
        call(&address, "POST", "/api/v1/auth/refresh", None, &refreshed).0,
        401,
        "reuse"
    );

    let logs = stop(child);
    assert!(logs.lines().count() > 10, "debug logging was on: {logs}");
    let encoded_email = EMAIL.replace('@', "%40");
    for canary in [
        PASSWORD,
        &one_time,
        &first_token,
        &changed_token,
        &token,
        &refresh,
        EMAIL,
        &encoded_email,
        PHONE,
        "358409871234",
        "Kanaria",
    ] {
        assert!(
            !logs.contains(canary),
            "`{canary}` reached the logs:\n{logs}"
        );
    }
}

/// The one-time password in what `serve` printed.
fn one_time_password_in(printed: &str) -> Option<String> {
    printed
        .lines()
        .find(|l| l.contains("one-time password"))
        .and_then(|l| l.rsplit(": ").next())
        .map(|p| p.trim().to_owned())
}

/// A raw HTTP/1.1 POST of a JSON body; returns the status line and the rest.
fn post_json(address: &str, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// A first start that fails once the database is ready (here: an unusable signing key in the
/// data directory) must not lose the first admin's password: the next start prints one, and
/// so does every start until the one-time password has been used; after that, none.
#[test]
fn the_first_admins_password_survives_a_failed_first_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("signing-key"), b"short").unwrap();
    let failed = uniikki(dir.path())
        .env("UNIIKKI_LISTEN", "127.0.0.1:0")
        .arg("serve")
        .output()
        .unwrap();
    assert!(!failed.status.success(), "a 5-byte signing key is refused");
    std::fs::remove_file(data.join("signing-key")).unwrap();

    let (child, printed, address) = serve(dir.path(), &[]);
    let first = one_time_password_in(&printed).expect("the first good start prints a password");
    // Answering a request: serving, signal handling included.
    assert!(post_json(&address, "/healthz", "").starts_with("HTTP/1.1"));
    stop(child);
    let (child, printed, address) = serve(dir.path(), &[]);
    let second = one_time_password_in(&printed).expect("still unused: a fresh one is printed");
    assert_ne!(first, second);
    let login = format!(r#"{{"email": "admin@uniikkiaani.fi", "password": "{first}"}}"#);
    let old = post_json(&address, "/api/v1/auth/login", &login);
    assert!(
        old.starts_with("HTTP/1.1 401"),
        "the earlier one is void: {old}"
    );
    let login = format!(r#"{{"email": "admin@uniikkiaani.fi", "password": "{second}"}}"#);
    let used = post_json(&address, "/api/v1/auth/login", &login);
    assert!(used.starts_with("HTTP/1.1 200"), "{used}");
    stop(child);
    let (child, printed, address) = serve(dir.path(), &[]);
    assert_eq!(one_time_password_in(&printed), None, "{printed}");
    assert!(post_json(&address, "/healthz", "").starts_with("HTTP/1.1"));
    stop(child);
}
