//! Data-subject rights: the privacy notice, consents, and the complete export (access and
//! portability).

pub mod consents;
pub mod controller;
pub mod erasure;
pub mod export;
pub mod export_data;
pub mod notice;
pub mod records;
pub mod requests;
pub mod retention;
