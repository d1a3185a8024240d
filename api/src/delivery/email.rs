//! Email over SMTP (lettre), or to `.eml` files when no SMTP server is configured.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{SmtpTransport, Transport};
use persistence::messages::Claimed;
use secrecy::ExposeSecret;

use super::failure::Failure;
use super::outbox::write_file;
use crate::settings::{Settings, SmtpTls};

pub enum EmailTransport {
    Smtp {
        transport: SmtpTransport,
        from: Mailbox,
    },
    File {
        outbox: PathBuf,
        from: Mailbox,
    },
}

impl EmailTransport {
    pub fn from_settings(settings: &Settings, outbox: PathBuf) -> anyhow::Result<Self> {
        let from: Mailbox = settings.delivery.mail_from.parse()?;
        let Some(host) = &settings.delivery.smtp.host else {
            return Ok(Self::File { outbox, from });
        };
        let mut builder = match settings.delivery.smtp.tls {
            SmtpTls::Starttls => SmtpTransport::starttls_relay(host)?,
            SmtpTls::Tls => SmtpTransport::relay(host)?,
            SmtpTls::None => SmtpTransport::builder_dangerous(host),
        }
        .port(settings.delivery.smtp.port)
        .timeout(Some(Duration::from_secs(20)));
        if let (Some(user), Some(password)) = (
            &settings.delivery.smtp.username,
            &settings.delivery.smtp.password,
        ) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose_secret().to_owned(),
            ));
        }
        Ok(Self::Smtp {
            transport: builder.build(),
            from,
        })
    }

    pub fn send(&self, message: &Claimed) -> Result<(), Failure> {
        let (Self::Smtp { from, .. } | Self::File { from, .. }) = self;
        let email = build(message, from)?;
        match self {
            Self::Smtp { transport, .. } => transport.send(&email).map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    Failure::permanent("smtp_rejected")
                } else {
                    Failure::transient("smtp_unavailable")
                }
            }),
            Self::File { outbox, .. } => write_file(outbox, message, "eml", &email.formatted()),
        }
    }
}

fn build(message: &Claimed, from: &Mailbox) -> Result<Message, Failure> {
    let to: Mailbox = message
        .recipient
        .parse()
        .map_err(|_| Failure::permanent("invalid_recipient"))?;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(message.subject.clone().unwrap_or_default());
    if message.calendar.is_none() {
        builder = builder.header(ContentType::TEXT_PLAIN);
    }
    if let Some(url) = &message.unsubscribe_url {
        builder = builder
            .header(ListUnsubscribe(url.clone()))
            .header(ListUnsubscribePost);
    }
    let built = match &message.calendar {
        None => builder.body(message.body.clone()),
        Some(calendar) => builder.multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(message.body.clone()))
                .singlepart(
                    Attachment::new("uniikkiaani.ics".to_owned()).body(
                        calendar.clone(),
                        ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                            .map_err(|_| Failure::permanent("invalid_message"))?,
                    ),
                ),
        ),
    };
    built.map_err(|_| Failure::permanent("invalid_message"))
}

/// `List-Unsubscribe: <url>` (RFC 2369): mail clients show an unsubscribe button.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim_matches(['<', '>']).to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the button works with one
/// POST, without opening a page.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}
