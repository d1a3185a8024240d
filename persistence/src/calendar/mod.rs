//! The teaching calendar: lessons, the bookings on them, and their calendar feeds.

pub mod bookings;
pub mod feeds;
pub mod lessons;
