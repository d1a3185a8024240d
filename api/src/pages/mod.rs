//! Small server-rendered HTML pages: no JavaScript, no CDN, nothing personal. Links in
//! messages and the problem `type` URIs land here.

mod links;
mod problems;

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use actix_web::web::ServiceConfig;

/// Registers every page. Pages are not API operations, so they are not in the contract.
pub fn configure(cfg: &mut ServiceConfig) {
    problems::configure(cfg);
    links::configure(cfg);
}

/// A complete page around `body` (already HTML), under `title` (text).
fn page(title: &str, body: &str) -> HttpResponse {
    let mut response = html(StatusCode::OK, "en", title, body);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

/// A page in `lang` with `status`; not cached (the pages links land on carry secrets). Forms
/// may post to this server only, and nothing else may load.
fn html(status: StatusCode, lang: &str, title: &str, body: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · UniikkiÄäni</title>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        title = escape(title),
    );
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; form-action 'self'",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(html)
}

/// Text made safe to place in HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            super::escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
