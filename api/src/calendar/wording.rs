//! The words of booking messages in Finnish (the default), Swedish and English, every time on
//! the school's clock (Europe/Helsinki).

use domain::Language;
use domain::calendar::{LessonKind, time};
use persistence::calendar::lessons::{Lesson, Location};

/// Why the customer hears from us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    Booked,
    Moved,
    Cancelled,
    CancelledBySchool,
    Reminder,
}

impl Occasion {
    /// The outbox's `purpose` of the message.
    pub fn purpose(self) -> &'static str {
        match self {
            Self::Booked => "booking.confirmation",
            Self::Moved => "booking.change",
            Self::Cancelled => "booking.cancellation",
            Self::CancelledBySchool => "lesson.cancellation",
            Self::Reminder => "booking.reminder",
        }
    }

    /// Whether the lesson still takes place for the customer.
    pub fn keeps_the_lesson(self) -> bool {
        matches!(self, Self::Booked | Self::Moved | Self::Reminder)
    }
}

/// The headline and first sentence of a message.
fn lead(occasion: Occasion, language: Language) -> (&'static str, &'static str) {
    use Language::*;
    use Occasion::*;
    match (occasion, language) {
        (Booked, Fi) => ("Varaus vahvistettu", "varauksesi on vahvistettu."),
        (Booked, Sv) => ("Bokningen bekräftad", "din bokning är bekräftad."),
        (Booked, En) => ("Booking confirmed", "your booking is confirmed."),
        (Moved, Fi) => ("Varaus siirretty", "varauksesi on siirretty uuteen aikaan."),
        (Moved, Sv) => (
            "Bokningen flyttad",
            "din bokning har flyttats till en ny tid.",
        ),
        (Moved, En) => (
            "Booking moved",
            "your booking has been moved to a new time.",
        ),
        (Cancelled, Fi) => ("Varaus peruttu", "varauksesi on peruttu."),
        (Cancelled, Sv) => ("Bokningen avbokad", "din bokning har avbokats."),
        (Cancelled, En) => ("Booking cancelled", "your booking has been cancelled."),
        (CancelledBySchool, Fi) => (
            "Tunti peruttu",
            "valitettavasti tunti on peruttu. Otamme yhteyttä uudesta ajasta.",
        ),
        (CancelledBySchool, Sv) => (
            "Lektionen inställd",
            "tyvärr har lektionen ställts in. Vi hör av oss om en ny tid.",
        ),
        (CancelledBySchool, En) => (
            "Lesson cancelled",
            "unfortunately the lesson has been cancelled. We will be in touch about a new time.",
        ),
        (Reminder, Fi) => ("Muistutus tunnista", "muistutamme tulevasta tunnistasi."),
        (Reminder, Sv) => (
            "Påminnelse om lektionen",
            "vi påminner dig om din kommande lektion.",
        ),
        (Reminder, En) => ("Lesson reminder", "a reminder of your coming lesson."),
    }
}

fn kind_name(kind: LessonKind, language: Language) -> &'static str {
    match (kind, language) {
        (LessonKind::Private, Language::Fi) => "Yksityistunti",
        (LessonKind::Group, Language::Fi) => "Ryhmätunti",
        (LessonKind::Private, Language::Sv) => "Privatlektion",
        (LessonKind::Group, Language::Sv) => "Grupplektion",
        (LessonKind::Private, Language::En) => "Private lesson",
        (LessonKind::Group, Language::En) => "Group lesson",
    }
}

/// Where the lesson is, as a line of text.
pub fn place(location: &Location, language: Language) -> String {
    let (room, online) = match language {
        Language::Fi => ("Paikka", "Etätunti"),
        Language::Sv => ("Plats", "Distanslektion"),
        Language::En => ("Place", "Online"),
    };
    match location {
        Location::Room(name) => format!("{room}: {name}"),
        Location::Online(url) => format!("{online}: {url}"),
    }
}

/// `ti 31.3.2027 klo 17.00–17.45`.
pub fn when(lesson: &Lesson, language: Language) -> String {
    format!(
        "{}–{}",
        time::spoken(lesson.starts_at, language),
        time::clock(lesson.ends_at, language)
    )
}

/// The lesson's summary line: `Yksityistunti, opettaja Maija Laulaja`.
pub fn summary(lesson: &Lesson, language: Language) -> String {
    let teacher = match language {
        Language::Fi => "opettaja",
        Language::Sv => "lärare",
        Language::En => "teacher",
    };
    format!(
        "{}, {teacher} {}",
        kind_name(lesson.kind, language),
        lesson.teacher_name
    )
}

fn cut_off_note(hours: u32, language: Language) -> String {
    match language {
        Language::Fi => format!(
            "Voit perua tai siirtää varauksen viimeistään {hours} tuntia ennen tunnin alkua."
        ),
        Language::Sv => format!(
            "Du kan avboka eller flytta bokningen senast {hours} timmar innan lektionen börjar."
        ),
        Language::En => format!(
            "You can cancel or move the booking until {hours} hours before the lesson starts."
        ),
    }
}

fn greeting(language: Language, first_name: &str) -> String {
    match language {
        Language::Fi => format!("Hei {first_name},"),
        Language::Sv => format!("Hej {first_name},"),
        Language::En => format!("Hello {first_name},"),
    }
}

/// The subject and body of the email.
pub fn email(
    occasion: Occasion,
    language: Language,
    first_name: &str,
    lesson: &Lesson,
    cut_off_hours: u32,
) -> (String, String) {
    let (headline, sentence) = lead(occasion, language);
    let mut body = format!(
        "{}\n\n{sentence}\n\n{}\n{}\n{}\n",
        greeting(language, first_name),
        summary(lesson, language),
        when(lesson, language),
        place(&lesson.location, language),
    );
    if occasion.keeps_the_lesson() {
        body.push('\n');
        body.push_str(&cut_off_note(cut_off_hours, language));
        body.push('\n');
    }
    body.push_str("\nUniikkiÄäni\n");
    (format!("{headline}: {}", when(lesson, language)), body)
}

/// The text message: one short paragraph.
pub fn sms(occasion: Occasion, language: Language, lesson: &Lesson) -> String {
    let (headline, _) = lead(occasion, language);
    format!(
        "UniikkiÄäni: {headline}. {}, {}. {}",
        summary(lesson, language),
        when(lesson, language),
        place(&lesson.location, language)
    )
}
