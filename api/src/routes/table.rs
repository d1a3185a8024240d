//! What the contract declares of each route, read from the OpenAPI document once at start. A
//! route says everything about itself in its own `#[utoipa::path]`: its methods (for 405s), the
//! `Idempotency-Key` parameter when it honours one, and `x-rate-limit` when the public rate
//! limit applies. The middleware asks this table, so no list of paths is kept by hand.

use std::collections::{HashMap, HashSet};

use actix_web::dev::{ResourceDef, ServiceRequest};
use actix_web::http::Method;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::{OpenApi, RefOr};

use crate::plumbing::middleware::idempotency::KEY_HEADER;
use crate::plumbing::middleware::rate_limit::Policy;

/// The extension a rate-limited operation declares, naming its policy
/// (`extensions(("x-rate-limit" = json!("public")))`, or `"login"`).
pub const RATE_LIMIT_EXTENSION: &str = "x-rate-limit";

/// The documented routes.
#[derive(Debug, Default)]
pub struct RouteTable {
    methods: Vec<(ResourceDef, Vec<String>)>,
    /// `(method, route pattern)` of the operations that declare `Idempotency-Key`.
    idempotent: HashSet<(Method, String)>,
    /// `(method, route pattern)` of the operations that declare `x-rate-limit`, with its policy.
    rate_limited: HashMap<(Method, String), Policy>,
}

impl RouteTable {
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let mut table = Self::default();
        for (path, item) in &doc.paths.paths {
            let mut allowed = Vec::new();
            for (method, operation) in operations(item) {
                allowed.push(method.as_str().to_owned());
                let key = (method, path.clone());
                if declares_idempotency_key(operation) {
                    table.idempotent.insert(key.clone());
                }
                if let Some(policy) = rate_limit_of(operation) {
                    table.rate_limited.insert(key, policy);
                }
            }
            table
                .methods
                .push((ResourceDef::new(path.as_str()), allowed));
        }
        table
    }

    /// The methods allowed on `path`, if it is a documented route.
    pub fn methods_for(&self, path: &str) -> Option<&[String]> {
        self.methods
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }

    /// Whether the operation `req` is for honours `Idempotency-Key`.
    pub fn idempotent(&self, req: &ServiceRequest) -> bool {
        Self::declared(&self.idempotent, req)
    }

    /// The rate limit the operation `req` is for is under, if any.
    pub fn rate_limit(&self, req: &ServiceRequest) -> Option<Policy> {
        if !self
            .rate_limited
            .keys()
            .any(|(method, _)| method == req.method())
        {
            return None;
        }
        let pattern = crate::plumbing::middleware::route::pattern_of(req)?;
        self.rate_limited
            .get(&(req.method().clone(), pattern))
            .copied()
    }

    /// The method is compared first: finding the route pattern walks the router again, and the
    /// declared operations are all `POST`s, so `GET`s are answered without that walk.
    fn declared(set: &HashSet<(Method, String)>, req: &ServiceRequest) -> bool {
        set.iter().any(|(method, _)| method == req.method())
            && crate::plumbing::middleware::route::pattern_of(req)
                .is_some_and(|pattern| set.contains(&(req.method().clone(), pattern)))
    }
}

/// Every operation of a path, with its method.
pub fn operations(item: &PathItem) -> impl Iterator<Item = (Method, &Operation)> {
    [
        (Method::GET, &item.get),
        (Method::PUT, &item.put),
        (Method::POST, &item.post),
        (Method::DELETE, &item.delete),
        (Method::PATCH, &item.patch),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_ref().map(|o| (method, o)))
}

/// Every operation of a path, to change: for the contract's post-processing.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

/// Whether `operation` lists the `Idempotency-Key` header among its parameters.
pub fn declares_idempotency_key(operation: &Operation) -> bool {
    operation.parameters.iter().flatten().any(|p| {
        matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Header && p.name == KEY_HEADER)
    })
}

/// The rate limit `operation` declares it is under. A misspelt policy name would leave the
/// operation unlimited: `every_rate_limited_operation_documents_429` lists every operation
/// with its policy, so a name that does not parse fails it.
pub fn rate_limit_of(operation: &Operation) -> Option<Policy> {
    operation
        .extensions
        .as_ref()
        .and_then(|e| e.get(RATE_LIMIT_EXTENSION))
        .and_then(|v| v.as_str())
        .and_then(Policy::parse)
}

/// Whether `operation` declares a rate limit at all.
pub fn declares_rate_limit(operation: &Operation) -> bool {
    operation
        .extensions
        .as_ref()
        .is_some_and(|e| e.contains_key(RATE_LIMIT_EXTENSION))
}
