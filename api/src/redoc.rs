//! The API reference rendered by Redoc at `/redoc`, beside Swagger UI at `/docs/`: Redoc reads
//! better (one page, every schema and rule laid out), Swagger UI lets you try calls. Redoc's
//! script is served from the binary (`api/assets/redoc/`), never a CDN, and the page's
//! Content-Security-Policy allows nothing but this server.

use actix_web::http::header;
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpResponse, Responder};

const SCRIPT: &[u8] = include_bytes!("../assets/redoc/redoc.standalone.js");

/// Redoc needs inline styles (it renders them at run time) and a worker made from a blob for
/// its search; scripts, data and everything else come from this server only.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
worker-src 'self' blob:; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PAGE: &str = "<!doctype html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>UniikkiÄäni customer register API · reference</title>
</head>
<body>
<redoc spec-url=\"/api-docs/openapi.json\" hide-download-button=\"false\"></redoc>
<script src=\"/redoc/redoc.standalone.js\"></script>
</body>
</html>
";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.route("/redoc", web::get().to(page))
        .route("/redoc/redoc.standalone.js", web::get().to(script));
}

async fn page() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CONTENT_SECURITY_POLICY, POLICY))
        .body(PAGE)
}

async fn script() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/javascript; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(SCRIPT)
}
