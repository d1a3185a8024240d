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

diesel::allow_tables_to_appear_in_same_query!(accounts, idempotency_keys);
