//! Test support: a fresh database per test on either backend, the real server started on a
//! random port, and an HTTP client with one method per kind of request.

mod accounts;
mod app;
mod audit;
mod contract_schema;
mod database;
mod proxy;
mod sms_gateway;
mod smtp;
mod uniikkilista;

pub use accounts::{PASSWORD, Session};
pub use app::{Reply, TestApp, all_stopped};
pub use audit::leave_pending_audit_entry;
pub use contract_schema::ContractSchemas;
pub use database::{Backend, TestDatabase};
pub use proxy::TcpProxy;
pub use sms_gateway::{ReceivedSms, SmsGateway};
pub use smtp::{ReceivedMail, SmtpServer};
pub use uniikkilista::{code_in, token_in};

/// Generates, for each named `fn(Backend)` that needs a database but no server (migrations,
/// transactions), a module with two tests, `sqlite` and `postgres`. The function itself skips
/// PostgreSQL when it is not configured, through [`TestDatabase::postgres`] (which says so).
#[macro_export]
macro_rules! with_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name($crate::Backend::Sqlite);
                }

                #[test]
                fn postgres() {
                    super::$name($crate::Backend::Postgres);
                }
            }
        )*
    };
}

/// Generates, for each named `async fn(TestApp)`, a module with two tests: `sqlite` (always
/// runs) and `postgres` (runs when `TEST_DATABASE_URL` is set, and says loudly when skipped).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    let app = $crate::TestApp::spawn($crate::Backend::Sqlite).await;
                    super::$name(app).await;
                    $crate::all_stopped().await;
                }

                #[actix_web::test]
                async fn postgres() {
                    if let Some(app) = $crate::TestApp::spawn_postgres().await {
                        super::$name(app).await;
                        $crate::all_stopped().await;
                    }
                }
            }
        )*
    };
}
