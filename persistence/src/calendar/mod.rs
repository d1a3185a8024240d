//! The teaching calendar: lessons and the bookings on them.

pub mod bookings;
pub mod lessons;
