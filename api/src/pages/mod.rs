//! Small server-rendered HTML pages: no JavaScript, no CDN, nothing personal. Links in
//! messages and the problem `type` URIs land here.

mod problems;

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::ServiceConfig;

/// Registers every page. Pages are not API operations, so they are not in the contract.
pub fn configure(cfg: &mut ServiceConfig) {
    problems::configure(cfg);
}

/// A complete page around `body` (already HTML), under `title` (text).
fn page(title: &str, body: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · UniikkiÄäni</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        title = escape(title),
    );
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
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
