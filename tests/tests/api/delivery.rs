use std::time::{Duration, Instant};

use persistence::messages::{self, Channel, NewMessage};
use tests::{Backend, SmsGateway, SmtpServer, TestApp, TestDatabase};

fn email(to: &str) -> NewMessage {
    NewMessage {
        channel: Channel::Email,
        recipient: to.to_owned(),
        customer_id: None,
        subscription_id: None,
        purpose: "test.message",
        language: "fi",
        subject: Some("Peruutusaika vapautui".to_owned()),
        body: "Hei! Huomenna klo 17 vapautui laulutunti.".to_owned(),
        unsubscribe_url: Some(
            "https://uniikkiaani.fi/api/v1/uniikkilista/unsubscribe?token=abc".to_owned(),
        ),
        calendar: None,
    }
}

fn sms(to: &str) -> NewMessage {
    NewMessage {
        channel: Channel::Sms,
        subject: None,
        unsubscribe_url: None,
        ..email(to)
    }
}

fn enqueue(app: &TestApp, message: &NewMessage) -> uuid::Uuid {
    messages::enqueue(&mut app.pool.get().unwrap(), message, chrono::Utc::now()).unwrap()
}

fn status(app: &TestApp, id: uuid::Uuid) -> messages::Delivery {
    messages::delivery(&mut app.pool.get().unwrap(), id)
        .unwrap()
        .unwrap()
}

async fn spawn(
    backend: Backend,
    customize: impl FnOnce(&mut api::settings::Settings),
) -> Option<TestApp> {
    let database = match backend {
        Backend::Sqlite => TestDatabase::sqlite(),
        Backend::Postgres => TestDatabase::postgres()?,
    };
    Some(TestApp::spawn_with(database, customize).await)
}

async fn email_goes_over_smtp_with_one_click_unsubscribe(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let Some(app) = spawn(backend, |s| {
        s.delivery.smtp.host = Some("127.0.0.1".into());
        s.delivery.smtp.port = smtp.port();
        s.delivery.smtp.tls = api::settings::SmtpTls::None;
    })
    .await
    else {
        return;
    };
    let id = enqueue(&app, &email("maija@example.fi"));
    assert_eq!(app.deliver_due().await, 1);
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail.to, ["<maija@example.fi>"]);
    assert!(mail.from.contains("info@uniikkiaani.fi"), "{}", mail.from);
    assert!(
        mail.data.contains(
            "List-Unsubscribe: <https://uniikkiaani.fi/api/v1/uniikkilista/unsubscribe?token=abc>"
        ),
        "{}",
        mail.data
    );
    assert!(
        mail.data
            .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{}",
        mail.data
    );
    assert!(
        mail.data.contains("Subject: Peruutusaika vapautui"),
        "{}",
        mail.data
    );
    assert_eq!(status(&app, id).status, "sent");
    assert_eq!(app.deliver_due().await, 0, "delivered once");
}

async fn sms_goes_to_the_gateway_with_its_token(backend: Backend) {
    let gateway = SmsGateway::start(0).await;
    let url = gateway.url().to_owned();
    let Some(app) = spawn(backend, |s| {
        s.delivery.sms.gateway_url = Some(url);
        s.delivery.sms.gateway_token = Some("gateway-token".to_owned().into());
    })
    .await
    else {
        return;
    };
    let id = enqueue(&app, &sms("+358401234567"));
    assert_eq!(app.deliver_due().await, 1);
    let received = gateway.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].authorization.as_deref(),
        Some("Bearer gateway-token")
    );
    assert_eq!(received[0].body["to"], "+358401234567");
    assert_eq!(received[0].body["from"], "Uniikki");
    assert!(
        received[0].body["text"]
            .as_str()
            .unwrap()
            .starts_with("Hei!")
    );
    assert_eq!(status(&app, id).status, "sent");
}

async fn failures_are_retried_with_backoff_and_end_failed(backend: Backend) {
    let gateway = SmsGateway::start(usize::MAX).await;
    let url = gateway.url().to_owned();
    let Some(app) = spawn(backend, |s| {
        s.delivery.sms.gateway_url = Some(url);
        s.delivery.max_attempts = 3;
        s.delivery.retry_base_ms = 200;
    })
    .await
    else {
        return;
    };
    let id = enqueue(&app, &sms("+358401234567"));
    assert_eq!(app.deliver_due().await, 0);
    let first = status(&app, id);
    assert_eq!((first.status.as_str(), first.attempts), ("pending", 1));
    assert_eq!(first.last_error.as_deref(), Some("sms_gateway_error"));
    app.deliver_due().await;
    assert_eq!(
        status(&app, id).attempts,
        1,
        "not retried before the backoff has passed"
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    while status(&app, id).status != "failed" {
        assert!(Instant::now() < deadline, "{:?}", status(&app, id));
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        app.deliver_due().await;
    }
    assert_eq!(status(&app, id).attempts, 3);
    assert_eq!(gateway.received().len(), 3);
}

async fn a_recipient_that_cannot_be_addressed_fails_at_once(backend: Backend) {
    let Some(app) = spawn(backend, |_| {}).await else {
        return;
    };
    let id = enqueue(&app, &email("not an address"));
    app.deliver_due().await;
    let delivery = status(&app, id);
    assert_eq!((delivery.status.as_str(), delivery.attempts), ("failed", 1));
    assert_eq!(delivery.last_error.as_deref(), Some("invalid_recipient"));
}

async fn without_transports_messages_are_written_to_the_outbox_folder(backend: Backend) {
    let Some(app) = spawn(backend, |_| {}).await else {
        return;
    };
    let mail = enqueue(&app, &email("maija@example.fi"));
    let text = enqueue(&app, &sms("+358401234567"));
    assert_eq!(app.deliver_due().await, 2);
    let outbox = app.data_dir().join("outbox");
    let eml = std::fs::read_to_string(outbox.join(format!("{mail}.eml"))).unwrap();
    assert!(eml.contains("To: maija@example.fi"), "{eml}");
    let sms: serde_json::Value =
        serde_json::from_slice(&std::fs::read(outbox.join(format!("{text}.sms.json"))).unwrap())
            .unwrap();
    assert_eq!(sms["to"], "+358401234567");
}

async fn concurrent_dispatchers_never_claim_the_same_message(backend: Backend) {
    let Some(app) = spawn(backend, |_| {}).await else {
        return;
    };
    for n in 0..40 {
        enqueue(&app, &email(&format!("m{n}@example.fi")));
    }
    let claims: Vec<std::thread::JoinHandle<Vec<uuid::Uuid>>> = (0..2)
        .map(|_| {
            let pool = app.pool.clone();
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                loop {
                    let mut conn = pool.get().unwrap();
                    let batch = persistence::write_transaction(&mut conn, |conn| {
                        messages::claim_due(
                            conn,
                            chrono::Utc::now(),
                            chrono::Duration::minutes(5),
                            3,
                        )
                    })
                    .unwrap();
                    if batch.is_empty() {
                        return mine;
                    }
                    mine.extend(batch.iter().map(|m| m.id));
                }
            })
        })
        .collect();
    let results: Vec<Vec<uuid::Uuid>> = claims.into_iter().map(|h| h.join().unwrap()).collect();
    let mut all: Vec<uuid::Uuid> = results.concat();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(
        (total, all.len()),
        (40, 40),
        "every message claimed exactly once"
    );
}

async fn the_background_dispatcher_delivers_by_itself(backend: Backend) {
    let Some(app) = spawn(backend, |s| s.delivery.interval_ms = 50).await else {
        return;
    };
    let id = enqueue(&app, &email("maija@example.fi"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while status(&app, id).status != "sent" {
        assert!(
            Instant::now() < deadline,
            "not delivered: {:?}",
            status(&app, id)
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    super::$name(tests::Backend::Sqlite).await;
                    tests::all_stopped().await;
                }

                #[actix_web::test]
                async fn postgres() {
                    super::$name(tests::Backend::Postgres).await;
                    tests::all_stopped().await;
                }
            }
        )*
    };
}

on_both!(
    email_goes_over_smtp_with_one_click_unsubscribe,
    sms_goes_to_the_gateway_with_its_token,
    failures_are_retried_with_backoff_and_end_failed,
    a_recipient_that_cannot_be_addressed_fails_at_once,
    without_transports_messages_are_written_to_the_outbox_folder,
    concurrent_dispatchers_never_claim_the_same_message,
    the_background_dispatcher_delivers_by_itself,
);
