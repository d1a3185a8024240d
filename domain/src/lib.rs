//! The customer register's types and rules: validated values parsed once at the edge, and
//! the rules of each entity as plain functions. No IO, no database, no HTTP.

pub mod account;
pub mod audit;
pub mod calendar;
pub mod customer;
pub mod email;
pub mod field_code;
pub mod integration;
pub mod name;
pub mod password;
pub mod person;
pub mod phone;
pub mod privacy_request;
pub mod survey;
pub mod text;
pub mod webhook;

pub use account::Role;

/// A validation error with a stable machine-readable code, for per-field API errors.
pub trait ErrorCode: std::fmt::Display {
    fn code(&self) -> FieldCode;
}
pub use email::EmailAddress;
pub use field_code::FieldCode;
pub use integration::{IntegrationKind, Scope};
pub use name::DisplayName;
pub use password::NewPassword;
pub use person::{Language, PersonName};
pub use phone::PhoneNumber;
