// @generated automatically by Diesel CLI.

pub mod sql_types {
    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(mysql_type(name = "Enum"))]
    pub struct PostsStatusEnum;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(mysql_type(name = "Enum"))]
    pub struct UsersMoodEnum;
}

diesel::table! {
    comments (id) {
        id -> Integer,
        post_id -> Bigint,
        author_id -> Nullable<Integer>,
        parent_id -> Nullable<Integer>,
        body -> Longtext,
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
    use diesel::sql_types::*;
    use super::sql_types::PostsStatusEnum;

    posts (id) {
        id -> Bigint,
        user_id -> Integer,
        #[max_length = 200]
        title -> Varchar,
        #[sql_name = "type"]
        #[max_length = 20]
        type_ -> Varchar,
        #[sql_name = "Display Title"]
        #[max_length = 50]
        Display_Title -> Nullable<Varchar>,
        #[max_length = 9]
        status -> PostsStatusEnum,
        published_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    #[sql_name = "user-tags"]
    user_tags (user_id, tag) {
        user_id -> Integer,
        #[max_length = 50]
        tag -> Varchar,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::UsersMoodEnum;

    users (id) {
        id -> Integer,
        #[max_length = 255]
        email -> Varchar,
        name -> Nullable<Longtext>,
        is_admin -> Bool,
        rank -> Nullable<Smallint>,
        karma -> Bigint,
        balance -> Nullable<Decimal>,
        score -> Nullable<Double>,
        ratio -> Nullable<Float>,
        avatar -> Nullable<Longblob>,
        born_on -> Nullable<Date>,
        wakes_at -> Nullable<Time>,
        seen_at -> Nullable<Datetime>,
        created_at -> Datetime,
        #[max_length = 36]
        token -> Char,
        #[max_length = 11]
        mood -> Nullable<UsersMoodEnum>,
    }
}

diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(posts -> users (user_id));
diesel::joinable!(user_tags -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(comments, follows, posts, user_tags, users,);
