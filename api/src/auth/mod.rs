//! Authentication and authorization: who is calling (tokens, API keys), and what they may do
//! (the policy). Handlers take a [`Caller`]; nothing else reads credentials.

pub mod passwords;
pub mod policy;
pub mod principal;
pub mod reader;
pub mod secrets;
pub mod session_check;
pub mod throttle;
pub mod tokens;

pub use policy::Action;
pub use principal::{Authenticated, Caller, Principal, RequestMeta};
pub use reader::Reader;
