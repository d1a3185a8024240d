//! SMS through an HTTP gateway (a JSON POST with a bearer token), or to files when no gateway
//! is configured.

use std::path::PathBuf;
use std::time::Duration;

use persistence::messages::Claimed;
use secrecy::{ExposeSecret, SecretString};

use super::failure::Failure;
use super::outbox::write_file;
use crate::settings::Settings;

pub enum SmsTransport {
    Gateway {
        agent: ureq::Agent,
        url: String,
        token: Option<SecretString>,
        sender: String,
    },
    File {
        outbox: PathBuf,
        sender: String,
    },
}

impl SmsTransport {
    pub fn from_settings(settings: &Settings, outbox: PathBuf) -> Self {
        let sender = settings.delivery.sms.sender.clone();
        match &settings.delivery.sms.gateway_url {
            Some(url) => {
                let config = ureq::Agent::config_builder()
                    .timeout_global(Some(Duration::from_secs(20)))
                    .build();
                Self::Gateway {
                    agent: config.into(),
                    url: url.clone(),
                    token: settings.delivery.sms.gateway_token.clone(),
                    sender,
                }
            }
            None => Self::File { outbox, sender },
        }
    }

    pub fn send(&self, message: &Claimed) -> Result<(), Failure> {
        match self {
            Self::Gateway {
                agent,
                url,
                token,
                sender,
            } => {
                let body = serde_json::json!({"to": message.recipient, "from": sender, "text": message.body, "reference": message.id});
                let mut request = agent.post(url);
                if let Some(token) = token {
                    request = request
                        .header("Authorization", format!("Bearer {}", token.expose_secret()));
                }
                match request.send_json(&body) {
                    Ok(_) => Ok(()),
                    Err(ureq::Error::StatusCode(status))
                        if (400..500).contains(&status) && status != 429 =>
                    {
                        Err(Failure::permanent("sms_gateway_rejected"))
                    }
                    Err(ureq::Error::StatusCode(_)) => Err(Failure::transient("sms_gateway_error")),
                    Err(_) => Err(Failure::transient("sms_gateway_unreachable")),
                }
            }
            Self::File { outbox, sender } => {
                let body = serde_json::json!({"to": message.recipient, "from": sender, "text": message.body});
                write_file(outbox, message, "sms.json", body.to_string().as_bytes())
            }
        }
    }
}
