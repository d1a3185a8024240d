//! Accounts: who may log in, and in which role.

use serde::{Deserialize, Serialize};

/// What an account may do. Staff roles are `admin`, `office` and `teacher`; customers log in
/// to reach their own data only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including staff, integrations, privacy requests and the audit log.
    Admin,
    /// Customer service: customers and their logins, UniikkiLista, surveys.
    Office,
    /// Their own lessons, and the customers booked on them.
    Teacher,
    /// Own data only.
    Customer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Office => "office",
            Self::Teacher => "teacher",
            Self::Customer => "customer",
        }
    }

    pub fn is_staff(self) -> bool {
        !matches!(self, Self::Customer)
    }
}

impl std::str::FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Self::Admin),
            "office" => Ok(Self::Office),
            "teacher" => Ok(Self::Teacher),
            "customer" => Ok(Self::Customer),
            _ => Err(UnknownRole),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role")]
pub struct UnknownRole;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_text_form() {
        for role in [Role::Admin, Role::Office, Role::Teacher, Role::Customer] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
