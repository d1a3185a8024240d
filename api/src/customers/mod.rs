//! Customers: staff manage them, customers read and correct their own details.

pub mod dto;
pub mod profile;
pub mod service;
