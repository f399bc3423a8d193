//! Many processes at once, and processes killed mid-migration. The test binary re-executes
//! itself as the child process (`child_process` runs only when `MIGRATE_CHILD_URL` is set).

#![allow(clippy::unwrap_used)]

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::TestDb;
use migrate_core::sql::Value;
use migrate_core::{Backend, Event, Migration, MigrationSet, Migrator, Op, Result};

const CHILD_URL: &str = "MIGRATE_CHILD_URL";
const CHILD_SET: &str = "MIGRATE_CHILD_SET";

macro_rules! counted {
    ($rev:literal, [$($down:literal),*]) => {
        Migration::__new($rev, &[$($down),*], &[], &[], "counted", "s", concat!("tests/versions/", $rev, ".rs"), 1, |op| {
            op.execute(concat!("CREATE TABLE t_", $rev, " (id INT)"))?;
            op.execute(concat!("INSERT INTO side_effects (rev) VALUES ('", $rev, "')"))?;
            Ok(())
        }, None, true)
    };
}

static COUNTED: [Migration; 5] = [
    counted!("c1", []),
    counted!("c2", ["c1"]),
    counted!("c3", ["c2"]),
    counted!("c4", ["c3"]),
    counted!("c5", ["c4"]),
];
static COUNTED_SET: MigrationSet = MigrationSet::__new("counted", &COUNTED);

macro_rules! slow {
    ($rev:literal, [$($down:literal),*]) => {
        Migration::__new($rev, &[$($down),*], &[], &[], "slow", "s", concat!("tests/versions/", $rev, ".rs"), 1, |op| {
            op.execute(concat!("CREATE TABLE t_", $rev, " (id INT)"))?;
            op.run(|_| {
                std::thread::sleep(Duration::from_millis(40));
                Ok(())
            })?;
            op.execute(concat!("INSERT INTO t_", $rev, " (id) VALUES (1)"))?;
            Ok(())
        }, None, true)
    };
}

static SLOW: [Migration; 6] = [
    slow!("k1", []),
    slow!("k2", ["k1"]),
    slow!("k3", ["k2"]),
    slow!("k4", ["k3"]),
    slow!("k5", ["k4"]),
    slow!("k6", ["k5"]),
];
static SLOW_SET: MigrationSet = MigrationSet::__new("slow", &SLOW);

/// MySQL/MariaDB: migrations of many statements, DDL (which commits as it runs) and DML mixed,
/// for the kill trial: each kill can land between statements, inside one, or between a DDL
/// statement's commit and the progress write after it.
fn ddl1(op: &mut Op) -> Result<()> {
    op.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)")?;
    let rows = (0..3000i64)
        .map(|i| vec![Value::from(i), Value::Text(format!("user {i}"))])
        .collect();
    op.bulk_insert("users", &["id", "name"], rows)?;
    op.execute("ALTER TABLE users ADD COLUMN email VARCHAR(100)")?;
    op.execute("CREATE INDEX ix_users_name ON users (name)")?;
    op.execute("UPDATE users SET email = CONCAT(REPLACE(name, ' ', '.'), '@example.com')")?;
    op.execute("CREATE TABLE scratch (id INT)")?;
    op.execute("INSERT INTO side_effects (rev) VALUES ('d1')")?;
    Ok(())
}

fn ddl2(op: &mut Op) -> Result<()> {
    op.execute("CREATE TABLE posts (id INT PRIMARY KEY, user_id INT NOT NULL)")?;
    op.execute(
        "ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id)",
    )?;
    op.execute("ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email)")?;
    op.execute("ALTER TABLE users ADD CONSTRAINT ck_users_id CHECK (id >= 0)")?;
    op.execute("INSERT INTO posts (id, user_id) SELECT id, id FROM users WHERE id < 500")?;
    op.execute("INSERT INTO side_effects (rev) VALUES ('d2')")?;
    Ok(())
}

fn ddl3(op: &mut Op) -> Result<()> {
    op.execute("DROP INDEX ix_users_name ON users")?;
    op.execute("DROP TABLE scratch")?;
    op.execute("ALTER TABLE users DROP COLUMN name")?;
    op.execute("ALTER TABLE posts ADD COLUMN title VARCHAR(20) NOT NULL DEFAULT 'x'")?;
    op.execute("ALTER TABLE posts DROP FOREIGN KEY fk_posts_user")?;
    op.execute(
        "ALTER TABLE posts ADD CONSTRAINT fk_posts_author FOREIGN KEY (user_id) REFERENCES users (id)",
    )?;
    op.execute("ALTER TABLE posts RENAME COLUMN title TO headline")?;
    op.execute("RENAME TABLE posts TO articles")?;
    op.execute("INSERT INTO side_effects (rev) VALUES ('d3')")?;
    Ok(())
}

static DDL: [Migration; 3] = [
    Migration::__new(
        "d1",
        &[],
        &[],
        &[],
        "users",
        "s1",
        "tests/versions/d1.rs",
        1,
        ddl1,
        None,
        true,
    ),
    Migration::__new(
        "d2",
        &["d1"],
        &[],
        &[],
        "posts",
        "s2",
        "tests/versions/d2.rs",
        1,
        ddl2,
        None,
        true,
    ),
    Migration::__new(
        "d3",
        &["d2"],
        &[],
        &[],
        "tidy",
        "s3",
        "tests/versions/d3.rs",
        1,
        ddl3,
        None,
        true,
    ),
];
static DDL_SET: MigrationSet = MigrationSet::__new("ddl", &DDL);

/// One slow DDL statement (about a second of server work): a kill lands inside it.
static SINGLE: [Migration; 1] = [Migration::__new(
    "s1",
    &[],
    &[],
    &[],
    "one statement",
    "s",
    "tests/versions/s1.rs",
    1,
    |op| {
        op.execute("CREATE TABLE big AS SELECT seq AS id FROM seq_1_to_2000000")?;
        Ok(())
    },
    None,
    true,
)];
static SINGLE_SET: MigrationSet = MigrationSet::__new("single", &SINGLE);

/// The child: upgrade to head and exit 0, or print the error and exit 1.
#[test]
fn child_process() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    let set = match std::env::var(CHILD_SET).as_deref() {
        Ok("slow") => &SLOW_SET,
        Ok("ddl") => &DDL_SET,
        Ok("single") => &SINGLE_SET,
        _ => &COUNTED_SET,
    };
    let result = Migrator::new(&[set])
        .and_then(|m| m.url(&url))
        .and_then(|m| m.upgrade("head"));
    match result {
        Ok(_) => std::process::exit(0),
        Err(e) => {
            eprintln!("child failed: {e}");
            std::process::exit(1);
        }
    }
}

fn spawn_child(url: &str, set: &str) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_URL, url)
        .env(CHILD_SET, set)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn child")
}

fn eight_processes_at_once(backend: Backend) {
    for round in 0..20 {
        let db = TestDb::new(backend, "conc");
        db.exec("CREATE TABLE side_effects (rev VARCHAR(10))");
        let children: Vec<Child> = (0..8).map(|_| spawn_child(&db.url, "counted")).collect();
        for child in children {
            let out = child.wait_with_output().expect("child ran");
            assert!(
                out.status.success(),
                "round {round}: a process failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        for m in &COUNTED {
            let n = db.count(&format!(
                "SELECT COUNT(*) AS n FROM side_effects WHERE rev = '{}'",
                m.rev
            ));
            assert_eq!(n, 1, "round {round}: {} ran {n} times", m.rev);
        }
        assert_eq!(db.rows(), ["c5"]);
    }
}

#[test]
fn eight_processes_at_once_sqlite() {
    eight_processes_at_once(Backend::Sqlite);
}

#[test]
fn eight_processes_at_once_postgres() {
    eight_processes_at_once(Backend::Postgres);
}

#[test]
fn eight_processes_at_once_mysql() {
    eight_processes_at_once(Backend::Mysql);
}

/// The schema matches the version rows: exactly the applied migrations' tables exist, each
/// with its row.
fn assert_consistent(db: &TestDb, context: &str) {
    let rows = db.rows();
    let applied = match rows.as_slice() {
        [] => 0,
        [one] => one[1..].parse::<usize>().expect("k<n>"),
        more => panic!("{context}: several rows {more:?}"),
    };
    for (i, m) in SLOW.iter().enumerate() {
        let table = format!("t_{}", m.rev);
        let should = i < applied;
        assert_eq!(
            db.has_table(&table),
            should,
            "{context}: rows {rows:?} but table {table} exists = {}",
            !should
        );
        if should {
            assert_eq!(db.count(&format!("SELECT COUNT(*) AS n FROM {table}")), 1);
        }
    }
}

fn killed_mid_migration(backend: Backend) {
    let mut partial_rounds = 0;
    for round in 0..20u64 {
        let db = TestDb::new(backend, "kill");
        let mut child = spawn_child(&db.url, "slow");
        // Spread the kills over the run (start-up, between and inside migrations).
        std::thread::sleep(Duration::from_millis(60 + (round * 37) % 300));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        db.settle();
        let context = format!("round {round}");
        if db.has_table("migrate_version") {
            assert_consistent(&db, &context);
            if !db.rows().is_empty() && db.rows() != ["k6"] {
                partial_rounds += 1;
            }
        }
        // The next run recovers (lock released, partial work rolled back) and completes.
        Migrator::new(&[&SLOW_SET])
            .unwrap()
            .url(&db.url)
            .unwrap()
            .lock_timeout(Duration::from_secs(20))
            .upgrade("head")
            .unwrap_or_else(|e| panic!("{context}: recovery failed: {e}"));
        assert_eq!(db.rows(), ["k6"]);
        assert_consistent(&db, &context);
    }
    assert!(
        partial_rounds > 0,
        "no kill landed between the first and the last migration"
    );
}

#[test]
fn killed_mid_migration_sqlite() {
    killed_mid_migration(Backend::Sqlite);
}

#[test]
fn killed_mid_migration_postgres() {
    killed_mid_migration(Backend::Postgres);
}

/// What a user sees of the schema and data the DDL set builds: each table's definition and
/// a digest of its rows.
fn mysql_state(db: &TestDb) -> Vec<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Create {
        #[diesel(sql_type = diesel::sql_types::Text, column_name = "Create Table")]
        sql: String,
    }
    let mut out = Vec::new();
    for table in ["users", "articles"] {
        let rows: Vec<Create> = diesel::sql_query(format!("SHOW CREATE TABLE {table}"))
            .load(&mut db.conn())
            .unwrap();
        out.push(rows[0].sql.clone());
    }
    out.push(format!("scratch exists: {}", db.has_table("scratch")));
    out.push(format!(
        "users: {} rows, {} with their email",
        db.count("SELECT COUNT(*) AS n FROM users"),
        db.count(
            "SELECT COUNT(*) AS n FROM users WHERE email = CONCAT('user.', id, '@example.com')"
        )
    ));
    out.push(format!(
        "articles: {}",
        db.count("SELECT COUNT(*) AS n FROM articles WHERE headline = 'x'")
    ));
    out
}

/// A tiny deterministic generator (xorshift64*): the trial's kill points, from a printed seed.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

/// MariaDB: kill -9 a child at random points of a run of multi-statement migrations; after
/// each kill, a plain rerun completes, with every migration applied once, the version and
/// history rows consistent, and the schema and data as an uninterrupted run leaves them.
#[test]
fn killed_mid_migration_mysql() {
    // An uninterrupted run in a child: the expected state, and how long a run takes.
    let reference = TestDb::new(Backend::Mysql, "killref");
    reference.exec("CREATE TABLE side_effects (rev VARCHAR(10))");
    let t = std::time::Instant::now();
    let out = spawn_child(&reference.url, "ddl")
        .wait_with_output()
        .unwrap();
    let full = t.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = mysql_state(&reference);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut rng = seed;
    let (mut interrupted, mut window_hits) = (0, 0);
    for round in 0..10 {
        let db = TestDb::new(Backend::Mysql, "killmy");
        db.exec("CREATE TABLE side_effects (rev VARCHAR(10))");
        let mut child = spawn_child(&db.url, "ddl");
        // Anywhere from start-up to the end of the run.
        let at = full.mul_f64(0.05 + 0.9 * (next(&mut rng) % 1000) as f64 / 1000.0);
        std::thread::sleep(at);
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let context = format!("seed {seed}, round {round}, killed after {at:?}");
        if db.has_table("migrate_version_progress")
            && db.count("SELECT COUNT(*) AS n FROM migrate_version_progress") > 0
        {
            interrupted += 1;
        }
        let events = common::Events::default();
        let applied = Migrator::new(&[&DDL_SET])
            .unwrap()
            .url(&db.url)
            .unwrap()
            .lock_timeout(Duration::from_secs(20))
            .on_event(events.sink())
            .upgrade("head")
            .unwrap_or_else(|e| panic!("{context}: the rerun failed: {e}"));
        window_hits += events
            .all()
            .iter()
            .filter(|e| matches!(e, Event::Warning { message, .. } if message.contains("had already taken effect")))
            .count();
        assert_eq!(db.rows(), ["d3"], "{context}: applied {applied:?}");
        for rev in ["d1", "d2", "d3"] {
            let ran = db.count(&format!(
                "SELECT COUNT(*) AS n FROM side_effects WHERE rev = '{rev}'"
            ));
            assert_eq!(ran, 1, "{context}: {rev} ran {ran} times");
            let recorded = db.count(&format!(
                "SELECT COUNT(*) AS n FROM migrate_history WHERE revision = '{rev}' AND direction = 'up' AND success"
            ));
            assert_eq!(recorded, 1, "{context}: {rev} has {recorded} history rows");
        }
        assert_eq!(
            db.count("SELECT COUNT(*) AS n FROM migrate_version_progress"),
            0,
            "{context}: nothing left in progress"
        );
        assert_eq!(mysql_state(&db), expected, "{context}");
        db.migrator(&[&DDL_SET])
            .check()
            .unwrap_or_else(|e| panic!("{context}: check: {e}"));
    }
    eprintln!(
        "kill trial: {interrupted} of 10 kills interrupted a migration, {window_hits} landed in \
         a DDL statement's commit window (a full run takes {full:?})"
    );
    assert!(
        interrupted > 0,
        "seed {seed}: no kill landed inside a migration"
    );
}

/// MariaDB: a single-statement migration killed while the server runs its statement. The
/// server finishes (or undoes) the statement after the client is gone; either way the rerun
/// completes it with no human step, and the statement's effect is there once.
#[test]
fn killed_inside_a_single_statement_migration_mysql() {
    let db = TestDb::new(Backend::Mysql, "killone");
    let mut child = spawn_child(&db.url, "single");
    let running = format!(
        "SELECT COUNT(*) AS n FROM information_schema.processlist \
         WHERE db = '{}' AND info LIKE 'CREATE TABLE big%'",
        db.name
    );
    let start = std::time::Instant::now();
    while db.count(&running) == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the statement never started"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child ended before the kill"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    assert_eq!(
        db.count("SELECT COUNT(*) AS n FROM migrate_version_progress"),
        1,
        "the interrupted migration is recorded before its statement runs"
    );
    let events = common::Events::default();
    let applied = Migrator::new(&[&SINGLE_SET])
        .unwrap()
        .url(&db.url)
        .unwrap()
        .lock_timeout(Duration::from_secs(30))
        .on_event(events.sink())
        .upgrade("head")
        .unwrap();
    assert_eq!(applied, ["s1"]);
    assert_eq!(db.rows(), ["s1"]);
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM big"), 2_000_000);
    assert_eq!(
        db.count("SELECT COUNT(*) AS n FROM migrate_version_progress"),
        0
    );
    let skipped = events.all().iter().any(
        |e| matches!(e, Event::Warning { message, .. } if message.contains("had already taken effect")),
    );
    eprintln!(
        "single statement: the server {} it after the kill",
        if skipped { "finished" } else { "undid" }
    );
}
