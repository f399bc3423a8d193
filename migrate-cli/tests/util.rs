//! A temporary project (migrate.toml + a migrations crate folder) and a way to run `migrate`
//! in it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The cargo target directory of the test binary itself, shared by every test that compiles
/// a project (runners, scaffolds): the dependencies the workspace build already compiled are
/// reused. (Cargo does not hold its lock on it while tests run.)
pub(crate) fn shared_target() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_migrate"));
    exe.parent()
        .and_then(|d| d.parent())
        .map_or_else(|| PathBuf::from("target"), |d| d.to_path_buf())
}

/// The environment of every cargo run a test starts (or of a `migrate` that runs cargo): the
/// [`shared_target`], and no debug info. A test project is a workspace of its own, so the
/// workspace's `[profile.dev]` does not reach it, and with full debug info each project's
/// runner is a 160 MB binary: the suite's forty-odd runners alone took over 7 GB.
pub(crate) fn build_env() -> [(&'static str, std::ffi::OsString); 2] {
    [
        ("CARGO_TARGET_DIR", shared_target().into_os_string()),
        ("CARGO_PROFILE_DEV_DEBUG", "false".into()),
    ]
}

/// A project in a temporary directory. The migrations crate is only a folder with
/// `src/versions/`: graph commands read sources and never compile them.
pub(crate) struct Project {
    dir: TempDir,
}

impl Project {
    /// A project whose new files are named `<rev>_<slug>.rs`, so that file order (Alembic's
    /// tie-break between branches) is the order of the ids the test picks.
    pub(crate) fn new() -> Project {
        Project::with_config(
            "[migrate]\nmigrations = \"migrations\"\nurl = \"sqlite://test.db\"\nfile_template = \"{rev}_{slug}\"\n",
        )
    }

    pub(crate) fn with_config(toml: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("migrations/src/versions")).expect("versions dir");
        std::fs::write(dir.path().join("migrate.toml"), toml).expect("migrate.toml");
        Project { dir }
    }

    /// An empty directory, no configuration.
    pub(crate) fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn versions(&self) -> PathBuf {
        self.path().join("migrations/src/versions")
    }

    /// `migrate ARGS` in the project directory, with no DATABASE_URL leaking in. The runner
    /// builds in [`shared_target`] (else, with no CARGO_TARGET_DIR set, each project would
    /// compile every dependency again in its own folder), as [`build_env`] says.
    pub(crate) fn migrate(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_migrate"));
        cmd.current_dir(self.path())
            .env_remove("DATABASE_URL")
            .envs(build_env())
            .args(args);
        cmd
    }

    /// Run `migrate ARGS`, require success, and return (stdout, stderr).
    pub(crate) fn ok2(&self, args: &[&str]) -> (String, String) {
        let out = self.migrate(args).output().expect("run migrate");
        assert!(
            out.status.success(),
            "migrate {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).expect("utf-8 stdout"),
            String::from_utf8(out.stderr).expect("utf-8 stderr"),
        )
    }

    /// Run `migrate ARGS`, require success, and return stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.migrate(args).output().expect("run migrate");
        assert!(
            out.status.success(),
            "migrate {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Run `migrate ARGS`, require exit code `code`, and return stderr.
    pub(crate) fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.migrate(args).output().expect("run migrate");
        assert_eq!(
            out.status.code(),
            Some(code),
            "migrate {args:?}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// The file of revision `rev` (named `<rev>_*.rs` by the test template).
    pub(crate) fn file_of(&self, rev: &str) -> PathBuf {
        let prefix = format!("{rev}_");
        std::fs::read_dir(self.versions())
            .expect("read versions")
            .map(|e| e.expect("entry").path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&prefix))
            })
            .unwrap_or_else(|| panic!("no file for {rev}"))
    }

    /// `revision -m MSG --rev-id REV EXTRA...`.
    pub(crate) fn revision(&self, rev: &str, message: &str, extra: &[&str]) {
        let mut args = vec!["revision", "-m", message, "--rev-id", rev];
        args.extend_from_slice(extra);
        self.ok(&args);
    }
}

pub(crate) fn pg_url() -> String {
    std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub(crate) fn mysql_url() -> String {
    std::env::var("MIGRATE_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// `init`, migrations a1 -> b2 with tables of their own, a version table of its own, `url`.
pub(crate) fn project_on(url: &str) -> Project {
    let tag = crate::servers::tag();
    let p = Project::empty();
    p.ok(&["init"]);
    std::fs::write(
        p.path().join("migrate.toml"),
        format!(
            "[migrate]\nmigrations = \"migrations\"\nurl = \"{url}\"\nversion_table = \"v{tag}\"\n"
        ),
    )
    .expect("write");
    crate::db::add_migrations(&p, &tag);
    p
}
