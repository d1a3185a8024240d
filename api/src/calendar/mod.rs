//! The teaching calendar: lessons, single-lesson bookings, attendance.

pub mod attendance;
pub mod bookings;
pub mod dto;
pub mod feed_dto;
pub mod feeds;
mod ics;
pub mod lessons;
pub mod notices;
mod person;
mod wording;

use domain::audit::ActorKind;
use persistence::calendar::bookings::Actor;

use crate::auth::{Caller, Principal};

/// The caller as a booking's history names them.
pub fn actor_of(caller: &Caller) -> Actor {
    match caller.principal {
        Principal::Account { id, .. } => Actor {
            kind: ActorKind::Account,
            id: Some(id),
        },
        Principal::Integration { id, .. } => Actor {
            kind: ActorKind::Integration,
            id: Some(id),
        },
    }
}
