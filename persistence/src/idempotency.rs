//! Idempotency keys: the first response to a creating request, kept for a day so that a client
//! retrying after a lost answer gets that response again instead of creating a second thing.
//! The keys live in the database, not in a server's memory, so every instance behind a load
//! balancer sees them.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::idempotency_keys as k;
use crate::sql_types::DbTime;

/// A request sent with an `Idempotency-Key`.
#[derive(Debug, Clone)]
pub struct KeyedRequest {
    /// Who sent it (`account:<id>` or `integration:<id>`): keys are scoped per caller.
    pub principal: String,
    pub key: String,
    pub method: String,
    pub path: String,
    /// SHA-256 of the body (as canonical JSON): the same key with another body is refused.
    pub fingerprint: String,
}

/// A response kept to be replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    /// The headers that carry meaning (`Content-Type`, `Location`, `ETag`), as JSON pairs.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// What a key amounts to when a request arrives with it.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// Unused (or expired, or abandoned by a server that stopped): the request is now the
    /// key's, to be handled and then completed or released.
    Acquired,
    /// Used by an identical request that has been answered: replay its response.
    Answered(StoredResponse),
    /// Used by an identical request still being handled.
    InFlight,
    /// Used by a different request (method, path or body).
    Mismatch,
}

/// Claims `request.key` for `request`, or says why not. Run inside a write transaction.
///
/// A key unanswered for `abandon_after` belongs to a request whose server stopped before
/// answering; a retry takes it over (a new key would do the same, so refusing it forever would
/// prevent nothing).
pub fn claim(
    conn: &mut AnyConnection,
    request: &KeyedRequest,
    now: DateTime<Utc>,
    ttl: chrono::Duration,
    abandon_after: chrono::Duration,
) -> Result<Claim, DbError> {
    let row = k::table
        .find((&request.principal, &request.key))
        .select((
            k::request_method,
            k::request_path,
            k::request_fingerprint,
            k::response_status,
            k::response_headers,
            k::response_body,
            k::created_at,
            k::expires_at,
        ))
        .first::<(
            String,
            String,
            String,
            Option<i32>,
            Option<String>,
            Option<String>,
            DbTime,
            DbTime,
        )>(conn)
        .optional()?;
    if let Some((method, path, fingerprint, status, headers, body, created_at, expires_at)) = row {
        let expired = expires_at.get() <= now;
        let abandoned = status.is_none() && created_at.get() + abandon_after <= now;
        if !expired && !abandoned {
            if method != request.method
                || path != request.path
                || fingerprint != request.fingerprint
            {
                return Ok(Claim::Mismatch);
            }
            return Ok(match (status, headers, body) {
                (Some(status), Some(headers), Some(body)) => Claim::Answered(StoredResponse {
                    status: u16::try_from(status)
                        .map_err(|_| DbError::corrupt("idempotency_keys.response_status"))?,
                    headers: serde_json::from_str(&headers)
                        .map_err(|_| DbError::corrupt("idempotency_keys.response_headers"))?,
                    body,
                }),
                _ => Claim::InFlight,
            });
        }
        release(conn, &request.principal, &request.key)?;
    }
    diesel::insert_into(k::table)
        .values((
            k::principal.eq(&request.principal),
            k::idempotency_key.eq(&request.key),
            k::request_method.eq(&request.method),
            k::request_path.eq(&request.path),
            k::request_fingerprint.eq(&request.fingerprint),
            k::created_at.eq(DbTime::new(now)),
            k::expires_at.eq(DbTime::new(now + ttl)),
        ))
        .execute(conn)?;
    Ok(Claim::Acquired)
}

/// Keeps the response to the request that holds the key.
pub fn complete(
    conn: &mut AnyConnection,
    principal: &str,
    key: &str,
    response: &StoredResponse,
) -> Result<(), DbError> {
    let headers = serde_json::to_string(&response.headers)
        .map_err(|e| DbError::Other(diesel::result::Error::SerializationError(e.into())))?;
    diesel::update(k::table.find((principal, key)))
        .set((
            k::response_status.eq(i32::from(response.status)),
            k::response_headers.eq(headers),
            k::response_body.eq(&response.body),
        ))
        .execute(conn)?;
    Ok(())
}

/// Frees the key: the request failed and changed nothing, so it may be sent again.
pub fn release(conn: &mut AnyConnection, principal: &str, key: &str) -> Result<(), DbError> {
    diesel::delete(k::table.find((principal, key))).execute(conn)?;
    Ok(())
}

/// Removes the kept responses that mention `id` (a customer being erased: each response about
/// a customer names the customer's id).
pub fn forget_mentions(conn: &mut AnyConnection, id: uuid::Uuid) -> Result<usize, DbError> {
    Ok(diesel::delete(k::table.filter(k::response_body.like(format!("%{id}%")))).execute(conn)?)
}

/// Expired keys (a dry run only counts them).
pub fn purge_expired(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<usize, DbError> {
    let expired = k::table.filter(k::expires_at.le(DbTime::new(now)));
    if dry_run {
        return Ok(usize::try_from(expired.count().get_result::<i64>(conn)?).unwrap_or(0));
    }
    Ok(diesel::delete(expired).execute(conn)?)
}
