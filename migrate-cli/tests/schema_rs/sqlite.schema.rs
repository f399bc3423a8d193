// @generated automatically by Diesel CLI.

diesel::table! {
    audit_log (rowid) {
        rowid -> Integer,
        message -> Text,
    }
}

diesel::table! {
    comments (id) {
        id -> Integer,
        post_id -> BigInt,
        author_id -> Nullable<Integer>,
        parent_id -> Nullable<Integer>,
        body -> Text,
    }
}

diesel::table! {
    follows (id) {
        id -> Integer,
        follower_id -> Integer,
        followee_id -> Integer,
    }
}

diesel::table! {
    posts (id) {
        id -> Integer,
        user_id -> Integer,
        title -> Text,
        #[sql_name = "type"]
        type_ -> Text,
        #[sql_name = "Display Title"]
        Display_Title -> Nullable<Text>,
        status -> Text,
        published_at -> Nullable<Text>,
    }
}

diesel::table! {
    #[sql_name = "user-tags"]
    user_tags (user_id, tag) {
        user_id -> Integer,
        tag -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        name -> Nullable<Text>,
        is_admin -> Bool,
        rank -> Nullable<SmallInt>,
        karma -> BigInt,
        balance -> Nullable<Double>,
        score -> Nullable<Double>,
        ratio -> Nullable<Float>,
        avatar -> Nullable<Binary>,
        born_on -> Nullable<Date>,
        wakes_at -> Nullable<Time>,
        seen_at -> Nullable<Timestamp>,
        created_at -> Text,
        token -> Text,
        mood -> Nullable<Text>,
        prefs -> Nullable<Text>,
        settings -> Text,
    }
}

diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(posts -> users (user_id));
diesel::joinable!(user_tags -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_log, comments, follows, posts, user_tags, users,
);
