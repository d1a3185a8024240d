use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use persistence::AnyConnection;
use serde_json::json;
use tests::{PASSWORD, TestApp, on_both_backends};

use crate::life::{CANARIES, a_full_life_in_the_register};

#[derive(QueryableByName)]
struct Value {
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
}

/// Every value of every column of every table, as text.
pub fn dump(app: &TestApp) -> String {
    let mut conn = app.pool.get().unwrap();
    let mut out = String::new();
    for (table, column) in persistence::schema_info::columns(&mut conn).unwrap() {
        let sql = format!("SELECT CAST(\"{column}\" AS TEXT) AS value FROM \"{table}\"");
        for row in diesel::sql_query(sql).load::<Value>(&mut *conn).unwrap() {
            out.push_str(&row.value.unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

/// Every file below `dir`, however deep.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

async fn erasure_leaves_nothing_of_the_person_but_what_the_report_keeps(app: TestApp) {
    let (customer, _) = a_full_life_in_the_register(&app).await;
    let delivered: String = files_under(&app.data_dir().join("outbox"))
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    assert!(
        delivered.contains("kanarialista@example.fi") && delivered.contains("+358405556666"),
        "the life delivered messages to the file outbox"
    );
    let admin = app.admin_session().await;
    let request = json!({"customer_id": customer, "kind": "erasure", "identity_verification": "Kanarian ajokortti"});
    app.post_json(
        "/api/v1/privacy-requests",
        Some(&admin.access_token),
        &request,
    )
    .await;
    let path = format!("/api/v1/customers/{customer}/erasure");

    let preview = app
        .post_json(
            &path,
            Some(&admin.access_token),
            &json!({"preview": true, "reason": "esikatselu"}),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.text());
    assert_eq!(preview.json()["preview"], true);
    let erased_rows: u64 = preview.json()["erased"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rows"].as_u64().unwrap())
        .sum();
    assert!(erased_rows >= 10, "{}", preview.text());
    assert!(
        dump(&app).contains("Kanarialintu"),
        "a preview changes nothing"
    );

    let report = app
        .post_json(
            &path,
            Some(&admin.access_token),
            &json!({"preview": false, "reason": "Poistopyyntö"}),
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.text());
    assert_eq!(
        app.pending_audit_entries(),
        0,
        "the erasure is answered after its audit entries are chained"
    );
    let report = report.json();
    assert_eq!(report["completed_requests"], 1);
    assert!(
        report["retained"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["what"].as_str().unwrap().contains("audit"))
    );

    {
        use diesel::prelude::*;
        use persistence::schema::{bookings, lessons};
        let mut conn = app.pool.get().unwrap();
        let id = persistence::sql_types::DbUuid(customer.parse().unwrap());
        let left: i64 = bookings::table
            .filter(bookings::customer_id.eq(id))
            .count()
            .get_result(&mut *conn)
            .unwrap();
        assert_eq!(left, 0, "the person's bookings went");
        let taken: Vec<i32> = lessons::table
            .select(lessons::booked)
            .load(&mut *conn)
            .unwrap();
        assert!(
            taken.iter().all(|n| *n == 0),
            "their places are free again: {taken:?}"
        );
    }
    let everything = dump(&app);
    for canary in CANARIES {
        assert!(
            !everything.contains(canary),
            "{canary} survived the erasure"
        );
    }
    // The raw database files and every file the server keeps (the file outbox among them).
    let mut files = files_under(app.data_dir());
    if let AnyConnection::Sqlite(_) = &*app.pool.get().unwrap() {
        let path = app.database_url().sqlite_path().unwrap().to_path_buf();
        files.extend([path.clone(), path.with_extension("db-wal")]);
    }
    for file in files {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for canary in CANARIES {
            assert!(
                !text.contains(canary),
                "{canary} lingers in {}",
                file.display()
            );
        }
    }

    assert_eq!(
        persistence::audit::verify(&mut app.pool.get().unwrap())
            .unwrap()
            .first_broken,
        None
    );
    let audit = app
        .get_as(
            &format!("/api/v1/audit-events?subject_id={customer}"),
            &admin.access_token,
        )
        .await
        .json();
    assert!(
        audit["items"].as_array().unwrap().len() > 5,
        "audit entries survive"
    );
    app.login("kanervo@example.fi", PASSWORD)
        .await
        .problem(401, "https://api.uniikkiaani.fi/problems/unauthorized");
    let again = app
        .post_json(
            &path,
            Some(&admin.access_token),
            &json!({"preview": false, "reason": "x"}),
        )
        .await;
    again.problem(409, "https://api.uniikkiaani.fi/problems/conflict");
    let requests = app
        .get_as(
            &format!("/api/v1/privacy-requests?customer_id={customer}&status=completed"),
            &admin.access_token,
        )
        .await
        .json();
    assert!(
        requests["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "erasure")
    );
}

async fn only_admins_erase_and_a_reason_is_required(app: TestApp) {
    let office = app.session_as(domain::Role::Office).await;
    let body =
        json!({"first_name": "Ei", "last_name": "Poisteta", "email": "ei.poisteta@example.fi"});
    let customer = app
        .post_json("/api/v1/customers", Some(&office.access_token), &body)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/customers/{customer}/erasure");
    app.post_json(
        &path,
        Some(&office.access_token),
        &json!({"preview": false, "reason": "x"}),
    )
    .await
    .problem(403, "https://api.uniikkiaani.fi/problems/forbidden");
    let admin = app.admin_session().await;
    let reply = app
        .post_json(
            &path,
            Some(&admin.access_token),
            &json!({"preview": false, "reason": ""}),
        )
        .await;
    assert_eq!(
        reply.problem(422, "https://api.uniikkiaani.fi/problems/validation-failed")["errors"][0]["field"],
        "reason"
    );
    let missing = format!("/api/v1/customers/{}/erasure", uuid::Uuid::now_v7());
    app.post_json(
        &missing,
        Some(&admin.access_token),
        &json!({"preview": true, "reason": "x"}),
    )
    .await
    .problem(404, "https://api.uniikkiaani.fi/problems/not-found");
}

on_both_backends!(
    erasure_leaves_nothing_of_the_person_but_what_the_report_keeps,
    only_admins_erase_and_a_reason_is_required,
);
