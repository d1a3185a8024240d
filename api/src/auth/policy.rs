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
    /// Create and change customers, and give them logins.
    ManageCustomers,
    /// See UniikkiLista subscriptions, link them to customers, send notices.
    ManageUniikkilista,
    /// Define survey forms, read customers' answers and the aggregates.
    ManageSurveys,
    /// Privacy requests, erasure, the records of processing.
    ManagePrivacy,
}

/// Which customers a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerScope {
    /// Office and admin: everyone.
    All,
    /// A teacher: the students in their own lessons.
    TaughtBy(uuid::Uuid),
}

/// The customers `principal` may read, or `None` when it may read none through staff routes.
pub fn customer_scope(principal: &Principal) -> Option<CustomerScope> {
    match principal {
        Principal::Account {
            role: Role::Admin | Role::Office,
            ..
        } => Some(CustomerScope::All),
        Principal::Account {
            role: Role::Teacher,
            id,
            ..
        } => Some(CustomerScope::TaughtBy(*id)),
        _ => None,
    }
}

/// Whether `principal` may perform `action`.
pub fn allows(principal: &Principal, action: Action) -> bool {
    match principal {
        Principal::Account { role, .. } => match action {
            Action::ManageStaff
            | Action::ManageIntegrations
            | Action::ReadAuditLog
            | Action::ManagePrivacy => *role == Role::Admin,
            Action::ManageCustomers | Action::ManageUniikkilista | Action::ManageSurveys => {
                matches!(role, Role::Admin | Role::Office)
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
    fn office_and_admin_manage_customers_and_teachers_see_only_their_students() {
        assert!(allows(&account(Role::Office), Action::ManageCustomers));
        assert!(allows(&account(Role::Admin), Action::ManageCustomers));
        assert!(!allows(&account(Role::Teacher), Action::ManageCustomers));
        assert!(!allows(&account(Role::Customer), Action::ManageCustomers));
        assert!(allows(&account(Role::Office), Action::ManageUniikkilista));
        assert!(!allows(&account(Role::Teacher), Action::ManageUniikkilista));
        assert!(allows(&account(Role::Admin), Action::ManageSurveys));
        assert!(!allows(&account(Role::Customer), Action::ManageSurveys));
        assert_eq!(
            customer_scope(&account(Role::Office)),
            Some(CustomerScope::All)
        );
        assert_eq!(
            customer_scope(&account(Role::Teacher)),
            Some(CustomerScope::TaughtBy(Uuid::nil()))
        );
        assert_eq!(customer_scope(&account(Role::Customer)), None);
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
            Action::ManagePrivacy,
        ] {
            assert!(allows(&account(Role::Admin), action));
            for role in [Role::Office, Role::Teacher, Role::Customer] {
                assert!(!allows(&account(role), action), "{role:?} {action:?}");
            }
            assert!(!allows(&integration, action));
        }
    }
}
