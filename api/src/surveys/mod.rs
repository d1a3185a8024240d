//! Intake and feedback surveys: versioned forms, answers checked against the version they
//! answer, and aggregates that hold no personal data.

pub mod dto;
pub mod service;
