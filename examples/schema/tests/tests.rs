//! The example schema on SQLite, PostgreSQL and MariaDB: upgrade to head, use the tables the
//! way the application does, downgrade to base, upgrade again.

mod docs;
mod introspect;
mod support;

use migrate_core::Backend;
use support::TestDb;

const USER: &str = "11111111-1111-4111-8111-111111111111";
const DOC: &str = "22222222-2222-4222-8222-222222222222";
const CONV: &str = "33333333-3333-4333-8333-333333333333";
const USER2: &str = "44444444-4444-4444-8444-444444444444";
const CONV2: &str = "55555555-5555-4555-8555-555555555555";

/// The tables at head, sorted.
const TABLES: &[&str] = &[
    "conversations",
    "documents",
    "extraction_profiles",
    "messages",
    "system_config",
    "users",
];

/// Every revision, parents before children. The two branch revisions (7th and 8th) are
/// independent: the order between them is the graph's (Alembic's rules), not asserted here.
const ORDER: &[&str] = &[
    "3f1c9a2b7d40",
    "8b2e4d6f1a93",
    "c47a1e9b3d25",
    "5d9f2c8e6b14",
    "e2a7b4c91f60",
    "9c3d5e7f2a81",
    "a6b8c0d2e4f1",
    "b7c9d1e3f5a2",
    "f0e1d2c3b4a5",
];

fn round_trip(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    let migrator = db.migrator();

    // Stop before the backfill, and write messages for it to count.
    let applied = migrator
        .upgrade("e2a7b4c91f60")
        .expect("upgrade to the seed revision");
    assert_eq!(applied, &ORDER[..5]);
    db.exec(&format!(
        "INSERT INTO users (id, email, display_name) VALUES ('{USER}', 'ada@example.com', 'Ada')"
    ));
    db.exec(&format!(
        "INSERT INTO conversations (id, user_id, title, metadata) VALUES ('{CONV}', '{USER}', 'Hello', '{{\"model\": \"small\"}}')"
    ));
    db.exec(&format!(
        "INSERT INTO messages (conversation_id, role, content) VALUES ('{CONV}', 'user', 'How many  words\nare here?')"
    ));
    db.exec(&format!(
        "INSERT INTO messages (conversation_id, role, content) VALUES ('{CONV}', 'assistant', '')"
    ));

    // The rest: the backfill, both branches and their merge.
    let applied = migrator.upgrade("head").expect("upgrade to head");
    assert_same_order(&applied, &ORDER[5..]);
    assert_eq!(migrator.current().expect("current"), [example_schema::HEAD]);
    assert!(migrator.status().expect("status").is_up_to_date());
    check_head_schema(&db);

    // The backfill counted the words with Rust, and the column is now NOT NULL.
    assert_eq!(
        db.number("SELECT SUM(word_count) AS n FROM messages"),
        5,
        "backfilled word counts"
    );
    assert!(
        db.try_exec(&format!(
            "INSERT INTO messages (conversation_id, role, content) VALUES ('{CONV}', 'user', 'x')"
        ))
        .is_err(),
        "word_count is NOT NULL after the backfill"
    );

    // Un-merge: reverting the merge leaves both branch tips as version rows.
    assert_eq!(
        migrator.downgrade("a6b8c0d2e4f1").expect("unmerge"),
        [example_schema::HEAD]
    );
    let mut rows = migrator.current().expect("current");
    rows.sort();
    assert_eq!(rows, ["a6b8c0d2e4f1", "b7c9d1e3f5a2"]);

    // Below the seed: the hand-written downgrades remove exactly the seed rows and the
    // backfilled column; the tables stay.
    migrator
        .downgrade("5d9f2c8e6b14")
        .expect("downgrade below the seed");
    assert_eq!(
        db.number("SELECT COUNT(*) AS n FROM extraction_profiles"),
        0
    );
    assert_eq!(db.number("SELECT COUNT(*) AS n FROM system_config"), 0);
    migrator.upgrade("head").expect("back to head");
    assert_eq!(
        db.number("SELECT COUNT(*) AS n FROM extraction_profiles"),
        3
    );

    // Down to nothing: every table goes, the seed rows with them; the version table stays.
    let reverted = migrator.downgrade("base").expect("downgrade to base");
    assert_eq!(reverted.len(), ORDER.len());
    assert_eq!(db.tables(), Vec::<String>::new());
    assert_eq!(migrator.current().expect("current"), Vec::<String>::new());

    // And up again, from scratch.
    let applied = migrator.upgrade("head").expect("upgrade again");
    assert_same_order(&applied, ORDER);
    check_head_schema(&db);
    assert_eq!(db.number("SELECT COUNT(*) AS n FROM users"), 0);
}

/// `applied` is `expected` up to the order of the two independent branch revisions.
fn assert_same_order(applied: &[String], expected: &[&str]) {
    let branch = ["a6b8c0d2e4f1", "b7c9d1e3f5a2"];
    let normalise = |revs: Vec<&str>| -> Vec<String> {
        revs.into_iter()
            .map(|r| {
                if branch.contains(&r) {
                    "<branch>".to_owned()
                } else {
                    r.to_owned()
                }
            })
            .collect()
    };
    assert_eq!(
        normalise(applied.iter().map(String::as_str).collect()),
        normalise(expected.to_vec()),
        "applied {applied:?}"
    );
}

/// Tables, indexes, seed rows, the status enum, defaults and cascades at head.
fn check_head_schema(db: &TestDb) {
    assert_eq!(db.tables(), TABLES);
    assert_eq!(
        db.indexes("documents"),
        ["ix_documents_owner_status", "ix_documents_status_created"]
    );
    assert_eq!(db.indexes("messages"), ["ix_messages_conversation"]);
    assert_eq!(db.indexes("users"), ["ix_users_last_seen"]);

    // Seed rows.
    assert_eq!(
        db.strings("SELECT name AS s FROM extraction_profiles ORDER BY id"),
        ["plain-text", "scanned", "invoices"]
    );
    assert_eq!(
        db.strings(
            "SELECT config_value AS s FROM system_config WHERE config_key = 'default_profile'"
        ),
        ["plain-text"]
    );

    // A user, a document with the default status, a conversation with messages.
    db.exec(&format!(
        "INSERT INTO users (id, email, display_name) VALUES ('{USER2}', 'grace@example.com', 'Grace')"
    ));
    db.exec(&format!(
        "INSERT INTO documents (id, owner_id, title, content_type, tags) VALUES ('{DOC}', '{USER2}', 'Q3 report', 'application/pdf', '[\"finance\"]')"
    ));
    assert_eq!(
        db.number(&format!(
            "SELECT COUNT(*) AS n FROM documents WHERE id = '{DOC}' AND status = 'pending'"
        )),
        1,
        "status defaults to pending"
    );
    assert_eq!(
        db.number(&format!("SELECT COUNT(*) AS n FROM users WHERE id = '{USER2}' AND created_at IS NOT NULL AND last_seen_at IS NULL")),
        1,
        "created_at is filled by the server"
    );
    db.exec(&format!(
        "UPDATE documents SET status = 'completed' WHERE id = '{DOC}'"
    ));
    assert!(
        db.try_exec(&format!(
            "UPDATE documents SET status = 'lost' WHERE id = '{DOC}'"
        ))
        .is_err(),
        "status accepts only the enum's values"
    );
    db.exec(&format!(
        "INSERT INTO conversations (id, user_id) VALUES ('{CONV2}', '{USER2}')"
    ));
    db.exec(&format!(
        "INSERT INTO messages (conversation_id, role, content, word_count) VALUES ('{CONV2}', 'user', 'hi', 1)"
    ));
    assert!(
        db.try_exec(&format!("INSERT INTO messages (conversation_id, role, content, word_count) VALUES ('{CONV2}', 'robot', 'hi', 1)"))
            .is_err(),
        "the role check rejects unknown roles"
    );

    // ON DELETE CASCADE: deleting the user deletes their documents, conversations, messages.
    db.exec(&format!("DELETE FROM users WHERE id = '{USER2}'"));
    assert_eq!(
        db.number(&format!(
            "SELECT COUNT(*) AS n FROM documents WHERE owner_id = '{USER2}'"
        )),
        0
    );
    assert_eq!(
        db.number(&format!(
            "SELECT COUNT(*) AS n FROM conversations WHERE user_id = '{USER2}'"
        )),
        0
    );
    assert_eq!(
        db.number(&format!(
            "SELECT COUNT(*) AS n FROM messages WHERE conversation_id = '{CONV2}'"
        )),
        0,
        "messages cascade-deleted with their conversation"
    );
}

/// Reverting the two feature branches (users.last_seen_at, documents.tags) must keep every
/// row: on SQLite the column drops rebuild `users` and `documents`, and the rebuild must not
/// set off their `ON DELETE CASCADE` foreign keys (conversations, messages, documents).
fn downgrade_keeps_rows(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    let migrator = db.migrator();
    migrator.upgrade("head").expect("upgrade");
    db.exec(&format!(
        "INSERT INTO users (id, email, display_name) VALUES ('{USER}', 'ada@example.com', 'Ada')"
    ));
    db.exec(&format!(
        "INSERT INTO documents (id, owner_id, title, content_type) VALUES ('{DOC}', '{USER}', 'Q3', 'application/pdf')"
    ));
    db.exec(&format!(
        "INSERT INTO conversations (id, user_id) VALUES ('{CONV}', '{USER}')"
    ));
    db.exec(&format!(
        "INSERT INTO messages (conversation_id, role, content, word_count) VALUES ('{CONV}', 'user', 'hi', 1)"
    ));
    migrator
        .downgrade("9c3d5e7f2a81")
        .expect("revert both branches");
    for table in ["users", "documents", "conversations", "messages"] {
        assert_eq!(
            db.number(&format!("SELECT COUNT(*) AS n FROM {table}")),
            1,
            "{table} keeps its row through the downgrade"
        );
    }
    migrator.upgrade("head").expect("upgrade again");
    assert_eq!(db.number("SELECT COUNT(*) AS n FROM messages"), 1);
}

#[test]
fn sqlite_downgrade_keeps_rows() {
    downgrade_keeps_rows(Backend::Sqlite, "sqlite_keep");
}

#[test]
fn postgres_downgrade_keeps_rows() {
    downgrade_keeps_rows(Backend::Postgres, "pg_keep");
}

#[test]
fn mariadb_downgrade_keeps_rows() {
    downgrade_keeps_rows(Backend::Mysql, "maria_keep");
}

#[test]
fn sqlite_round_trip() {
    round_trip(Backend::Sqlite, "sqlite");
}

#[test]
fn postgres_round_trip() {
    round_trip(Backend::Postgres, "pg");
}

#[test]
fn mariadb_round_trip() {
    round_trip(Backend::Mysql, "maria");
}

/// The graph the crate declares: one head, the branch point and the merge.
#[test]
fn graph_has_one_head_after_the_merge() {
    let migrator =
        migrate_core::Migrator::new(&[&example_schema::MIGRATIONS]).expect("valid graph");
    let graph = migrator.graph();
    assert_eq!(graph.heads(), [example_schema::HEAD]);
    assert_eq!(migrator.registry().migrations().len(), ORDER.len());
}

/// The backfill's Diesel step is recorded as a Rust step with no offline SQL (so `--sql`
/// refuses it, naming the migration, instead of printing a script that skips it).
#[test]
fn offline_sql_names_the_rust_step() {
    let migrator =
        migrate_core::Migrator::new(&[&example_schema::MIGRATIONS]).expect("valid graph");
    let ops = migrator
        .record("9c3d5e7f2a81", true, migrate_core::sql::Dialect::Postgres)
        .expect("record the backfill");
    assert!(ops.iter().any(|o| matches!(
        o,
        migrate_core::sql::Operation::Callback {
            offline_sql: None,
            ..
        }
    )));
}

/// Moving from Alembic (docs/guide.md §5): a database Alembic managed keeps its
/// `alembic_version` table; pointed at it, `migrate` reads the applied revision and carries on.
fn alembic_table_carries_over(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    // The schema as Alembic left it at e2a7b4c91f60 (built here with our own migrations,
    // then the bookkeeping replaced by Alembic's table, DDL as Alembic writes it).
    db.migrator().upgrade("e2a7b4c91f60").expect("schema");
    db.exec("DROP TABLE migrate_version");
    db.exec("DROP TABLE migrate_history");
    db.exec("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))");
    db.exec("INSERT INTO alembic_version (version_num) VALUES ('e2a7b4c91f60')");

    let migrator = db.migrator().version_table("alembic_version");
    assert_eq!(migrator.current().expect("current"), ["e2a7b4c91f60"]);
    assert!(migrator.ensure_at_head().is_err(), "behind head");
    let applied = migrator.upgrade("head").expect("upgrade");
    assert_eq!(applied.len(), 4);
    assert_eq!(
        db.strings("SELECT version_num AS s FROM alembic_version"),
        [example_schema::HEAD]
    );
    assert_eq!(
        db.number("SELECT COUNT(*) AS n FROM extraction_profiles"),
        3,
        "seed not re-run"
    );
}

#[test]
fn sqlite_alembic_table_carries_over() {
    alembic_table_carries_over(Backend::Sqlite, "sqlite_alembic");
}

#[test]
fn postgres_alembic_table_carries_over() {
    alembic_table_carries_over(Backend::Postgres, "pg_alembic");
}
