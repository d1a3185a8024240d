//! Bounds every value in the contract has by its kind, stated where a field does not state a
//! narrower one of its own: a uuid is 36 characters, a date-time at most 35, a date 10; an
//! integer is within the range of its wire format (int32 or int64, which every integer gets),
//! so a generated client knows what it must hold. Bounds that depend on the field's meaning (a
//! name's 100 characters, a page's 200 items) are stated on the field in code; a test fails
//! where one is missing (`every_value_in_the_contract_is_bounded`).

use serde_json::{Value, json};
use utoipa::openapi::OpenApi;

use crate::plumbing::http::{MAX_LIMIT, MAX_PRECONDITION_LENGTH};

/// Longest text of a string `format`.
fn format_length(format: &str) -> Option<u64> {
    match format {
        "uuid" => Some(36),
        // `2026-12-07T10:00:00.123456789+02:00`
        "date-time" => Some(35),
        "date" => Some(10),
        "uri" | "uri-reference" => Some(2048),
        _ => None,
    }
}

/// What a header the server reads or sends holds, by name: its longest value, and its form.
fn header_rule(name: &str) -> Option<(usize, Value)> {
    let rule = match name {
        "If-Match" | "If-None-Match" => (MAX_PRECONDITION_LENGTH, json!({})),
        // A quoted version: `"9223372036854775807"`.
        "ETag" => (21, json!({"pattern": "^\"[0-9]{1,19}\"$"})),
        "Location" => (2048, json!({"format": "uri-reference"})),
        "WWW-Authenticate" => (200, json!({"pattern": "^(Bearer|WebhookSignature) "})),
        "Access-Control-Allow-Origin" => (2048, json!({"format": "uri"})),
        "Cache-Control" => (40, json!({"pattern": "^[a-z0-9=, -]+$"})),
        _ => return None,
    };
    Some(rule)
}

/// Gives `schema` the rule of the header `name`, where it states none of its own.
fn apply_header_rule(name: &str, schema: &mut serde_json::Map<String, Value>) {
    if let Some((length, form)) = header_rule(name) {
        schema.entry("maxLength").or_insert_with(|| json!(length));
        if !schema.contains_key("pattern") && !schema.contains_key("format") {
            for (key, value) in form.as_object().into_iter().flatten() {
                schema.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Items of lists of text, by schema and property: the longest item.
const TEXT_ITEMS: &[(&str, &str, usize)] = &[
    ("Activity", "categories", 32),
    ("Processing", "categories", 32),
    ("PrivacyNotice", "categories", 1000),
    ("PrivacyNotice", "rights", 1000),
    ("PrivacyNotice", "sources", 1000),
    ("ExportDocument", "rights", 1000),
    ("ProcessingRecords", "data_subjects", 1000),
    ("ProcessingRecords", "security_measures", 1000),
    // A choice question's option (the domain's rule: 1 to 100 characters).
    ("Question", "options", 100),
];

pub fn document_bounds(doc: &mut OpenApi) {
    let mut tree = serde_json::to_value(&*doc).expect("the contract is JSON");
    if let Some(Value::Object(schemas)) = tree.pointer_mut("/components/schemas") {
        for (name, property, length) in TEXT_ITEMS {
            if let Some(Value::Object(items)) = schemas
                .get_mut(*name)
                .and_then(|s| s.pointer_mut(&format!("/properties/{property}/items")))
            {
                items.entry("maxLength").or_insert_with(|| json!(length));
            }
        }
        for (name, schema) in schemas.iter_mut() {
            // A page holds at most `limit`'s largest value; its cursor is an id's 22
            // characters (or a sequence number's 11), or a time and an id's 32 on the
            // calendar's lists, which are in order of time.
            if name.starts_with("Page_") {
                if let Some(Value::Object(items)) = schema.pointer_mut("/properties/items") {
                    items.entry("maxItems").or_insert_with(|| json!(MAX_LIMIT));
                }
                let length = if TIME_PAGES.contains(&name.as_str()) {
                    32
                } else {
                    22
                };
                if let Some(Value::Object(cursor)) = schema.pointer_mut("/properties/next_cursor") {
                    cursor.entry("maxLength").or_insert_with(|| json!(length));
                }
            }
        }
    }
    bound_headers(&mut tree);
    bound_calendars(&mut tree);
    bound(&mut tree);
    *doc = serde_json::from_value(tree).expect("the bounded contract reads back");
}

/// The longest calendar feed: its most events (2000) of at most about 1.5 KB each.
const MAX_CALENDAR_LENGTH: u64 = 4_000_000;

/// `text/calendar` bodies (RFC 5545): how long, and how they begin.
fn bound_calendars(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(schema)) = map
                .get_mut("text/calendar")
                .and_then(|content| content.get_mut("schema"))
            {
                schema
                    .entry("maxLength")
                    .or_insert_with(|| json!(MAX_CALENDAR_LENGTH));
                schema
                    .entry("pattern")
                    .or_insert_with(|| json!("^BEGIN:VCALENDAR\\r\\n"));
            }
            map.values_mut().for_each(bound_calendars);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_calendars),
        _ => {}
    }
}

/// The pages whose cursor is a time and an id (`plumbing::http::TIME_CURSOR`).
const TIME_PAGES: [&str; 3] = ["Page_LessonView", "Page_SlotView", "Page_BookingView"];

/// Header parameters and response headers get their length by name.
fn bound_headers(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.get("in").and_then(Value::as_str) == Some("header")
                && let Some(name) = map.get("name").and_then(Value::as_str).map(str::to_owned)
                && let Some(Value::Object(schema)) = map.get_mut("schema")
            {
                apply_header_rule(&name, schema);
            }
            if let Some(Value::Object(headers)) = map.get_mut("headers") {
                for (name, header) in headers.iter_mut() {
                    if let Some(Value::Object(schema)) = header.get_mut("schema") {
                        apply_header_rule(name, schema);
                    }
                }
            }
            map.values_mut().for_each(bound_headers);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_headers),
        _ => {}
    }
}

fn has_type(node: &serde_json::Map<String, Value>, name: &str) -> bool {
    match node.get("type") {
        Some(Value::String(t)) => t == name,
        Some(Value::Array(types)) => types.iter().any(|t| t == name),
        _ => false,
    }
}

fn bound(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if has_type(map, "string")
                && !map.contains_key("maxLength")
                && !map.contains_key("enum")
                && !map.contains_key("const")
                && let Some(length) = map
                    .get("format")
                    .and_then(Value::as_str)
                    .and_then(format_length)
            {
                map.insert("maxLength".into(), json!(length));
            }
            // Map keys: question ids (at most 40 characters) or a choice's options (100).
            if let Some(Value::Object(names)) = map.get_mut("propertyNames") {
                names.entry("maxLength").or_insert_with(|| json!(100));
                names
                    .entry("pattern")
                    .or_insert_with(|| json!(super::text::TEXT_PATTERN));
            }
            if has_type(map, "integer") {
                let format = map
                    .entry("format")
                    .or_insert_with(|| json!("int64"))
                    .as_str()
                    .unwrap_or("int64")
                    .to_owned();
                let (min, max): (i64, i64) = if format == "int32" {
                    (i64::from(i32::MIN), i64::from(i32::MAX))
                } else {
                    (i64::MIN, i64::MAX)
                };
                if !map.contains_key("minimum") && !map.contains_key("exclusiveMinimum") {
                    map.insert("minimum".into(), json!(min));
                }
                if !map.contains_key("maximum") && !map.contains_key("exclusiveMaximum") {
                    map.insert("maximum".into(), json!(max));
                }
            }
            map.values_mut().for_each(bound);
        }
        Value::Array(items) => items.iter_mut().for_each(bound),
        _ => {}
    }
}
