//! Rules JSON Schema states that the derive cannot write: a name that is not blank, and a
//! Finnish postal code (five digits) when the address is in Finland. The server checks bodies against the
//! contract, so stating a rule here enforces it; the domain checks the same rules again.

use serde_json::{Value, json};
use utoipa::openapi::OpenApi;

/// Text with at least one visible character and no control characters (tab and line breaks
/// allowed, as everywhere): a name that is not blank.
pub const NOT_BLANK: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// Two letters that are not `FI` in any case (the domain reads the country trimmed, upper-cased).
const NOT_FINLAND: &str = r"^\s*([A-EG-Za-eg-z][A-Za-z]|[Ff][A-HJ-Za-hj-z])\s*$";

/// The names a person or an account is shown by, by schema and property.
const NAMES: &[(&str, &str)] = &[
    ("NewCustomer", "first_name"),
    ("NewCustomer", "last_name"),
    ("CustomerPatch", "first_name"),
    ("CustomerPatch", "last_name"),
    ("GuardianDto", "name"),
    ("SubscribeRequest", "name"),
    ("SubscribeRequest", "guardian_name"),
    ("NewStaffMember", "display_name"),
    ("StaffChanges", "display_name"),
];

pub fn document_rules(doc: &mut OpenApi) {
    let mut tree = serde_json::to_value(&*doc).expect("the contract is JSON");
    let Some(Value::Object(schemas)) = tree.pointer_mut("/components/schemas") else {
        return;
    };
    for (schema, property) in NAMES {
        if let Some(Value::Object(name)) = schemas
            .get_mut(*schema)
            .and_then(|s| s.pointer_mut(&format!("/properties/{property}")))
        {
            name.insert("pattern".into(), json!(NOT_BLANK));
        }
    }
    // A Finnish postal code is five digits: either the country is not Finland, or the code
    // is five digits. (`if`/`then` would say it more plainly, but the document model cannot
    // carry them.) The rule comes last among the alternatives: a body that fails both is told
    // about the last (see `extract::schema`).
    if let Some(address) = schemas.get_mut("AddressDto") {
        let rule = json!({"anyOf": [
            {"type": "object", "properties": {"country": {"type": "string", "maxLength": 8, "pattern": NOT_FINLAND}}},
            {"type": "object",
                "properties": {"postal_code": {"type": "string", "maxLength": 12, "pattern": "^[0-9]{5}$"}}}
        ]});
        *address = json!({"allOf": [address.take(), rule]});
    }
    *doc = serde_json::from_value(tree).expect("the contract with its rules reads back");
}
