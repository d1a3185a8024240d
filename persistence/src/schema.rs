//! The tables, as diesel sees them. Kept by hand: the same declarations serve both backends.

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    accounts (id) {
        id -> Uuid,
        email -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        password_is_one_time -> Bool,
        password_expires_at -> Nullable<UtcTimestamp>,
        active -> Bool,
        last_login_at -> Nullable<UtcTimestamp>,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
        version -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::UtcTimestamp;

    idempotency_keys (principal, idempotency_key) {
        principal -> Text,
        idempotency_key -> Text,
        request_method -> Text,
        request_path -> Text,
        request_fingerprint -> Text,
        response_status -> Nullable<Integer>,
        response_headers -> Nullable<Text>,
        response_body -> Nullable<Text>,
        created_at -> UtcTimestamp,
        expires_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    refresh_tokens (id) {
        id -> Uuid,
        family_id -> Uuid,
        account_id -> Uuid,
        token_hash -> Text,
        password_change_only -> Bool,
        created_at -> UtcTimestamp,
        expires_at -> UtcTimestamp,
        used_at -> Nullable<UtcTimestamp>,
        revoked_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    login_events (id) {
        id -> Uuid,
        account_id -> Nullable<Uuid>,
        login_name_hash -> Text,
        occurred_at -> UtcTimestamp,
        outcome -> Text,
        client_ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    integrations (id) {
        id -> Uuid,
        name -> Text,
        kind -> Text,
        scopes -> Text,
        processor_company -> Text,
        processor_country -> Text,
        processor_in_eea -> Bool,
        key_prefix -> Text,
        key_hash -> Text,
        webhook_secret -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> UtcTimestamp,
        last_used_at -> Nullable<UtcTimestamp>,
        revoked_at -> Nullable<UtcTimestamp>,
        previous_webhook_secret -> Nullable<Text>,
        previous_secret_until -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    audit_events (seq) {
        seq -> BigInt,
        id -> Uuid,
        occurred_at -> UtcTimestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        subject_id -> Nullable<Uuid>,
        request_id -> Nullable<Text>,
        client_ip -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;

    audit_chain_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    audit_pending (id) {
        id -> BigInt,
        entry_id -> Uuid,
        occurred_at -> UtcTimestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        subject_id -> Nullable<Uuid>,
        request_id -> Nullable<Text>,
        client_ip -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    customers (id) {
        id -> Uuid,
        first_name -> Text,
        last_name -> Text,
        first_name_key -> Text,
        last_name_key -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        street -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        city -> Nullable<Text>,
        country -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        language -> Text,
        guardian_name -> Nullable<Text>,
        guardian_email -> Nullable<Text>,
        guardian_phone -> Nullable<Text>,
        source -> Text,
        account_id -> Nullable<Uuid>,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
        version -> BigInt,
        restricted_at -> Nullable<UtcTimestamp>,
        restriction_reason -> Nullable<Text>,
        erased_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    messages (id) {
        id -> Uuid,
        channel -> Text,
        recipient -> Text,
        customer_id -> Nullable<Uuid>,
        purpose -> Text,
        language -> Text,
        subject -> Nullable<Text>,
        body -> Text,
        unsubscribe_url -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> UtcTimestamp,
        locked_until -> Nullable<UtcTimestamp>,
        last_error -> Nullable<Text>,
        created_at -> UtcTimestamp,
        sent_at -> Nullable<UtcTimestamp>,
        subscription_id -> Nullable<Uuid>,
        calendar -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    uniikkilista_subscriptions (id) {
        id -> Uuid,
        name -> Text,
        guardian_name -> Nullable<Text>,
        age -> Integer,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        language -> Text,
        wants_email -> Bool,
        wants_sms -> Bool,
        email_confirmed_at -> Nullable<UtcTimestamp>,
        sms_confirmed_at -> Nullable<UtcTimestamp>,
        email_unsubscribed_at -> Nullable<UtcTimestamp>,
        sms_unsubscribed_at -> Nullable<UtcTimestamp>,
        topic_cancellation_slots -> Bool,
        topic_upcoming_enrolments -> Bool,
        privacy_notice_version -> Text,
        consent_given_by -> Text,
        customer_id -> Nullable<Uuid>,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    uniikkilista_tokens (token_hash) {
        token_hash -> Text,
        subscription_id -> Uuid,
        purpose -> Text,
        channel -> Text,
        expires_at -> UtcTimestamp,
        used_at -> Nullable<UtcTimestamp>,
        created_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    surveys (id) {
        id -> Uuid,
        kind -> Text,
        title -> Text,
        current_version -> Integer,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    survey_versions (survey_id, version) {
        survey_id -> Uuid,
        version -> Integer,
        questions -> Text,
        created_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    survey_responses (id) {
        id -> Uuid,
        survey_id -> Uuid,
        version -> Integer,
        customer_id -> Uuid,
        answers -> Text,
        submitted_by -> Uuid,
        created_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::UtcTimestamp;

    privacy_notice_versions (version) {
        version -> Text,
        published_at -> UtcTimestamp,
        content -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    consents (id) {
        id -> Uuid,
        customer_id -> Uuid,
        purpose -> Text,
        granted -> Bool,
        source -> Text,
        given_by -> Text,
        privacy_notice_version -> Text,
        recorded_by -> Nullable<Uuid>,
        created_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    privacy_requests (id) {
        id -> Uuid,
        customer_id -> Uuid,
        kind -> Text,
        status -> Text,
        description -> Nullable<Text>,
        filed_by -> Text,
        identity_verification -> Nullable<Text>,
        received_at -> UtcTimestamp,
        due_on -> Date,
        extension_reason -> Nullable<Text>,
        resolution -> Nullable<Text>,
        recorded_by -> Nullable<Uuid>,
        updated_at -> UtcTimestamp,
        version -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    lessons (id) {
        id -> Uuid,
        teacher_id -> Uuid,
        starts_at -> UtcTimestamp,
        ends_at -> UtcTimestamp,
        location_kind -> Text,
        room -> Nullable<Text>,
        room_key -> Nullable<Text>,
        online_url -> Nullable<Text>,
        kind -> Text,
        capacity -> Integer,
        price_cents -> Integer,
        status -> Text,
        booked -> Integer,
        version -> BigInt,
        created_by -> Nullable<Uuid>,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
        cancelled_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    bookings (id) {
        id -> Uuid,
        lesson_id -> Uuid,
        customer_id -> Uuid,
        starts_at -> UtcTimestamp,
        ends_at -> UtcTimestamp,
        status -> Text,
        late_cancellation -> Bool,
        source -> Text,
        created_by_kind -> Text,
        created_by -> Uuid,
        version -> BigInt,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
        reminded_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    calendar_feeds (id) {
        id -> Uuid,
        teacher_id -> Nullable<Uuid>,
        customer_id -> Nullable<Uuid>,
        token_hash -> Text,
        created_by -> Uuid,
        created_at -> UtcTimestamp,
        token_made_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    booking_events (id) {
        id -> Uuid,
        booking_id -> Uuid,
        event -> Text,
        lesson_id -> Uuid,
        late -> Bool,
        actor_kind -> Text,
        actor_id -> Nullable<Uuid>,
        occurred_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    webhook_inbox (id) {
        id -> Uuid,
        integration_id -> Uuid,
        webhook_id -> Text,
        event_type -> Text,
        changed_at -> UtcTimestamp,
        received_at -> UtcTimestamp,
        payload -> Text,
        outcome -> Text,
        detail -> Nullable<Text>,
        customer_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{UtcTimestamp, Uuid};

    external_bookings (integration_id, external_id) {
        integration_id -> Uuid,
        external_id -> Text,
        booking_id -> Nullable<Uuid>,
        state -> Text,
        changed_at -> UtcTimestamp,
    }
}

diesel::joinable!(consents -> customers (customer_id));
diesel::joinable!(privacy_requests -> customers (customer_id));
diesel::joinable!(customers -> accounts (account_id));
diesel::joinable!(survey_versions -> surveys (survey_id));
diesel::joinable!(survey_responses -> customers (customer_id));
diesel::joinable!(uniikkilista_subscriptions -> customers (customer_id));
diesel::joinable!(uniikkilista_tokens -> uniikkilista_subscriptions (subscription_id));
diesel::joinable!(messages -> customers (customer_id));
diesel::joinable!(messages -> uniikkilista_subscriptions (subscription_id));
diesel::joinable!(refresh_tokens -> accounts (account_id));
diesel::joinable!(login_events -> accounts (account_id));
diesel::joinable!(lessons -> accounts (teacher_id));
diesel::joinable!(bookings -> lessons (lesson_id));
diesel::joinable!(bookings -> customers (customer_id));
diesel::joinable!(booking_events -> bookings (booking_id));
diesel::joinable!(calendar_feeds -> customers (customer_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    audit_chain_head,
    audit_events,
    audit_pending,
    booking_events,
    bookings,
    calendar_feeds,
    consents,
    customers,
    external_bookings,
    idempotency_keys,
    integrations,
    lessons,
    login_events,
    messages,
    privacy_notice_versions,
    privacy_requests,
    refresh_tokens,
    survey_responses,
    survey_versions,
    surveys,
    uniikkilista_subscriptions,
    uniikkilista_tokens,
    webhook_inbox,
);
