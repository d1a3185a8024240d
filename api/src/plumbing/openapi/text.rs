//! The rule the server applies to all text, stated on every free-text string of the contract:
//! no NUL or other control characters, but tab, line feed and carriage return (see
//! `extract::strict`). Strings with a format, an enumeration or a pattern of their own are
//! already narrower and keep theirs.

use crate::routes::table::operations_mut;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr, Schema};

/// Text without C0 controls (tab, LF and CR excepted), DEL and C1 controls.
pub const TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// A parameter (path, query, header) allows no control character at all, tab and line breaks
/// included: the server refuses any in a URL (`middleware::route`), and HTTP in a header.
pub const PARAMETER_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

/// A header parameter is visible ASCII and spaces (RFC 9110 §5.5: other bytes are obsolete).
pub const HEADER_PATTERN: &str = r"^[ -~]*$";

pub fn document_text_rule(doc: &mut OpenApi) {
    if let Some(components) = doc.components.as_mut() {
        components
            .schemas
            .values_mut()
            .for_each(|s| visit(s, TEXT_PATTERN));
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
            let pattern = if parameter.parameter_in == ParameterIn::Header {
                HEADER_PATTERN
            } else {
                PARAMETER_PATTERN
            };
            visit(schema, pattern);
        }
    }
    if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
        for content in body.content.values_mut() {
            if let RefOr::T(content) = content
                && let Some(schema) = content.schema.as_mut()
            {
                visit(schema, TEXT_PATTERN);
            }
        }
    }
}

fn visit(schema: &mut RefOr<Schema>, pattern: &str) {
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
                object.pattern = Some(pattern.to_owned());
            }
            object
                .properties
                .values_mut()
                .for_each(|s| visit(s, pattern));
            if let Some(extra) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(extra) = extra
            {
                visit(extra, pattern);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                visit(items, pattern);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(|s| visit(s, pattern)),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(|s| visit(s, pattern)),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(|s| visit(s, pattern)),
        _ => {}
    }
}
