//! What the survey endpoints take and return.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::survey::{Question, QuestionKind, SurveyKind};
use persistence::surveys::{Response, Survey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "intake", "title": "Alkukysely", "questions": [
    {"id": "goals", "kind": "multiple_choice", "text": "Mitä haluat oppia?", "required": true,
     "options": ["Hengitys", "Korkeat äänet", "Esiintyminen"]},
    {"id": "experience", "kind": "scale", "text": "Kuinka kokenut laulaja olet (1–5)?", "required": true},
    {"id": "other", "kind": "text", "text": "Muuta kerrottavaa?"}]}))]
pub struct NewSurvey {
    pub kind: SurveyKind,
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub title: String,
    #[schema(min_items = 1, max_items = 50)]
    pub questions: Vec<Question>,
}

/// New questions for a form: they become its next version.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVersion {
    #[schema(min_items = 1, max_items = 50)]
    pub questions: Vec<Question>,
}

/// A form at one version.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyView {
    pub id: Uuid,
    pub kind: SurveyKind,
    #[schema(max_length = 200)]
    pub title: String,
    /// The version shown.
    pub version: i32,
    /// The version new answers go to by default.
    pub current_version: i32,
    #[schema(max_items = 50)]
    pub questions: Vec<Question>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Survey> for SurveyView {
    fn from(s: Survey) -> Self {
        Self {
            id: s.id,
            kind: s.kind,
            title: s.title,
            version: s.version,
            current_version: s.current_version,
            questions: s.questions,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// A past version; the current one when absent.
    #[param(minimum = 1)]
    pub version: Option<i32>,
}

/// Answers to a form. A customer answers for themselves; staff name the customer.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": {"goals": ["Hengitys"], "experience": 2}}))]
pub struct NewResponse {
    /// The version answered; the current one when absent.
    pub version: Option<i32>,
    /// Staff only: the customer these answers are from.
    pub customer_id: Option<Uuid>,
    /// Question id → answer: text, an option, a list of options, or 1–5 (as the question's
    /// kind asks); `null` or absent leaves an optional question unanswered.
    #[schema(value_type = BTreeMap<String, AnswerOrSkipped>)]
    pub answers: BTreeMap<String, Value>,
}

/// One answer, its shape set by the question's kind: `text` and `single_choice` take a string,
/// `multiple_choice` a list of distinct options, `scale` a whole number from 1 to 5. Only the
/// contract's description: answers are checked against their form by `domain::survey`.
pub struct AnswerValue;

impl utoipa::PartialSchema for AnswerValue {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{
            ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
        };
        let text = ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(domain::survey::MAX_TEXT_ANSWER))
            .description(Some(
                "A `text` answer, or the option a `single_choice` question chose.",
            ));
        let scale = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(1))
            .maximum(Some(5))
            .description(Some("A `scale` answer."));
        let option = ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(100));
        let choices = ArrayBuilder::new()
            .items(option)
            .max_items(Some(20))
            .unique_items(true)
            .description(Some("The options a `multiple_choice` question chose."));
        OneOfBuilder::new()
            .item(text)
            .item(scale)
            .item(choices)
            .description(Some(
                "One answer; its shape is set by the question's `kind`.",
            ))
            .into()
    }
}

impl ToSchema for AnswerValue {}

/// An answer, or `null` for an optional question left unanswered.
pub struct AnswerOrSkipped;

impl utoipa::PartialSchema for AnswerOrSkipped {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name(AnswerValue::name()))
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .into()
    }
}

impl ToSchema for AnswerOrSkipped {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push((AnswerValue::name().into(), AnswerValue::schema()));
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseView {
    pub id: Uuid,
    pub survey_id: Uuid,
    pub version: i32,
    pub customer_id: Uuid,
    /// Question id → the answer given; unanswered optional questions are absent.
    #[schema(value_type = BTreeMap<String, AnswerValue>)]
    pub answers: BTreeMap<String, Value>,
    /// The account that entered the answers (the customer, or staff for them).
    pub submitted_by: Uuid,
    pub created_at: DateTime<Utc>,
}

impl From<Response> for ResponseView {
    fn from(r: Response) -> Self {
        Self {
            id: r.id,
            survey_id: r.survey_id,
            version: r.version,
            customer_id: r.customer_id,
            answers: r.answers,
            submitted_by: r.submitted_by,
            created_at: r.created_at,
        }
    }
}

/// Per-question figures over every answer to one version. Free-text answers are only
/// counted, never shown: they may name people.
#[derive(Debug, Serialize, ToSchema)]
pub struct Aggregates {
    pub survey_id: Uuid,
    pub version: i32,
    pub responses: usize,
    #[schema(max_items = 50)]
    pub questions: Vec<QuestionAggregate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionAggregate {
    #[schema(max_length = 40)]
    pub id: String,
    pub kind: QuestionKind,
    /// How many responses answered this question.
    pub answered: usize,
    /// Scale questions: the mean answer.
    pub average: Option<f64>,
    /// Choice questions: how many chose each option.
    pub option_counts: Option<BTreeMap<String, usize>>,
}
