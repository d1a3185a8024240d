//! The privacy notice, generated from the personal-data map, the controller's details and the
//! integrations registry, so it always says what the register really does.

use chrono::Utc;
use persistence::privacy_map::{Category, TABLES};
use persistence::{AnyConnection, DbError, consents, integrations};
use serde::Serialize;
use utoipa::ToSchema;

use super::controller::{CONTROLLER, Controller, RIGHTS};
use super::export::Recipient;

/// The edition of the notice's wording. Bump it when the text or the map changes; the new
/// edition is published (stored) on the next start, and earlier ones stay listed.
pub const EDITION: &str = "2026-11-25";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum NoticeLanguage {
    Fi,
    En,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrivacyNotice {
    /// The edition; consents record it.
    #[schema(example = "2026-11-25")]
    #[schema(max_length = 50)]
    pub version: &'static str,
    #[schema(example = "fi")]
    #[schema(max_length = 2)]
    pub language: &'static str,
    #[schema(max_length = 1000)]
    pub register: &'static str,
    pub controller: Controller,
    #[schema(max_items = 100)]
    pub purposes: Vec<Purpose>,
    #[schema(max_items = 100)]
    pub categories: Vec<&'static str>,
    #[schema(max_items = 100)]
    pub sources: Vec<&'static str>,
    /// Processors acting for the controller, with where they keep the data.
    #[schema(max_items = 100)]
    pub recipients: Vec<Recipient>,
    /// Processors outside the EU/EEA; empty means no transfers.
    #[schema(max_items = 100)]
    pub transfers_outside_eea: Vec<Recipient>,
    #[schema(max_length = 1000)]
    pub no_other_disclosures: &'static str,
    #[schema(max_items = 100)]
    pub rights: Vec<&'static str>,
    #[schema(max_length = 1000)]
    pub complaints: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Purpose {
    #[schema(max_length = 1000)]
    pub purpose: String,
    #[schema(max_length = 1000)]
    pub legal_basis: &'static str,
    #[schema(max_length = 1000)]
    pub retention: &'static str,
}

/// Finnish wording of each table's purpose.
fn purpose_fi(table: &str) -> Option<&'static str> {
    Some(match table {
        "customers" => "asiakaspalvelu ja asiakassuhteen hoitaminen",
        "accounts" => "kirjautuvien käyttäjien tunnistaminen ja oikeuksien hallinta",
        "refresh_tokens" => "kirjautumisen pitäminen turvallisesti voimassa",
        "login_events" => "väärinkäytösten seuranta ja omien kirjautumisten näyttäminen",
        "messages" => "pyydettyjen tai tarpeellisten viestien lähettäminen",
        "uniikkilista_subscriptions" => {
            "ilmoitukset vapautuneista tunneista ja alkavista ilmoittautumisista (UniikkiLista)"
        }
        "survey_responses" => {
            "opetuksen suunnittelu ja palveluiden kehittäminen (alku- ja palautekyselyt)"
        }
        "consents" => "suostumusten ja niiden peruutusten kirjaaminen",
        "audit_events" => "kuka käsitteli kenen tietoja: väärinkäytösten havaitseminen",
        _ => return None,
    })
}

/// The notice as it stands now, in `language`.
pub fn render(
    conn: &mut AnyConnection,
    language: NoticeLanguage,
) -> Result<PrivacyNotice, DbError> {
    let fi = language == NoticeLanguage::Fi;
    let personal: Vec<_> = TABLES
        .iter()
        .filter(|t| t.is_personal() && !t.links.is_empty())
        .collect();
    let purposes = personal
        .iter()
        .map(|t| Purpose {
            purpose: if fi {
                purpose_fi(t.name).unwrap_or(t.purpose).to_owned()
            } else {
                t.purpose.to_owned()
            },
            legal_basis: t.basis.as_str(),
            retention: t.retention,
        })
        .collect();
    let mut categories: Vec<&'static str> = personal
        .iter()
        .flat_map(|t| t.columns.iter().map(|(_, c)| *c))
        .filter(|c| !matches!(c, Category::NotPersonal | Category::Secret))
        .map(Category::as_str)
        .collect();
    categories.sort_unstable();
    categories.dedup();
    let mut sources: Vec<&'static str> = personal.iter().map(|t| t.source).collect();
    sources.sort_unstable();
    sources.dedup();
    let recipients: Vec<Recipient> = integrations::list(conn, None, 1_000)?
        .into_iter()
        .filter(|i| i.revoked_at.is_none())
        .map(|i| Recipient {
            name: i.name,
            company: i.processor_company,
            country: i.processor_country,
            in_eea: i.processor_in_eea,
        })
        .collect();
    Ok(PrivacyNotice {
        version: EDITION,
        language: if fi { "fi" } else { "en" },
        register: if fi {
            "UniikkiÄänen asiakasrekisteri"
        } else {
            "UniikkiÄäni's customer register"
        },
        controller: CONTROLLER,
        purposes,
        categories,
        sources,
        transfers_outside_eea: recipients.iter().filter(|r| !r.in_eea).cloned().collect(),
        recipients,
        no_other_disclosures: if fi {
            "Asiakastietoja ei luovuteta kolmansille osapuolille."
        } else {
            "Customer data are not disclosed to third parties."
        },
        rights: RIGHTS.to_vec(),
        complaints: if fi {
            "Voit tehdä valituksen tietosuojavaltuutetulle (tietosuoja.fi)."
        } else {
            "You may lodge a complaint with the Finnish Data Protection Ombudsman (tietosuoja.fi)."
        },
    })
}

/// Stores the current edition (both languages) if it is not stored yet. Run at start-up.
pub fn publish_current(conn: &mut AnyConnection) -> Result<(), DbError> {
    let content = serde_json::json!({
        "fi": render(conn, NoticeLanguage::Fi)?,
        "en": render(conn, NoticeLanguage::En)?,
    });
    consents::publish_notice(conn, EDITION, &content.to_string(), Utc::now())?;
    Ok(())
}
