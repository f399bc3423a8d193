// @generated automatically by Diesel CLI.

pub mod sql_types {
    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "mood"))]
    pub struct Mood;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "post_status"))]
    pub struct PostStatus;
}

diesel::table! {
    comments (id) {
        id -> Int4,
        post_id -> Int8,
        author_id -> Nullable<Int4>,
        parent_id -> Nullable<Int4>,
        body -> Text,
    }
}

diesel::table! {
    follows (id) {
        id -> Int4,
        follower_id -> Int4,
        followee_id -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::PostStatus;
    use super::sql_types::Mood;

    posts (id) {
        id -> Int8,
        user_id -> Int4,
        #[max_length = 200]
        title -> Varchar,
        #[sql_name = "type"]
        #[max_length = 20]
        type_ -> Varchar,
        #[sql_name = "Display Title"]
        #[max_length = 50]
        Display_Title -> Nullable<Varchar>,
        status -> PostStatus,
        published_at -> Nullable<Timestamptz>,
        labels -> Nullable<Array<Nullable<Text>>>,
        moods -> Array<Nullable<Mood>>,
        #[max_length = 4]
        code -> Nullable<Bpchar>,
    }
}

diesel::table! {
    #[sql_name = "user-tags"]
    user_tags (user_id, tag) {
        user_id -> Int4,
        #[max_length = 50]
        tag -> Varchar,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Mood;

    users (id) {
        id -> Int4,
        #[max_length = 255]
        email -> Varchar,
        name -> Nullable<Text>,
        is_admin -> Bool,
        rank -> Nullable<Int2>,
        karma -> Int8,
        balance -> Nullable<Numeric>,
        score -> Nullable<Float8>,
        ratio -> Nullable<Float4>,
        avatar -> Nullable<Bytea>,
        born_on -> Nullable<Date>,
        wakes_at -> Nullable<Time>,
        seen_at -> Nullable<Timestamp>,
        created_at -> Timestamptz,
        token -> Uuid,
        mood -> Nullable<Mood>,
        prefs -> Nullable<Json>,
        settings -> Jsonb,
    }
}

diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(posts -> users (user_id));
diesel::joinable!(user_tags -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(comments, follows, posts, user_tags, users,);

pub mod billing {
    diesel::table! {
        billing.customers (id) {
            id -> Int4,
            user_id -> Nullable<Int4>,
        }
    }

    diesel::table! {
        billing.invoices (id) {
            id -> Int8,
            customer_id -> Int4,
            amount -> Numeric,
        }
    }

    diesel::joinable!(invoices -> customers (customer_id));

    diesel::allow_tables_to_appear_in_same_query!(customers, invoices,);
}
