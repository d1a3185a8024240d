//! Who the controller is, as the privacy notice says.

use serde::Serialize;
use utoipa::ToSchema;

/// The controller of the register (GDPR Art. 13–15).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Controller {
    #[schema(max_length = 1000)]
    pub name: &'static str,
    #[schema(max_length = 9)]
    pub business_id: &'static str,
    #[schema(max_length = 1000)]
    pub address: &'static str,
    #[schema(max_length = 32)]
    pub phone: &'static str,
    #[schema(max_length = 254)]
    pub email: &'static str,
}

pub const CONTROLLER: Controller = Controller {
    name: "UniikkiÄäni Oy",
    business_id: "2686898-3",
    address: "Lehmustie 4, 11910 Riihimäki, Finland",
    phone: "+358405812799",
    email: "info@uniikkiaani.fi",
};

/// The rights of the data subject, and where to complain.
pub const RIGHTS: &[&str] = &[
    "access: a copy of all data about you (this export)",
    "rectification: correct your details (PATCH /api/v1/me, or ask us)",
    "erasure: ask us to delete your data; we keep only what law requires",
    "restriction: ask us to stop processing while a matter is settled",
    "objection: object to processing based on our legitimate interests",
    "portability: this export is machine-readable JSON",
    "withdrawal of consent at any time, as easily as it was given",
    "complaint to the Data Protection Ombudsman (tietosuoja.fi), Finland",
];
