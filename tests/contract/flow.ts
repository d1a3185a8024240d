// A frontend's flow, written against the client generated from openapi.yaml
// (openapi-typescript + openapi-fetch) and compiled with `tsc --strict`: if the contract's
// types need a cast anywhere here, or a problem type or field code is added without the
// client knowing, this stops compiling. It is compiled, not run (the HTTP behaviour behind it
// is tested in tests/tests/api and fuzzed in tests/fault/contract).
import createClient from "openapi-fetch";
import type { components, paths } from "./api";

type Schemas = components["schemas"];

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:8080" });

/** Every problem type, named: the Record fails to compile when the contract adds one. */
const problemTitles: Record<Schemas["ProblemType"], string> = {
  "https://api.uniikkiaani.fi/problems/malformed-body": "Not JSON",
  "https://api.uniikkiaani.fi/problems/invalid-parameter": "Bad parameter",
  "https://api.uniikkiaani.fi/problems/unauthorized": "Log in again",
  "https://api.uniikkiaani.fi/problems/forbidden": "Not allowed",
  "https://api.uniikkiaani.fi/problems/password-change-required": "Change your password",
  "https://api.uniikkiaani.fi/problems/not-found": "Not found",
  "https://api.uniikkiaani.fi/problems/method-not-allowed": "Not allowed here",
  "https://api.uniikkiaani.fi/problems/request-timeout": "Too slow",
  "https://api.uniikkiaani.fi/problems/conflict": "Already exists",
  "https://api.uniikkiaani.fi/problems/lesson-full": "Fully booked",
  "https://api.uniikkiaani.fi/problems/lesson-unavailable": "Not bookable",
  "https://api.uniikkiaani.fi/problems/time-overlap": "Overlaps",
  "https://api.uniikkiaani.fi/problems/cut-off-passed": "Call the school",
  "https://api.uniikkiaani.fi/problems/webhook-signature": "Bad signature",
  "https://api.uniikkiaani.fi/problems/webhook-stale": "Clock off",
  "https://api.uniikkiaani.fi/problems/webhook-replayed": "Already received",
  "https://api.uniikkiaani.fi/problems/precondition-failed": "Changed meanwhile",
  "https://api.uniikkiaani.fi/problems/precondition-required": "Read it first",
  "https://api.uniikkiaani.fi/problems/payload-too-large": "Too large",
  "https://api.uniikkiaani.fi/problems/unsupported-media-type": "Send JSON",
  "https://api.uniikkiaani.fi/problems/validation-failed": "Check the fields",
  "https://api.uniikkiaani.fi/problems/idempotency-key-reused": "Key reused",
  "https://api.uniikkiaani.fi/problems/too-many-requests": "Slow down",
  "https://api.uniikkiaani.fi/problems/internal-error": "Our fault",
  "https://api.uniikkiaani.fi/problems/service-unavailable": "Try again soon",
  "about:blank": "Error",
};

/** Every field code, named likewise. */
const fieldHints: Record<Schemas["FieldCode"], string> = {
  required: "required",
  invalid_type: "wrong kind of value",
  invalid_value: "not accepted",
  invalid_format: "wrong form",
  invalid_characters: "hidden characters",
  unknown_field: "unknown",
  length: "length",
  range: "range",
  email: "email",
  phone: "phone",
  postal_code: "postal code",
  country: "country",
  birth_date: "birth date",
  same_as_email: "same as the email",
  too_common: "too common",
  unchanged: "unchanged",
  incorrect: "incorrect",
  not_found: "not found",
  not_allowed: "not allowed",
  unknown_version: "unknown version",
  invalid_or_expired: "invalid or expired",
  duplicate: "duplicate",
  unknown_question: "unknown question",
  transition: "not now",
  closed: "closed",
  contact_required: "email or phone",
  required_for_minor: "needed for a minor",
};

function explain(problem: Schemas["Problem"]): string[] {
  const fields = (problem.errors ?? []).map(
    (e: Schemas["FieldError"]) => `${e.field}: ${fieldHints[e.code]}`,
  );
  return [problemTitles[problem.type], ...fields];
}

function showAnswer(answer: Schemas["AnswerValue"]): string {
  if (typeof answer === "number") return `${answer}/5`;
  if (typeof answer === "string") return answer;
  return answer.join(", ");
}

function showColumn(value: string | number | boolean | null): string {
  return value === null ? "—" : String(value);
}

export async function flow(email: string, password: string): Promise<string[]> {
  const seen: string[] = [];
  const login = await client.POST("/api/v1/auth/login", { body: { email, password } });
  if (login.error) return explain(login.error);
  const auth = { Authorization: `Bearer ${login.data.access_token}` };

  const created = await client.POST("/api/v1/customers", {
    params: { header: { "Idempotency-Key": "flow-1" } },
    headers: auth,
    body: {
      first_name: "Aino",
      last_name: "Laulaja",
      email: "aino@example.fi",
      language: "fi",
      address: { street: "Lehmustie 4", postal_code: "11910", city: "Riihimäki", country: "FI" },
    },
  });
  if (created.error) return explain(created.error);
  const customer: Schemas["CustomerView"] = created.data;
  const etag = created.response.headers.get("ETag") ?? "*";

  const page = await client.GET("/api/v1/customers", {
    params: { query: { q: "laulaja", minor: false, restricted: false, language: "fi", limit: 50 } },
    headers: auth,
  });
  for (const item of page.data?.items ?? []) seen.push(`${item.last_name}, ${item.first_name}`);
  const next: string | null | undefined = page.data?.next_cursor;
  if (next) {
    await client.GET("/api/v1/customers", { params: { query: { cursor: next } }, headers: auth });
  }

  const patched = await client.PATCH("/api/v1/customers/{id}", {
    params: { path: { id: customer.id }, header: { "If-Match": etag } },
    headers: auth,
    body: { phone: "040 123 4567", address: null },
  });
  if (patched.error) seen.push(...explain(patched.error));

  const exported = await client.GET("/api/v1/customers/{id}/export", {
    params: { path: { id: customer.id } },
    headers: auth,
  });
  if (exported.data) {
    const data: Schemas["ExportDocument"]["data"] = exported.data.data;
    for (const row of data.customers ?? []) seen.push(showColumn(row.first_name));
    for (const row of data.consents ?? []) seen.push(showColumn(row.purpose));
    for (const c of exported.data.consultations) seen.push(`${c.by}: ${c.purpose}`);
  }

  const consents = await client.GET("/api/v1/customers/{id}/consents", {
    params: { path: { id: customer.id } },
    headers: auth,
  });
  for (const record of consents.data?.history ?? []) {
    const purpose: Schemas["ConsentPurpose"] = record.purpose;
    seen.push(`${purpose} by ${record.given_by} from ${record.source}`);
  }

  const answers = await client.GET("/api/v1/customers/{id}/survey-responses", {
    params: { path: { id: customer.id } },
    headers: auth,
  });
  for (const response of answers.data?.items ?? []) {
    for (const [question, answer] of Object.entries(response.answers)) {
      seen.push(`${question}: ${showAnswer(answer)}`);
    }
  }

  const invalid = await client.POST("/api/v1/customers", {
    headers: auth,
    body: { first_name: "", last_name: "x".repeat(101) },
  });
  if (invalid.error) seen.push(...explain(invalid.error));
  return seen;
}
