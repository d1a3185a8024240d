//! Survey use cases.

use domain::FieldCode;
use domain::audit::{AuditAction, Touched};
use std::collections::BTreeMap;

use domain::survey::{self, Question, check_answers, check_questions};
use persistence::customers::{self, CustomerScope};
use persistence::{AnyConnection, surveys};
use serde_json::Value;
use uuid::Uuid;

use super::dto::*;
use crate::auth::policy::{self, Action};
use crate::auth::{Caller, Principal, Reader};
use crate::plumbing::db;
use crate::plumbing::error::{ApiError, FieldError};
use crate::plumbing::http::{Page, page};
use crate::plumbing::state::AppState;

fn problems_to_error(problems: Vec<domain::survey::Problem>) -> ApiError {
    ApiError::Validation(
        problems
            .into_iter()
            .map(|p| FieldError::new(p.field, p.code, p.message))
            .collect(),
    )
}

fn check_form(questions: &[Question]) -> Result<(), ApiError> {
    let problems = check_questions(questions);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems_to_error(problems))
    }
}

pub async fn create(
    state: &AppState,
    caller: Caller,
    body: NewSurvey,
) -> Result<SurveyView, ApiError> {
    check_form(&body.questions)?;
    state
        .writer
        .write_audited(caller.entry(AuditAction::SurveyCreate), move |conn, now| {
            let id = surveys::create(conn, body.kind, body.title.trim(), &body.questions, now)?;
            let survey = surveys::find(conn, id, None)?.ok_or(ApiError::NotFound)?;
            Ok((survey.into(), Touched::thing(id, None)))
        })
        .await
}

pub async fn add_version(
    state: &AppState,
    caller: Caller,
    id: Uuid,
    body: NewVersion,
) -> Result<SurveyView, ApiError> {
    check_form(&body.questions)?;
    state
        .writer
        .write_audited(
            caller.entry(AuditAction::SurveyNewVersion),
            move |conn, now| {
                let version = surveys::add_version(conn, id, &body.questions, now)?
                    .ok_or(ApiError::NotFound)?;
                let survey = surveys::find(conn, id, Some(version))?.ok_or(ApiError::NotFound)?;
                Ok((survey.into(), Touched::thing(id, None)))
            },
        )
        .await
}

pub async fn get(state: &AppState, id: Uuid, version: Option<i32>) -> Result<SurveyView, ApiError> {
    db::run(&state.pool, move |conn| {
        Ok(surveys::find(conn, id, version)?
            .ok_or(ApiError::NotFound)?
            .into())
    })
    .await
}

pub async fn list(
    state: &AppState,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Page<SurveyView>, ApiError> {
    let rows = db::run(&state.pool, move |conn| {
        Ok(surveys::list(conn, after, limit + 1)?)
    })
    .await?;
    Ok(page(rows, limit, |s| s.id, Into::into))
}

/// Whose answers these are: a customer's own, or the customer staff name.
fn respondent(
    conn: &mut AnyConnection,
    caller: &Caller,
    named: Option<Uuid>,
) -> Result<(Uuid, Uuid), ApiError> {
    if let Some(account) = policy::own_account(&caller.principal) {
        if named.is_some() {
            return Err(ApiError::Validation(vec![FieldError::new(
                "customer_id",
                FieldCode::NotAllowed,
                "is set by staff only; you answer for yourself",
            )]));
        }
        let own = customers::find_by_account(conn, account)?.ok_or(ApiError::NotFound)?;
        return Ok((own.id, account));
    }
    caller.require(Action::ManageSurveys)?;
    let Principal::Account { id, .. } = &caller.principal else {
        return Err(ApiError::Forbidden);
    };
    let Some(customer_id) = named else {
        return Err(ApiError::Validation(vec![FieldError::new(
            "customer_id",
            FieldCode::Required,
            "name the customer you answer for",
        )]));
    };
    if customers::find(conn, customer_id, CustomerScope::All)?.is_none() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "customer_id",
            FieldCode::NotFound,
            "no customer has this id",
        )]));
    }
    Ok((customer_id, *id))
}

pub async fn respond(
    state: &AppState,
    caller: Caller,
    id: Uuid,
    body: NewResponse,
) -> Result<ResponseView, ApiError> {
    state
        .writer
        .write_audited(
            caller.entry(AuditAction::SurveyRespond),
            move |conn, now| {
                let (customer_id, submitted_by) = respondent(conn, &caller, body.customer_id)?;
                let customer = crate::customers::service::for_write(conn, customer_id)?;
                domain::customer::ensure_processable(customer.restriction.as_ref())?;
                let survey = surveys::find(conn, id, body.version)?.ok_or(ApiError::NotFound)?;
                let answers =
                    check_answers(&survey.questions, &body.answers).map_err(problems_to_error)?;
                let response = surveys::add_response(
                    conn,
                    id,
                    survey.version,
                    customer_id,
                    &answers,
                    submitted_by,
                    now,
                )?;
                let touched = Touched::thing(response.id, Some(customer_id));
                Ok((response.into(), touched))
            },
        )
        .await
}

pub async fn customer_responses(
    state: &AppState,
    caller: Reader,
    customer_id: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Page<ResponseView>, ApiError> {
    let entry = caller.audit(
        AuditAction::CustomerSurveyResponsesRead,
        Some(customer_id.to_string()),
        Some(customer_id),
    );
    let items = caller
        .read_audited(state, entry, move |conn| {
            if customers::find(conn, customer_id, CustomerScope::All)?.is_none() {
                return Err(ApiError::NotFound);
            }
            Ok(surveys::responses_of_customer(
                conn,
                customer_id,
                before,
                limit + 1,
            )?)
        })
        .await?;
    Ok(page(items, limit, |r| r.id, Into::into))
}

pub async fn aggregates(
    state: &AppState,
    id: Uuid,
    version: Option<i32>,
) -> Result<Aggregates, ApiError> {
    let (survey, answers) = db::run(&state.pool, move |conn| {
        let survey = surveys::find(conn, id, version)?.ok_or(ApiError::NotFound)?;
        let answers = surveys::answers_to(conn, id, survey.version)?;
        Ok((survey, answers))
    })
    .await?;
    Ok(Aggregates {
        survey_id: survey.id,
        version: survey.version,
        responses: answers.len(),
        questions: survey
            .questions
            .iter()
            .map(|q| aggregate(q, &answers))
            .collect(),
    })
}

fn aggregate(question: &Question, responses: &[BTreeMap<String, Value>]) -> QuestionAggregate {
    let totals = survey::aggregate(question, responses);
    QuestionAggregate {
        id: question.id.clone(),
        kind: question.kind,
        answered: totals.answered,
        average: totals.average,
        option_counts: totals.option_counts,
    }
}
