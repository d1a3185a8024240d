//! Walking the chain to show it is whole.

use diesel::prelude::*;

use super::{Row, ae, from_row};
use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::audit_chain_head as head;

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub checked: i64,
    /// The first entry whose link does not hold, and why.
    pub first_broken: Option<(i64, String)>,
}

/// Walks every entry in order, recomputing each hash and checking each link, the sequence
/// (a gap means a deleted entry) and finally the chain head.
pub fn verify(conn: &mut AnyConnection) -> Result<ChainReport, DbError> {
    const BATCH: i64 = 1_000;
    let mut expected_prev = domain::audit::GENESIS_HASH.to_owned();
    let mut expected_seq = 1;
    loop {
        let batch: Vec<Row> = ae::table
            .select(Row::as_select())
            .filter(ae::seq.ge(expected_seq))
            .order(ae::seq.asc())
            .limit(BATCH)
            .load(conn)?;
        let done = (batch.len() as i64) < BATCH;
        for row in batch {
            let event = from_row(row)?;
            let seq = event.record.seq;
            let broken = |reason: &str| {
                Ok(ChainReport {
                    checked: seq - 1,
                    first_broken: Some((seq, reason.to_owned())),
                })
            };
            if seq != expected_seq {
                return Ok(ChainReport {
                    checked: expected_seq - 1,
                    first_broken: Some((expected_seq, "entry missing".to_owned())),
                });
            }
            if event.prev_hash != expected_prev {
                return broken("link to the previous entry does not match");
            }
            if event.record.chain_hash(&event.prev_hash) != event.hash {
                return broken("content does not match its hash");
            }
            expected_prev = event.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let (head_seq, head_hash): (i64, String) = head::table
        .find(1)
        .select((head::seq, head::hash))
        .first(conn)?;
    let checked = expected_seq - 1;
    if head_seq != checked || head_hash != expected_prev {
        return Ok(ChainReport {
            checked,
            first_broken: Some((
                checked + 1,
                "chain head does not match the last entry".to_owned(),
            )),
        });
    }
    Ok(ChainReport {
        checked,
        first_broken: None,
    })
}
