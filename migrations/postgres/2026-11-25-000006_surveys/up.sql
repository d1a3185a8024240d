-- Survey forms (intake, feedback). Each edit of the questions is a new version; an answer
-- points at the version it answered.
CREATE TABLE surveys (
    id uuid PRIMARY KEY,
    kind text NOT NULL CONSTRAINT surveys_kind_check CHECK (kind IN ('intake', 'feedback')),
    title text NOT NULL,
    current_version integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE survey_versions (
    survey_id uuid NOT NULL REFERENCES surveys (id),
    version integer NOT NULL,
    -- The questions as JSON: [{id, kind, text, required, options}].
    questions text NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT survey_versions_pkey PRIMARY KEY (survey_id, version)
);

-- A customer's answers to one version of a form.
CREATE TABLE survey_responses (
    id uuid PRIMARY KEY,
    survey_id uuid NOT NULL,
    version integer NOT NULL,
    customer_id uuid NOT NULL REFERENCES customers (id),
    -- The answers as JSON: {question_id: value}.
    answers text NOT NULL,
    -- Who entered them: the customer, or staff on their behalf.
    submitted_by uuid NOT NULL REFERENCES accounts (id),
    created_at timestamptz NOT NULL,
    CONSTRAINT survey_responses_version_fkey FOREIGN KEY (survey_id, version) REFERENCES survey_versions (survey_id, version)
);
CREATE INDEX survey_responses_customer_idx ON survey_responses (customer_id, created_at);
CREATE INDEX survey_responses_version_idx ON survey_responses (survey_id, version);
