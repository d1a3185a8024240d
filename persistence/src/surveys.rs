//! Survey forms, their versions, and customers' answers.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use domain::survey::{Question, SurveyKind};
use serde_json::Value;
use uuid::Uuid;

use crate::connection::AnyConnection;
use crate::error::DbError;
use crate::schema::{survey_responses as r, survey_versions as v, surveys as s};
use crate::sql_types::{DbTime, DbUuid};

/// A form at one version.
#[derive(Debug, Clone)]
pub struct Survey {
    pub id: Uuid,
    pub kind: SurveyKind,
    pub title: String,
    pub version: i32,
    pub current_version: i32,
    pub questions: Vec<Question>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn questions_json(questions: &[Question]) -> String {
    serde_json::to_string(questions).expect("questions serialise")
}

/// Creates a form with its first version.
pub fn create(
    conn: &mut AnyConnection,
    kind: SurveyKind,
    title: &str,
    questions: &[Question],
    now: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    let at = DbTime::new(now);
    diesel::insert_into(s::table)
        .values((
            s::id.eq(DbUuid(id)),
            s::kind.eq(kind.as_str()),
            s::title.eq(title),
            s::current_version.eq(1),
            s::created_at.eq(at),
            s::updated_at.eq(at),
        ))
        .execute(conn)?;
    diesel::insert_into(v::table)
        .values((
            v::survey_id.eq(DbUuid(id)),
            v::version.eq(1),
            v::questions.eq(questions_json(questions)),
            v::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Adds a version with new questions and makes it current; returns its number.
pub fn add_version(
    conn: &mut AnyConnection,
    id: Uuid,
    questions: &[Question],
    now: DateTime<Utc>,
) -> Result<Option<i32>, DbError> {
    let Some(current) = s::table
        .find(DbUuid(id))
        .select(s::current_version)
        .first::<i32>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let next = current + 1;
    let at = DbTime::new(now);
    diesel::insert_into(v::table)
        .values((
            v::survey_id.eq(DbUuid(id)),
            v::version.eq(next),
            v::questions.eq(questions_json(questions)),
            v::created_at.eq(at),
        ))
        .execute(conn)?;
    diesel::update(s::table.find(DbUuid(id)))
        .set((s::current_version.eq(next), s::updated_at.eq(at)))
        .execute(conn)?;
    Ok(Some(next))
}

/// The form at `version`, or at its current version.
pub fn find(
    conn: &mut AnyConnection,
    id: Uuid,
    version: Option<i32>,
) -> Result<Option<Survey>, DbError> {
    let Some((kind, title, current, created, updated)) = s::table
        .find(DbUuid(id))
        .select((
            s::kind,
            s::title,
            s::current_version,
            s::created_at,
            s::updated_at,
        ))
        .first::<(String, String, i32, DbTime, DbTime)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let version = version.unwrap_or(current);
    let Some(questions) = v::table
        .find((DbUuid(id), version))
        .select(v::questions)
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    Ok(Some(Survey {
        id,
        kind: SurveyKind::parse(&kind).ok_or_else(|| DbError::corrupt("surveys.kind"))?,
        title,
        version,
        current_version: current,
        questions: serde_json::from_str(&questions)
            .map_err(|_| DbError::corrupt("survey_versions.questions"))?,
        created_at: created.get(),
        updated_at: updated.get(),
    }))
}

/// Up to `limit` forms at their current version, oldest first, after the form `after`.
pub fn list(
    conn: &mut AnyConnection,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Survey>, DbError> {
    let mut query = s::table
        .select(s::id)
        .order(s::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(s::id.gt(DbUuid(after)));
    }
    let ids: Vec<DbUuid> = query.load(conn)?;
    ids.into_iter()
        .filter_map(|id| find(conn, id.0, None).transpose())
        .collect()
}

/// A stored answer set.
#[derive(Debug, Clone)]
pub struct Response {
    pub id: Uuid,
    pub survey_id: Uuid,
    pub version: i32,
    pub customer_id: Uuid,
    pub answers: BTreeMap<String, Value>,
    pub submitted_by: Uuid,
    pub created_at: DateTime<Utc>,
}

type ResponseRow = (DbUuid, DbUuid, i32, DbUuid, String, DbUuid, DbTime);

fn from_row(row: ResponseRow) -> Result<Response, DbError> {
    let (id, survey_id, version, customer_id, answers, submitted_by, created_at) = row;
    Ok(Response {
        id: id.0,
        survey_id: survey_id.0,
        version,
        customer_id: customer_id.0,
        answers: serde_json::from_str(&answers)
            .map_err(|_| DbError::corrupt("survey_responses.answers"))?,
        submitted_by: submitted_by.0,
        created_at: created_at.get(),
    })
}

const RESPONSE_COLUMNS: (
    r::id,
    r::survey_id,
    r::version,
    r::customer_id,
    r::answers,
    r::submitted_by,
    r::created_at,
) = (
    r::id,
    r::survey_id,
    r::version,
    r::customer_id,
    r::answers,
    r::submitted_by,
    r::created_at,
);

pub fn add_response(
    conn: &mut AnyConnection,
    survey_id: Uuid,
    version: i32,
    customer_id: Uuid,
    answers: &BTreeMap<String, Value>,
    submitted_by: Uuid,
    now: DateTime<Utc>,
) -> Result<Response, DbError> {
    let id = Uuid::now_v7();
    diesel::insert_into(r::table)
        .values((
            r::id.eq(DbUuid(id)),
            r::survey_id.eq(DbUuid(survey_id)),
            r::version.eq(version),
            r::customer_id.eq(DbUuid(customer_id)),
            r::answers.eq(serde_json::to_string(answers).expect("answers serialise")),
            r::submitted_by.eq(DbUuid(submitted_by)),
            r::created_at.eq(DbTime::new(now)),
        ))
        .execute(conn)?;
    r::table
        .find(DbUuid(id))
        .select(RESPONSE_COLUMNS)
        .first::<ResponseRow>(conn)
        .map_err(DbError::from)
        .and_then(from_row)
}

/// Up to `limit` of a customer's answers, newest first (ids are time-ordered), older than the
/// answer `before`.
pub fn responses_of_customer(
    conn: &mut AnyConnection,
    customer_id: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Response>, DbError> {
    let mut query = r::table
        .filter(r::customer_id.eq(DbUuid(customer_id)))
        .order(r::id.desc())
        .limit(limit)
        .select(RESPONSE_COLUMNS)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(r::id.lt(DbUuid(before)));
    }
    query
        .load::<ResponseRow>(conn)?
        .into_iter()
        .map(from_row)
        .collect()
}

/// The answers to one version of a form, for aggregates (no customer ids leave this function).
pub fn answers_to(
    conn: &mut AnyConnection,
    survey_id: Uuid,
    version: i32,
) -> Result<Vec<BTreeMap<String, Value>>, DbError> {
    r::table
        .filter(r::survey_id.eq(DbUuid(survey_id)))
        .filter(r::version.eq(version))
        .select(r::answers)
        .load::<String>(conn)?
        .into_iter()
        .map(|a| serde_json::from_str(&a).map_err(|_| DbError::corrupt("survey_responses.answers")))
        .collect()
}
