//! The outermost middleware: gives the request its id, makes the id visible to error
//! rendering, turns any stray non-problem error body into a problem, and after the response
//! writes the one log line and the metrics.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, ResponseError, web};

use crate::metrics::Metrics;
use crate::plumbing::error::{ApiError, PROBLEM_JSON, Problem};
use crate::request_context::{REQUEST_ID_HEADER, RequestContext};

/// Logs method, route pattern, status, latency and request id: never the raw path or query
/// (they can hold names or emails), never headers or bodies.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let context = RequestContext::new(req.headers(), req.path());
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let method = req.method().as_str().to_owned();

    let response = match context.clone().scope(next.call(req)).await {
        Ok(response) => ensure_problem_body(response.map_into_boxed_body(), &context),
        // An error from an inner middleware (handlers' errors are already responses): render
        // it here, where the request id is known, and let actix send it.
        Err(error) => {
            let rendered = RenderedProblem::new(&error, &context);
            log_and_count(
                metrics,
                &context,
                &method,
                "<error>",
                rendered.status.as_u16(),
                started,
            );
            return Err(rendered.into());
        }
    };
    let mut response = response;

    if let Ok(value) = HeaderValue::from_str(&context.request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    // Matched on the decoded path, as the router matches it: a request refused before routing
    // (a rate limit on `/api/v1/uniikkilista/%63onfirm`) is still counted under its route.
    let request = response.request();
    let route = request
        .resource_map()
        .match_pattern(request.match_info().as_str())
        .or_else(|| request.match_pattern())
        .unwrap_or_else(|| "<unmatched>".to_owned());
    log_and_count(
        metrics,
        &context,
        &method,
        &route,
        response.status().as_u16(),
        started,
    );
    Ok(response)
}

fn log_and_count(
    metrics: Option<web::Data<Metrics>>,
    context: &RequestContext,
    method: &str,
    route: &str,
    status: u16,
    started: Instant,
) {
    let elapsed = started.elapsed();
    if let Some(metrics) = metrics {
        metrics.observe(method, route, status, elapsed.as_secs_f64());
    }
    tracing::info!(
        target: "uniikki::request",
        request_id = context.request_id,
        method,
        route,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
}

/// A problem rendered inside the request's scope, for actix to send as the response.
#[derive(Debug)]
struct RenderedProblem {
    status: StatusCode,
    /// The error's own headers (`Retry-After`, `WWW-Authenticate`, `Allow`, …).
    headers: actix_web::http::header::HeaderMap,
    body: Vec<u8>,
    request_id: String,
}

impl RenderedProblem {
    fn new(error: &Error, context: &RequestContext) -> Self {
        let status = error.as_response_error().status_code();
        let (headers, problem) = context.clone().sync_scope(|| {
            let headers = error.as_response_error().error_response().headers().clone();
            let problem = match error.as_error::<ApiError>() {
                Some(api_error) => api_error.problem(),
                None => Problem::for_status(status, context),
            };
            (headers, problem)
        });
        Self {
            status,
            headers,
            body: serde_json::to_vec(&problem).unwrap_or_default(),
            request_id: context.request_id.clone(),
        }
    }
}

impl std::fmt::Display for RenderedProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.status)
    }
}

impl ResponseError for RenderedProblem {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            response.insert_header((name.clone(), value.clone()));
        }
        response
            .content_type(PROBLEM_JSON)
            .insert_header((REQUEST_ID_HEADER, self.request_id.as_str()))
            .body(self.body.clone())
    }
}

/// Error responses made outside our handlers (e.g. a refused CORS preflight) come with a
/// plain-text body; replace it with a problem for the same status, keeping the headers.
fn ensure_problem_body(
    response: ServiceResponse<BoxBody>,
    context: &RequestContext,
) -> ServiceResponse<BoxBody> {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    // The pages links land on answer a refusal in words for people, not as a problem.
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem || is_page {
        return response;
    }
    let problem = Problem::for_status(status, context);
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    response.map_body(|head, _| {
        head.headers
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        head.headers.remove(header::CONTENT_LENGTH);
        BoxBody::new(body)
    })
}
