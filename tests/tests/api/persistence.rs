use std::collections::BTreeSet;
use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use persistence::AnyConnection;
use persistence::schema::accounts;
use persistence::sql_types::{DbTime, DbUuid};
use tests::{Backend, TestApp, TestDatabase, on_both_backends, with_both_backends};

#[derive(QueryableByName)]
struct TextValue {
    #[diesel(sql_type = Text)]
    value: String,
}

#[derive(QueryableByName)]
struct NumberValue {
    #[diesel(sql_type = BigInt)]
    value: i64,
}

/// A new, empty database of `backend` (dropped with the first value) and a pool on it; `None`
/// when PostgreSQL is not configured (the skip is announced).
fn fresh_pool(backend: Backend) -> Option<(TestDatabase, persistence::Pool)> {
    let database = match backend {
        Backend::Sqlite => TestDatabase::sqlite(),
        Backend::Postgres => TestDatabase::postgres()?,
    };
    let pool = persistence::pool::build(database.url(), &Default::default()).unwrap();
    Some((database, pool))
}

fn migrations_up_and_are_idempotent(backend: Backend) {
    let Some((_database, pool)) = fresh_pool(backend) else {
        return;
    };
    let mut conn = pool.get().unwrap();
    let applied = persistence::migrations::run_pending(&mut conn).unwrap();
    assert!(!applied.is_empty(), "a fresh database gets every migration");
    assert!(
        persistence::migrations::run_pending(&mut conn)
            .unwrap()
            .is_empty()
    );
    let count: i64 = accounts::table.count().get_result(&mut *conn).unwrap();
    assert_eq!(count, 0);
}

/// How the bundled SQLite is built (`.cargo/config.toml`) is what the benchmark measured: with
/// the query planner stability guarantee (else every `.first()` is re-prepared on each call,
/// because SQLite plans with the value bound to `LIMIT ?`), without STAT4 (re-prepared per range
/// value) and without memory statistics (a global mutex per allocation). Cargo reads that file
/// only inside the workspace, and an environment variable of the same name overrides it.
#[test]
fn sqlite_is_built_the_way_the_benchmark_measured() {
    let database = TestDatabase::sqlite();
    let pool = persistence::pool::build(database.url(), &Default::default()).unwrap();
    let options: BTreeSet<String> =
        diesel::sql_query("SELECT compile_options AS value FROM pragma_compile_options")
            .load::<TextValue>(&mut *pool.get().unwrap())
            .unwrap()
            .into_iter()
            .map(|row| row.value)
            .collect();
    for wanted in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"] {
        assert!(options.contains(wanted), "{wanted} missing: {options:?}");
    }
    assert!(!options.contains("ENABLE_STAT4"), "{options:?}");
}

#[test]
fn both_backends_have_the_same_migrations_in_the_same_order() {
    let names = |backend: &str| -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../migrations")
            .join(backend);
        std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names("postgres"), names("sqlite"));
}

/// Every pooled SQLite connection has the settings that make an acknowledged write durable (and
/// keeps its temporary data in memory).
#[actix_web::test]
async fn sqlite_pragmas_are_in_force_on_every_pooled_connection() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = app.pool.get().unwrap();
        let AnyConnection::Sqlite(sqlite) = &mut *conn else {
            panic!("expected SQLite")
        };
        let text = |sql: &str, c: &mut SqliteConnection| {
            diesel::sql_query(sql)
                .get_result::<TextValue>(c)
                .unwrap()
                .value
        };
        let number = |sql: &str, c: &mut SqliteConnection| {
            diesel::sql_query(sql)
                .get_result::<NumberValue>(c)
                .unwrap()
                .value
        };
        let journal = "SELECT journal_mode AS value FROM pragma_journal_mode";
        assert_eq!(text(journal, sqlite).to_lowercase(), "wal");
        let synchronous = "SELECT synchronous AS value FROM pragma_synchronous";
        assert_eq!(number(synchronous, sqlite), 2, "FULL is 2");
        let foreign_keys = "SELECT foreign_keys AS value FROM pragma_foreign_keys";
        assert_eq!(number(foreign_keys, sqlite), 1);
        let temp_store = "SELECT temp_store AS value FROM pragma_temp_store";
        assert_eq!(number(temp_store, sqlite), 2, "MEMORY is 2");
        let busy = "SELECT timeout AS value FROM pragma_busy_timeout";
        assert!(number(busy, sqlite) >= 1000);
        held.push(conn);
    }
}

async fn uuids_and_times_round_trip_identically(app: TestApp) {
    use chrono::{TimeZone, Utc};
    let id = uuid::Uuid::now_v7();
    let t = Utc.timestamp_opt(1_790_000_000, 123_456_789).unwrap();
    let mut conn = app.pool.get().unwrap();
    diesel::insert_into(accounts::table)
        .values((
            accounts::id.eq(DbUuid(id)),
            accounts::email.eq("round.trip@example.fi"),
            accounts::display_name.eq("Round Trip"),
            accounts::role.eq("office"),
            accounts::created_at.eq(DbTime::new(t)),
            accounts::updated_at.eq(DbTime::new(t)),
        ))
        .execute(&mut *conn)
        .unwrap();
    let (read_id, read_t): (DbUuid, DbTime) = accounts::table
        .select((accounts::id, accounts::created_at))
        .filter(accounts::id.eq(DbUuid(id)))
        .first(&mut *conn)
        .unwrap();
    assert_eq!(read_id.0, id);
    assert_eq!(read_t, DbTime::new(t), "stored to the microsecond");
    assert_eq!(read_t.get().timestamp_subsec_micros(), 123_456);
    let later = accounts::table
        .filter(accounts::email.eq("round.trip@example.fi"))
        .filter(accounts::created_at.gt(DbTime::new(t - chrono::Duration::microseconds(1))))
        .count()
        .get_result::<i64>(&mut *conn)
        .unwrap();
    assert_eq!(later, 1, "time comparisons work on the stored form");
}

async fn a_duplicate_email_names_the_constraint_on_both_engines(app: TestApp) {
    use chrono::Utc;
    let mut conn = app.pool.get().unwrap();
    let insert = |conn: &mut AnyConnection| {
        let now = Utc::now();
        diesel::insert_into(accounts::table)
            .values((
                accounts::id.eq(DbUuid(uuid::Uuid::now_v7())),
                accounts::email.eq("same@example.fi"),
                accounts::display_name.eq("Same"),
                accounts::role.eq("office"),
                accounts::created_at.eq(DbTime::new(now)),
                accounts::updated_at.eq(DbTime::new(now)),
            ))
            .execute(conn)
            .map_err(persistence::DbError::from)
    };
    insert(&mut conn).unwrap();
    match insert(&mut conn) {
        Err(persistence::DbError::UniqueViolation { constraint }) => {
            assert_eq!(constraint, "accounts_email_key");
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
}

async fn a_failed_write_transaction_leaves_nothing_behind(app: TestApp) {
    use chrono::Utc;
    let mut conn = app.pool.get().unwrap();
    let result: Result<(), persistence::DbError> =
        persistence::write_transaction(&mut conn, |conn| {
            let now = Utc::now();
            diesel::insert_into(accounts::table)
                .values((
                    accounts::id.eq(DbUuid(uuid::Uuid::now_v7())),
                    accounts::email.eq("rolled.back@example.fi"),
                    accounts::display_name.eq("Rolled Back"),
                    accounts::role.eq("office"),
                    accounts::created_at.eq(DbTime::new(now)),
                    accounts::updated_at.eq(DbTime::new(now)),
                ))
                .execute(conn)?;
            Err(persistence::DbError::NotFound)
        });
    assert!(result.is_err());
    let count: i64 = accounts::table
        .filter(accounts::email.eq("rolled.back@example.fi"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(count, 0, "the insert was rolled back");
}

on_both_backends!(
    uuids_and_times_round_trip_identically,
    a_duplicate_email_names_the_constraint_on_both_engines,
    a_failed_write_transaction_leaves_nothing_behind,
);

/// Inside a write transaction, `write_transaction` is a savepoint: a change that fails in the
/// database (here a unique violation, which on PostgreSQL aborts the transaction) is undone
/// alone, and the changes around it commit. This is what group commit rests on.
fn a_nested_write_is_a_savepoint_undone_alone(backend: Backend) {
    use diesel::connection::SimpleConnection;
    use persistence::{DbError, write_transaction};
    let Some((_database, pool)) = fresh_pool(backend) else {
        return;
    };
    let mut conn = pool.get().unwrap();
    conn.batch_execute("CREATE TABLE batch_probe (n INTEGER PRIMARY KEY)")
        .unwrap();
    let insert = |conn: &mut AnyConnection, n: i32| {
        write_transaction(conn, |conn| {
            conn.batch_execute(&format!("INSERT INTO batch_probe VALUES ({n})"))?;
            Ok::<_, DbError>(())
        })
    };
    let outcomes = write_transaction(&mut conn, |conn| {
        Ok::<_, DbError>(vec![insert(conn, 1), insert(conn, 1), insert(conn, 2)])
    })
    .unwrap();
    assert!(outcomes[0].is_ok() && outcomes[2].is_ok(), "{outcomes:?}");
    assert!(
        matches!(outcomes[1], Err(DbError::UniqueViolation { .. })),
        "{outcomes:?}"
    );
    let kept: Vec<i64> =
        diesel::sql_query("SELECT CAST(n AS BIGINT) AS value FROM batch_probe ORDER BY n")
            .load::<NumberValue>(&mut *conn)
            .unwrap()
            .into_iter()
            .map(|row| row.value)
            .collect();
    assert_eq!(kept, [1, 2]);
}

with_both_backends!(
    migrations_up_and_are_idempotent,
    a_nested_write_is_a_savepoint_undone_alone,
);
