//! Every route, registered where it is documented so the router and the OpenAPI document
//! cannot drift apart.

mod audit_events;
mod auth;
mod consents;
mod customers;
mod health;
mod integrations;
mod me;
mod metrics;
mod privacy;
mod privacy_requests;
mod staff;
mod surveys;
mod uniikkilista;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route. Used by the server and by `uniikki openapi`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(metrics::metrics);
    cfg.service(
        scope("/api/v1")
            .service(auth::login)
            .service(auth::refresh)
            .service(auth::logout)
            .service(auth::change_password)
            .service(auth::me)
            .service(staff::create_staff)
            .service(staff::list_staff)
            .service(staff::get_staff)
            .service(staff::update_staff)
            .service(staff::issue_staff_one_time_password)
            .service(integrations::create_integration)
            .service(integrations::list_integrations)
            .service(integrations::revoke_integration)
            .service(audit_events::list_audit_events)
            .service(customers::create_customer)
            .service(customers::list_customers)
            .service(customers::get_customer)
            .service(customers::update_customer)
            .service(customers::issue_customer_one_time_password)
            .service(customers::restrict_customer)
            .service(customers::lift_customer_restriction)
            .service(me::get_me)
            .service(me::update_me)
            .service(uniikkilista::subscribe)
            .service(uniikkilista::confirm)
            .service(uniikkilista::unsubscribe)
            .service(uniikkilista::list_subscriptions)
            .service(uniikkilista::update_subscription)
            .service(uniikkilista::send_notice)
            .service(surveys::create_survey)
            .service(surveys::create_survey_version)
            .service(surveys::list_surveys)
            .service(surveys::get_survey)
            .service(surveys::create_survey_response)
            .service(surveys::get_survey_aggregates)
            .service(surveys::list_customer_survey_responses)
            .service(privacy::export_customer)
            .service(privacy::export_me)
            .service(privacy::get_processing_records)
            .service(privacy::erase_customer)
            .service(privacy_requests::create_my_privacy_request)
            .service(privacy_requests::list_my_privacy_requests)
            .service(privacy_requests::create_privacy_request)
            .service(privacy_requests::list_privacy_requests)
            .service(privacy_requests::get_privacy_request)
            .service(privacy_requests::update_privacy_request)
            .service(consents::get_privacy_notice)
            .service(consents::list_privacy_notice_versions)
            .service(consents::get_my_consents)
            .service(consents::put_my_consent)
            .service(consents::get_customer_consents)
            .service(consents::put_customer_consent),
    );
}
