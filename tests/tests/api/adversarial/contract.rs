//! The documented operations, read from the contract, with what an attack needs of each: a
//! concrete path, the body's properties, the query parameters. A new endpoint is attacked the
//! day it is documented.

use actix_web::http::Method;
use serde_json::Value;

/// One documented operation.
pub struct Operation {
    pub method: Method,
    /// The path template, e.g. `/api/v1/customers/{id}`.
    pub template: String,
    /// The template with every parameter filled in with a value of the right form.
    pub path: String,
    /// The JSON request body's schema (references resolved at the top), when it takes one.
    pub body: Option<Value>,
    /// Query parameters whose values are free text or ids.
    pub query: Vec<String>,
    /// Whether the operation can be called without credentials.
    pub public: bool,
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.template)
    }
}

pub fn document() -> Value {
    serde_json::to_value(api::plumbing::openapi::document()).expect("the document serialises")
}

/// `schema` with a top-level `$ref` (or a one-entry `allOf`/`oneOf` around one) followed.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return resolve(doc, &doc["components"]["schemas"][name]);
    }
    for combinator in ["allOf", "oneOf", "anyOf"] {
        if let Some(parts) = schema[combinator].as_array()
            && let Some(part) = parts.iter().find(|p| p["type"] != "null")
        {
            return resolve(doc, part);
        }
    }
    schema
}

/// A value of the right form for a path parameter: the first value of an enum, else a UUID
/// that names nothing.
fn sample(doc: &Value, schema: &Value) -> String {
    let schema = resolve(doc, schema);
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.as_str().unwrap_or_default().to_owned();
    }
    uuid::Uuid::now_v7().to_string()
}

/// Whether `schema` admits a string.
pub fn is_string(doc: &Value, schema: &Value) -> bool {
    let schema = resolve(doc, schema);
    match &schema["type"] {
        Value::String(t) => t == "string",
        Value::Array(types) => types.iter().any(|t| t == "string"),
        _ => false,
    }
}

pub fn operations() -> Vec<Operation> {
    let doc = document();
    let mut out = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let parameters = op["parameters"].as_array().cloned().unwrap_or_default();
            let mut path = template.clone();
            let mut query = Vec::new();
            for parameter in &parameters {
                let name = parameter["name"].as_str().unwrap_or_default();
                match parameter["in"].as_str() {
                    Some("path") => {
                        path = path
                            .replace(&format!("{{{name}}}"), &sample(&doc, &parameter["schema"]))
                    }
                    Some("query") if is_string(&doc, &parameter["schema"]) => {
                        query.push(name.to_owned())
                    }
                    _ => {}
                }
            }
            let body = op["requestBody"]["content"]["application/json"]["schema"]
                .as_object()
                .map(|_| {
                    resolve(
                        &doc,
                        &op["requestBody"]["content"]["application/json"]["schema"],
                    )
                    .clone()
                });
            let public = op["security"].as_array().is_none_or(|s| {
                s.iter()
                    .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
            out.push(Operation {
                method: method.to_uppercase().parse().expect("an HTTP method"),
                template: template.clone(),
                path,
                body,
                query,
                public,
            });
        }
    }
    out
}

/// The properties of an object schema that hold strings, as the paths a field error names:
/// `name`, `address.street` (one level of nesting), `topics[0]` (arrays of strings),
/// `questions[0].text` (arrays of objects).
pub fn string_fields(doc: &Value, schema: &Value) -> Vec<(String, Value)> {
    let mut fields = Vec::new();
    let Some(properties) = resolve(doc, schema)["properties"].as_object() else {
        return fields;
    };
    for (name, property) in properties {
        let property = resolve(doc, property);
        if is_string(doc, property) {
            fields.push((name.clone(), object(name, Value::from("a\u{0}b"))));
        } else if let Some(inner) = property["properties"].as_object() {
            for (sub, sub_schema) in inner {
                if is_string(doc, sub_schema) {
                    let body = object(name, object(sub, Value::from("a\u{0}b")));
                    fields.push((format!("{name}.{sub}"), body));
                }
            }
        } else if property["type"] == "array" && is_string(doc, &property["items"]) {
            fields.push((
                format!("{name}[0]"),
                object(name, Value::from(vec!["a\u{0}b"])),
            ));
        } else if property["type"] == "array"
            && let Some(inner) = resolve(doc, &property["items"])["properties"].as_object()
        {
            for (sub, sub_schema) in inner {
                if is_string(doc, sub_schema) {
                    let item = object(sub, Value::from("a\u{0}b"));
                    fields.push((
                        format!("{name}[0].{sub}"),
                        object(name, Value::Array(vec![item])),
                    ));
                }
            }
        }
    }
    fields
}

/// `{key: value}`.
fn object(key: &str, value: Value) -> Value {
    Value::Object(std::iter::once((key.to_owned(), value)).collect())
}
