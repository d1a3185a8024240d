//! UniikkiLista: the opt-in list for email and SMS notices of cancellation slots and upcoming
//! enrolments. Public sign-up with double opt-in; one-call unsubscribe; staff notices.

pub mod dto;
pub mod notice;
mod outgoing;
pub mod signup;
pub mod subscriptions;
mod templates;
