//! The systems that call the register with an API key, and what a key may be allowed to do.

use serde::{Deserialize, Serialize};

/// Which system an integration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum IntegrationKind {
    /// The online calendar, where people book single lessons.
    Calendar,
    /// The webshop.
    Webshop,
}

/// A group of operations an integration key may be allowed. Which operations each scope names
/// is decided in the API's policy; a key holds the scopes it was created with.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The online calendar's operations (lessons and bookings; none exist yet).
    Calendar,
    /// The webshop's operations (orders and their delivery; none exist yet).
    Webshop,
}

impl IntegrationKind {
    pub const ALL: [Self; 2] = [Self::Calendar, Self::Webshop];

    /// The name stored in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Calendar => "calendar",
            Self::Webshop => "webshop",
        }
    }

    /// The scope a key of this kind gets when none are named.
    pub fn default_scope(self) -> Scope {
        match self {
            Self::Calendar => Scope::Calendar,
            Self::Webshop => Scope::Webshop,
        }
    }
}

impl Scope {
    pub const ALL: [Self; 2] = [Self::Calendar, Self::Webshop];

    /// The name stored in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Calendar => "calendar",
            Self::Webshop => "webshop",
        }
    }

    /// The scopes named in `stored` (space-separated, as the database keeps them). A name this
    /// version does not know grants nothing, so it is left out rather than guessed at.
    pub fn parse_stored(stored: &str) -> Vec<Self> {
        let mut scopes: Vec<Self> = stored
            .split_whitespace()
            .filter_map(|s| s.parse().ok())
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }
}

/// Reads back the names `as_str` gives, for both enums.
macro_rules! from_name {
    ($($name:ident),*) => {$(
        impl std::str::FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or(UnknownName)
            }
        }
    )*};
}

from_name!(IntegrationKind, Scope);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown integration kind or scope")]
pub struct UnknownName;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_stored_scopes_drop_what_is_unknown() {
        for kind in IntegrationKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
            assert_eq!(kind.default_scope().as_str(), kind.as_str());
        }
        for scope in Scope::ALL {
            assert_eq!(scope.as_str().parse(), Ok(scope));
        }
        assert_eq!(
            Scope::parse_stored("webshop  calendar webshop billing"),
            vec![Scope::Calendar, Scope::Webshop]
        );
        assert_eq!(Scope::parse_stored(""), Vec::<Scope>::new());
        assert_eq!("Calendar".parse::<Scope>(), Err(UnknownName));
    }
}
