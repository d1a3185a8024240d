//! Who may do what: the one place that maps roles and integration scopes to actions.
//! Object-level rules (a customer reaches only their own data) are applied by scoping the
//! query to the caller; another person's resource is then simply not found (404).

use domain::Role;

use super::principal::Principal;

/// Everything the API lets someone do that not everyone may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Create, list, read and change staff accounts; issue their one-time passwords.
    ManageStaff,
    /// Create, list and revoke integration clients and their keys.
    ManageIntegrations,
    /// Read the audit log.
    ReadAuditLog,
}

/// Whether `principal` may perform `action`.
pub fn allows(principal: &Principal, action: Action) -> bool {
    match principal {
        Principal::Account { role, .. } => match action {
            Action::ManageStaff | Action::ManageIntegrations | Action::ReadAuditLog => {
                *role == Role::Admin
            }
        },
        Principal::Integration { .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn account(role: Role) -> Principal {
        Principal::Account {
            id: Uuid::nil(),
            role,
            session_id: Uuid::nil(),
        }
    }

    #[test]
    fn only_admins_manage_staff_integrations_and_read_the_audit_log() {
        let integration = Principal::Integration {
            id: Uuid::nil(),
            kind: "calendar".into(),
            scopes: vec!["calendar".into()],
        };
        for action in [
            Action::ManageStaff,
            Action::ManageIntegrations,
            Action::ReadAuditLog,
        ] {
            assert!(allows(&account(Role::Admin), action));
            for role in [Role::Office, Role::Teacher, Role::Customer] {
                assert!(!allows(&account(role), action), "{role:?} {action:?}");
            }
            assert!(!allows(&integration, action));
        }
    }
}
