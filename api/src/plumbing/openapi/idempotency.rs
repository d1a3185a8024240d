//! Documents the replay marker on each operation that declares `Idempotency-Key` (see
//! `routes::table`).

use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::{HeaderBuilder, OpenApi, RefOr, Schema};

use crate::plumbing::middleware::idempotency::REPLAYED_HEADER;
use crate::routes::table::declares_idempotency_key;

/// Adds `Idempotent-Replayed` to the success responses (the in-flight 409 is among the shared
/// problem responses).
pub fn document_idempotency_keys(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let Some(post) = item.post.as_mut().filter(|p| declares_idempotency_key(p)) else {
            continue;
        };
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
