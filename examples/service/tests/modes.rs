//! The start-up modes as a deploy sees them: a database a newer release migrated (ahead), off,
//! the seeds' `DISABLE_AUTO_MIGRATIONS`, and an unreachable database (the only 503 of
//! `/health`).

use migrate_core::{AnyMigration, Backend, MigrationList, Migrator};
use serde_json::json;

use crate::support::{run_to_exit, Service, TestDb};
use crate::HEAD;

/// The revision a newer release adds on top of this build's head.
const NEWER: &str = "aa11bb22cc33";

/// Migrate `db` as a newer release would: this build's migrations plus one more.
fn migrate_with_newer_release(db: &TestDb) {
    let newer = MigrationList::new().with(
        AnyMigration::builder(NEWER, |op| {
            op.execute_reversible(
                "CREATE TABLE newer_feature (id INTEGER)",
                "DROP TABLE newer_feature",
            )?;
            Ok(())
        })
        .down_rev(HEAD)
        .message("a newer release's migration"),
    );
    Migrator::new(&(&example_schema::MIGRATIONS, &newer))
        .expect("valid migrations")
        .url(&db.url)
        .expect("url")
        .upgrade("head")
        .expect("the newer release migrates");
}

/// An older replica on a database a newer release migrated: `verify` refuses with the reason,
/// `verify-at-or-ahead` and `migrate` start normally and write nothing.
fn starts_when_ahead(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    migrate_with_newer_release(&db);
    let history = "SELECT COUNT(*) AS n FROM migrate_history";
    let rows_before = db.number(history);

    let (code, stderr) = run_to_exit(&db.url, "verify");
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the database is at {NEWER}, which this build does not have"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("MIGRATE_ON_START=verify-at-or-ahead"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("stamp --purge"),
        "no destructive hint: {stderr}"
    );

    for mode in ["verify-at-or-ahead", "migrate"] {
        let service = Service::start(&db.url, mode);
        assert!(
            service.stderr_shows("starting normally"),
            "{}",
            service.stderr()
        );
        let (code, health) = service.get("/health");
        assert_eq!(code, 200, "{health}");
        assert_eq!(
            (&health["status"], &health["migrations"]),
            (&json!("ok"), &json!("ahead")),
            "{mode}: {health}"
        );
        assert_eq!(health["current"], json!([NEWER]));
        assert_eq!(service.get("/ready").0, 200, "{mode}");
        let (_, admin) = service.get("/admin/migrations");
        assert_eq!(
            admin["current"],
            json!([{ "revision": NEWER, "message": "" }])
        );
        let page = service
            .request("GET", "/admin/migrations", &[crate::support::AUTH])
            .body;
        assert!(
            page.contains(&format!("<code>{NEWER}</code> (not in this build)")),
            "{page}"
        );
        assert_eq!(
            page.contains("id=\"retry-note\""),
            mode != "migrate",
            "{mode}: {page}"
        );
    }
    assert_eq!(db.number(history), rows_before, "nothing written");
}

/// `off`: no connection at start-up, nothing created; the service reports what it reads.
fn off_touches_nothing(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    let service = Service::start(&db.url, "off");
    let (code, health) = service.get("/health");
    assert_eq!(code, 200, "{health}");
    assert_eq!(health["mode"], "off");
    assert_eq!(health["migrations"], "behind", "{health}");
    assert_eq!(
        service.get("/ready").0,
        200,
        "off: ready whenever the database answers"
    );
    assert!(!db.exists_table("migrate_version"));
    assert!(!db.exists_table("users"));
}

on_backends!(starts_when_ahead, off_touches_nothing);

/// The seeds' switch: `DISABLE_AUTO_MIGRATIONS=true` verifies, `false` migrates, and a
/// contradiction with `MIGRATE_ON_START` is refused.
#[test]
fn disable_auto_migrations() {
    let db = TestDb::new(Backend::Sqlite, "disable_auto");
    let (code, stderr) = crate::support::run_with_env(&[
        ("DATABASE_URL", db.url.as_str()),
        ("DISABLE_AUTO_MIGRATIONS", "true"),
    ]);
    assert_eq!(code, Some(3), "verify-only: {stderr}");
    assert!(!db.exists_table("users"));

    let (code, stderr) = crate::support::run_with_env(&[
        ("DATABASE_URL", db.url.as_str()),
        ("DISABLE_AUTO_MIGRATIONS", "true"),
        ("MIGRATE_ON_START", "migrate"),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("MIGRATE_ON_START=migrate contradicts DISABLE_AUTO_MIGRATIONS=true"),
        "{stderr}"
    );

    let service = Service::start_with(
        &db.url,
        "",
        &[
            ("MIGRATE_ON_START", None),
            ("DISABLE_AUTO_MIGRATIONS", Some("false")),
        ],
    );
    let (code, health) = service.get("/health");
    assert_eq!(
        (code, &health["status"], &health["mode"]),
        (200, &json!("ok"), &json!("migrate")),
        "{health}"
    );
}

/// The database can't be reached: migrating serves degraded, and `/health` answers 503 (the
/// one case a platform should restart or stop routing), the password never shown.
#[test]
fn unreachable_database_is_the_only_503() {
    let url = "postgres://postgres:hunter2@127.0.0.1:1/nowhere";
    let service = Service::start(url, "migrate");
    let (code, health) = service.get("/health");
    assert_eq!(code, 503, "{health}");
    assert_eq!(
        (&health["status"], &health["migrations"]),
        (&json!("unavailable"), &json!("unreachable"))
    );
    assert!(
        health["error"]
            .as_str()
            .is_some_and(|e| e.contains("cannot connect")),
        "{health}"
    );
    assert!(!health.to_string().contains("hunter2"), "{health}");
    assert_eq!(service.get("/ready").0, 503);
    assert!(!service.stderr().contains("hunter2"));
}

/// The database is missing at start-up and appears later: health goes from 503 to 200
/// (behind: the start-up could not migrate), and a retry brings it to ok.
#[test]
fn database_back_after_a_failed_connect() {
    let db = TestDb::new(Backend::Postgres, "back_later");
    db.set_present(false);
    let service = Service::start(&db.url, "migrate");
    assert_eq!(service.get("/health").0, 503);
    db.set_present(true);
    let (code, health) = service.get("/health");
    assert_eq!(code, 200, "{health}");
    assert_eq!(
        (&health["status"], &health["migrations"]),
        (&json!("degraded"), &json!("behind")),
        "{health}"
    );
    let (code, retried) = service.post("/admin/migrations");
    assert_eq!((code, &retried["status"]), (200, &json!("ok")), "{retried}");
    assert_eq!(service.get("/ready").0, 200);
}
