//! Survey forms (intake, feedback) and the rules answers must follow. A form is versioned:
//! an answer is checked against the version it answers, and later edits never change it.

use crate::FieldCode;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The kind of form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SurveyKind {
    /// Alkukysely: asked when a customer starts.
    Intake,
    /// Palaute: asked after lessons or a course.
    Feedback,
}

impl SurveyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::Feedback => "feedback",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "intake" => Some(Self::Intake),
            "feedback" => Some(Self::Feedback),
            _ => None,
        }
    }
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Free text, up to 2000 characters.
    Text,
    /// One of the options.
    SingleChoice,
    /// Any of the options (at least one when required).
    MultipleChoice,
    /// A whole number from 1 to 5.
    Scale,
}

/// One question of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"id": "goals", "kind": "multiple_choice", "text": "Mitä haluat oppia?",
    "required": true, "options": ["Hengitys", "Korkeat äänet", "Esiintyminen"]}))]
pub struct Question {
    /// Stable within the form across versions: `a-z`, `0-9`, `_`, at most 40 characters.
    #[schema(max_length = 40, pattern = "^[a-z0-9_]{1,40}$")]
    pub id: String,
    pub kind: QuestionKind,
    #[schema(min_length = 1, max_length = 500)]
    pub text: String,
    #[serde(default)]
    pub required: bool,
    /// The choices of a choice question (2 to 20, distinct, 1 to 100 characters each); empty
    /// otherwise.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub options: Vec<String>,
}

/// A problem with a form or an answer: a field path, a code, words for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

fn problem(field: impl Into<String>, code: FieldCode, message: impl Into<String>) -> Problem {
    Problem {
        field: field.into(),
        code,
        message: message.into(),
    }
}

pub const MAX_QUESTIONS: usize = 50;
pub const MAX_TEXT_ANSWER: usize = 2000;

/// Checks a form's questions: 1–50, unique ids, texts present, choices only where they belong.
pub fn check_questions(questions: &[Question]) -> Vec<Problem> {
    let mut out = Vec::new();
    if questions.is_empty() || questions.len() > MAX_QUESTIONS {
        out.push(problem(
            "questions",
            FieldCode::Length,
            format!("must have 1 to {MAX_QUESTIONS} questions"),
        ));
    }
    let mut ids = BTreeSet::new();
    for (i, q) in questions.iter().enumerate() {
        let at = |part: &str| format!("questions[{i}].{part}");
        let id_ok = (1..=40).contains(&q.id.len())
            && q.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !id_ok {
            out.push(problem(
                at("id"),
                FieldCode::InvalidFormat,
                "must be 1 to 40 of a-z, 0-9 and _",
            ));
        } else if !ids.insert(q.id.as_str()) {
            out.push(problem(
                at("id"),
                FieldCode::Duplicate,
                "is used by another question",
            ));
        }
        let text = q.text.trim();
        if text.is_empty() || text.chars().count() > 500 {
            out.push(problem(
                at("text"),
                FieldCode::Length,
                "must be 1 to 500 characters",
            ));
        }
        let choice = matches!(
            q.kind,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        );
        let distinct: BTreeSet<&str> = q.options.iter().map(|o| o.trim()).collect();
        if choice && !(2..=20).contains(&q.options.len()) {
            out.push(problem(
                at("options"),
                FieldCode::Length,
                "a choice question needs 2 to 20 options",
            ));
        } else if choice
            && (distinct.len() != q.options.len()
                || q.options
                    .iter()
                    .any(|o| o.trim().is_empty() || o.chars().count() > 100))
        {
            out.push(problem(
                at("options"),
                FieldCode::InvalidValue,
                "options must be distinct, 1 to 100 characters each",
            ));
        } else if !choice && !q.options.is_empty() {
            out.push(problem(
                at("options"),
                FieldCode::NotAllowed,
                "only choice questions have options",
            ));
        }
    }
    out
}

/// Checks answers against the questions of the version answered. Unanswered optional
/// questions are simply absent from the result.
pub fn check_answers(
    questions: &[Question],
    answers: &BTreeMap<String, Value>,
) -> Result<BTreeMap<String, Value>, Vec<Problem>> {
    let mut out = Vec::new();
    let known: BTreeSet<&str> = questions.iter().map(|q| q.id.as_str()).collect();
    for id in answers.keys().filter(|id| !known.contains(id.as_str())) {
        out.push(problem(
            format!("answers.{id}"),
            FieldCode::UnknownQuestion,
            "is not a question of this form version",
        ));
    }
    let mut accepted = BTreeMap::new();
    for q in questions {
        let field = format!("answers.{}", q.id);
        let Some(value) = answers.get(&q.id).filter(|v| !v.is_null()) else {
            if q.required {
                out.push(problem(field, FieldCode::Required, "is required"));
            }
            continue;
        };
        let is_option = |s: &str| q.options.iter().any(|o| o == s);
        let valid = match q.kind {
            QuestionKind::Text => value
                .as_str()
                .is_some_and(|s| !s.trim().is_empty() && s.chars().count() <= MAX_TEXT_ANSWER),
            QuestionKind::SingleChoice => value.as_str().is_some_and(is_option),
            QuestionKind::MultipleChoice => value.as_array().is_some_and(|items| {
                let chosen: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                let distinct: BTreeSet<&str> = chosen.iter().copied().collect();
                chosen.len() == items.len()
                    && distinct.len() == chosen.len()
                    && chosen.iter().all(|c| is_option(c))
                    && !(q.required && chosen.is_empty())
            }),
            QuestionKind::Scale => value.as_u64().is_some_and(|n| (1..=5).contains(&n)),
        };
        if valid {
            accepted.insert(q.id.clone(), value.clone());
        } else {
            let expected = match q.kind {
                QuestionKind::Text => format!("must be text of 1 to {MAX_TEXT_ANSWER} characters"),
                QuestionKind::SingleChoice => "must be one of the options".to_owned(),
                QuestionKind::MultipleChoice => "must be a list of distinct options".to_owned(),
                QuestionKind::Scale => "must be a whole number from 1 to 5".to_owned(),
            };
            out.push(problem(field, FieldCode::InvalidValue, expected));
        }
    }
    if out.is_empty() {
        Ok(accepted)
    } else {
        Err(out)
    }
}

/// What the answers to one question add up to, for teaching planning: never who answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// How many responses answered the question.
    pub answered: usize,
    /// Scale questions: the mean answer, to two decimals.
    pub average: Option<f64>,
    /// Choice questions: how many chose each option (every option listed, chosen or not).
    pub option_counts: Option<BTreeMap<String, usize>>,
}

/// Adds up the answers `responses` gave to `question`.
pub fn aggregate(question: &Question, responses: &[BTreeMap<String, Value>]) -> Aggregate {
    let given: Vec<&Value> = responses
        .iter()
        .filter_map(|a| a.get(&question.id))
        .collect();
    let average = (question.kind == QuestionKind::Scale && !given.is_empty()).then(|| {
        let sum: f64 = given.iter().filter_map(|v| v.as_f64()).sum();
        (sum / given.len() as f64 * 100.0).round() / 100.0
    });
    let option_counts = matches!(
        question.kind,
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice
    )
    .then(|| {
        let mut counts: BTreeMap<String, usize> =
            question.options.iter().map(|o| (o.clone(), 0)).collect();
        for value in &given {
            let chosen: Vec<&str> = match value {
                Value::String(s) => vec![s.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            for option in chosen {
                if let Some(count) = counts.get_mut(option) {
                    *count += 1;
                }
            }
        }
        counts
    });
    Aggregate {
        answered: given.len(),
        average,
        option_counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form() -> Vec<Question> {
        vec![
            Question {
                id: "goals".into(),
                kind: QuestionKind::MultipleChoice,
                text: "Mitä haluat oppia?".into(),
                required: true,
                options: vec!["Hengitys".into(), "Esiintyminen".into()],
            },
            Question {
                id: "level".into(),
                kind: QuestionKind::SingleChoice,
                text: "Taso".into(),
                required: false,
                options: vec!["Aloittelija".into(), "Edistynyt".into()],
            },
            Question {
                id: "mood".into(),
                kind: QuestionKind::Scale,
                text: "Fiilis".into(),
                required: true,
                options: vec![],
            },
            Question {
                id: "other".into(),
                kind: QuestionKind::Text,
                text: "Muuta?".into(),
                required: false,
                options: vec![],
            },
        ]
    }

    fn answers(value: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn aggregates_count_every_option_average_scales_and_say_nothing_of_text() {
        let responses = vec![
            answers(json!({"goals": ["Hengitys"], "level": "Edistynyt", "mood": 4})),
            answers(json!({"goals": ["Hengitys", "Esiintyminen"], "mood": 5, "other": "kiitos"})),
            answers(json!({"goals": [], "mood": 4})),
        ];
        let [goals, level, mood, other] = &form()[..] else {
            unreachable!()
        };
        let goals = aggregate(goals, &responses);
        assert_eq!(goals.answered, 3);
        assert_eq!(
            goals.option_counts,
            Some(BTreeMap::from([
                ("Esiintyminen".into(), 1),
                ("Hengitys".into(), 2)
            ]))
        );
        assert_eq!(goals.average, None);
        let level = aggregate(level, &responses);
        assert_eq!(level.answered, 1);
        assert_eq!(
            level.option_counts,
            Some(BTreeMap::from([
                ("Aloittelija".into(), 0),
                ("Edistynyt".into(), 1)
            ]))
        );
        assert_eq!(aggregate(mood, &responses).average, Some(4.33));
        let other = aggregate(other, &responses);
        assert_eq!(
            (other.answered, other.average, other.option_counts),
            (1, None, None)
        );
        assert_eq!(aggregate(mood, &[]).average, None, "no answers, no mean");
    }

    #[test]
    fn a_well_formed_form_passes() {
        assert!(check_questions(&form()).is_empty());
    }

    #[test]
    fn form_mistakes_are_named() {
        let mut bad = form();
        bad[1].id = "goals".into();
        bad[2].options = vec!["x".into()];
        bad[0].options = vec!["same".into(), "same".into()];
        let problems = check_questions(&bad);
        let found: Vec<(&str, FieldCode)> = problems
            .iter()
            .map(|p| (p.field.as_str(), p.code))
            .collect();
        assert_eq!(
            found,
            [
                ("questions[0].options", FieldCode::InvalidValue),
                ("questions[1].id", FieldCode::Duplicate),
                ("questions[2].options", FieldCode::NotAllowed)
            ]
        );
        assert_eq!(check_questions(&[])[0].field, "questions");
    }

    #[test]
    fn valid_answers_are_kept_and_optional_ones_may_be_absent() {
        let ok =
            check_answers(&form(), &answers(json!({"goals": ["Hengitys"], "mood": 4}))).unwrap();
        assert_eq!(ok.len(), 2);
    }

    #[test]
    fn every_wrong_answer_is_reported() {
        let bad = answers(
            json!({"goals": ["Laulu"], "level": "Mestari", "mood": 6, "other": "", "extra": 1}),
        );
        let fields: Vec<String> = check_answers(&form(), &bad)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "answers.extra",
                "answers.goals",
                "answers.level",
                "answers.mood",
                "answers.other"
            ]
        );
        let missing = check_answers(&form(), &answers(json!({}))).unwrap_err();
        assert_eq!(
            missing.iter().map(|p| p.code).collect::<Vec<_>>(),
            [FieldCode::Required, FieldCode::Required]
        );
        let duplicate = answers(json!({"goals": ["Hengitys", "Hengitys"], "mood": 1}));
        assert!(check_answers(&form(), &duplicate).is_err());
        let fraction = answers(json!({"goals": ["Hengitys"], "mood": 2.5}));
        assert!(check_answers(&form(), &fraction).is_err());
    }
}
