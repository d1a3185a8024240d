-- The teaching calendar: lessons, single-lesson bookings and what became of them.
--
-- No double booking is settled by the database itself: a teacher's lessons, a room's lessons
-- and one customer's live bookings may not overlap (exclusion constraints over time ranges),
-- and a lesson's places are taken by a conditional update of its `booked` counter, which may
-- never exceed `capacity`.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE lessons (
    id uuid PRIMARY KEY,
    teacher_id uuid NOT NULL REFERENCES accounts (id),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    location_kind text NOT NULL CONSTRAINT lessons_location_kind_check
        CHECK (location_kind IN ('room', 'online')),
    -- The room as staff name it, and its key (case and spacing folded) that overlaps compare.
    room text,
    room_key text,
    online_url text,
    kind text NOT NULL CONSTRAINT lessons_kind_check CHECK (kind IN ('private', 'group')),
    capacity integer NOT NULL CONSTRAINT lessons_capacity_check
        CHECK (capacity BETWEEN 1 AND 100 AND (kind <> 'private' OR capacity = 1)),
    price_cents integer NOT NULL CONSTRAINT lessons_price_check CHECK (price_cents >= 0),
    status text NOT NULL CONSTRAINT lessons_status_check
        CHECK (status IN ('scheduled', 'cancelled')),
    booked integer NOT NULL CONSTRAINT lessons_booked_check CHECK (booked BETWEEN 0 AND capacity),
    version bigint NOT NULL,
    created_by uuid REFERENCES accounts (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    cancelled_at timestamptz,
    CONSTRAINT lessons_times_check CHECK (ends_at > starts_at),
    CONSTRAINT lessons_location_check CHECK (
        (location_kind = 'room' AND room IS NOT NULL AND room_key IS NOT NULL AND online_url IS NULL)
        OR (location_kind = 'online' AND online_url IS NOT NULL AND room IS NULL AND room_key IS NULL)),
    CONSTRAINT lessons_teacher_overlap EXCLUDE USING gist (
        teacher_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled'),
    CONSTRAINT lessons_room_overlap EXCLUDE USING gist (
        room_key WITH =, tstzrange(starts_at, ends_at) WITH &&)
        WHERE (status <> 'cancelled' AND room_key IS NOT NULL)
);
CREATE INDEX lessons_starts_at_idx ON lessons (starts_at, id);
CREATE INDEX lessons_teacher_idx ON lessons (teacher_id, starts_at);

-- A customer's place on a lesson. The lesson's times are copied here so that one customer's
-- live bookings can be kept from overlapping by a constraint on this table alone.
CREATE TABLE bookings (
    id uuid PRIMARY KEY,
    lesson_id uuid NOT NULL REFERENCES lessons (id),
    customer_id uuid NOT NULL REFERENCES customers (id),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    status text NOT NULL CONSTRAINT bookings_status_check CHECK (status IN
        ('booked', 'cancelled', 'attended', 'no_show', 'excused', 'cancelled_by_school')),
    -- Cancelled after the cut-off (by staff): the lesson may still be charged.
    late_cancellation boolean NOT NULL,
    source text NOT NULL CONSTRAINT bookings_source_check
        CHECK (source IN ('customer', 'staff', 'calendar')),
    created_by_kind text NOT NULL CONSTRAINT bookings_created_by_kind_check
        CHECK (created_by_kind IN ('account', 'integration')),
    created_by uuid NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT bookings_customer_overlap EXCLUDE USING gist (
        customer_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'booked')
);
CREATE INDEX bookings_customer_idx ON bookings (customer_id, starts_at);
CREATE INDEX bookings_lesson_idx ON bookings (lesson_id);
CREATE UNIQUE INDEX bookings_customer_lesson_key ON bookings (customer_id, lesson_id)
    WHERE status = 'booked';

-- What happened to a booking, in order: booked, rescheduled, cancelled, and the attendance.
CREATE TABLE booking_events (
    id uuid PRIMARY KEY,
    booking_id uuid NOT NULL REFERENCES bookings (id),
    event text NOT NULL CONSTRAINT booking_events_event_check CHECK (event IN
        ('booked', 'rescheduled', 'cancelled', 'attended', 'no_show', 'excused',
         'cancelled_by_school')),
    -- The lesson the booking is on after the event.
    lesson_id uuid NOT NULL REFERENCES lessons (id),
    late boolean NOT NULL,
    actor_kind text NOT NULL CONSTRAINT booking_events_actor_kind_check
        CHECK (actor_kind IN ('account', 'integration', 'system')),
    actor_id uuid,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX booking_events_booking_idx ON booking_events (booking_id, id);
