//! `/problems` and `/problems/{slug}`: what each problem `type` means, so the URI in an error
//! response resolves to words a developer can act on.

use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpResponse, Responder};

use super::{escape, page};
use crate::plumbing::error::{ApiError, ProblemType};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.route("/problems", web::get().to(index))
        .route("/problems/{slug}", web::get().to(one));
}

async fn index() -> impl Responder {
    let mut rows = String::new();
    for kind in ProblemType::ALL {
        rows.push_str(&format!(
            "<tr><td><a href=\"/problems/{slug}\">{uri}</a></td><td>{status}</td><td>{title}</td></tr>\n",
            slug = kind.slug(),
            uri = kind.uri(),
            status = kind.status(),
            title = escape(kind.title()),
        ));
    }
    page(
        "Problem types",
        &format!(
            "<h1>Problem types</h1>\n<p>Every error response of the UniikkiÄäni customer register \
             API is <code>application/problem+json</code> (RFC 9457) with one of these \
             <code>type</code>s.</p>\n<table>\n<tr><th>type</th><th>status</th><th>title</th></tr>\n\
             {rows}</table>"
        ),
    )
}

async fn one(slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let kind = ProblemType::from_slug(&slug).ok_or(ApiError::NotFound)?;
    Ok(page(
        kind.title(),
        &format!(
            "<h1>{title}</h1>\n<p><code>{uri}</code> · HTTP {status}</p>\n<p>{meaning}</p>\n\
             <p><a href=\"/problems\">All problem types</a></p>",
            title = escape(kind.title()),
            uri = kind.uri(),
            status = kind.status(),
            meaning = code_spans(kind.meaning()),
        ),
    ))
}

/// The catalogue's meanings mark names with backticks, as in the contract's Markdown.
fn code_spans(text: &str) -> String {
    escape(text)
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}
