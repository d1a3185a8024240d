//! Data-subject rights: the complete export (access and portability).

pub mod controller;
pub mod export;
