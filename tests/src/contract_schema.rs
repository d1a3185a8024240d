//! The contract's schemas read by an independent JSON Schema validator (boon, not the
//! `jsonschema` crate the server checks bodies with), for tests that compare the contract's
//! verdict with the server's.

use serde_json::Value;

const BASE: &str = "urn:uniikki:contract";

pub struct ContractSchemas {
    compiler: boon::Compiler,
    schemas: boon::Schemas,
}

impl ContractSchemas {
    /// The whole contract `doc`, formats asserted (draft 2020-12, as OpenAPI 3.1 says).
    pub fn new(doc: &Value) -> Self {
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V2020_12);
        compiler.enable_format_assertions();
        compiler
            .add_resource(BASE, doc.clone())
            .expect("the contract is a JSON document");
        Self {
            compiler,
            schemas: boon::Schemas::new(),
        }
    }

    /// Checks `value` against the schema at the JSON pointer `pointer` (`/components/...`);
    /// the validator's words when it does not fit.
    pub fn check(&mut self, pointer: &str, value: &Value) -> Result<(), String> {
        let index = self
            .compiler
            .compile(&format!("{BASE}#{pointer}"), &mut self.schemas)
            .unwrap_or_else(|e| panic!("the schema at {pointer} compiles: {e}"));
        self.schemas
            .validate(value, index)
            .map_err(|e| e.to_string())
    }
}
