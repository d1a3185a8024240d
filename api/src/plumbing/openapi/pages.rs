//! Page items as references. utoipa writes the item schema of a generic `Page<T>` inline, so a
//! generator makes a second class per page (`PageCustomerViewItemsItem` beside `CustomerView`);
//! each `Page_<Name>` is rewritten here to say its items are `#/components/schemas/<Name>`.

use utoipa::openapi::schema::{ArrayItems, Schema};
use utoipa::openapi::{OpenApi, Ref, RefOr};

/// Points the items of every `Page_<Name>` at the component `<Name>`. Panics when a page's item
/// type is not a component: the contract would otherwise silently keep an inlined copy.
pub fn reference_page_items(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let known: Vec<String> = components.schemas.keys().cloned().collect();
    for (name, schema) in &mut components.schemas {
        let Some(item) = name.strip_prefix("Page_") else {
            continue;
        };
        assert!(
            known.iter().any(|k| k == item),
            "{name}: its item schema {item} is not a component"
        );
        let RefOr::T(Schema::Object(page)) = schema else {
            panic!("{name} is not an object schema");
        };
        let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items") else {
            panic!("{name} has no `items` array");
        };
        items.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(item))));
    }
}
