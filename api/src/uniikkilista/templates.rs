//! The words of UniikkiLista messages, in Finnish (the default) and English.

use domain::Language;

/// Subject and body of the email that confirms a subscription.
pub fn confirm_email(language: Language, name: &str, link: &str, stop: &str) -> (String, String) {
    match language {
        Language::En => (
            "Confirm your UniikkiLista subscription".to_owned(),
            format!(
                "Hello {name},\n\nplease confirm your UniikkiLista subscription by opening this link:\n{link}\n\n\
                 If you did not ask for this, ignore this message and nothing will be sent to you; \
                 to refuse any further messages: {stop}\n\nUniikkiÄäni"
            ),
        ),
        _ => (
            "Vahvista UniikkiListan tilaus".to_owned(),
            format!(
                "Hei {name},\n\nvahvista UniikkiListan tilauksesi avaamalla tämä linkki:\n{link}\n\n\
                 Jos et tilannut listaa, voit jättää viestin huomiotta, eikä sinulle lähetetä mitään; \
                 kaikki viestit voi myös estää: {stop}\n\nUniikkiÄäni"
            ),
        ),
    }
}

pub fn confirm_sms(language: Language, code: &str, stop: &str) -> String {
    match language {
        Language::En => {
            format!(
                "UniikkiLista: your confirmation code is {code}. Enter it on the sign-up form. Not you? {stop}"
            )
        }
        _ => format!(
            "UniikkiLista: vahvistuskoodisi on {code}. Syötä se tilauslomakkeelle. Et tilannut? {stop}"
        ),
    }
}

/// Subject and body of a notice email, with the unsubscribe link at the end.
pub fn notice_email(language: Language, text: &str, unsubscribe_link: &str) -> (String, String) {
    match language {
        Language::En => (
            "UniikkiLista notice".to_owned(),
            format!("{text}\n\n--\nTo stop these messages: {unsubscribe_link}"),
        ),
        _ => (
            "UniikkiLista tiedottaa".to_owned(),
            format!("{text}\n\n--\nTilauksen voi perua: {unsubscribe_link}"),
        ),
    }
}

pub fn notice_sms(language: Language, text: &str, unsubscribe_link: &str) -> String {
    match language {
        Language::En => format!("{text}\nStop: {unsubscribe_link}"),
        _ => format!("{text}\nPeru: {unsubscribe_link}"),
    }
}
