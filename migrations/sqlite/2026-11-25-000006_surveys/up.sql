-- Survey forms (intake, feedback). Each edit of the questions is a new version; an answer
-- points at the version it answered.
CREATE TABLE surveys (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL CONSTRAINT surveys_kind_check CHECK (kind IN ('intake', 'feedback')),
    title TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE survey_versions (
    survey_id TEXT NOT NULL REFERENCES surveys (id),
    version INTEGER NOT NULL,
    -- The questions as JSON: [{id, kind, text, required, options}].
    questions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT survey_versions_pkey PRIMARY KEY (survey_id, version)
) STRICT;

-- A customer's answers to one version of a form.
CREATE TABLE survey_responses (
    id TEXT NOT NULL PRIMARY KEY,
    survey_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    -- The answers as JSON: {question_id: value}.
    answers TEXT NOT NULL,
    -- Who entered them: the customer, or staff on their behalf.
    submitted_by TEXT NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    CONSTRAINT survey_responses_version_fkey FOREIGN KEY (survey_id, version) REFERENCES survey_versions (survey_id, version)
) STRICT;
CREATE INDEX survey_responses_customer_idx ON survey_responses (customer_id, created_at);
CREATE INDEX survey_responses_version_idx ON survey_responses (survey_id, version);
