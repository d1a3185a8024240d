use std::collections::BTreeSet;

use persistence::privacy_map::{Category, TABLES, TOOLING_TABLES};
use tests::{TestApp, on_both_backends};

/// Every column of the live schema is classified by the personal-data map, and the map names
/// nothing that does not exist: a new table or column cannot escape export and erasure.
async fn the_map_classifies_every_column_of_the_live_schema(app: TestApp) {
    let live: BTreeSet<(String, String)> =
        persistence::schema_info::columns(&mut app.pool.get().unwrap())
            .unwrap()
            .into_iter()
            .filter(|(table, _)| !TOOLING_TABLES.contains(&table.as_str()))
            .collect();
    let mapped: BTreeSet<(String, String)> = TABLES
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(move |(c, _)| (t.name.to_owned(), (*c).to_owned()))
        })
        .collect();
    let unclassified: Vec<_> = live.difference(&mapped).collect();
    assert!(
        unclassified.is_empty(),
        "columns missing from the personal-data map: {unclassified:?}"
    );
    let stale: Vec<_> = mapped.difference(&live).collect();
    assert!(
        stale.is_empty(),
        "the map names columns that do not exist: {stale:?}"
    );
}

on_both_backends!(the_map_classifies_every_column_of_the_live_schema);

#[test]
fn every_personal_table_can_be_found_for_a_person_or_says_why_not() {
    for table in TABLES.iter().filter(|t| t.is_personal()) {
        let reachable = !table.links.is_empty();
        let secrets_or_ids_only = table.columns.iter().all(|(_, c)| {
            matches!(
                c,
                Category::NotPersonal
                    | Category::Secret
                    | Category::Usage
                    | Category::Communication
            )
        });
        assert!(
            reachable || secrets_or_ids_only,
            "{} holds personal data but has no link to a person",
            table.name
        );
        for boolean in table.booleans {
            assert!(
                table.columns.iter().any(|(c, _)| c == boolean),
                "{}.{boolean} is not a column",
                table.name
            );
        }
    }
}

#[test]
fn erasure_handles_every_table_that_links_to_a_person() {
    for table in TABLES
        .iter()
        .filter(|t| t.is_personal() && !t.links.is_empty())
    {
        assert!(
            persistence::erasure::HANDLED_TABLES.contains(&table.name),
            "{} links to people but erasure does not handle it",
            table.name
        );
    }
}
