//! Running the migrations binary without cargo when nothing it was built from changed.
//!
//! Cargo's no-op freshness check costs about 80 ms; `migrate current` itself about 8. After a
//! build, the front end writes a stamp (`<migrations crate>/target/migrate-fresh.txt`) that
//! names the executable cargo reported and every path it was built from: each file of cargo's
//! dep-info for it (`<exe>.d`, every source file of every path package, and the build
//! script's `rerun-if-changed` paths), each folder among them walked to its last file, the
//! crate's `Cargo.toml`/`Cargo.lock`/`build.rs`/`src/versions`, and every `Cargo.toml`,
//! `Cargo.lock`, `.cargo/config.toml`, `.cargo/config`, `rust-toolchain(.toml)` from the
//! crate's folder up to `/` (and cargo's home configuration), present or not. Each path is
//! recorded with its modification time and size, and the stamp is written only when all of
//! them but `Cargo.lock` (which cargo itself writes as it resolves) are older than the moment
//! cargo was started (a file edited during the build leaves no stamp).
//!
//! Next time the binary is run directly only when the stamp's every path has exactly the time
//! and size recorded (a path recorded absent is still absent), the executable is the one
//! recorded (time and size), and the environment variables that steer cargo and rustc
//! (`CARGO_*` and `RUST*`, hashed) are the same, and so are those any build script asked to
//! be rerun for (`cargo:rerun-if-env-changed`, such as `PQ_LIB_DIR`). An edit, an added or removed migration (its
//! folder's time changes), `touch Cargo.toml`, a new `.cargo/config.toml` or a rebuild by the
//! user: cargo runs, as it always did. Anything unreadable or unexpected: cargo runs.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `MIGRATE_NO_FAST_PATH=1` always runs cargo (for measuring, or to rule the stamp out); the
/// stamp is still written after the build.
pub(crate) const DISABLE_ENV: &str = "MIGRATE_NO_FAST_PATH";

const HEADER: &str = "migrate-fresh 2";

/// Where the stamp of the migrations crate in `dir` lives.
fn stamp_path(dir: &Path) -> PathBuf {
    dir.join("target").join("migrate-fresh.txt")
}

fn disabled() -> bool {
    std::env::var_os(DISABLE_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The executable to run without cargo, when the stamp of the crate in `dir` proves that
/// nothing it was built from changed since.
pub(crate) fn fresh_executable(dir: &Path) -> Option<PathBuf> {
    if disabled() {
        return None;
    }
    let text = std::fs::read_to_string(stamp_path(dir)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let key = lines.next()?.strip_prefix("key ")?;
    if key != env_key() {
        return None;
    }
    let (hash, names) = lines.next()?.strip_prefix("build-env ")?.split_once(' ')?;
    let names: Vec<&str> = names.split(' ').filter(|n| !n.is_empty()).collect();
    if hash != vars_hash(&names) {
        return None;
    }
    let exe = PathBuf::from(lines.next()?.strip_prefix("exe ")?);
    let exe_meta = lines.next()?.strip_prefix("exe-meta ")?;
    if exe_meta != meta_field(&exe)? {
        return None;
    }
    let entries: Vec<&str> = lines.collect();
    let (end, entries) = entries.split_last()?;
    // The stamp was written whole (it is renamed into place, but be sure).
    if end.strip_prefix("end ")?.parse::<usize>().ok()? != entries.len() {
        return None;
    }
    // Thousands of files on a project of thousands of migrations: check them on two threads.
    let (first, second) = entries.split_at(entries.len() / 2);
    let unchanged = std::thread::scope(|scope| {
        let other = scope.spawn(|| all_unchanged(second));
        all_unchanged(first) && other.join().unwrap_or(false)
    });
    unchanged.then_some(exe)
}

/// Every `path <meta> <path>` line still has its time and size, every `absent <path>` is
/// still absent.
fn all_unchanged(lines: &[&str]) -> bool {
    lines.iter().all(|line| {
        if let Some(path) = line.strip_prefix("absent ") {
            std::fs::symlink_metadata(path).is_err()
        } else if let Some((recorded, path)) =
            line.strip_prefix("path ").and_then(|r| r.split_once(' '))
        {
            meta_matches(Path::new(path), recorded)
        } else {
            false
        }
    })
}

/// Record, after cargo (started at `started`) built `exe` for the crate in `dir`, what it was
/// built from. Best effort: when anything is doubtful no stamp is left, and the next run
/// uses cargo again.
pub(crate) fn record(dir: &Path, exe: &Path, started: SystemTime) {
    let stamp = stamp_path(dir);
    let _ = std::fs::remove_file(&stamp);
    let Some(text) = stamp_text(dir, exe, started) else {
        return;
    };
    let Some(parent) = stamp.parent() else {
        return;
    };
    if std::fs::create_dir_all(parent).is_err() {
        return;
    }
    let tmp = parent.join(format!("migrate-fresh.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &stamp).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

fn stamp_text(dir: &Path, exe: &Path, started: SystemTime) -> Option<String> {
    let dir = std::fs::canonicalize(dir).ok()?;
    let exe_str = exe.to_str().filter(|s| plain(s))?;
    let mut watched = BTreeSet::new();
    let mut absent = BTreeSet::new();
    for path in dep_info(exe)? {
        watched.insert(path);
    }
    let mut candidates = vec![
        dir.join("Cargo.toml"),
        dir.join("Cargo.lock"),
        dir.join("build.rs"),
        dir.join("src").join("versions"),
    ];
    for ancestor in dir.ancestors() {
        for name in [
            "Cargo.toml",
            "Cargo.lock",
            "rust-toolchain",
            "rust-toolchain.toml",
        ] {
            candidates.push(ancestor.join(name));
        }
        candidates.push(ancestor.join(".cargo").join("config.toml"));
        candidates.push(ancestor.join(".cargo").join("config"));
    }
    if let Some(home) = cargo_home() {
        candidates.push(home.join("config.toml"));
        candidates.push(home.join("config"));
    }
    for path in candidates {
        if std::fs::symlink_metadata(&path).is_ok() {
            watched.insert(path);
        } else {
            absent.insert(path);
        }
    }
    // Folders (src/versions, rerun-if-changed folders): every entry below them, so that an
    // added, removed or renamed file changes a recorded folder's time.
    let mut all = BTreeSet::new();
    for path in watched {
        walk(&path, &mut all, 0)?;
    }
    let exe_meta = meta_field(exe)?;
    let mut out = String::new();
    let names = build_script_env(exe)?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let _ = writeln!(
        out,
        "{HEADER}\nkey {}\nbuild-env {} {}\nexe {exe_str}\nexe-meta {exe_meta}",
        env_key(),
        vars_hash(&names),
        names.join(" ")
    );
    let mut count = 0usize;
    for path in &all {
        let s = path.to_str().filter(|s| plain(s))?;
        let meta = std::fs::metadata(path).ok()?;
        // Edited while cargo ran: maybe not what it compiled. (Cargo writes a lock file
        // itself when it resolves, before it compiles: what it wrote is what it used.)
        let lock_file = path.file_name().is_some_and(|n| n == "Cargo.lock");
        if !lock_file && !older(meta.modified().ok()?, started) {
            return None;
        }
        let _ = writeln!(out, "path {} {s}", meta_field(path)?);
        count += 1;
    }
    for path in &absent {
        let s = path.to_str().filter(|s| plain(s))?;
        let _ = writeln!(out, "absent {s}");
        count += 1;
    }
    let _ = writeln!(out, "end {count}");
    Some(out)
}

/// `path` and, for a folder, everything below it.
fn walk(path: &Path, out: &mut BTreeSet<PathBuf>, depth: usize) -> Option<()> {
    if depth > 32 {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    out.insert(path.to_path_buf());
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).ok()? {
            walk(&entry.ok()?.path(), out, depth + 1)?;
        }
    }
    Some(())
}

/// Modified before `started`. On a file system with whole-second times (no nanoseconds), a
/// file written in the same second as `started` may be newer than it: compare seconds.
fn older(modified: SystemTime, started: SystemTime) -> bool {
    let (Ok(m), Ok(s)) = (
        modified.duration_since(UNIX_EPOCH),
        started.duration_since(UNIX_EPOCH),
    ) else {
        return false;
    };
    if m.subsec_nanos() == 0 {
        m.as_secs() < s.as_secs()
    } else {
        m < s
    }
}

/// The modification time and size of `exe`, as the stamp records them.
pub(crate) fn exe_identity(exe: &Path) -> Option<String> {
    meta_field(exe)
}

/// `<mtime seconds>.<nanos>:<size>` of `path` (following symbolic links).
fn meta_field(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let m: Duration = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!(
        "{}.{:09}:{}",
        m.as_secs(),
        m.subsec_nanos(),
        meta.len()
    ))
}

/// Whether `path`'s modification time and size are `recorded` (as [`meta_field`] wrote
/// them), compared without formatting (a stamp of 10k files is checked on every command).
fn meta_matches(path: &Path, recorded: &str) -> bool {
    let parse = || -> Option<(u64, u32, u64)> {
        let (time, len) = recorded.split_once(':')?;
        let (secs, nanos) = time.split_once('.')?;
        Some((secs.parse().ok()?, nanos.parse().ok()?, len.parse().ok()?))
    };
    let (Some((secs, nanos, len)), Ok(meta)) = (parse(), std::fs::metadata(path)) else {
        return false;
    };
    let Some(m) = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
    else {
        return false;
    };
    m.as_secs() == secs && m.subsec_nanos() == nanos && meta.len() == len
}

/// A path the line format can carry as it is.
fn plain(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
}

/// A hash of the environment variables that steer cargo and rustc (`CARGO_*`, `RUST*`, less
/// those that only change what is printed). `CARGO` (which cargo binary) is not among them,
/// as the toolchain itself is not tracked (neither is it by cargo's own fingerprints of a
/// `rustup update`, beyond the compiler version).
fn env_key() -> String {
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.to_string_lossy().into_owned())))
        .filter(|(k, _)| {
            (k.starts_with("CARGO_") || k.starts_with("RUST") || k == "HOME")
                && !k.starts_with("CARGO_TERM_")
                && !matches!(
                    k.as_str(),
                    "RUST_LOG" | "RUST_BACKTRACE" | "RUST_LIB_BACKTRACE" | "RUST_MIN_STACK"
                )
        })
        .collect();
    vars.sort();
    // Fixed keys: the same environment hashes the same in every run.
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new();
    vars.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// A hash of the values of the environment variables `names` (unset ones included as such).
fn vars_hash(names: &[&str]) -> String {
    let values: Vec<(&str, Option<std::ffi::OsString>)> =
        names.iter().map(|n| (*n, std::env::var_os(n))).collect();
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new();
    values.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Every variable a build script in `exe`'s target folder asked to be rebuilt for
/// (`cargo:rerun-if-env-changed=NAME` in `<profile>/build/*/output`, `PQ_LIB_DIR`,
/// `PKG_CONFIG_PATH` ...): all of that folder's build scripts, so more than this binary's
/// own, which costs at most an extra cargo run when one of them changes.
fn build_script_env(exe: &Path) -> Option<BTreeSet<String>> {
    let build = exe.parent()?.join("build");
    let mut names = BTreeSet::new();
    let Ok(dirs) = std::fs::read_dir(&build) else {
        return Some(names); // no build scripts at all
    };
    for dir in dirs {
        let Ok(text) = std::fs::read_to_string(dir.ok()?.path().join("output")) else {
            continue;
        };
        for line in text.lines() {
            let name = line
                .strip_prefix("cargo:rerun-if-env-changed=")
                .or_else(|| line.strip_prefix("cargo::rerun-if-env-changed="));
            if let Some(name) = name {
                let name = name.trim().trim_matches('"');
                if name.is_empty() || name.contains(' ') || !plain(name) {
                    return None;
                }
                names.insert(name.to_owned());
            }
        }
    }
    Some(names)
}

/// The paths of cargo's dep-info file beside `exe` (`<exe>.d`: `<exe>: <path> <path> ...`,
/// spaces in paths escaped as `\ `).
fn dep_info(exe: &Path) -> Option<Vec<PathBuf>> {
    let mut d = exe.as_os_str().to_owned();
    d.push(".d");
    let text = std::fs::read_to_string(PathBuf::from(d)).ok()?;
    parse_dep_info(&text, exe.to_str()?)
}

fn parse_dep_info(text: &str, exe: &str) -> Option<Vec<PathBuf>> {
    let line = text.lines().find(|l| !l.trim().is_empty())?;
    let target = exe.replace(' ', "\\ ");
    let rest = line.strip_prefix(&target)?.strip_prefix(':')?;
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                current.push(' ');
                chars.next();
            }
            // Any other escape is a spelling this reader does not know: doubtful.
            '\\' | '$' => return None,
            ' ' => {
                if !current.is_empty() {
                    paths.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        paths.push(PathBuf::from(current));
    }
    (!paths.is_empty() && paths.iter().all(|p| p.is_absolute())).then_some(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_info_paths_with_spaces() {
        let text = "/t/debug/my\\ bin: /a/src/main.rs /b\\ c/lib.rs\n";
        assert_eq!(
            parse_dep_info(text, "/t/debug/my bin"),
            Some(vec![
                PathBuf::from("/a/src/main.rs"),
                PathBuf::from("/b c/lib.rs")
            ])
        );
        assert_eq!(parse_dep_info(text, "/t/debug/other"), None);
        assert_eq!(parse_dep_info("/x: rel/path.rs\n", "/x"), None);
        assert_eq!(parse_dep_info("/x: /a\\\\b\n", "/x"), None);
    }

    #[test]
    fn whole_second_times_compare_by_the_second() {
        let at = |s: u64, n: u32| UNIX_EPOCH + Duration::new(s, n);
        assert!(older(at(9, 500), at(10, 0)));
        assert!(!older(at(10, 1), at(10, 0)));
        assert!(!older(at(10, 0), at(10, 500_000_000)));
        assert!(older(at(9, 0), at(10, 500_000_000)));
    }

    #[test]
    fn a_stamp_goes_stale_when_a_source_changes() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("crate");
        std::fs::create_dir_all(dir.join("src/versions")).expect("mkdir");
        std::fs::write(dir.join("Cargo.toml"), "[package]\n").expect("write");
        let source = dir.join("src/versions/a.rs");
        std::fs::write(&source, "a").expect("write");
        let exe = tmp.path().join("bin");
        std::fs::write(&exe, "exe").expect("write");
        std::fs::write(
            tmp.path().join("bin.d"),
            format!("{}: {}\n", exe.display(), source.display()),
        )
        .expect("write");
        let started = SystemTime::now() + Duration::from_secs(5);
        record(&dir, &exe, started);
        assert_eq!(fresh_executable(&dir), Some(exe.clone()));
        std::fs::write(&source, "b").expect("edit");
        assert_eq!(fresh_executable(&dir), None, "an edited source");
        record(&dir, &exe, started);
        assert_eq!(fresh_executable(&dir), Some(exe.clone()));
        std::fs::write(dir.join("src/versions/b.rs"), "b").expect("add");
        assert_eq!(fresh_executable(&dir), None, "an added file");
        record(&dir, &exe, started);
        std::fs::create_dir_all(dir.join(".cargo")).expect("mkdir");
        std::fs::write(dir.join(".cargo/config.toml"), "").expect("write");
        assert_eq!(fresh_executable(&dir), None, "a new cargo configuration");
        // A variable a build script watches.
        std::fs::create_dir_all(tmp.path().join("build/x-1")).expect("mkdir");
        std::fs::write(
            tmp.path().join("build/x-1/output"),
            "cargo:rerun-if-env-changed=MIGRATE_TEST_WATCHED_VAR\n",
        )
        .expect("write");
        std::fs::remove_file(dir.join(".cargo/config.toml")).expect("remove");
        record(&dir, &exe, started);
        assert_eq!(fresh_executable(&dir), Some(exe.clone()));
        let text = std::fs::read_to_string(stamp_path(&dir)).expect("stamp");
        assert!(text.contains(" MIGRATE_TEST_WATCHED_VAR\n"), "{text}");
        // (A variable no other test reads.)
        std::env::set_var("MIGRATE_TEST_WATCHED_VAR", "1");
        assert_eq!(fresh_executable(&dir), None, "a watched variable changed");
        record(&dir, &exe, started);
        assert_eq!(fresh_executable(&dir), Some(exe.clone()));
        // Edited while cargo ran: no stamp at all.
        record(&dir, &exe, SystemTime::now() - Duration::from_secs(60));
        assert_eq!(fresh_executable(&dir), None);
    }
}
