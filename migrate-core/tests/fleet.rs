//! `Fleet`: one command over many databases, `jobs` at a time, a failure in one not stopping
//! the others, a result per database, and a re-run that continues where each stopped; and
//! the databases migrate.toml names (`[databases.NAME]`, `[tenants]`).

#![allow(clippy::unwrap_used)]

mod common;

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::TestDb;
use diesel::connection::SimpleConnection as _;
use migrate_core::fleet::{Fleet, FleetCommand, Target};
use migrate_core::{
    AnyConnection, AnyMigration, Backend, Config, DatabaseUrl, MigrationList, Migrator,
};

/// a1 creates `t`; b2 creates `u`, and while it runs counts how many b2s run at once.
fn migrations(active: Arc<AtomicUsize>, peak: Arc<AtomicUsize>) -> MigrationList {
    MigrationList::new()
        .with(AnyMigration::builder("a1", |op| {
            op.execute_reversible("CREATE TABLE t (id INT)", "DROP TABLE t")?;
            Ok(())
        }))
        .with(
            AnyMigration::builder("b2", move |op| {
                let (active, peak) = (active.clone(), peak.clone());
                op.run(move |_| {
                    let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(40));
                    active.fetch_sub(1, Ordering::SeqCst);
                    Ok(())
                })?;
                op.execute_reversible("CREATE TABLE u (id INT)", "DROP TABLE u")?;
                Ok(())
            })
            .down_rev("a1")
            .downgrade(|op| {
                op.execute("DROP TABLE u")?;
                Ok(())
            }),
        )
}

fn sqlite(dir: &Path, name: &str) -> (PathBuf, Target) {
    let path = dir.join(format!("{name}.db"));
    let url = DatabaseUrl::parse(&format!("sqlite:///{}", path.display())).unwrap();
    (path, Target::new(name, url))
}

fn exec(path: &Path, sql: &str) {
    let url = DatabaseUrl::parse(&format!("sqlite:///{}", path.display())).unwrap();
    let mut conn = AnyConnection::establish_url(&url, Duration::from_secs(5)).unwrap();
    conn.batch_execute(sql).unwrap();
}

#[test]
fn one_failure_leaves_the_others_and_a_rerun_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let peak = Arc::new(AtomicUsize::new(0));
    let list = migrations(Arc::new(AtomicUsize::new(0)), peak.clone());
    let targets: Vec<(PathBuf, Target)> = (0..8)
        .map(|i| sqlite(dir.path(), &format!("t{i}")))
        .collect();
    // t3 already has a table `u`: its b2 fails.
    exec(&targets[3].0, "CREATE TABLE u (id INT)");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let fleet = Fleet::new(Migrator::new(&list).unwrap())
        .targets(targets.iter().map(|(_, t)| t.clone()))
        .jobs(2)
        .on_done(move |r, done, total| sink.lock().unwrap().push((r.name.clone(), done, total)));

    let report = fleet.upgrade("head");
    assert!(!report.is_ok());
    let names: Vec<&str> = report.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
    let failed: Vec<&str> = report.failed().map(|r| r.name.as_str()).collect();
    assert_eq!(failed, ["t3"]);
    let t3 = &report.results[3];
    assert!(t3.before.is_empty());
    assert_eq!(t3.after, ["a1"], "it stopped after a1");
    let status = t3.status();
    assert!(
        status.starts_with("failed: ") && status.contains("b2"),
        "{status}"
    );
    for r in report.results.iter().filter(|r| r.name != "t3") {
        assert!(r.before.is_empty() && r.after == ["b2"], "{r:?}");
        assert_eq!(r.status(), "ok");
    }
    assert!(
        peak.load(Ordering::SeqCst) <= 2,
        "more than jobs(2) at once"
    );
    let mut done: Vec<usize> = seen.lock().unwrap().iter().map(|(_, d, _)| *d).collect();
    done.sort_unstable();
    assert_eq!(done, (1..=8).collect::<Vec<_>>());
    assert!(seen.lock().unwrap().iter().all(|(_, _, total)| *total == 8));

    // The fix, then the same run: only t3 has b2 left.
    exec(&targets[3].0, "DROP TABLE u");
    let report = fleet.upgrade("head");
    assert!(report.is_ok(), "{:?}", report.failed().collect::<Vec<_>>());
    assert_eq!(report.results[3].before, ["a1"]);
    assert!(report.results.iter().all(|r| r.after == ["b2"]));
    assert!(report
        .results
        .iter()
        .filter(|r| r.name != "t3")
        .all(|r| r.before == ["b2"]));
}

#[test]
fn current_check_stamp_and_an_unreachable_database() {
    let dir = tempfile::tempdir().unwrap();
    let list = migrations(Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (_, a) = sqlite(dir.path(), "a");
    let (_, b) = sqlite(dir.path(), "b");
    let nowhere =
        Target::from_url(DatabaseUrl::parse("postgres://app:s3cret@127.0.0.1:1/app").unwrap());
    assert_eq!(nowhere.name, "postgres://app:***@127.0.0.1:1/app");
    let fleet = Fleet::new(Migrator::new(&list).unwrap()).targets([a, b, nowhere]);

    let report = fleet.run(&FleetCommand::Stamp {
        revisions: vec!["a1".into()],
        purge: false,
    });
    let after: Vec<&[String]> = report.results.iter().map(|r| r.after.as_slice()).collect();
    assert_eq!(after[..2], [["a1"], ["a1"]]);
    let down = &report.results[2];
    assert!(
        !down.is_ok() && !down.status().contains("s3cret"),
        "{}",
        down.status()
    );

    let report = fleet.run(&FleetCommand::Check);
    assert_eq!(
        report.failed().count(),
        3,
        "a1 is not head, and one can't be reached"
    );
    let report = fleet.run(&FleetCommand::Upgrade("head".into()));
    let failed: Vec<&str> = report.failed().map(|r| r.name.as_str()).collect();
    assert_eq!(failed, ["postgres://app:***@127.0.0.1:1/app"]);
    let report = fleet.run(&FleetCommand::Current);
    assert_eq!(report.results[0].after, ["b2"]);
    assert_eq!(report.results[1].before, ["b2"]);
    // (a1 was stamped, not run: its table isn't there to drop, so only down to a1.)
    let report = fleet.run(&FleetCommand::Downgrade("a1".into()));
    for r in &report.results[..2] {
        assert!(
            r.is_ok() && r.before == ["b2"] && r.after == ["a1"],
            "{r:?}"
        );
    }
}

#[test]
fn migrate_toml_names_the_databases() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tenants.txt"),
        "# one URL a line\nsqlite://x.db\n\nsqlite://y.db\n",
    )
    .unwrap();
    let text = "[databases.main]\nurl = \"sqlite://main.db\"\nversion_table = \"main_version\"\n\n\
                [databases.billing]\nurl_env = \"FLEET_TEST_BILLING_URL\"\nversion_table_schema = \"billing\"\n\n\
                [tenants]\nfile = \"tenants.txt\"\n";
    let config = Config::parse(text, &dir.path().join("migrate.toml")).unwrap();
    assert_eq!(config.databases().len(), 2);

    let err = config.fleet_targets(None).unwrap_err().to_string();
    assert!(
        err.contains("FLEET_TEST_BILLING_URL (url_env) is not set"),
        "{err}"
    );
    let main = config.fleet_targets(Some("main")).unwrap();
    assert_eq!(main.len(), 1);
    assert_eq!(main[0].version_table.as_deref(), Some("main_version"));
    assert_eq!(
        main[0].url.sqlite_path(),
        Some(dir.path().join("main.db").as_path()),
        "a relative path is taken from the file's folder"
    );
    let err = config.fleet_targets(Some("nope")).unwrap_err().to_string();
    assert!(err.contains("no database named `nope`"), "{err}");
    // With tenants, the message says how a tenant is named.
    assert!(
        err.contains("a tenant is named by its URL (password masked) or its schema"),
        "{err}"
    );

    let tenants = Config::parse(
        "[tenants]\nfile = \"tenants.txt\"\n",
        &dir.path().join("migrate.toml"),
    )
    .unwrap()
    .fleet_targets(None)
    .unwrap();
    let paths: Vec<_> = tenants
        .iter()
        .map(|t| t.url.sqlite_path().unwrap().to_path_buf())
        .collect();
    assert_eq!(paths, [dir.path().join("x.db"), dir.path().join("y.db")]);

    let schemas = Config::parse(
        "[tenants]\nenv = \"FLEET_TEST_SCHEMAS\"\nurl = \"postgres://u:pw@h/app\"\n",
        &dir.path().join("migrate.toml"),
    )
    .unwrap();
    let err = schemas.fleet_targets(None).unwrap_err().to_string();
    assert!(err.contains("FLEET_TEST_SCHEMAS is not set"), "{err}");

    for (bad, says) in [
        (
            "[databases.x]\nversion_table = \"v\"\n",
            "needs exactly one of `url` and `url_env`",
        ),
        (
            "[databases.x]\nurl = \"sqlite://a.db\"\ncolour = \"red\"\n",
            "unknown key `colour` in [databases.x]",
        ),
        ("[databases]\nx = 1\n", "`databases.x` must be a table"),
        (
            "[tenants]\nfile = \"a\"\nenv = \"B\"\n",
            "needs exactly one of `file`, `env` and `query`",
        ),
        (
            "[tenants]\nquery = \"SELECT 1\"\n",
            "`query` needs the `url` of the database it runs on",
        ),
    ] {
        let err = Config::parse(bad, &dir.path().join("migrate.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains(says), "{bad}: {err}");
    }
}

/// The killed child's tenants, one URL per entry, comma-separated.
const CHILD_URLS: &str = "MIGRATE_FLEET_CHILD_URLS";

/// s1 -> ... -> s5: each creates its table, takes a while, and records itself in
/// `side_effects`, so that running one twice shows.
fn slow_list() -> MigrationList {
    let mut list = MigrationList::new();
    for i in 1..=5 {
        let mut m = AnyMigration::builder(format!("s{i}"), move |op| {
            op.execute(format!("CREATE TABLE t_s{i} (id INT)"))?;
            op.run(|_| {
                std::thread::sleep(Duration::from_millis(30));
                Ok(())
            })?;
            op.execute(format!("INSERT INTO side_effects (rev) VALUES ('s{i}')"))?;
            Ok(())
        });
        if i > 1 {
            m = m.down_rev(format!("s{}", i - 1));
        }
        list = list.with(m);
    }
    list
}

fn slow_fleet(urls: &[String]) -> Fleet {
    let targets = urls
        .iter()
        .enumerate()
        .map(|(i, url)| Target::new(format!("t{i}"), DatabaseUrl::parse(url).unwrap()));
    Fleet::new(Migrator::new(&slow_list()).unwrap())
        .targets(targets)
        .jobs(3)
}

/// The child the kill test runs (only with `MIGRATE_FLEET_CHILD_URLS` set): the whole fleet
/// to head, a line `done N` as each database finishes.
#[test]
fn fleet_child() {
    let Ok(urls) = std::env::var(CHILD_URLS) else {
        return;
    };
    let urls: Vec<String> = urls.split(',').map(str::to_owned).collect();
    let report = slow_fleet(&urls)
        .on_done(|_, done, _| println!("done {done}"))
        .upgrade("head");
    std::process::exit(i32::from(!report.is_ok()));
}

/// A run killed (SIGKILL) halfway through its tenants, then run again: every tenant ends at
/// head with each migration applied exactly once, whether the kill found it done, untouched or
/// in the middle of its migrations. Each round kills a little later after the eighth tenant
/// finished, so that kills land between and inside migrations; at least one round must find
/// a tenant part-way.
#[test]
fn killed_halfway_then_rerun() {
    let mut part_way = 0;
    for round in 0..4u64 {
        part_way += kill_round(Duration::from_millis(20 + round * 45));
    }
    assert!(part_way > 0, "no kill found a tenant part-way through");
}

/// One kill trial; returns how many tenants the kill left part-way (some migrations applied).
fn kill_round(after: Duration) -> usize {
    let dbs: Vec<TestDb> = (0..24)
        .map(|_| TestDb::new(Backend::Sqlite, "fleetkill"))
        .collect();
    for db in &dbs {
        db.exec("CREATE TABLE side_effects (rev VARCHAR(10))");
    }
    let urls: Vec<String> = dbs.iter().map(|d| d.url.clone()).collect();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "fleet_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_URLS, urls.join(","))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines {
        if line.unwrap() == "done 8" {
            break;
        }
    }
    std::thread::sleep(after);
    child.kill().unwrap();
    let _ = child.wait();

    let rows = |d: &TestDb| {
        if d.has_table("migrate_version") {
            d.rows()
        } else {
            Vec::new()
        }
    };
    let at_head = dbs.iter().filter(|d| rows(d) == ["s5"]).count();
    assert!(
        (8..dbs.len()).contains(&at_head),
        "the kill did not land halfway: {at_head} of {} at head",
        dbs.len()
    );
    let part_way = dbs
        .iter()
        .filter(|d| !rows(d).is_empty() && rows(d) != ["s5"])
        .count();
    let report = slow_fleet(&urls).upgrade("head");
    assert!(report.is_ok(), "{:?}", report.failed().collect::<Vec<_>>());
    for (i, db) in dbs.iter().enumerate() {
        assert_eq!(db.rows(), ["s5"], "t{i}");
        for rev in ["s1", "s2", "s3", "s4", "s5"] {
            let n = db.count(&format!(
                "SELECT COUNT(*) AS n FROM side_effects WHERE rev = '{rev}'"
            ));
            assert_eq!(n, 1, "t{i}: {rev} ran {n} times");
        }
    }
    eprintln!("killed {after:?} after the 8th: {at_head} at head, {part_way} part-way");
    part_way
}
