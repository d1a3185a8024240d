//! Deterministic, Finnish-looking people: names with ä, ö and å, unique emails and phone
//! numbers, addresses, and a guardian for each minor.

use chrono::{Duration, NaiveDate};
use domain::customer::{Address, CustomerProfile, Guardian};
use domain::{EmailAddress, Language, PersonName, PhoneNumber};
use rand::Rng;
use rand::rngs::StdRng;

use super::HISTORY_CUSTOMERS;

const FIRST_NAMES: &[&str] = &[
    "Aino", "Eetu", "Väinö", "Åsa", "Ilmari", "Sääde", "Tyyne", "Jörn", "Helmi", "Onni", "Kerttu",
    "Eino", "Siiri", "Lauri", "Hilla", "Mörri", "Aapo", "Venla", "Elsa", "Toivo", "Iida", "Päivi",
    "Jääkko", "Ronja",
];
const LAST_NAMES: &[&str] = &[
    "Mäkinen",
    "Järvinen",
    "Hämäläinen",
    "Öhman",
    "Åberg",
    "Kärkkäinen",
    "Virtanen",
    "Lähteenmäki",
    "Sjöberg",
    "Nieminen",
    "Pöllänen",
    "Väisänen",
    "Aaltonen",
    "Ström",
    "Heikkilä",
    "Ylönen",
    "Kivelä",
    "Räsänen",
];
const CITIES: &[&str] = &[
    "Riihimäki",
    "Hyvinkää",
    "Hämeenlinna",
    "Helsinki",
    "Järvenpää",
    "Jyväskylä",
];

fn ascii(s: &str) -> String {
    s.to_lowercase().replace(['ä', 'å'], "a").replace('ö', "o")
}

/// The customers with a long history log in as `history.<n>@example.fi` (known to benchmarks).
fn seeded_email(i: usize, first: &str, last: &str) -> String {
    if i < HISTORY_CUSTOMERS {
        format!("history.{i}@example.fi")
    } else {
        format!("{}.{}.{i}@example.fi", ascii(first), ascii(last))
    }
}

pub(super) fn customer(i: usize, rng: &mut StdRng, today: NaiveDate) -> CustomerProfile {
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
    let minor = rng.random_bool(0.15);
    let age_days = if minor {
        rng.random_range(6 * 365..17 * 365)
    } else {
        rng.random_range(19 * 365..80 * 365)
    };
    let guardian = minor.then(|| Guardian {
        name: PersonName::parse(&format!(
            "{} {last}",
            FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())]
        ))
        .expect("a valid name"),
        email: Some(
            EmailAddress::parse(&format!("huoltaja.{i}@example.fi")).expect("a valid email"),
        ),
        phone: Some(PhoneNumber::parse(&format!("+35850{i:07}")).expect("a valid phone")),
    });
    let address = rng.random_bool(0.7).then(|| {
        Address::parse(
            &format!("Lehmustie {}", rng.random_range(1..200)),
            &format!("{:05}", rng.random_range(100..99_999)),
            CITIES[rng.random_range(0..CITIES.len())],
            "FI",
        )
        .expect("a valid address")
    });
    CustomerProfile {
        first_name: PersonName::parse(first).expect("a valid name"),
        last_name: PersonName::parse(last).expect("a valid name"),
        email: Some(EmailAddress::parse(&seeded_email(i, first, last)).expect("a valid email")),
        phone: Some(PhoneNumber::parse(&format!("+35840{i:07}")).expect("a valid phone")),
        address,
        birth_date: Some(today - Duration::days(age_days)),
        language: match rng.random_range(0..20) {
            0..=16 => Language::Fi,
            17..=18 => Language::En,
            _ => Language::Sv,
        },
        guardian,
    }
}
