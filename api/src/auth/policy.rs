//! Who may do what: the one place that maps roles and integration scopes to actions.
//! Object-level rules (a customer reaches only their own data) are applied by scoping the
//! query to the caller; another person's resource is then simply not found (404).

use domain::{Role, Scope};
pub use persistence::customers::CustomerScope;
use uuid::Uuid;

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
    /// Schedule and cancel lessons, record attendance: office and admin for every teacher, a
    /// teacher for their own lessons ([`lesson_scope`]).
    TeachLessons,
    /// Book, cancel and move any customer's bookings, after the cut-off too.
    ManageBookings,
}

/// Whose lessons a caller may schedule, see in full and take attendance on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonScope {
    /// Office and admin: every teacher's.
    All,
    /// A teacher: their own.
    Teacher(Uuid),
}

impl LessonScope {
    /// Whether a lesson taught by `teacher_id` is within reach.
    pub fn reaches(self, teacher_id: Uuid) -> bool {
        match self {
            Self::All => true,
            Self::Teacher(own) => own == teacher_id,
        }
    }
}

/// The lessons `principal` may manage, or `None` for none.
pub fn lesson_scope(principal: &Principal) -> Option<LessonScope> {
    match principal {
        Principal::Account {
            role: Role::Admin | Role::Office,
            ..
        } => Some(LessonScope::All),
        Principal::Account {
            role: Role::Teacher,
            id,
            ..
        } => Some(LessonScope::Teacher(*id)),
        _ => None,
    }
}

/// Which operations a key holding `scope` may perform: the online calendar books, moves and
/// cancels bookings (the free times are public). The webshop's orders add theirs here, and
/// nothing else grants an integration anything.
fn scope_allows(scope: Scope) -> &'static [Action] {
    match scope {
        Scope::Calendar => &[Action::ManageBookings],
        Scope::Webshop => &[],
    }
}

/// The customers `principal` may read through staff routes, as the predicate the customer
/// queries apply; `None` when it may read none.
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

/// The account of a customer acting for themselves (`/me` routes), or `None` for staff and
/// integrations, who name the customer instead.
pub fn own_account(principal: &Principal) -> Option<Uuid> {
    match principal {
        Principal::Account {
            id,
            role: Role::Customer,
            ..
        } => Some(*id),
        _ => None,
    }
}

/// Whether the caller is a person (any account) rather than an integration's key.
pub fn is_person(principal: &Principal) -> bool {
    matches!(principal, Principal::Account { .. })
}

/// Whether `role` is the admin role: what the first start creates, `create-admin` resets and
/// the last-admin guard keeps.
pub fn is_admin(role: Role) -> bool {
    role == Role::Admin
}

/// Whether changing an account from (`role`, `active`) by `new_role` / `new_active` takes away
/// an active admin's rights: the last active admin must not lose them, or nobody could manage
/// staff again.
pub fn ends_admin_rights(
    role: Role,
    active: bool,
    new_role: Option<Role>,
    new_active: Option<bool>,
) -> bool {
    is_admin(role)
        && active
        && (new_role.is_some_and(|r| !is_admin(r)) || new_active == Some(false))
}

/// Whether `principal` may perform `action`.
pub fn allows(principal: &Principal, action: Action) -> bool {
    match principal {
        Principal::Account { role, .. } => match action {
            Action::ManageStaff
            | Action::ManageIntegrations
            | Action::ReadAuditLog
            | Action::ManagePrivacy => *role == Role::Admin,
            Action::ManageCustomers
            | Action::ManageUniikkilista
            | Action::ManageSurveys
            | Action::ManageBookings => matches!(role, Role::Admin | Role::Office),
            Action::TeachLessons => role.is_staff(),
        },
        Principal::Integration { scopes, .. } => scopes
            .iter()
            .any(|scope| scope_allows(*scope).contains(&action)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            kind: domain::IntegrationKind::Calendar,
            scopes: Scope::ALL.to_vec(),
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

    #[test]
    fn the_calendar_scope_manages_bookings_and_nothing_else() {
        let calendar = Principal::Integration {
            id: Uuid::nil(),
            kind: domain::IntegrationKind::Calendar,
            scopes: vec![Scope::Calendar],
        };
        assert!(allows(&calendar, Action::ManageBookings));
        assert!(!allows(&calendar, Action::TeachLessons));
        assert_eq!(lesson_scope(&calendar), None);
        assert!(allows(&account(Role::Teacher), Action::TeachLessons));
        assert!(!allows(&account(Role::Teacher), Action::ManageBookings));
        assert!(!allows(&account(Role::Customer), Action::TeachLessons));
        let own = Uuid::from_u128(7);
        let teacher = Principal::Account {
            id: own,
            role: Role::Teacher,
            session_id: Uuid::nil(),
        };
        let scope = lesson_scope(&teacher).unwrap();
        assert!(scope.reaches(own) && !scope.reaches(Uuid::nil()));
        assert!(lesson_scope(&account(Role::Office)).unwrap().reaches(own));
    }

    #[test]
    fn a_webshop_key_is_allowed_no_operation_yet_whatever_its_kind() {
        let integration = Principal::Integration {
            id: Uuid::nil(),
            kind: domain::IntegrationKind::Webshop,
            scopes: vec![Scope::Webshop],
        };
        for action in [
            Action::ManageStaff,
            Action::ManageIntegrations,
            Action::ReadAuditLog,
            Action::ManageCustomers,
            Action::ManageUniikkilista,
            Action::ManageSurveys,
            Action::ManagePrivacy,
            Action::TeachLessons,
            Action::ManageBookings,
        ] {
            assert!(!allows(&integration, action), "{action:?}");
        }
        assert_eq!(customer_scope(&integration), None);
        assert_eq!(own_account(&integration), None);
        assert!(!is_person(&integration));
    }

    #[test]
    fn only_a_customer_acts_as_their_own_account() {
        assert_eq!(own_account(&account(Role::Customer)), Some(Uuid::nil()));
        for role in [Role::Admin, Role::Office, Role::Teacher] {
            assert_eq!(own_account(&account(role)), None);
            assert!(is_person(&account(role)));
        }
    }

    #[test]
    fn an_active_admin_loses_rights_by_demotion_or_deactivation_only() {
        assert!(ends_admin_rights(
            Role::Admin,
            true,
            Some(Role::Office),
            None
        ));
        assert!(ends_admin_rights(Role::Admin, true, None, Some(false)));
        assert!(!ends_admin_rights(
            Role::Admin,
            true,
            Some(Role::Admin),
            Some(true)
        ));
        assert!(!ends_admin_rights(
            Role::Admin,
            false,
            Some(Role::Office),
            None
        ));
        assert!(!ends_admin_rights(Role::Office, true, None, Some(false)));
    }
}
