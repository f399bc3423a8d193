//! The service binary started for real, against SQLite, PostgreSQL and MariaDB: start-up modes, every
//! endpoint, degraded mode, two instances racing on one database, the admin page (over HTTP and
//! in a real browser), and the template built after copying it out of the repository.

macro_rules! on_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $scenario() { super::$scenario(migrate_core::Backend::Sqlite, stringify!($scenario)); })*
        }
        mod postgres {
            $(#[test] fn $scenario() { super::$scenario(migrate_core::Backend::Postgres, stringify!($scenario)); })*
        }
        mod mariadb {
            $(#[test] fn $scenario() { super::$scenario(migrate_core::Backend::Mysql, stringify!($scenario)); })*
        }
    };
}

mod admin;
mod browser;
mod modes;
mod support;
mod template;

use migrate_core::Backend;
use serde_json::{json, Value};
use support::{run_to_exit, Service, TestDb};

pub(crate) const HEAD: &str = example_schema::HEAD;
pub(crate) const REVISIONS: i64 = 9;

pub(crate) fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Verify-only start-up on a database behind head: refuses, exit 3, says what to do.
fn refuses_when_behind(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    let (code, stderr) = run_to_exit(&db.url, "verify");
    assert_eq!(code, Some(3), "stderr: {stderr}");
    assert!(
        stderr.contains("refusing to start: the database is not up to date"),
        "{stderr}"
    );
    assert!(!db.exists_table("users"), "verify ran no migration");
    assert!(stderr.contains(HEAD), "names the head: {stderr}");

    // Half-way is still behind.
    db.migrator()
        .upgrade("5d9f2c8e6b14")
        .expect("partial upgrade");
    let (code, stderr) = run_to_exit(&db.url, "false");
    assert_eq!(code, Some(3), "stderr: {stderr}");
    assert!(stderr.contains("current 5d9f2c8e6b14"), "{stderr}");
    let (code, stderr) = run_to_exit(&db.url, "verify-at-or-ahead");
    assert_eq!(
        code,
        Some(3),
        "behind is refused in verify-at-or-ahead too: {stderr}"
    );
}

/// Migrate on start, then every endpoint: health ok, admin status and history, a behind
/// state after an outside downgrade (health 200 degraded, not ready), and POST bringing it
/// back.
fn migrates_and_reports(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    let service = Service::start(&db.url, "migrate");

    let (code, health) = service.get("/health");
    assert_eq!(code, 200, "{health}");
    assert_eq!(health["status"], "ok");
    assert_eq!(strings(&health["current"]), [HEAD]);
    assert_eq!(strings(&health["pending"]), Vec::<String>::new());

    let (code, admin) = service.get("/admin/migrations");
    assert_eq!(code, 200, "{admin}");
    assert_eq!(
        admin["heads"],
        json!([{ "revision": HEAD, "message": "Merge documents.tags and users.last_seen_at" }])
    );
    assert_eq!(admin["last_error"], Value::Null);
    let history = admin["history"].as_array().expect("history rows");
    assert_eq!(history.len(), REVISIONS as usize, "{admin}");
    assert_eq!(history[0]["revision"], HEAD, "newest first");
    assert!(history
        .iter()
        .all(|r| r["direction"] == "up" && r["success"] == true));

    // Nothing to do.
    let (code, body) = service.post("/admin/migrations");
    assert_eq!(
        (code, body),
        (200, json!({ "status": "ok", "applied": [], "error": null }))
    );

    assert_eq!(
        service.get("/ready"),
        (
            200,
            json!({ "ready": true, "status": "ok", "migrations": "ok", "error": null })
        )
    );

    // Someone reverts the merge behind the service's back: health reports it (200: the
    // instance is alive), readiness says the schema is not usable.
    db.migrator().downgrade("a6b8c0d2e4f1").expect("downgrade");
    let (code, health) = service.get("/health");
    assert_eq!(code, 200, "{health}");
    assert_eq!(health["status"], "degraded");
    assert_eq!(health["migrations"], "behind");
    assert_eq!(strings(&health["pending"]), [HEAD]);
    assert_eq!(service.get("/ready").0, 503);
    let (_, admin) = service.get("/admin/migrations");
    assert_eq!(admin["history"][0]["direction"], "down");

    // POST re-applies it.
    let (code, body) = service.post("/admin/migrations");
    assert_eq!(
        (code, body),
        (
            200,
            json!({ "status": "ok", "applied": [HEAD], "error": null })
        )
    );
    assert_eq!(service.get("/health").1["status"], "ok");

    // Now at head, a verify-only instance starts too.
    let verifier = Service::start(&db.url, "verify");
    assert_eq!(verifier.get("/health").0, 200);
    assert!(verifier.stderr().is_empty(), "{}", verifier.stderr());
    #[cfg(unix)]
    assert_eq!(verifier.terminate(), Some(0), "SIGTERM shuts down cleanly");
}

/// A failing migration at start-up: the service still serves, health answers 200 degraded
/// with the error (a liveness check must not kill it), readiness 503, POST retries (still
/// failing, then succeeding once the cause is fixed).
fn degraded_then_recovers(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    // A table left over from somewhere else: the first migration can't create `users`.
    db.exec("CREATE TABLE users (legacy INTEGER)");
    let service = Service::start(&db.url, "migrate");
    assert!(
        service.stderr_shows("migrations failed, serving in degraded mode"),
        "{}",
        service.stderr()
    );

    let (code, health) = service.get("/health");
    assert_eq!(code, 200, "{health}");
    assert_eq!(health["status"], "degraded");
    assert_eq!(health["migrations"], "failed");
    let (code, ready) = service.get("/ready");
    assert_eq!((code, &ready["ready"]), (503, &json!(false)), "{ready}");
    let error = health["error"].as_str().expect("an error message");
    assert!(
        error.contains("3f1c9a2b7d40"),
        "names the revision: {error}"
    );
    assert_eq!(strings(&health["current"]), Vec::<String>::new());

    let (code, admin) = service.get("/admin/migrations");
    assert_eq!(code, 200);
    assert_eq!(admin["status"], "degraded");
    assert_eq!(admin["migrations"], "failed");
    assert_eq!(
        admin["pending"].as_array().map(Vec::len),
        Some(REVISIONS as usize)
    );
    assert_eq!(admin["pending"][0]["message"], "Create users");
    assert!(admin["last_error"]
        .as_str()
        .is_some_and(|e| e.contains("3f1c9a2b7d40")));

    let (code, body) = service.post("/admin/migrations");
    assert_eq!(code, 500, "{body}");
    assert_eq!(body["status"], "failed");

    // The operator removes the stray table and retries.
    db.exec("DROP TABLE users");
    let (code, body) = service.post("/admin/migrations");
    assert_eq!(code, 200, "{body}");
    assert_eq!(strings(&body["applied"]).len(), REVISIONS as usize);
    let (code, health) = service.get("/health");
    assert_eq!((code, health["status"].clone()), (200, json!("ok")));
    assert_eq!(health.get("error"), None);
}

/// Two replicas start at once on a fresh database: both come up, each migration runs once.
fn two_instances_at_once(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    let url = db.url.clone();
    let other = std::thread::spawn(move || Service::start(&url, "migrate"));
    let first = Service::start(&db.url, "migrate");
    let second = other.join().expect("second instance started");
    for service in [&first, &second] {
        let (code, health) = service.get("/health");
        assert_eq!(code, 200, "{health}");
        assert_eq!(strings(&health["current"]), [HEAD]);
    }
    assert_eq!(
        db.number("SELECT COUNT(*) AS n FROM migrate_history WHERE direction = 'up'"),
        REVISIONS,
        "each migration applied exactly once"
    );
    assert_eq!(
        db.number("SELECT COUNT(DISTINCT revision) AS n FROM migrate_history"),
        REVISIONS
    );
    // Both wrote their log before serving; stderr is read on another thread, so let it catch up.
    let applied_lines = |s: &Service| s.stderr().matches("migrate: applied").count();
    for _ in 0..100 {
        if applied_lines(&first) + applied_lines(&second) >= REVISIONS as usize {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        applied_lines(&first) + applied_lines(&second),
        REVISIONS as usize,
        "first:\n{}\nsecond:\n{}",
        first.stderr(),
        second.stderr()
    );
}

on_backends!(
    refuses_when_behind,
    migrates_and_reports,
    degraded_then_recovers,
    two_instances_at_once,
);

/// The service reads migrate.toml as the `migrate` command does: its code sets no version
/// table, the file says `alembic_version`, and that is the table it uses; a relative SQLite
/// path in the file is taken from the file's folder; `DATABASE_URL` overrides the file.
#[test]
fn reads_migrate_toml_as_the_cli_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("migrate.toml");
    std::fs::write(
        &config,
        "[migrate]\nurl = \"sqlite://from-file.db\"\nversion_table = \"alembic_version\"\n",
    )
    .expect("write migrate.toml");

    // DATABASE_URL wins over `url`; the version table comes from the file.
    let db = TestDb::new(Backend::Sqlite, "reads_migrate_toml");
    let service = Service::start_configured(&config, &db.url);
    let (code, health) = service.get("/health");
    assert_eq!((code, &health["status"]), (200, &json!("ok")), "{health}");
    drop(service);
    assert_eq!(db.number("SELECT COUNT(*) AS n FROM alembic_version"), 1);
    let default_table = "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'migrate_version'";
    assert_eq!(db.number(default_table), 0, "the default table is not used");
    assert!(!dir.path().join("from-file.db").exists());

    // No DATABASE_URL: the file's URL, relative to the file (the service runs elsewhere).
    let service = Service::start_configured(&config, "");
    let (code, health) = service.get("/health");
    assert_eq!((code, &health["status"]), (200, &json!("ok")), "{health}");
    drop(service);
    assert!(dir.path().join("from-file.db").exists());
}

/// Configuration and connection errors stop the start-up with exit 1 and one clear line.
#[test]
fn bad_configuration_and_unreachable_database() {
    let (code, stderr) = support::run_with_env(&[
        ("DATABASE_URL", "sqlite::memory:"),
        ("MIGRATE_ON_START", "sometimes"),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("MIGRATE_ON_START=\"sometimes\" is not a start-up mode; use migrate, verify, verify-at-or-ahead or off"),
        "{stderr}"
    );

    let (code, stderr) = support::run_with_env(&[("MIGRATE_CONFIG", "/nonexistent/migrate.toml")]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("no configuration file at /nonexistent/migrate.toml"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("migrate.toml");
    std::fs::write(
        &config,
        "[migrate]\nurl = \"postgres://app:S3cret@db/app\"\nlock_timeout = 99999999\n",
    )
    .expect("write");
    let shown = config.display().to_string();
    let (code, stderr) = support::run_with_env(&[("MIGRATE_CONFIG", shown.as_str())]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("lock_timeout = 99999999 is out of range"),
        "{stderr}"
    );
    assert!(!stderr.contains("S3cret"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let (code, stderr) = support::run_with_env(&[("DATABASE_URL", "redis://localhost/0")]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("unsupported scheme"), "{stderr}");

    let (code, stderr) = support::run_with_env(&[(
        "DATABASE_URL",
        "postgres://postgres:secret@127.0.0.1:5432/svc_no_such_database",
    )]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("refusing to start: cannot connect"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret"),
        "the password is never printed: {stderr}"
    );
}
