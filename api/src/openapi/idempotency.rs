//! Documents `Idempotency-Key` on each operation that honours it, from the same list the
//! middleware uses, so the two cannot drift apart.

use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::openapi::{HeaderBuilder, OpenApi, RefOr, Required, Schema};

use crate::middleware::idempotency::{
    IDEMPOTENT, KEY_HEADER, KEY_PATTERN, MAX_KEY_LENGTH, REPLAYED_HEADER,
};

const KEY_DESCRIPTION: &str = "A key of your choosing (a UUID) that makes a retry safe: the \
same key with the same body (the same JSON, whatever its key order or spacing) within 24 hours \
returns the first successful response again, with `Idempotent-Replayed: true`, instead of doing \
the work twice. The same key with a different body is a 422 (`idempotency-key-reused`); while \
the first request is still being handled, a 409. A failed request frees its key.";

/// Adds the header parameter and the replay marker on success (the in-flight 409 is among the
/// shared problem responses).
pub fn document_idempotency_keys(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let Some(post) = item
            .post
            .as_mut()
            .filter(|_| IDEMPOTENT.contains(&path.as_str()))
        else {
            continue;
        };
        let key = ParameterBuilder::new()
            .name(KEY_HEADER)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(KEY_DESCRIPTION))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(MAX_KEY_LENGTH))
                    .pattern(Some(KEY_PATTERN)),
            ))
            .example(Some(serde_json::json!(
                "5f0c6f5e-8f5b-4c41-9d55-2f2b8d6c9a10"
            )))
            .build();
        post.parameters
            .get_or_insert_with(Vec::new)
            .push(RefOr::T(key));
        for (status, response) in post.responses.responses.iter_mut() {
            if status.starts_with('2')
                && let RefOr::T(response) = response
            {
                let marker = HeaderBuilder::new()
                    .schema(Some(Schema::Object(Object::with_type(Type::Boolean))))
                    .description(Some("`true` when this is the kept answer to an earlier request with the same `Idempotency-Key`"))
                    .build();
                response
                    .headers
                    .insert(REPLAYED_HEADER.to_owned(), RefOr::T(marker));
            }
        }
    }
}
