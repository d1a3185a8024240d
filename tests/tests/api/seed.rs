use diesel::prelude::*;
use persistence::schema::{customers, login_events};
use tests::{TestApp, on_both_backends};

async fn seed(
    app: &TestApp,
    customers: usize,
    history: usize,
    random_seed: u64,
) -> anyhow::Result<api::seed::SeedReport> {
    let pool = app.pool.clone();
    actix_web::web::block(move || api::seed::seed(&pool, customers, history, random_seed))
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
    let stored_logins: i64 = login_events::table
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(
        usize::try_from(stored_logins).unwrap(),
        report.login_events + 3 * 40 / 2,
        "every login event is stored, a history's half of its rows among them"
    );
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
    let login = app.login(&seeded[0].1, api::seed::SEEDED_PASSWORD).await;
    assert!(
        login.status == 200 || login.status == 401,
        "seeded logins use the seeded password"
    );
}

on_both_backends!(the_seed_is_realistic_deterministic_and_only_for_an_empty_register);
