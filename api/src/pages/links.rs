//! The pages the links in UniikkiLista messages land on: confirming a subscription and
//! unsubscribing. Opening a link (`GET`) only shows what will happen and a button, because
//! mail scanners open links; pressing the button (`POST`) does it. In the subscriber's
//! language (Finnish first, Swedish, English), without JavaScript.

use actix_web::http::StatusCode;
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use chrono::Utc;
use domain::Language;
use serde::Deserialize;

use super::{escape, html};
use crate::auth::{RequestMeta, secrets};
use crate::plumbing::db;
use crate::plumbing::error::ApiError;
use crate::plumbing::state::AppState;
use crate::uniikkilista::dto::UnsubscribeScope;
use crate::uniikkilista::signup;

const CONFIRM: &str = "/uniikkilista/vahvista";
const UNSUBSCRIBE: &str = "/uniikkilista/peru";

/// Link tokens are at least 24 random bytes (32 characters); SMS codes (9 characters) are
/// typed into the sign-up form, never sent to these pages, so shorter secrets are refused here
/// without a lookup.
const MIN_LINK_TOKEN: usize = 32;
const MAX_LINK_TOKEN: usize = 200;

pub fn configure(cfg: &mut ServiceConfig) {
    let form = web::FormConfig::default()
        .limit(4096)
        .error_handler(|error, _| ApiError::MalformedBody(error.to_string()).into());
    cfg.service(
        web::resource(CONFIRM)
            .app_data(form.clone())
            .route(web::get().to(confirm_page))
            .route(web::post().to(confirm)),
    )
    .service(
        web::resource(UNSUBSCRIBE)
            .app_data(form)
            .route(web::get().to(unsubscribe_page))
            .route(web::post().to(unsubscribe)),
    );
}

#[derive(Debug, Deserialize)]
struct Link {
    token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Pressed {
    token: String,
    /// Unsubscribe: `all` stops every channel, anything else the link's own.
    scope: Option<String>,
}

/// The words of the pages.
struct Words {
    lang: &'static str,
    confirm_title: &'static str,
    confirm_text: &'static str,
    confirm_button: &'static str,
    confirmed: &'static str,
    unsubscribe_title: &'static str,
    unsubscribe_text: &'static str,
    unsubscribe_button: &'static str,
    unsubscribe_all_button: &'static str,
    unsubscribed: &'static str,
    invalid: &'static str,
}

fn words(language: Language) -> &'static Words {
    match language {
        Language::Fi => &FI,
        Language::Sv => &SV,
        Language::En => &EN,
    }
}

const FI: Words = Words {
    lang: "fi",
    confirm_title: "Vahvista UniikkiListan tilaus",
    confirm_text: "Vahvista, että haluat UniikkiÄänen ilmoitukset peruutusajoista ja ilmoittautumisista tähän osoitteeseen.",
    confirm_button: "Vahvista tilaus",
    confirmed: "Kiitos! Tilauksesi on vahvistettu.",
    unsubscribe_title: "Peru UniikkiListan tilaus",
    unsubscribe_text: "Haluatko lopettaa UniikkiListan viestit?",
    unsubscribe_button: "Peru tämän kanavan viestit",
    unsubscribe_all_button: "Peru kaikki viestit",
    unsubscribed: "Tilaus on peruttu. Emme lähetä sinulle enää näitä viestejä.",
    invalid: "Linkki ei ole voimassa: se on vanhentunut tai jo käytetty.",
};

const SV: Words = Words {
    lang: "sv",
    confirm_title: "Bekräfta prenumerationen på UniikkiLista",
    confirm_text: "Bekräfta att du vill få UniikkiÄänis meddelanden om lediga tider och anmälningar till den här adressen.",
    confirm_button: "Bekräfta prenumerationen",
    confirmed: "Tack! Din prenumeration är bekräftad.",
    unsubscribe_title: "Avsluta prenumerationen på UniikkiLista",
    unsubscribe_text: "Vill du sluta få meddelanden från UniikkiLista?",
    unsubscribe_button: "Avsluta meddelanden i den här kanalen",
    unsubscribe_all_button: "Avsluta alla meddelanden",
    unsubscribed: "Prenumerationen är avslutad. Vi skickar inte längre dessa meddelanden till dig.",
    invalid: "Länken gäller inte: den har gått ut eller redan använts.",
};

const EN: Words = Words {
    lang: "en",
    confirm_title: "Confirm your UniikkiLista subscription",
    confirm_text: "Confirm that you want UniikkiÄäni's notices of cancellation slots and enrolments at this address.",
    confirm_button: "Confirm the subscription",
    confirmed: "Thank you! Your subscription is confirmed.",
    unsubscribe_title: "Unsubscribe from UniikkiLista",
    unsubscribe_text: "Do you want to stop UniikkiLista messages?",
    unsubscribe_button: "Stop messages on this channel",
    unsubscribe_all_button: "Stop all messages",
    unsubscribed: "You are unsubscribed. We will not send you these messages any more.",
    invalid: "This link is not valid: it has expired or has been used.",
};

/// Whether `token` can be a link token at all.
fn plausible(token: &str) -> bool {
    secrets::has_token_form(token, MIN_LINK_TOKEN..=MAX_LINK_TOKEN)
}

/// The language of the subscription the token belongs to (Finnish when unknown). Reads only.
async fn language_of(state: &AppState, token: &str) -> Result<Language, ApiError> {
    if !plausible(token) {
        return Ok(Language::default());
    }
    let hash = secrets::sha256_hex(token);
    let code = db::run(&state.pool, move |conn| {
        Ok(persistence::uniikkilista::token_language(
            conn,
            &hash,
            Utc::now(),
        )?)
    })
    .await?;
    Ok(code.and_then(|c| Language::parse(&c)).unwrap_or_default())
}

fn invalid_page(words: &Words, title: &str) -> HttpResponse {
    html(
        StatusCode::BAD_REQUEST,
        words.lang,
        title,
        &format!(
            "<h1>{}</h1>\n<p>{}</p>",
            escape(title),
            escape(words.invalid)
        ),
    )
}

/// A form that posts `token` (and the pressed button's `scope`) back to `action`.
fn form(action: &str, token: &str, buttons: &[(&str, &str)]) -> String {
    let mut out = format!(
        "<form method=\"post\" action=\"{action}\">\n<input type=\"hidden\" name=\"token\" value=\"{}\">\n",
        escape(token)
    );
    for (scope, label) in buttons {
        out.push_str(&format!(
            "<p><button type=\"submit\" name=\"scope\" value=\"{scope}\">{}</button></p>\n",
            escape(label)
        ));
    }
    out.push_str("</form>");
    out
}

/// What a page offers: its title, its text, and its buttons (`scope` value, label).
type Offer = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

/// The page a link opens: what pressing the button will do, and the button. Reads only.
async fn offer(
    state: &AppState,
    token: Option<String>,
    action: &str,
    pick: fn(&'static Words) -> Offer,
) -> Result<HttpResponse, ApiError> {
    let token = token.unwrap_or_default();
    let words = words(language_of(state, &token).await?);
    let (title, text, buttons) = pick(words);
    if !plausible(&token) {
        return Ok(invalid_page(words, title));
    }
    Ok(html(
        StatusCode::OK,
        words.lang,
        title,
        &format!(
            "<h1>{}</h1>\n<p>{}</p>\n{}",
            escape(title),
            escape(text),
            form(action, &token, &buttons)
        ),
    ))
}

async fn confirm_page(
    state: web::Data<AppState>,
    link: web::Query<Link>,
) -> Result<HttpResponse, ApiError> {
    offer(&state, link.into_inner().token, CONFIRM, |w| {
        let buttons = vec![("confirm", w.confirm_button)];
        (w.confirm_title, w.confirm_text, buttons)
    })
    .await
}

async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    pressed: web::Form<Pressed>,
) -> Result<HttpResponse, ApiError> {
    let token = pressed.into_inner().token;
    let words = words(language_of(&state, &token).await?);
    if !plausible(&token) {
        return Ok(invalid_page(words, words.confirm_title));
    }
    let confirmed = signup::confirm(&state, &token, RequestMeta::of(&req)).await;
    outcome(confirmed, words, words.confirm_title, words.confirmed)
}

async fn unsubscribe_page(
    state: web::Data<AppState>,
    link: web::Query<Link>,
) -> Result<HttpResponse, ApiError> {
    offer(&state, link.into_inner().token, UNSUBSCRIBE, |w| {
        let buttons = vec![
            ("channel", w.unsubscribe_button),
            ("all", w.unsubscribe_all_button),
        ];
        (w.unsubscribe_title, w.unsubscribe_text, buttons)
    })
    .await
}

async fn unsubscribe(
    state: web::Data<AppState>,
    req: HttpRequest,
    pressed: web::Form<Pressed>,
) -> Result<HttpResponse, ApiError> {
    let Pressed { token, scope } = pressed.into_inner();
    let words = words(language_of(&state, &token).await?);
    if !plausible(&token) {
        return Ok(invalid_page(words, words.unsubscribe_title));
    }
    let scope = match scope.as_deref() {
        Some("all") => Some(UnsubscribeScope::All),
        _ => None,
    };
    let unsubscribed = signup::unsubscribe(&state, &token, scope, RequestMeta::of(&req)).await;
    outcome(
        unsubscribed,
        words,
        words.unsubscribe_title,
        words.unsubscribed,
    )
}

/// The page after the button: done, or the link was not valid (expired or used).
fn outcome<T>(
    result: Result<T, ApiError>,
    words: &Words,
    title: &str,
    message: &str,
) -> Result<HttpResponse, ApiError> {
    match result {
        Ok(_) => Ok(done(words, title, message)),
        Err(ApiError::Validation(_)) => Ok(invalid_page(words, title)),
        Err(other) => Err(other),
    }
}

fn done(words: &Words, title: &str, message: &str) -> HttpResponse {
    html(
        StatusCode::OK,
        words.lang,
        title,
        &format!(
            "<h1>{}</h1>\n<p role=\"status\">{}</p>",
            escape(title),
            escape(message)
        ),
    )
}
