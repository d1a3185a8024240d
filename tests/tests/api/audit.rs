use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use persistence::AnyConnection;
use serde_json::json;
use tests::{TestApp, leave_pending_audit_entry, on_both_backends};

async fn changes_and_reads_of_personal_data_are_audited_with_ids_only(app: TestApp) {
    let admin = app.admin_session().await;
    let id = app
        .create_staff(&admin.access_token, "auditoitava@uniikkiaani.fi", "teacher")
        .await;
    app.get_as(&format!("/api/v1/staff/{id}"), &admin.access_token)
        .await;

    let page = app
        .get_as(
            &format!("/api/v1/audit-events?subject_id={id}"),
            &admin.access_token,
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.text());
    let events = page.json()["items"].as_array().unwrap().clone();
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["staff.read", "staff.create"], "newest first");
    for event in &events {
        assert_eq!(event["actor_id"], admin.account_id.to_string());
        assert_eq!(event["actor_kind"], "account");
        assert!(event["request_id"].is_string());
        assert_eq!(event["client_ip"], "127.0.0.1");
    }
    let text = page.text();
    assert!(
        !text.contains("Aino") && !text.contains("auditoitava@"),
        "IDs only: {text}"
    );

    assert_eq!(app.login(&admin.email, tests::PASSWORD).await.status, 200);
    let logins = app
        .get_as(
            "/api/v1/audit-events?action=auth.login&limit=1",
            &admin.access_token,
        )
        .await
        .json();
    assert_eq!(logins["items"].as_array().unwrap().len(), 1);
    assert!(
        logins["next_cursor"].is_string(),
        "the admin logged in twice"
    );
}

fn verify(app: &TestApp) -> persistence::audit::ChainReport {
    persistence::audit::verify(&mut app.pool.get().unwrap()).unwrap()
}

async fn the_chain_verifies_and_an_entry_edited_in_the_database_is_found(app: TestApp) {
    let admin = app.admin_session().await;
    for n in 0..3 {
        let body =
            json!({"email": format!("s{n}@uniikkiaani.fi"), "display_name": "S", "role": "office"});
        app.post_json("/api/v1/staff", Some(&admin.access_token), &body)
            .await;
    }
    let report = verify(&app);
    assert_eq!(report.first_broken, None, "{report:?}");
    assert!(report.checked >= 5, "{report:?}");

    let mut conn = app.pool.get().unwrap();
    let refused = conn.batch_execute("UPDATE audit_events SET action = 'x' WHERE seq = 2");
    assert!(refused.is_err(), "the database refuses to change an entry");
    assert!(
        conn.batch_execute("DELETE FROM audit_events WHERE seq = 2")
            .is_err()
    );

    // Someone with full control of the database goes around the trigger:
    let bypass = match &*conn {
        AnyConnection::Postgresql(_) => {
            "SET session_replication_role = replica; \
             UPDATE audit_events SET actor_id = NULL WHERE seq = 3; \
             SET session_replication_role = DEFAULT;"
        }
        AnyConnection::Sqlite(_) => {
            "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor_id = NULL WHERE seq = 3;"
        }
    };
    conn.batch_execute(bypass).unwrap();
    drop(conn);
    let report = verify(&app);
    assert_eq!(
        report.first_broken.as_ref().map(|(seq, _)| *seq),
        Some(3),
        "{report:?}"
    );
    assert_eq!(report.checked, 2);
}

async fn a_deleted_last_entry_is_found_by_the_chain_head(app: TestApp) {
    app.admin_session().await;
    let mut conn = app.pool.get().unwrap();
    let bypass = match &*conn {
        AnyConnection::Postgresql(_) => {
            "SET session_replication_role = replica; \
             DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events); \
             SET session_replication_role = DEFAULT;"
        }
        AnyConnection::Sqlite(_) => {
            "DROP TRIGGER audit_events_no_delete; \
             DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events);"
        }
    };
    conn.batch_execute(bypass).unwrap();
    drop(conn);
    assert!(verify(&app).first_broken.is_some());
}

async fn only_admins_read_the_audit_log(app: TestApp) {
    let office = app.session_as(domain::Role::Office).await;
    app.get_as("/api/v1/audit-events", &office.access_token)
        .await
        .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");
    let admin = app.admin_session().await;
    let bad = app
        .get_as("/api/v1/audit-events?from=yesterday", &admin.access_token)
        .await;
    bad.problem(400, "https://api.uniikkiaani.fi/problems/invalid-parameter");
}

on_both_backends!(
    changes_and_reads_of_personal_data_are_audited_with_ids_only,
    the_chain_verifies_and_an_entry_edited_in_the_database_is_found,
    a_deleted_last_entry_is_found_by_the_chain_head,
    only_admins_read_the_audit_log,
);

/// Concurrent reads share audit transactions (group commit), yet every acknowledged read has
/// its own entry and the chain stays intact.
async fn concurrent_reads_are_each_audited_once_with_the_chain_intact(app: TestApp) {
    let admin = app.admin_session().await;
    let body =
        json!({"first_name": "Luettu", "last_name": "Monesti", "email": "luettu@example.fi"});
    let id = app
        .post_json("/api/v1/customers", Some(&admin.access_token), &body)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/customers/{id}");
    let reads = (0..40).map(|_| app.get_as(&path, &admin.access_token));
    let replies = futures_util::future::join_all(reads).await;
    assert!(
        replies.iter().all(|r| r.status == 200),
        "every read answered"
    );
    let page = app
        .get_as(
            &format!("/api/v1/audit-events?subject_id={id}&action=customer.read&limit=100"),
            &admin.access_token,
        )
        .await
        .json();
    let entries = page["items"].as_array().unwrap();
    assert_eq!(entries.len(), 40, "one entry per acknowledged read");
    let request_ids: std::collections::BTreeSet<&str> = entries
        .iter()
        .map(|e| e["request_id"].as_str().unwrap())
        .collect();
    assert_eq!(request_ids.len(), 40, "each entry is a different request");
    assert_eq!(verify(&app).first_broken, None);
}

on_both_backends!(concurrent_reads_are_each_audited_once_with_the_chain_intact);

/// Concurrent changes (on SQLite sharing transactions: group commit) are each kept or refused
/// alone: every accepted one is stored with its own audit entry, the refused ones leave nothing.
async fn a_failed_change_in_a_shared_batch_is_undone_alone(app: TestApp) {
    let admin = app.admin_session().await;
    let token = admin.access_token.as_str();
    let taken = json!({"first_name": "Jo", "last_name": "Olemassa", "email": "varattu@example.fi"});
    let first = app
        .post_json("/api/v1/customers", Some(token), &taken)
        .await;
    assert_eq!(first.status, 201, "{}", first.text());
    let email = |n: usize| {
        if n.is_multiple_of(3) {
            "varattu@example.fi".to_owned()
        } else {
            format!("erä.{n}@example.fi")
        }
    };
    let bodies: Vec<_> = (0..30)
        .map(|n| json!({"first_name": "Erä", "last_name": format!("Kirjoittaja{n}"), "email": email(n)}))
        .collect();
    let creations = bodies
        .iter()
        .map(|body| app.post_json("/api/v1/customers", Some(token), body));
    let replies = futures_util::future::join_all(creations).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    let expected: Vec<u16> = (0..30_usize)
        .map(|n| if n.is_multiple_of(3) { 409 } else { 201 })
        .collect();
    assert_eq!(statuses, expected);

    for (n, reply) in replies.iter().enumerate().filter(|(_, r)| r.status == 201) {
        let id = reply.json()["id"].as_str().unwrap().to_owned();
        let stored = app.get_as(&format!("/api/v1/customers/{id}"), token).await;
        assert_eq!(stored.json()["email"], email(n));
        let created = app
            .audit_entries(token, &format!("subject_id={id}&action=customer.create"))
            .await;
        assert_eq!(created.len(), 1, "customer {n}");
    }
    let all = app
        .get_as("/api/v1/customers?limit=200", token)
        .await
        .json();
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        21,
        "20 new and the first"
    );
    let creations = app.audit_entries(token, "action=customer.create").await;
    assert_eq!(creations.len(), 21);
    assert_eq!(verify(&app).first_broken, None);
}

/// Every staff read of a person's data leaves an entry naming the person, durable before the
/// answer: these reads take their data outside the writer and wait for the entry's batch.
async fn staff_reads_of_a_persons_data_are_audited_with_the_person(app: TestApp) {
    let admin = app.admin_session().await;
    let token = admin.access_token.as_str();
    let (customer, _) = app
        .customer_with_login(token, "luettava@example.fi", json!({}))
        .await;
    let body = json!({"customer_id": customer, "kind": "access", "identity_verification": "Henkilökortti tarkistettu"});
    let request = app
        .post_json("/api/v1/privacy-requests", Some(token), &body)
        .await;
    assert_eq!(request.status, 201, "{}", request.text());
    let request_id = request.json()["id"].as_str().unwrap().to_owned();

    let reads = [
        (format!("/api/v1/customers/{customer}"), "customer.read"),
        (
            format!("/api/v1/customers/{customer}/consents"),
            "consent.read",
        ),
        (
            format!("/api/v1/customers/{customer}/survey-responses"),
            "customer.survey_responses.read",
        ),
        (
            format!("/api/v1/customers/{customer}/export"),
            "customer.export",
        ),
        (
            format!("/api/v1/privacy-requests?customer_id={customer}"),
            "privacy_request.list",
        ),
        (
            format!("/api/v1/privacy-requests/{request_id}"),
            "privacy_request.read",
        ),
        (
            format!("/api/v1/uniikkilista/subscriptions?customer_id={customer}"),
            "uniikkilista.list",
        ),
        (
            format!("/api/v1/audit-events?subject_id={customer}"),
            "audit_events.list",
        ),
    ];
    for (path, action) in reads {
        let reply = app.get_as(&path, token).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        let entries = app
            .audit_entries(token, &format!("subject_id={customer}&action={action}"))
            .await;
        assert!(!entries.is_empty(), "{path} left no `{action}` entry");
        assert_eq!(
            entries[0]["actor_id"],
            admin.account_id.to_string(),
            "{path}"
        );
    }
    assert_eq!(verify(&app).first_broken, None);
}

on_both_backends!(
    a_failed_change_in_a_shared_batch_is_undone_alone,
    staff_reads_of_a_persons_data_are_audited_with_the_person,
);

/// On PostgreSQL a change's entry first waits in `audit_pending`, outside the chain; the change
/// is answered only once its entry is chained, so an acknowledged change is in the log.
async fn an_acknowledged_change_is_already_in_the_chain(app: TestApp) {
    let admin = app.admin_session().await;
    let token = admin.access_token.as_str();
    let bodies: Vec<_> = (0..10)
        .map(|n| json!({"first_name": "Ketjutettu", "last_name": "Heti", "email": format!("ketju.{n}@example.fi")}))
        .collect();
    let replies = futures_util::future::join_all(
        bodies
            .iter()
            .map(|body| app.post_json("/api/v1/customers", Some(token), body)),
    )
    .await;
    assert!(replies.iter().all(|r| r.status == 201), "every creation");
    assert_eq!(
        app.pending_audit_entries(),
        0,
        "nothing acknowledged is left unchained"
    );
    let report = verify(&app);
    assert_eq!(report.first_broken, None, "{report:?}");
    let created = app.audit_entries(token, "action=customer.create").await;
    assert_eq!(created.len(), 10);
}

/// Waits (up to 10 s, doing `meanwhile` every 50 ms) until nothing waits in `audit_pending`.
async fn until_nothing_is_pending(app: &TestApp, mut meanwhile: impl AsyncFnMut()) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.pending_audit_entries() > 0 {
        assert!(
            Instant::now() < deadline,
            "the writer never chained the pending entry"
        );
        meanwhile().await;
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The entry left pending about `subject` is now in the chain, and the chain holds.
async fn chained_about(app: &TestApp, token: &str, subject: uuid::Uuid) {
    let chained = app
        .audit_entries(token, &format!("subject_id={subject}"))
        .await;
    assert_eq!(chained.len(), 1);
    assert_eq!(chained[0]["action"], "customer.erase");
    assert_eq!(verify(app).first_broken, None);
}

/// What a crash leaves in `audit_pending` (a change committed, its server killed before the
/// entry was chained) is chained by the writer of the next server even when no request comes.
async fn entries_left_pending_are_chained_by_an_idle_server(app: TestApp) {
    let admin = app.admin_session().await;
    let subject = uuid::Uuid::now_v7();
    leave_pending_audit_entry(&mut app.pool.get().unwrap(), subject);
    until_nothing_is_pending(&app, async || {}).await;
    chained_about(&app, &admin.access_token, subject).await;
}

/// A writer kept busy by reads (whose batches leave the queue alone) still chains what waits
/// there at least once a second: the idle sweep never comes while requests keep arriving.
async fn entries_left_pending_are_chained_by_a_busy_server(app: TestApp) {
    let admin = app.admin_session().await;
    let token = admin.access_token.clone();
    let subject = uuid::Uuid::now_v7();
    leave_pending_audit_entry(&mut app.pool.get().unwrap(), subject);
    until_nothing_is_pending(&app, async || {
        let read = app.get_as("/api/v1/customers", &token).await;
        assert_eq!(read.status, 200, "{}", read.text());
    })
    .await;
    chained_about(&app, &admin.access_token, subject).await;
}

on_both_backends!(
    an_acknowledged_change_is_already_in_the_chain,
    entries_left_pending_are_chained_by_an_idle_server,
    entries_left_pending_are_chained_by_a_busy_server,
);
