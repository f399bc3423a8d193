//! `revision` and `merge`: the files they write and Alembic's refusals.

use crate::util::Project;

#[test]
fn revision_writes_the_documented_file() {
    let p = Project::new();
    let out = p.ok(&["revision", "-m", "Create Account table!", "--rev-id", "a1"]);
    let file = p.file_of("a1");
    assert_eq!(
        file.file_name().and_then(|n| n.to_str()),
        Some("a1_create_account_table.rs")
    );
    assert_eq!(out, format!("Generating {} ...  done\n", file.display()));
    let text = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        text,
        "//! Create Account table!\nuse migrate_core::prelude::*;\n\n/// Create Account table!\n\
         #[migration(rev = \"a1\")]\npub fn upgrade(op: &mut Op) -> Result<()> {\n    \
         // Record the schema changes here, e.g. op.create_table(..)?; op.add_column(..)?;\n    \
         let _ = op; // remove once the upgrade uses `op`\n    Ok(())\n}\n"
    );
    p.revision("b2", "next", &[]);
    let text = std::fs::read_to_string(p.file_of("b2")).expect("read");
    assert!(
        text.contains("#[migration(rev = \"b2\", down_rev = \"a1\")]"),
        "{text}"
    );
}

#[test]
fn default_name_has_a_timestamp_and_a_random_id() {
    let p = Project::with_config("[migrate]\n");
    let out = p.ok(&["revision", "-m", "create users"]);
    let path = out
        .trim()
        .strip_prefix("Generating ")
        .and_then(|s| s.strip_suffix(" ...  done"))
        .expect("line");
    let name = std::path::Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")
        .to_owned();
    // <YYYYMMDD_HHMM>_<12 hex>_create_users.rs
    let parts: Vec<&str> = name.splitn(4, '_').collect();
    assert_eq!(parts[0].len(), 8, "{name}");
    assert_eq!(parts[1].len(), 4, "{name}");
    assert_eq!(parts[2].len(), 12, "{name}");
    assert!(parts[2].chars().all(|c| c.is_ascii_hexdigit()), "{name}");
    assert_eq!(parts[3], "create_users.rs");
}

#[test]
fn illegal_characters_are_refused_with_alembics_message() {
    let p = Project::new();
    let err = p.fails(
        &["revision", "-m", "x", "--rev-id", "no@atsigns-ordashes"],
        1,
    );
    assert_eq!(
        err,
        "error: Character(s) '-, @' not allowed in revision identifier 'no@atsigns-ordashes'\n"
    );
}

#[test]
fn multiple_heads_need_head_and_non_heads_need_splice() {
    let p = Project::new();
    p.revision("a1", "one", &[]);
    p.revision("b2", "two", &[]);
    let err = p.fails(&["revision", "-m", "x", "--head", "a1"], 1);
    assert!(
        err.contains("Revision a1 is not a head revision; please specify --splice to create a new branch from this revision"),
        "{err}"
    );
    p.revision("c3", "branch", &["--head", "a1", "--splice"]);
    let err = p.fails(&["revision", "-m", "x"], 1);
    assert!(
        err.contains("Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge."),
        "{err}"
    );
    assert!(
        err.contains("hint: create a merge with `migrate merge heads"),
        "{err}"
    );
    p.revision("d4", "on c", &["--head", "c3"]);
    let text = std::fs::read_to_string(p.file_of("d4")).expect("read");
    assert!(text.contains("down_rev = \"c3\""), "{text}");
}

#[test]
fn merge_heads_lists_every_head_in_order() {
    let p = Project::new();
    p.revision("a1", "one", &[]);
    p.revision("b2", "two", &[]);
    p.revision("c3", "three", &["--head", "a1", "--splice"]);
    p.ok(&["merge", "heads", "-m", "merge them", "--rev-id", "d4"]);
    let text = std::fs::read_to_string(p.file_of("d4")).expect("read");
    assert!(
        text.contains("#[migration(rev = \"d4\", down_rev = [\"b2\", \"c3\"])]"),
        "{text}"
    );
    assert!(text.starts_with("//! merge them\n"), "{text}");
    // Merging a non-head needs --splice, as in Alembic.
    let err = p.fails(&["merge", "a1", "d4", "-m", "x"], 1);
    assert!(err.contains("Revision a1 is not a head revision"), "{err}");
}

#[test]
fn labels_and_dependencies_are_written() {
    let p = Project::new();
    p.revision("aaaa1111", "one", &[]);
    p.revision(
        "bbbb2222",
        "feature root",
        &["--head", "base", "--branch-label", "feature"],
    );
    p.revision(
        "cccc3333",
        "uses one",
        &["--head", "feature@head", "--depends-on", "aaaa"],
    );
    let text = std::fs::read_to_string(p.file_of("bbbb2222")).expect("read");
    assert!(
        text.contains("#[migration(rev = \"bbbb2222\", branch_labels = [\"feature\"])]"),
        "{text}"
    );
    let text = std::fs::read_to_string(p.file_of("cccc3333")).expect("read");
    assert!(
        text.contains("down_rev = \"bbbb2222\", depends_on = [\"aaaa1111\"]"),
        "partial ids are expanded: {text}"
    );
    p.revision(
        "dddd4444",
        "by label",
        &["--head", "aaaa1111", "--depends-on", "feature"],
    );
    let text = std::fs::read_to_string(p.file_of("dddd4444")).expect("read");
    assert!(
        text.contains("depends_on = [\"feature\"]"),
        "labels are kept: {text}"
    );
    let err = p.fails(
        &[
            "revision",
            "-m",
            "x",
            "--head",
            "dddd",
            "--depends-on",
            "nope",
        ],
        1,
    );
    assert!(
        err.contains("Can't locate revision identified by 'nope'"),
        "{err}"
    );
    let err = p.fails(
        &[
            "revision",
            "-m",
            "x",
            "--head",
            "base",
            "--branch-label",
            "feature",
        ],
        1,
    );
    assert!(err.contains("Branch name 'feature'"), "{err}");
}

#[test]
fn duplicate_rev_id_is_refused() {
    let p = Project::new();
    p.revision("a1", "one", &[]);
    let err = p.fails(&["revision", "-m", "again", "--rev-id", "a1"], 1);
    assert!(err.contains("Revision a1 is already present"), "{err}");
}

/// `post_write_hook`: a command line with `{file}` runs on the new file; `"none"` leaves the
/// file as generated; a command that can't start is a warning, and the revision is created.
#[test]
fn post_write_hook_runs_a_command_or_nothing_and_a_missing_one_only_warns() {
    let config = |hook: &str| {
        format!("[migrate]\nmigrations = \"migrations\"\nurl = \"sqlite://test.db\"\nfile_template = \"{{rev}}_{{slug}}\"\npost_write_hook = {hook:?}\n")
    };
    // A hook that writes a marker: a copy of the file it was given.
    let p = Project::with_config(&config("cp {file} {file}.marker"));
    let (out, err) = p.ok2(&["revision", "-m", "one", "--rev-id", "a1"]);
    let file = p.file_of("a1");
    assert_eq!(out, format!("Generating {} ...  done\n", file.display()));
    assert_eq!(err, "");
    let marker =
        std::fs::read_to_string(format!("{}.marker", file.display())).expect("the hook ran");
    assert_eq!(marker, std::fs::read_to_string(&file).expect("read"));

    // A stand-in `rustfmt` first on PATH, recording its arguments: the default hook runs it
    // on the new file, "none" runs nothing and leaves the file as rendered.
    let bin = tempfile::tempdir().expect("temp dir");
    let log = bin.path().join("calls");
    let fake = bin.path().join("rustfmt");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\necho \"$@\" >> '{}'\n", log.display()),
    )
    .expect("write");
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |p: &Project| {
        let out = p
            .migrate(&["revision", "-m", "one", "--rev-id", "a1"])
            .env("PATH", &path)
            .output()
            .expect("run migrate");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stderr), "");
        p.file_of("a1")
    };
    let default = Project::new();
    let file = run(&default);
    let calls = std::fs::read_to_string(&log).expect("the default hook ran rustfmt");
    assert!(calls.starts_with("--edition 2021 /"), "{calls}");
    assert!(
        calls.ends_with("/migrations/src/versions/a1_one.rs\n"),
        "{calls}"
    );
    assert_eq!(calls.lines().count(), 1, "{calls}");
    let none = Project::with_config(&config("none"));
    let none_file = run(&none);
    assert_eq!(
        std::fs::read_to_string(&log).expect("read"),
        calls,
        "none ran nothing"
    );
    assert_eq!(
        std::fs::read_to_string(none_file).expect("read"),
        std::fs::read_to_string(file).expect("read"),
        "the file as rendered (the stand-in changes nothing)"
    );

    // A command that does not exist: a warning on stderr, exit 0, the file written.
    let missing = Project::with_config(&config("no-such-formatter-xyz {file}"));
    let (_, err) = missing.ok2(&["revision", "-m", "one", "--rev-id", "a1"]);
    assert!(
        err.starts_with("warning: post_write_hook: can't run `no-such-formatter-xyz`"),
        "{err}"
    );
    assert!(missing.file_of("a1").is_file());

    // A command that fails: a warning naming it.
    let failing = Project::with_config(&config("false"));
    let (_, err) = failing.ok2(&["revision", "-m", "one", "--rev-id", "a1"]);
    assert!(
        err.starts_with("warning: post_write_hook: `false` failed"),
        "{err}"
    );

    // An empty value is a configuration error.
    let empty = Project::with_config(&config(" "));
    let err = empty.fails(&["revision", "-m", "one", "--rev-id", "a1"], 5);
    assert!(err.contains("post_write_hook is empty"), "{err}");
}
