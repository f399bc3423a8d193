//! Backends are opt-in features: a SQLite-only build of migrate-core has neither the
//! PostgreSQL nor the MySQL client library in its build graph (so it builds on a machine that
//! has neither installed), and enabling a backend brings exactly its library.

use std::process::Command;

/// The `-sys` crates that link a database client library, in `cargo tree` for migrate-core (package `migrate-rs-core`)
/// built with `features` (and no default features when `features` is given).
fn client_libraries(features: Option<&str>) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "-p",
            "migrate-rs-core",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .arg("--offline");
    if let Some(f) = features {
        cmd.args(["--no-default-features", "--features", f]);
    }
    let out = cmd.output().expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut libs: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| ["pq-sys", "mysqlclient-sys", "libsqlite3-sys"].contains(name))
        .map(str::to_owned)
        .collect();
    libs.sort();
    libs.dedup();
    libs
}

#[test]
fn the_default_build_is_sqlite_only() {
    assert_eq!(client_libraries(None), ["libsqlite3-sys"]);
}

#[test]
fn each_backend_brings_its_own_client_library() {
    assert_eq!(client_libraries(Some("postgres")), ["pq-sys"]);
    assert_eq!(client_libraries(Some("mysql")), ["mysqlclient-sys"]);
    assert_eq!(
        client_libraries(Some("sqlite,postgres,mysql")),
        ["libsqlite3-sys", "mysqlclient-sys", "pq-sys"]
    );
}
