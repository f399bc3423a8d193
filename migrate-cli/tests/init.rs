//! `init`: the scaffold, Alembic's refusal of a non-empty directory, and (slow) that the
//! scaffold builds with this checkout's migrate-core.

use crate::util::{build_env, Project};

#[test]
fn init_scaffolds_config_and_crate() {
    let p = Project::empty();
    let out = p.ok(&["init"]);
    let root = std::fs::canonicalize(p.path()).expect("canonical");
    let dir = root.join("migrations");
    for f in ["Cargo.toml", "build.rs", "src/lib.rs"] {
        assert!(
            out.contains(&format!("Generating {} ...  done", dir.join(f).display())),
            "{out}"
        );
    }
    assert!(
        out.contains(&format!("Creating directory {} ...  done", dir.display())),
        "{out}"
    );
    assert!(dir.join("src/versions").is_dir());
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("migrate_core::migrations!();"), "{lib}");
    let build = std::fs::read_to_string(dir.join("build.rs")).expect("build.rs");
    assert!(
        build.contains("cargo:rerun-if-changed=src/versions"),
        "{build}"
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    // By version only, on the names this project publishes; no path of this machine.
    assert!(
        manifest.contains("\nmigrate-rs-core = \"0.1.0\"\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("\nmigrate-cli = { version = \"0.1.0\", optional = true }\n"),
        "{manifest}"
    );
    assert!(!manifest.contains("path = \"/"), "{manifest}");
    assert!(!manifest.contains("migrate-core"), "{manifest}");
    let main = std::fs::read_to_string(dir.join("src/main.rs")).expect("main.rs");
    let name = manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("package name");
    assert!(name.ends_with("-migrations"), "{name}");
    assert!(
        main.contains(&format!(
            "migrate_cli::main_with(&[&{}::MIGRATIONS])",
            name.replace('-', "_")
        )),
        "{main}"
    );
    // The development override is machine-local: beside migrate.toml, ignored by git.
    let dev = std::fs::read_to_string(root.join(".cargo/config.toml")).expect("config.toml");
    assert!(
        dev.contains("[patch.crates-io]\nmigrate-rs-core = { path = "),
        "{dev}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join(".cargo/.gitignore")).expect(".gitignore"),
        "*\n"
    );
    let config = std::fs::read_to_string(p.path().join("migrate.toml")).expect("migrate.toml");
    assert!(config.contains("migrations = \"migrations\""), "{config}");
    assert!(config.contains("url = \"sqlite://migrate.db\""), "{config}");
    // The new project answers graph commands at once.
    assert_eq!(p.ok(&["heads"]), "");
    p.ok(&["revision", "-m", "create users"]);
    assert_eq!(p.ok(&["history"]).lines().count(), 1);
}

#[test]
fn init_refuses_a_non_empty_directory() {
    let p = Project::empty();
    std::fs::create_dir(p.path().join("db")).expect("mkdir");
    std::fs::write(p.path().join("db/x"), "").expect("write");
    let err = p.fails(&["init", "db"], 1);
    assert_eq!(err, "error: Directory db already exists and is not empty\n");
    // An existing migrate.toml is kept.
    std::fs::write(
        p.path().join("migrate.toml"),
        "[migrate]\nmigrations = \"m2\"\n",
    )
    .expect("write");
    let out = p.ok(&["init", "m2"]);
    assert!(out.contains("already exists, skipping"), "{out}");
    let config = std::fs::read_to_string(p.path().join("migrate.toml")).expect("read");
    assert_eq!(config, "[migrate]\nmigrations = \"m2\"\n");
}

/// Slow: compiles migrate-core. The scaffold plus one empty migration must build.
#[test]
fn scaffold_builds() {
    let p = Project::empty();
    p.ok(&["init", "migrations"]);
    p.ok(&["revision", "-m", "create users"]);
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "--manifest-path",
            "migrations/Cargo.toml",
        ])
        .envs(build_env())
        .current_dir(p.path())
        .output()
        .expect("cargo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn init_inside_a_workspace_leaves_membership_to_the_user() {
    let p = Project::empty();
    std::fs::write(p.path().join("Cargo.toml"), "[workspace]\nmembers = []\n").expect("write");
    let out = p.ok(&["init", "db/migrations"]);
    assert!(out.contains("to `members` in"), "{out}");
    let manifest =
        std::fs::read_to_string(p.path().join("db/migrations/Cargo.toml")).expect("read");
    assert!(!manifest.contains("[workspace]"), "{manifest}");
    let config = std::fs::read_to_string(p.path().join("migrate.toml")).expect("read");
    assert!(
        config.contains("migrations = \"db/migrations\""),
        "{config}"
    );
}
