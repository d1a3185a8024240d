//! Why a webhook delivery was refused before anything was applied, each with a problem type
//! of its own, so that a sender's operator can tell a wrong secret from a slow clock.

use super::ProblemType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookRefusal {
    /// No signature matches the integration's secret (or no such active integration).
    Signature,
    /// `webhook-timestamp` is more than five minutes from the server's clock.
    Stale,
    /// This `webhook-id` was received from the integration already.
    Replayed,
}

impl WebhookRefusal {
    pub(super) fn kind(self) -> ProblemType {
        match self {
            Self::Signature => ProblemType::WebhookSignature,
            Self::Stale => ProblemType::WebhookStale,
            Self::Replayed => ProblemType::WebhookReplayed,
        }
    }

    pub(super) fn detail(self) -> String {
        match self {
            Self::Signature => {
                "no v1 signature matches the integration's webhook secret".to_owned()
            }
            Self::Stale => {
                "webhook-timestamp is more than five minutes from the server's clock".to_owned()
            }
            Self::Replayed => {
                "this webhook-id was received already; its first delivery counts".to_owned()
            }
        }
    }
}
