//! The rule the server applies to all text, stated on every free-text string of the contract:
//! no NUL or other control characters, but tab, line feed and carriage return (see
//! `extract::strict`). Strings with a format, an enumeration or a pattern of their own are
//! already narrower and keep theirs.

use crate::routes::table::operations_mut;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr, Schema};

/// Text without C0 controls (tab, LF and CR excepted), DEL and C1 controls.
pub const TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

pub fn document_text_rule(doc: &mut OpenApi) {
    if let Some(components) = doc.components.as_mut() {
        components.schemas.values_mut().for_each(visit);
    }
    for item in doc.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            visit_operation(operation);
        }
    }
}

fn visit_operation(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if let RefOr::T(parameter) = parameter
            && let Some(schema) = parameter.schema.as_mut()
        {
            visit(schema);
        }
    }
    if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
        for content in body.content.values_mut() {
            if let RefOr::T(content) = content
                && let Some(schema) = content.schema.as_mut()
            {
                visit(schema);
            }
        }
    }
}

fn visit(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else {
        return;
    };
    match schema {
        Schema::Object(object) => {
            let is_text = match &object.schema_type {
                SchemaType::Type(Type::String) => true,
                SchemaType::Array(types) => types.contains(&Type::String),
                _ => false,
            };
            if is_text
                && object.format.is_none()
                && object.enum_values.is_none()
                && object.pattern.is_none()
            {
                object.pattern = Some(TEXT_PATTERN.to_owned());
            }
            object.properties.values_mut().for_each(visit);
            if let Some(extra) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(extra) = extra
            {
                visit(extra);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                visit(items);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(visit),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(visit),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(visit),
        _ => {}
    }
}
