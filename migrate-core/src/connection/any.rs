//! The one Diesel connection type that speaks every enabled backend.
//!
//! `#[derive(diesel::MultiConnection)]` has no notion of `#[cfg]` on variants, so the enum is
//! declared once per combination of backend features.

#![allow(missing_docs, unreachable_pub)]

macro_rules! any_connection {
    ($($(#[$meta:meta])* $variant:ident($ty:ty)),+ $(,)?) => {
        /// A live Diesel connection to SQLite, PostgreSQL or MySQL/MariaDB (whichever backends
        /// are enabled), chosen by the URL.
        ///
        /// It implements [`diesel::Connection`], so Diesel's query builder and `sql_query` work
        /// on it directly (with the types `MultiConnection` supports: integers, floats, text,
        /// binary, booleans); match on the variants to reach a backend's own API.
        ///
        /// `#[non_exhaustive]`: a backend added later is a new variant, so a `match` needs a
        /// `_` arm.
        #[derive(diesel::MultiConnection)]
        #[non_exhaustive]
        pub enum AnyConnection {
            $($(#[$meta])* $variant($ty),)+
        }

        impl AnyConnection {
            /// The dialect of the variant.
            pub(crate) fn variant_dialect(&self) -> migrate_sql::Dialect {
                match self {
                    $(AnyConnection::$variant(_) => migrate_sql::Dialect::$variant,)+
                }
            }
        }
    };
}

/// `$body` with `$c` bound to the backend's own Diesel connection inside `$conn`: the one
/// dispatch over the variants, for Diesel APIs that are generic over the connection type.
macro_rules! with_inner {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            #[cfg(feature = "sqlite")]
            $crate::connection::AnyConnection::Sqlite($c) => $body,
            #[cfg(feature = "postgres")]
            $crate::connection::AnyConnection::Postgres($c) => $body,
            #[cfg(feature = "mysql")]
            $crate::connection::AnyConnection::Mysql($c) => $body,
        }
    };
}

#[cfg(all(feature = "sqlite", feature = "postgres", feature = "mysql"))]
any_connection!(
    /// SQLite (bundled).
    Sqlite(diesel::SqliteConnection),
    /// PostgreSQL.
    Postgres(diesel::PgConnection),
    /// MySQL or MariaDB.
    Mysql(diesel::MysqlConnection),
);
#[cfg(all(feature = "sqlite", feature = "postgres", not(feature = "mysql")))]
any_connection!(
    /// SQLite (bundled).
    Sqlite(diesel::SqliteConnection),
    /// PostgreSQL.
    Postgres(diesel::PgConnection),
);
#[cfg(all(feature = "sqlite", not(feature = "postgres"), feature = "mysql"))]
any_connection!(
    /// SQLite (bundled).
    Sqlite(diesel::SqliteConnection),
    /// MySQL or MariaDB.
    Mysql(diesel::MysqlConnection),
);
#[cfg(all(not(feature = "sqlite"), feature = "postgres", feature = "mysql"))]
any_connection!(
    /// PostgreSQL.
    Postgres(diesel::PgConnection),
    /// MySQL or MariaDB.
    Mysql(diesel::MysqlConnection),
);
#[cfg(all(feature = "sqlite", not(feature = "postgres"), not(feature = "mysql")))]
any_connection!(
    /// SQLite (bundled).
    Sqlite(diesel::SqliteConnection),
);
#[cfg(all(not(feature = "sqlite"), feature = "postgres", not(feature = "mysql")))]
any_connection!(
    /// PostgreSQL.
    Postgres(diesel::PgConnection),
);
#[cfg(all(not(feature = "sqlite"), not(feature = "postgres"), feature = "mysql"))]
any_connection!(
    /// MySQL or MariaDB.
    Mysql(diesel::MysqlConnection),
);
#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
compile_error!("migrate-core needs at least one backend feature: `sqlite`, `postgres` or `mysql`");
