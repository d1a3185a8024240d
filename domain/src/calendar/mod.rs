//! The teaching calendar's rules: lessons, bookings and their states, and the school's clock.

pub mod ical;
mod lesson;
mod names;
pub mod time;

pub use lesson::{LessonProblem, check_lesson, room_key};
pub use names::{
    Attendance, BookingEvent, BookingSource, BookingStatus, LessonKind, LessonStatus, LocationKind,
};
