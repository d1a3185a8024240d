//! What every area stands on and none owns: the way to the database (`db`, the `writer`, the
//! shared `state`), HTTP conventions (`http`: pages, cursors, ETags), strict JSON (`extract`),
//! problem responses (`error`), the middleware, and the contract's post-processing (`openapi`).

pub mod db;
pub mod error;
pub mod extract;
pub mod http;
pub mod middleware;
pub mod openapi;
pub mod state;
pub mod writer;
