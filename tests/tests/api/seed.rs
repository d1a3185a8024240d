use diesel::prelude::*;
use persistence::schema::{
    consents, customers, login_events, messages, survey_responses, uniikkilista_subscriptions,
};
use persistence::sql_types::DbUuid;
use tests::{TestApp, on_both_backends};

async fn seed(
    app: &TestApp,
    customers: usize,
    history: usize,
    random_seed: u64,
) -> anyhow::Result<api::commands::seed::SeedReport> {
    let pool = app.pool.clone();
    actix_web::web::block(move || api::commands::seed::seed(&pool, customers, history, random_seed))
        .await
        .unwrap()
}

fn names(app: &TestApp) -> Vec<(String, String)> {
    customers::table
        .select((customers::last_name, customers::email.assume_not_null()))
        .order(customers::email.asc())
        .load(&mut *app.pool.get().unwrap())
        .unwrap()
}

async fn the_seed_is_realistic_deterministic_and_only_for_an_empty_register(app: TestApp) {
    let report = seed(&app, 300, 40, 7).await.unwrap();
    assert_eq!(report.customers, 300);
    assert!(
        report.minors > 0
            && report.subscriptions > 0
            && report.accounts >= 3
            && report.survey_responses > 0,
        "{report:?}"
    );
    assert_eq!(report.history_rows, 3 * 40);
    // Three teachers, twelve weeks of Monday to Thursday at three hours; every other booked.
    assert_eq!(
        (report.teachers, report.lessons, report.bookings),
        (3, 3 * 12 * 4 * 3, 3 * 12 * 4 * 3 / 2)
    );
    {
        use persistence::schema::{bookings, lessons};
        let mut conn = app.pool.get().unwrap();
        let taken: Vec<i32> = lessons::table
            .select(lessons::booked)
            .load(&mut *conn)
            .unwrap();
        let stored: i64 = bookings::table.count().get_result(&mut *conn).unwrap();
        assert_eq!(
            (taken.iter().sum::<i32>() as usize, stored as usize),
            (report.bookings, report.bookings)
        );
    }
    let stored_logins: i64 = login_events::table
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(
        usize::try_from(stored_logins).unwrap(),
        report.login_events + 3 * 40 / 2,
        "every login event is stored, a history's half of its rows among them"
    );
    {
        let mut conn = app.pool.get().unwrap();
        let stored = |n: i64| usize::try_from(n).unwrap();
        let subscriptions = uniikkilista_subscriptions::table
            .count()
            .get_result(&mut *conn);
        assert_eq!(stored(subscriptions.unwrap()), report.subscriptions);
        let consents = consents::table.count().get_result(&mut *conn);
        assert_eq!(stored(consents.unwrap()), report.consents);
        let answers = survey_responses::table.count().get_result(&mut *conn);
        assert_eq!(stored(answers.unwrap()), report.survey_responses);
        let customers_with_accounts = customers::table
            .filter(customers::account_id.is_not_null())
            .count()
            .get_result(&mut *conn);
        assert_eq!(stored(customers_with_accounts.unwrap()), report.accounts);

        let minors: Vec<(Option<chrono::NaiveDate>, Option<String>)> = customers::table
            .filter(customers::guardian_name.is_not_null())
            .select((customers::birth_date, customers::guardian_phone))
            .load(&mut *conn)
            .unwrap();
        assert_eq!(minors.len(), report.minors);
        let adult_born = chrono::Utc::now().date_naive() - chrono::Duration::days(18 * 365);
        assert!(
            minors
                .iter()
                .all(|(born, phone)| born.is_some_and(|b| b > adult_born) && phone.is_some()),
            "minors are under 18 and their guardians reachable"
        );
        let phones: Vec<Option<String>> = customers::table
            .select(customers::phone)
            .load(&mut *conn)
            .unwrap();
        assert!(
            phones.iter().flatten().all(|p| p.starts_with("+358")
                && p.len() > 8
                && p[1..].bytes().all(|b| b.is_ascii_digit())),
            "phones are E.164"
        );

        let (id, account): (DbUuid, Option<DbUuid>) = customers::table
            .filter(customers::email.eq("history.0@example.fi"))
            .select((customers::id, customers::account_id))
            .first(&mut *conn)
            .unwrap();
        let sent: i64 = messages::table
            .filter(messages::customer_id.eq(id))
            .count()
            .get_result(&mut *conn)
            .unwrap();
        let logins: i64 = login_events::table
            .filter(login_events::account_id.eq(account.unwrap()))
            .count()
            .get_result(&mut *conn)
            .unwrap();
        assert_eq!(
            (sent, logins),
            (
                20,
                20 + i64::try_from(api::commands::seed::LOGINS_PER_ACCOUNT).unwrap()
            ),
            "a long history's 40 rows, half messages and half logins, besides the ordinary logins"
        );
    }
    let seeded = names(&app);
    assert!(
        seeded
            .iter()
            .any(|(last, _)| last.contains(['ä', 'ö', 'Å', 'Ö'])),
        "Finnish letters"
    );
    let distinct: std::collections::BTreeSet<&String> =
        seeded.iter().map(|(_, email)| email).collect();
    assert_eq!(distinct.len(), 300, "unique emails");
    assert!(
        seed(&app, 10, 0, 7).await.is_err(),
        "refuses a register with customers"
    );

    let other = TestApp::spawn(app.backend()).await;
    seed(&other, 300, 40, 7).await.unwrap();
    assert_eq!(names(&other), seeded, "the same seed gives the same people");

    let office = app.session_as(domain::Role::Office).await;
    let search = app
        .get_as("/api/v1/customers?q=m%C3%A4k&limit=5", &office.access_token)
        .await;
    assert_eq!(search.status, 200);
    assert!(
        !search.json()["items"].as_array().unwrap().is_empty(),
        "the seeded names are searchable: {}",
        search.text()
    );
    let login = app
        .login("history.0@example.fi", api::commands::seed::SEEDED_PASSWORD)
        .await;
    assert_eq!(
        login.status,
        200,
        "seeded logins use the seeded password: {}",
        login.text()
    );
}

on_both_backends!(the_seed_is_realistic_deterministic_and_only_for_an_empty_register);
