//! Request bodies are checked against the contract's own schema before serde reads them. The
//! contract and the server then cannot disagree on any rule JSON Schema states (lengths,
//! patterns, formats, ranges, enums, unknown fields), and one 422 lists every field at fault:
//! serde stops at the first.

use std::collections::HashMap;
use std::sync::LazyLock;

use domain::FieldCode;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::{Value, json};

use crate::plumbing::error::FieldError;

/// One compiled validator per schema that some operation takes as its JSON body, by name.
static VALIDATORS: LazyLock<HashMap<String, Validator>> = LazyLock::new(compile);

/// Every fault the contract's schema `name` finds in `body`; empty when it has none, or when no
/// operation takes `name` as its body.
pub fn faults(name: &str, body: &Value) -> Vec<FieldError> {
    let Some(validator) = VALIDATORS.get(name) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for error in validator.iter_errors(body) {
        describe(&error, &mut out);
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out.dedup_by(|a, b| a.field == b.field);
    out
}

/// The names of the schemas request bodies are checked against.
#[cfg(test)]
fn checked_schemas() -> impl Iterator<Item = &'static str> {
    VALIDATORS.keys().map(String::as_str)
}

fn compile() -> HashMap<String, Validator> {
    let doc =
        serde_json::to_value(crate::plumbing::openapi::document()).expect("the contract is JSON");
    let components = doc["components"].clone();
    let mut out = HashMap::new();
    for name in request_body_schemas(&doc) {
        let root = json!({
            "$ref": format!("#/components/schemas/{name}"),
            "components": components,
        });
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("the contract's schema {name} compiles: {e}"));
        out.insert(name, validator);
    }
    out
}

/// The component names that operations take as `application/json` bodies.
pub(crate) fn request_body_schemas(doc: &Value) -> Vec<String> {
    let mut names: Vec<String> = doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|operations| operations.values())
        .filter_map(|op| {
            op.pointer("/requestBody/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
        })
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The field an error is about, as the API names fields: `address.postal_code`, `questions[0].id`.
fn field_of(error: &ValidationError<'_>) -> String {
    let mut field = String::new();
    for segment in error.instance_path().segments() {
        match segment {
            LocationSegment::Property(name) => {
                if !field.is_empty() {
                    field.push('.');
                }
                field.push_str(&name);
            }
            LocationSegment::Index(index) => field.push_str(&format!("[{index}]")),
        }
    }
    field
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// Turns one schema error into field errors. A failed `oneOf`/`anyOf` (how the contract says
/// "this object, or null") is explained by the alternative that came closest, so a bad postal
/// code inside an optional address is named as such, not as "address is invalid".
fn describe(error: &ValidationError<'_>, out: &mut Vec<FieldError>) {
    let field = field_of(error);
    let at = |code: FieldCode, message: String| FieldError::new(field.clone(), code, message);
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            out.push(FieldError::new(
                join(&field, name),
                FieldCode::Required,
                "is required",
            ));
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            out.extend(unexpected.iter().map(|name| {
                FieldError::new(
                    join(&field, name),
                    FieldCode::UnknownField,
                    "is not a field of this request",
                )
            }));
        }
        ValidationErrorKind::Type { .. } if field.is_empty() => {
            out.push(FieldError::new(
                "body",
                FieldCode::InvalidType,
                "the body must be a JSON object",
            ));
        }
        ValidationErrorKind::Type { kind } => {
            out.push(at(
                FieldCode::InvalidType,
                format!("must be {}", type_name(kind)),
            ));
        }
        ValidationErrorKind::MaxLength { limit } => {
            out.push(at(
                FieldCode::Length,
                format!("must be at most {limit} characters"),
            ));
        }
        ValidationErrorKind::MinLength { limit } => {
            out.push(at(
                FieldCode::Length,
                format!("must be at least {limit} characters"),
            ));
        }
        ValidationErrorKind::MaxItems { limit } => {
            out.push(at(
                FieldCode::Length,
                format!("must have at most {limit} items"),
            ));
        }
        ValidationErrorKind::MinItems { limit } => {
            out.push(at(
                FieldCode::Length,
                format!("must have at least {limit} items"),
            ));
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            out.push(at(FieldCode::Range, format!("must be at least {limit}")));
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            out.push(at(FieldCode::Range, format!("must be at most {limit}")));
        }
        ValidationErrorKind::Pattern { .. } => {
            let (code, message) = pattern_fault(&field);
            out.push(at(code, message.into()));
        }
        ValidationErrorKind::Format { format } => {
            let code = if format == "email" {
                FieldCode::Email
            } else {
                FieldCode::InvalidFormat
            };
            out.push(at(code, format!("must be a valid {format}")));
        }
        ValidationErrorKind::Enum { options } => {
            let listed = options
                .as_array()
                .map(|o| {
                    o.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            out.push(at(
                FieldCode::InvalidValue,
                format!("must be one of: {listed}"),
            ));
        }
        ValidationErrorKind::Constant { .. } => {
            out.push(at(
                FieldCode::InvalidValue,
                "is not the accepted value".into(),
            ));
        }
        ValidationErrorKind::UniqueItems => {
            out.push(at(FieldCode::Duplicate, "must not repeat an item".into()));
        }
        // A rule written as alternatives (`anyOf`: an escape, then the rule) is explained by
        // its last alternative, the rule itself.
        ValidationErrorKind::AnyOf { context }
            if context.len() > 1 && context.iter().all(|errors| !only_type(errors)) =>
        {
            context
                .last()
                .into_iter()
                .flatten()
                .for_each(|e| describe(e, out));
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            match closest(context) {
                Some(errors) => errors.iter().for_each(|e| describe(e, out)),
                None => out.push(at(
                    FieldCode::InvalidType,
                    "is none of the accepted shapes".into(),
                )),
            }
        }
        _ => out.push(at(FieldCode::InvalidValue, "is not valid".into())),
    }
}

/// The code and words for a field that does not have its pattern's form. Contact details have
/// codes of their own, the same the server's deeper checks of them give.
fn pattern_fault(field: &str) -> (FieldCode, &'static str) {
    let name = field.rsplit('.').next().unwrap_or(field);
    match name {
        "email" => (FieldCode::Email, "must be an email address"),
        "phone" => (
            FieldCode::Phone,
            "must be a phone number: digits, spaces, + ( ) . -",
        ),
        "postal_code" => (FieldCode::PostalCode, "must be a postal code"),
        "country" => (
            FieldCode::Country,
            "must be a two-letter country code like FI",
        ),
        "first_name" | "last_name" | "name" | "guardian_name" | "display_name" => {
            (FieldCode::Required, "must not be blank")
        }
        _ => (FieldCode::InvalidFormat, "does not have the required form"),
    }
}

/// The alternative whose errors are not merely "wrong type here": the one the value was meant to
/// be. None when every alternative failed on the type alone (the value is the wrong kind of
/// thing altogether) or several came equally close.
fn closest<'a>(
    alternatives: &'a [Vec<ValidationError<'static>>],
) -> Option<&'a [ValidationError<'static>]> {
    let mut near = alternatives.iter().filter(|errors| !only_type(errors));
    match (near.next(), near.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// Whether every error says only "wrong type here".
fn only_type(errors: &[ValidationError<'static>]) -> bool {
    errors
        .iter()
        .all(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }))
}

fn type_name(kind: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "array" => "a list".to_owned(),
        "object" => "an object".to_owned(),
        "integer" => "a whole number".to_owned(),
        other => format!("a {other}"),
    };
    match kind {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(set) => set
            .iter()
            .filter(|t| t.to_string() != "null")
            .map(|t| name(&t))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults_of(name: &str, body: &Value) -> Vec<(String, String)> {
        faults(name, body)
            .into_iter()
            .map(|e| {
                let code = serde_json::to_value(e.code).unwrap();
                (e.field, code.as_str().unwrap().to_owned())
            })
            .collect()
    }

    #[test]
    fn every_request_body_schema_compiles() {
        assert!(checked_schemas().any(|n| n == "NewCustomer"));
        assert!(checked_schemas().count() > 10);
    }

    #[test]
    fn one_answer_names_every_field_at_fault() {
        let found = faults_of(
            "NewCustomer",
            &json!({"last_name": 5, "role": "admin", "address": {"street": "Katu 1"}}),
        );
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert!(fields.contains(&"first_name"), "{found:?}");
        assert!(
            found.contains(&("last_name".into(), "invalid_type".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&("role".into(), "unknown_field".into())),
            "{found:?}"
        );
        assert!(
            fields.iter().any(|f| f.starts_with("address.")),
            "an optional object's own faults are named: {found:?}"
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_is_named_as_the_body() {
        assert_eq!(
            faults_of("NewCustomer", &json!([])),
            [("body".to_owned(), "invalid_type".to_owned())]
        );
    }
}
