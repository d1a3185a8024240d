//! Identity use cases: logging in, sessions, passwords, staff accounts, integrations, and the
//! first admin. Each runs its writes and their audit entries in one transaction.

pub mod attempts;
pub mod bootstrap;
pub mod integrations;
pub mod login;
pub mod one_time;
pub mod password;
pub mod sessions;
pub mod staff;
