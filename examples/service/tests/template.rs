//! The example is a template: copied out of the repository with its migrations crate, and
//! renamed as a user would, it builds unchanged against the migrate crates (patched to this
//! checkout in a machine-local `.cargo/config.toml`, as `migrate init` does while the crates
//! are not on a registry), and the built service starts.

use std::path::{Path, PathBuf};
use std::process::Command;

fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the checkout")
}

/// This test binary's target folder (`target/debug/deps/..` → `target`): the copy builds there
/// too, so the dependencies already built are reused.
fn shared_target() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_example-service"));
    exe.parent()
        .and_then(Path::parent)
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Slow: compiles the copy (its dependencies come from the shared target folder).
#[test]
fn copied_out_of_the_repository_it_builds() {
    let root = checkout();
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root.join("examples/schema"), &dir.path().join("schema"));
    copy_dir(
        &root.join("examples/service"),
        &dir.path().join("my-service"),
    );
    let manifest = dir.path().join("my-service/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("read Cargo.toml");
    let inherited = |l: &&str| l.contains("workspace = true") || l.contains(".workspace");
    assert_eq!(
        text.lines().find(inherited),
        None,
        "no key inherited from a workspace"
    );
    // The user's own name for it (also keeps its binary apart from this package's).
    std::fs::write(
        &manifest,
        text.replacen("name = \"example-service\"", "name = \"my-service\"", 1),
    )
    .expect("rename");
    // What `migrate init` writes on a machine that builds the crates from a checkout.
    std::fs::create_dir_all(dir.path().join(".cargo")).expect(".cargo");
    let patch = |package: &str, folder: &str| {
        format!(
            "{package} = {{ path = {:?} }}\n",
            root.join(folder).display().to_string()
        )
    };
    std::fs::write(
        dir.path().join(".cargo/config.toml"),
        format!(
            "[patch.crates-io]\n{}{}",
            patch("migrate-rs-core", "migrate-core"),
            patch("migrate-cli", "migrate-cli")
        ),
    )
    .expect("write .cargo/config.toml");
    // Start from the versions this checkout is tested with.
    std::fs::copy(
        root.join("Cargo.lock"),
        dir.path().join("my-service/Cargo.lock"),
    )
    .expect("copy Cargo.lock");

    let target = shared_target();
    let out = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(dir.path())
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "the copy does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The copy's binary is the service: it starts, migrates and answers.
    let db = dir.path().join("copy.db");
    let url = format!("sqlite://{}", db.display());
    let out = Command::new(target.join("debug/my-service"))
        .env("DATABASE_URL", &url)
        .env("MIGRATE_ON_START", "verify")
        .env("BIND", "127.0.0.1:0")
        .output()
        .expect("run the copy");
    assert_eq!(
        out.status.code(),
        Some(3),
        "verify on an empty database refuses"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refusing to start: the database is not up to date"),
        "{stderr}"
    );
}
