//! Optional request bodies. utoipa marks a body optional when its type is `Option<T>`, and then
//! also lets it be JSON `null` (`oneOf: [T, null]`); the server never reads a `null` body, so an
//! optional body is said to be absent or a `T`, nothing else.

use utoipa::openapi::schema::{Schema, Type};
use utoipa::openapi::{OpenApi, RefOr, Required};

use crate::routes::table::operations_mut;

pub fn document_optional_bodies(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            let Some(RefOr::T(body)) = operation.request_body.as_mut() else {
                continue;
            };
            if body.required == Some(Required::True) {
                continue;
            }
            for content in body.content.values_mut() {
                let RefOr::T(content) = content else {
                    continue;
                };
                let Some(RefOr::T(Schema::OneOf(one_of))) = content.schema.clone() else {
                    continue;
                };
                let is_null = |s: &RefOr<Schema>| matches!(s, RefOr::T(Schema::Object(o)) if o.schema_type == Type::Null.into());
                let others: Vec<_> = one_of.items.iter().filter(|s| !is_null(s)).collect();
                if let [only] = others.as_slice()
                    && others.len() < one_of.items.len()
                {
                    content.schema = Some((*only).clone());
                }
            }
        }
    }
}
