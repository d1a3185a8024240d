//! A local HTTP SMS gateway for tests: records each request, and can be told to fail.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

/// One request the gateway received.
#[derive(Debug, Clone)]
pub struct ReceivedSms {
    pub authorization: Option<String>,
    pub body: serde_json::Value,
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<ReceivedSms>>,
    failures_left: AtomicUsize,
}

pub struct SmsGateway {
    url: String,
    shared: Arc<Shared>,
    handle: actix_web::dev::ServerHandle,
}

impl SmsGateway {
    /// A gateway that answers 500 to the first `failures` requests, then 200.
    pub async fn start(failures: usize) -> Self {
        let shared = Arc::new(Shared {
            failures_left: AtomicUsize::new(failures),
            ..Default::default()
        });
        let data = web::Data::from(shared.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/send", web::post().to(receive))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .expect("bind SMS gateway");
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Self {
            url: format!("http://127.0.0.1:{port}/send"),
            shared,
            handle,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn received(&self) -> Vec<ReceivedSms> {
        self.shared.received.lock().unwrap().clone()
    }
}

impl Drop for SmsGateway {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

async fn receive(
    req: HttpRequest,
    body: web::Json<serde_json::Value>,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let authorization = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    shared.received.lock().unwrap().push(ReceivedSms {
        authorization,
        body: body.into_inner(),
    });
    let failing = shared
        .failures_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        HttpResponse::InternalServerError().finish()
    } else {
        HttpResponse::Ok().json(serde_json::json!({"id": "sms-1"}))
    }
}
