//! Documents what the conditional-request middleware gives every `GET` whose success carries an
//! `ETag`: an optional `If-None-Match`, answered `304 Not Modified` when it names the current
//! version.

use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::{HeaderBuilder, OpenApi, RefOr, Required, ResponseBuilder, Schema};

pub fn document_conditional_gets(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let Some(get) = item.get.as_mut() else {
            continue;
        };
        let has_etag = matches!(get.responses.responses.get("200"),
            Some(RefOr::T(ok)) if ok.headers.contains_key("ETag"));
        if !has_etag {
            continue;
        }
        let text = || Schema::Object(Object::with_type(Type::String));
        get.parameters.get_or_insert_with(Vec::new).push(RefOr::T(
            ParameterBuilder::new()
                .name("If-None-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "The ETag you hold; when it is still current the answer is 304 without a body",
                ))
                .schema(Some(text()))
                .build(),
        ));
        let not_modified = ResponseBuilder::new()
            .description("Not modified: the ETag you sent is the current version")
            .header(
                "ETag",
                HeaderBuilder::new()
                    .schema(Some(text()))
                    .description(Some("The current version"))
                    .build(),
            )
            .build();
        get.responses
            .responses
            .insert("304".to_owned(), RefOr::T(not_modified));
    }
}
