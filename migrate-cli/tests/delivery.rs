//! Delivery, as a new user meets it: the CLI installed from a fresh clone, a project made
//! outside the checkout, built in its own workspace, migrated; the committed files hold no path
//! of this machine; and the built migrations binary runs alone under `env -i` (a production
//! image: no cargo, no source tree, no migrate.toml) on SQLite and PostgreSQL.
//!
//! Slow (a debug build of migrate-cli from the clone, in a target directory of its own, which
//! the project then shares).

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else {
            out.push(path);
        }
    }
    out
}

const UPGRADE: &str = "use migrate_core::prelude::*;\n\n/// Create users.\n\
    #[migration(rev = \"a1b2c3d4e5f6\")]\n\
    pub fn upgrade(op: &mut Op) -> Result<()> {\n    \
    op.create_table(\"users\", |t| {\n        \
    t.column(\"id\", Type::BigInt).primary_key();\n        \
    t.column(\"email\", Type::String(255)).not_null();\n    })?;\n    Ok(())\n}\n";

#[test]
fn installed_from_a_clone_used_outside_it_and_shipped_alone() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tmp = std::fs::canonicalize(tmp.path()).expect("canonical");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let checkout = tmp.join("checkout");
    run(Command::new("git")
        .args(["clone", "--quiet", "--no-hardlinks"])
        .arg(&repo)
        .arg(&checkout));
    let target = tmp.join("target");
    let cargo = env!("CARGO");
    run(Command::new(cargo)
        .args([
            "install",
            "--quiet",
            "--debug",
            "--offline",
            "--locked",
            "--path",
        ])
        .arg(checkout.join("migrate-cli"))
        .arg("--root")
        .arg(tmp.join("root"))
        .env("CARGO_TARGET_DIR", &target));
    let migrate = tmp.join("root/bin/migrate");

    let project = tmp.join("blog");
    std::fs::create_dir(&project).expect("mkdir");
    let in_project = |args: &[&str]| {
        run(Command::new(&migrate)
            .args(args)
            .current_dir(&project)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("DATABASE_URL"))
    };
    in_project(&["init", "migrations"]);
    std::fs::write(
        project.join("migrations/src/versions/0001_users.rs"),
        UPGRADE,
    )
    .expect("write migration");
    // The user's own build, in the crate's folder (the tutorial's `cd migrations && cargo build`).
    run(Command::new(cargo)
        .args(["build", "--quiet", "--offline"])
        .current_dir(project.join("migrations"))
        .env("CARGO_TARGET_DIR", &target));
    in_project(&["upgrade"]);
    assert_eq!(in_project(&["current"]), "a1b2c3d4e5f6 (head)\n");

    // What git would commit holds no path of this machine; the machine-local override is
    // ignored by git.
    run(Command::new("git")
        .args(["init", "--quiet"])
        .current_dir(&project));
    let tracked = run(Command::new("git")
        .args(["ls-files", "--others", "--exclude-standard"])
        .current_dir(&project));
    assert!(tracked.contains("migrations/Cargo.toml"), "{tracked}");
    assert!(!tracked.contains(".cargo"), "{tracked}");
    for file in tracked.lines() {
        let text = std::fs::read_to_string(project.join(file)).unwrap_or_default();
        for path in [checkout.display().to_string(), repo.display().to_string()] {
            assert!(!text.contains(&path), "{file} holds {path}:\n{text}");
        }
    }
    assert!(
        !files_below(&project)
            .iter()
            .any(|f| f.ends_with("migrate-runner")),
        "no second build"
    );

    // Production: the migrations binary alone, in an empty environment.
    let prod = tmp.join("prod");
    std::fs::create_dir(&prod).expect("mkdir");
    let name = "blog-migrations";
    let binary = prod.join(name);
    std::fs::copy(target.join("debug").join(name), &binary).expect("copy the binary");
    let alone = |url: &str, args: &[&str]| {
        run(Command::new(&binary)
            .args(args)
            .current_dir(&prod)
            .env_clear()
            .env("DATABASE_URL", url))
    };
    let sqlite = format!("sqlite:///{}", prod.join("app.db").display());
    let pg_db = format!("migrate_delivery_{}", std::process::id());
    let admin = std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let pg = format!(
        "{}/{pg_db}",
        &admin[..admin.rfind('/').expect("a database")]
    );
    run(Command::new("psql").args([
        "-X",
        "-q",
        &admin,
        "-c",
        &format!("CREATE DATABASE \"{pg_db}\""),
    ]));
    for url in [&sqlite, &pg] {
        alone(url, &["upgrade"]);
        assert_eq!(alone(url, &["current"]), "a1b2c3d4e5f6 (head)\n", "{url}");
        assert!(
            alone(url, &["check"]).starts_with("OK: 1 migrations"),
            "{url}"
        );
        assert_eq!(
            alone(url, &["history"]),
            "<base> -> a1b2c3d4e5f6 (head), Create users.\n",
            "{url}"
        );
    }
    run(Command::new("psql").args([
        "-X",
        "-q",
        &admin,
        "-c",
        &format!("DROP DATABASE \"{pg_db}\""),
    ]));
}
