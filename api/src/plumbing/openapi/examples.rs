//! Examples of what the API answers: one per schema a success response carries, written out
//! here (where a type has none of its own), and shown on every success response, so a frontend
//! developer sees a realistic answer beside each operation. A page's example is its item's
//! example on a page of one. `every_example_in_the_contract_fits_its_schema` checks each
//! against its schema with an independent validator.

use serde_json::{Value, json};
use utoipa::openapi::OpenApi;

const CUSTOMER_ID: &str = "01938a4e-7c2b-7d3e-9f10-2a4b6c8d0e1f";
const ACCOUNT_ID: &str = "01938a4e-9a11-7b22-8c33-4d5e6f708192";
const SURVEY_ID: &str = "01938a40-1111-7222-8333-444455556666";
const AT: &str = "2026-11-25T10:00:00Z";
const LESSON_ID: &str = "01938a50-1a2b-7c3d-8e4f-5a6b7c8d9e0f";
const BOOKING_ID: &str = "01938a51-2b3c-7d4e-8f5a-6b7c8d9e0f1a";
const LESSON_STARTS: &str = "2027-01-12T15:00:00Z";
const LESSON_ENDS: &str = "2027-01-12T15:45:00Z";

fn lesson() -> Value {
    json!({"id": LESSON_ID, "teacher_id": ACCOUNT_ID, "teacher_name": "Liisa Laulaja",
        "starts_at": LESSON_STARTS, "ends_at": LESSON_ENDS,
        "location": {"kind": "room", "room": "Studio 1"}, "kind": "private", "capacity": 1,
        "free_places": 1, "price_cents": 4500, "status": "scheduled", "version": 1,
        "created_at": AT, "updated_at": AT})
}

fn booking() -> Value {
    json!({"id": BOOKING_ID, "lesson_id": LESSON_ID, "customer_id": CUSTOMER_ID,
        "starts_at": LESSON_STARTS, "ends_at": LESSON_ENDS, "status": "booked",
        "late_cancellation": false, "source": "customer", "version": 1,
        "created_at": AT, "updated_at": AT,
        "history": [{"event": "booked", "lesson_id": LESSON_ID, "late": false,
            "actor_kind": "account", "occurred_at": AT}]})
}

fn feed() -> Value {
    json!({"id": "01938a44-5555-7666-8777-88889999aaaa", "owner": "teacher",
        "owner_id": ACCOUNT_ID, "created_at": AT, "token_made_at": AT})
}

fn written() -> Vec<(&'static str, Value)> {
    vec![
        (
            "CustomerView",
            json!({"id": CUSTOMER_ID, "first_name": "Aino", "last_name": "Järvinen",
                "email": "aino.jarvinen@example.fi", "phone": "+358401234567",
                "address": {"street": "Lehmustie 4", "postal_code": "11910", "city": "Riihimäki",
                    "country": "FI"},
                "birth_date": "2011-03-14", "age": 15, "is_minor": true, "language": "fi",
                "guardian": {"name": "Matti Järvinen", "email": "matti.jarvinen@example.fi",
                    "phone": "+358407654321"},
                "source": "staff", "has_account": false, "restricted": false,
                "restriction_reason": null, "erased_at": null,
                "created_at": AT, "updated_at": AT, "version": 1}),
        ),
        (
            "StaffMember",
            json!({"id": ACCOUNT_ID, "email": "liisa.laulaja@uniikkiaani.fi",
                "display_name": "Liisa Laulaja", "role": "teacher", "active": true,
                "has_password": true, "last_login_at": AT, "created_at": AT, "updated_at": AT,
                "version": 3}),
        ),
        (
            "OneTimePassword",
            json!({"one_time_password": "7KQ4-M2XP-9TWD-HC3R", "expires_at": "2026-11-28T10:00:00Z"}),
        ),
        (
            "Me",
            json!({"id": ACCOUNT_ID, "kind": "account", "role": "teacher", "scopes": [],
                "must_change_password": false}),
        ),
        ("HealthStatus", json!({"status": "ok"})),
        ("LessonView", lesson()),
        ("LessonSeriesView", json!({"lessons": [lesson()]})),
        (
            "SlotView",
            json!({"lesson_id": LESSON_ID, "teacher_id": ACCOUNT_ID,
                "teacher_name": "Liisa Laulaja", "starts_at": LESSON_STARTS,
                "ends_at": LESSON_ENDS, "location_kind": "room", "kind": "private",
                "free_places": 1, "price_cents": 4500}),
        ),
        ("BookingView", booking()),
        (
            "WebhookReceipt",
            json!({"id": "01938a45-6666-7777-8888-9999aaaabbbb", "webhook_id": "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
                "outcome": "applied", "booking_id": BOOKING_ID, "problem": null}),
        ),
        ("CalendarFeedView", feed()),
        (
            "IssuedCalendarFeed",
            json!({"feed": feed(),
                "url": "https://rekisteri.uniikkiaani.fi/api/v1/ical/q3Jd8V0x2LmT7rYpKc4NwZs6HbUe1AfG"}),
        ),
        (
            "CreatedIntegration",
            json!({"id": "01938a41-2222-7333-8444-555566667777", "name": "Ajanvarauskalenteri",
                "kind": "calendar", "scopes": ["calendar"],
                "processor": {"company": "Kalenteri Oy", "country": "FI", "in_eea": true},
                "key_prefix": "uk_3f9a", "created_at": AT, "last_used_at": null,
                "revoked_at": null,
                "api_key": "uk_3f9a2c71d0e84b6fa95e1c2d3b4a5f60718293a4b5c6d7e8",
                "webhook_secret": "whsec_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0"}),
        ),
        (
            "SurveyView",
            json!({"id": SURVEY_ID, "kind": "intake", "title": "Alkukysely", "version": 2,
                "current_version": 2,
                "questions": [
                    {"id": "goals", "kind": "multiple_choice", "text": "Mitä haluat oppia?",
                        "required": true, "options": ["Hengitys", "Korkeat äänet", "Esiintyminen"]},
                    {"id": "experience", "kind": "scale",
                        "text": "Kuinka kokenut laulaja olet (1–5)?", "required": true, "options": []}],
                "created_at": AT, "updated_at": AT}),
        ),
        (
            "ResponseView",
            json!({"id": "01938a42-3333-7444-8555-666677778888", "survey_id": SURVEY_ID,
                "version": 2, "customer_id": CUSTOMER_ID,
                "answers": {"goals": ["Hengitys", "Esiintyminen"], "experience": 2},
                "submitted_by": ACCOUNT_ID, "created_at": AT}),
        ),
        (
            "Aggregates",
            json!({"survey_id": SURVEY_ID, "version": 2, "responses": 14,
                "questions": [
                    {"id": "goals", "kind": "multiple_choice", "answered": 14,
                        "option_counts": {"Hengitys": 9, "Korkeat äänet": 6, "Esiintyminen": 4}},
                    {"id": "experience", "kind": "scale", "answered": 14, "average": 2.64}]}),
        ),
        (
            "RequestView",
            json!({"id": "01938a43-4444-7555-8666-777788889999", "customer_id": CUSTOMER_ID,
                "kind": "access", "status": "received", "filed_by": "self",
                "description": "Haluan kopion tiedoistani.", "identity_verification": null,
                "resolution": null, "extension_reason": null, "received_at": AT,
                "due_on": "2026-12-25", "overdue": false, "version": 1}),
        ),
        (
            "Consents",
            json!({"current": [
                    {"purpose": "uniikkilista_email", "granted": true, "since": AT},
                    {"purpose": "uniikkilista_sms", "granted": null, "since": null},
                    {"purpose": "feedback_surveys", "granted": false, "since": AT}],
                "history": [
                    {"purpose": "uniikkilista_email", "granted": true, "source": "web_form",
                        "given_by": "self", "privacy_notice_version": "2026-11-25",
                        "recorded_by": null, "at": AT},
                    {"purpose": "feedback_surveys", "granted": false, "source": "self",
                        "given_by": "self", "privacy_notice_version": "2026-11-25",
                        "recorded_by": null, "at": AT}]}),
        ),
        (
            "NoticeVersions",
            json!({"items": [{"version": "2026-11-25", "published_at": AT}]}),
        ),
        (
            "ErasureReport",
            json!({"customer_id": CUSTOMER_ID, "preview": true,
                "reason": "The customer asked for erasure (GDPR Art. 17).",
                "erased": [{"table": "customers", "rows": 1,
                    "treatment": "name, contact details and birth date replaced; the row stays as a placeholder"}],
                "retained": [{"what": "audit log entries naming the customer's id",
                    "why": "accountability for processing (GDPR Art. 5(2))",
                    "until": "the audit log's retention period"}],
                "completed_requests": 1}),
        ),
        (
            "SubscribeAccepted",
            json!({"status": "confirmation_sent", "channels": ["email", "sms"]}),
        ),
        (
            "Confirmed",
            json!({"status": "confirmed", "channel": "email"}),
        ),
        (
            "Unsubscribed",
            json!({"status": "unsubscribed", "channels": ["email"]}),
        ),
        (
            "SubscriptionView",
            json!({"id": "01938a44-5555-7666-8777-88889999aaaa", "customer_id": null,
                "name": "Maija Meikäläinen", "age": 12, "guardian_name": "Matti Meikäläinen",
                "email": "matti@example.fi", "phone": "+358401234567", "language": "fi",
                "channels": [{"channel": "email", "status": "active", "confirmed_at": AT,
                    "unsubscribed_at": null}],
                "topics": ["cancellation_slots"], "privacy_notice_version": "2026-11-25",
                "consent_given_by": "guardian", "created_at": AT}),
        ),
        ("NoticeQueued", json!({"subscribers": 42, "messages": 57})),
        (
            "AuditEventView",
            json!({"seq": 1042, "id": "01938a45-6666-7777-8888-9999aaaabbbb",
                "occurred_at": AT, "actor_kind": "account", "actor_id": ACCOUNT_ID,
                "action": "customer.read", "target_type": "customer", "target_id": CUSTOMER_ID,
                "subject_id": CUSTOMER_ID, "request_id": "01938a45-6666-7777-8888-000011112222",
                "client_ip": "192.0.2.10",
                "hash": "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a0c2e4f6a8b0d2f4e6a8c0b"}),
        ),
        (
            "IntegrationView",
            json!({"id": "01938a41-2222-7333-8444-555566667777", "name": "Ajanvarauskalenteri",
                "kind": "calendar", "scopes": ["calendar"],
                "processor": {"company": "Kalenteri Oy", "country": "FI", "in_eea": true},
                "key_prefix": "uk_3f9a", "created_at": AT, "last_used_at": AT,
                "revoked_at": null}),
        ),
    ]
}

/// The privacy documents' examples, made of the register's own constants and personal-data map
/// (shortened to one table), so they say what the server says.
fn privacy_documents() -> Vec<(&'static str, Value)> {
    use crate::privacy::controller::{CONTROLLER, RIGHTS};
    use crate::privacy::records::{DATA_SUBJECTS, SECURITY_MEASURES};
    use persistence::privacy_map::table;

    let controller = serde_json::to_value(&CONTROLLER).expect("the controller is JSON");
    let customers = table("customers").expect("the map has customers");
    let categories = ["contact", "identity", "relationship"];
    let customer_row: serde_json::Map<String, Value> = customers
        .exported_columns()
        .map(|column| {
            let value = match column {
                "id" => json!(CUSTOMER_ID),
                "first_name" => json!("Aino"),
                "last_name" => json!("Järvinen"),
                "first_name_key" => json!("aino"),
                "last_name_key" => json!("jarvinen"),
                "email" => json!("aino.jarvinen@example.fi"),
                "phone" => json!("+358401234567"),
                "language" => json!("fi"),
                "source" => json!("staff"),
                "created_at" | "updated_at" => json!(AT),
                "version" => json!(1),
                _ => Value::Null,
            };
            (column.to_owned(), value)
        })
        .collect();
    vec![
        (
            "ExportDocument",
            json!({"format": "uniikki-export/1", "generated_at": AT, "customer_id": CUSTOMER_ID,
                "controller": controller,
                "processing": [{"table": customers.name, "purpose": customers.purpose,
                    "legal_basis": customers.basis.as_str(), "source": customers.source,
                    "retention": customers.retention, "categories": categories}],
                "recipients": [], "transfers_outside_eea": [], "rights": RIGHTS,
                "data": {"customers": [customer_row]},
                "consultations": [{"at": AT, "by": "account", "action": "customer.read",
                    "purpose": "customer service"}]}),
        ),
        (
            "ProcessingRecords",
            json!({"controller": controller,
                "activities": [{"table": customers.name, "purpose": customers.purpose,
                    "legal_basis": customers.basis.as_str(), "categories": categories,
                    "source": customers.source, "retention": customers.retention}],
                "data_subjects": DATA_SUBJECTS,
                "processors": [{"name": "Ajanvarauskalenteri", "company": "Kalenteri Oy",
                    "country": "FI", "in_eea": true}],
                "transfers_outside_eea": [], "security_measures": SECURITY_MEASURES}),
        ),
        (
            "PrivacyNotice",
            json!({"version": "2026-11-25", "language": "en",
                "register": "The customer register of UniikkiÄäni Oy",
                "controller": controller,
                "purposes": [{"purpose": customers.purpose,
                    "legal_basis": customers.basis.as_str(), "retention": customers.retention}],
                "categories": categories, "sources": [customers.source],
                "recipients": [{"name": "Ajanvarauskalenteri", "company": "Kalenteri Oy",
                    "country": "FI", "in_eea": true}],
                "transfers_outside_eea": [],
                "no_other_disclosures": "Data is not disclosed to anyone else.",
                "rights": RIGHTS,
                "complaints": "You may complain to the Data Protection Ombudsman (tietosuoja.fi)."}),
        ),
    ]
}

/// Adds the written examples to their schemas (a type's own example is kept), and shows each
/// success response's example on the response itself.
pub fn document_examples(doc: &mut OpenApi) {
    let mut tree = serde_json::to_value(&*doc).expect("the contract is JSON");
    if let Some(Value::Object(schemas)) = tree.pointer_mut("/components/schemas") {
        for (name, example) in written().into_iter().chain(privacy_documents()) {
            if let Some(Value::Object(schema)) = schemas.get_mut(name) {
                schema.entry("example").or_insert(example);
            }
        }
        let pages: Vec<(String, Value)> = schemas
            .keys()
            .filter_map(|name| name.strip_prefix("Page_").map(|item| (name.clone(), item)))
            .filter_map(|(page, item)| {
                let example = schemas.get(item)?.get("example")?.clone();
                Some((page, json!({"items": [example], "next_cursor": null})))
            })
            .collect();
        for (page, example) in pages {
            if let Some(Value::Object(schema)) = schemas.get_mut(&page) {
                schema.entry("example").or_insert(example);
            }
        }
    }
    let schemas = tree
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_default();
    if let Some(Value::Object(paths)) = tree.get_mut("paths") {
        for operation in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in operation.values_mut() {
                let Some(Value::Object(responses)) = op.get_mut("responses") else {
                    continue;
                };
                for (status, response) in responses.iter_mut() {
                    if !status.starts_with('2') {
                        continue;
                    }
                    let Some(Value::Object(content)) = response.get_mut("content") else {
                        continue;
                    };
                    for media in content.values_mut().filter_map(Value::as_object_mut) {
                        let example = media
                            .get("schema")
                            .and_then(|s| s.get("$ref"))
                            .and_then(Value::as_str)
                            .and_then(|r| r.strip_prefix("#/components/schemas/"))
                            .and_then(|name| schemas.get(name))
                            .and_then(|schema| schema.get("example"))
                            .cloned();
                        if let Some(example) = example {
                            media.entry("example").or_insert(example);
                        }
                    }
                }
            }
        }
    }
    *doc = serde_json::from_value(tree).expect("the contract with examples reads back");
}
