//! Why a delivery failed, in a form fit for logs and retries.

/// Why a delivery failed: a kind fit for logs (no recipient, no content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: &'static str,
    /// Retrying cannot help (e.g. an address that cannot be parsed).
    pub permanent: bool,
}

impl Failure {
    pub fn transient(kind: &'static str) -> Self {
        Self {
            kind,
            permanent: false,
        }
    }

    pub fn permanent(kind: &'static str) -> Self {
        Self {
            kind,
            permanent: true,
        }
    }
}
