//! SQLite writers in one process take turns; one that cannot get its turn within the busy
//! timeout is refused as overloaded (a 503 to the client), not failed as a bug.
//! Its own test binary: the writer turn and its wait are process-wide.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use persistence::pool::{self, DatabaseUrl, PoolSettings};
use persistence::{DbError, write_transaction};

#[test]
fn a_writer_waits_its_turn_and_is_refused_as_unavailable_when_it_does_not_come() {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::parse(dir.path().join("turn.db").to_str().unwrap()).unwrap();
    let settings = PoolSettings {
        sqlite_busy_timeout: Duration::from_millis(200),
        ..PoolSettings::default()
    };
    let pool = pool::build(&url, &settings).unwrap();
    pool.get()
        .unwrap()
        .batch_execute("CREATE TABLE t (n INTEGER NOT NULL)")
        .unwrap();

    let (holding, held) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let holder = {
        let pool = pool.clone();
        std::thread::spawn(move || {
            let mut conn = pool.get().unwrap();
            write_transaction(&mut conn, |conn| {
                conn.batch_execute("INSERT INTO t VALUES (1)")?;
                holding.send(()).unwrap();
                released.recv().unwrap();
                Ok::<_, DbError>(())
            })
        })
    };
    held.recv().unwrap();

    let mut conn = pool.get().unwrap();
    let started = Instant::now();
    let refused = write_transaction(&mut conn, |conn| {
        conn.batch_execute("INSERT INTO t VALUES (2)")?;
        Ok::<_, DbError>(())
    });
    assert!(
        matches!(refused, Err(DbError::Unavailable(_))),
        "{refused:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(200), "it waited");

    release.send(()).unwrap();
    holder.join().unwrap().unwrap();
    write_transaction(&mut conn, |conn| {
        conn.batch_execute("INSERT INTO t VALUES (3)")?;
        Ok::<_, DbError>(())
    })
    .expect("the next writer gets its turn once the first commits");
}
