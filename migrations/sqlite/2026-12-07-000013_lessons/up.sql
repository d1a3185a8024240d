-- The teaching calendar: lessons, single-lesson bookings and what became of them.
--
-- SQLite has no exclusion constraints: overlaps (a teacher's lessons, a room's lessons, one
-- customer's live bookings) are looked for inside the writer's transaction, which holds
-- SQLite's one write lock, so no other write can slip in between the check and the insert.
-- A lesson's places are taken by a conditional update of its `booked` counter, which the
-- CHECK keeps within `capacity`.
CREATE TABLE lessons (
    id TEXT NOT NULL PRIMARY KEY,
    teacher_id TEXT NOT NULL REFERENCES accounts (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    location_kind TEXT NOT NULL CONSTRAINT lessons_location_kind_check
        CHECK (location_kind IN ('room', 'online')),
    -- The room as staff name it, and its key (case and spacing folded) that overlaps compare.
    room TEXT,
    room_key TEXT,
    online_url TEXT,
    kind TEXT NOT NULL CONSTRAINT lessons_kind_check CHECK (kind IN ('private', 'group')),
    capacity INTEGER NOT NULL CONSTRAINT lessons_capacity_check
        CHECK (capacity BETWEEN 1 AND 100 AND (kind <> 'private' OR capacity = 1)),
    price_cents INTEGER NOT NULL CONSTRAINT lessons_price_check CHECK (price_cents >= 0),
    status TEXT NOT NULL CONSTRAINT lessons_status_check
        CHECK (status IN ('scheduled', 'cancelled')),
    booked INTEGER NOT NULL CONSTRAINT lessons_booked_check CHECK (booked BETWEEN 0 AND capacity),
    version INTEGER NOT NULL,
    created_by TEXT REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    cancelled_at TEXT,
    CONSTRAINT lessons_times_check CHECK (ends_at > starts_at),
    CONSTRAINT lessons_location_check CHECK (
        (location_kind = 'room' AND room IS NOT NULL AND room_key IS NOT NULL AND online_url IS NULL)
        OR (location_kind = 'online' AND online_url IS NOT NULL AND room IS NULL AND room_key IS NULL))
) STRICT;
CREATE INDEX lessons_starts_at_idx ON lessons (starts_at, id);
CREATE INDEX lessons_teacher_idx ON lessons (teacher_id, starts_at);
CREATE INDEX lessons_room_idx ON lessons (room_key, starts_at);

-- A customer's place on a lesson. The lesson's times are copied here so that one customer's
-- live bookings can be compared on this table alone.
CREATE TABLE bookings (
    id TEXT NOT NULL PRIMARY KEY,
    lesson_id TEXT NOT NULL REFERENCES lessons (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    status TEXT NOT NULL CONSTRAINT bookings_status_check CHECK (status IN
        ('booked', 'cancelled', 'attended', 'no_show', 'excused', 'cancelled_by_school')),
    -- Cancelled after the cut-off (by staff): the lesson may still be charged.
    late_cancellation INTEGER NOT NULL CHECK (late_cancellation IN (0, 1)),
    source TEXT NOT NULL CONSTRAINT bookings_source_check
        CHECK (source IN ('customer', 'staff', 'calendar')),
    created_by_kind TEXT NOT NULL CONSTRAINT bookings_created_by_kind_check
        CHECK (created_by_kind IN ('account', 'integration')),
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX bookings_customer_idx ON bookings (customer_id, starts_at);
CREATE INDEX bookings_lesson_idx ON bookings (lesson_id);
-- The last line of defence on SQLite: one live booking per customer and lesson.
CREATE UNIQUE INDEX bookings_customer_lesson_key ON bookings (customer_id, lesson_id)
    WHERE status = 'booked';

-- What happened to a booking, in order: booked, rescheduled, cancelled, and the attendance.
CREATE TABLE booking_events (
    id TEXT NOT NULL PRIMARY KEY,
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    event TEXT NOT NULL CONSTRAINT booking_events_event_check CHECK (event IN
        ('booked', 'rescheduled', 'cancelled', 'attended', 'no_show', 'excused',
         'cancelled_by_school')),
    -- The lesson the booking is on after the event.
    lesson_id TEXT NOT NULL REFERENCES lessons (id),
    late INTEGER NOT NULL CHECK (late IN (0, 1)),
    actor_kind TEXT NOT NULL CONSTRAINT booking_events_actor_kind_check
        CHECK (actor_kind IN ('account', 'integration', 'system')),
    actor_id TEXT,
    occurred_at TEXT NOT NULL
) STRICT;
CREATE INDEX booking_events_booking_idx ON booking_events (booking_id, id);
