//! The record of processing activities (GDPR Art. 30), generated from the personal-data map and
//! the integrations registry so it cannot drift from what the register does.

use persistence::privacy_map::{Category, TABLES};
use persistence::{AnyConnection, DbError, integrations};
use serde::Serialize;
use utoipa::ToSchema;

use super::controller::{CONTROLLER, Controller};
use super::export::Recipient;

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcessingRecords {
    pub controller: Controller,
    #[schema(max_items = 100)]
    pub activities: Vec<Activity>,
    #[schema(max_items = 100)]
    pub data_subjects: Vec<&'static str>,
    #[schema(max_items = 100)]
    pub processors: Vec<Recipient>,
    /// Processors outside the EU/EEA; empty means no transfers to third countries.
    #[schema(max_items = 100)]
    pub transfers_outside_eea: Vec<Recipient>,
    #[schema(max_items = 100)]
    pub security_measures: Vec<&'static str>,
}

/// One processing activity: a table of the map and what it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Activity {
    #[schema(max_length = 63)]
    pub table: &'static str,
    #[schema(max_length = 1000)]
    pub purpose: &'static str,
    #[schema(max_length = 1000)]
    pub legal_basis: &'static str,
    #[schema(max_items = 100)]
    pub categories: Vec<&'static str>,
    #[schema(max_length = 1000)]
    pub source: &'static str,
    #[schema(max_length = 1000)]
    pub retention: &'static str,
}

pub const DATA_SUBJECTS: &[&str] = &[
    "customers (season, course, webshop and single-lesson customers)",
    "guardians of customers under 18",
    "UniikkiLista subscribers",
    "staff with a login",
];

pub const SECURITY_MEASURES: &[&str] = &[
    "passwords hashed with argon2id; tokens and keys stored only as hashes",
    "role-based access; customers reach only their own data",
    "every change and every staff read of a person's data in a hash-chained audit log",
    "login throttling per login name and client address",
    "short-lived access tokens; rotating refresh tokens with reuse detection",
];

pub fn build(conn: &mut AnyConnection) -> Result<ProcessingRecords, DbError> {
    let activities = TABLES
        .iter()
        .filter(|t| t.is_personal())
        .map(|t| {
            let mut categories: Vec<&'static str> = t
                .columns
                .iter()
                .map(|(_, c)| *c)
                .filter(|c| *c != Category::NotPersonal)
                .map(Category::as_str)
                .collect();
            categories.sort_unstable();
            categories.dedup();
            Activity {
                table: t.name,
                purpose: t.purpose,
                legal_basis: t.basis.as_str(),
                categories,
                source: t.source,
                retention: t.retention,
            }
        })
        .collect();
    let processors: Vec<Recipient> = integrations::list(conn, None, 1_000)?
        .into_iter()
        .filter(|i| i.revoked_at.is_none())
        .map(|i| Recipient {
            name: i.name,
            company: i.processor_company,
            country: i.processor_country,
            in_eea: i.processor_in_eea,
        })
        .collect();
    Ok(ProcessingRecords {
        controller: CONTROLLER,
        activities,
        data_subjects: DATA_SUBJECTS.to_vec(),
        transfers_outside_eea: processors.iter().filter(|p| !p.in_eea).cloned().collect(),
        processors,
        security_measures: SECURITY_MEASURES.to_vec(),
    })
}
