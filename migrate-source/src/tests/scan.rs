use std::fs;
use std::path::Path;

use crate::{
    checksum, legacy_checksum, order_key, scan_dir, scan_dir_lenient, scan_source, SourceError,
};

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

const FIRST: &str = r#"use migrate_core::prelude::*;

/// Create users.
#[migration(rev = "a1", branch_labels = ["core"])]
pub fn upgrade(op: &mut Op) -> Result<()> {
    op.execute("CREATE TABLE users (id int)")?;
    Ok(())
}
"#;

#[test]
fn finds_migrations_sorted_by_file_name_with_their_metadata() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "0002_b.rs",
        &FIRST.replace(
            "\"a1\", branch_labels = [\"core\"]",
            "\"b2\", down_rev = \"a1\", depends_on = [\"x\"], transactional = false",
        ),
    );
    write(dir.path(), "0001_a.rs", FIRST);
    write(
        dir.path(),
        "notes.txt",
        "#[migration(rev = \"zz\")]\nfn up() {}\n",
    );
    // A folder without Rust files in it is nobody's business.
    fs::create_dir(dir.path().join("notes")).unwrap();
    write(
        &dir.path().join("notes"),
        "a.md",
        "#[migration(rev = \"zz\")]\n",
    );

    let found = scan_dir(dir.path()).unwrap();
    assert_eq!(found.len(), 2);
    let (a, b) = (&found[0], &found[1]);
    assert_eq!(
        (a.rev.as_str(), a.line, a.fn_name.as_str()),
        ("a1", 4, "upgrade")
    );
    assert_eq!(a.file, dir.path().join("0001_a.rs"));
    assert_eq!(a.branch_labels, ["core"]);
    assert!(a.down_revs.is_empty() && a.transactional);
    assert_eq!(a.message, "Create users.");
    assert_eq!(
        (
            b.rev.as_str(),
            b.down_revs.as_slice(),
            b.depends_on.as_slice()
        ),
        ("b2", &["a1".to_owned()][..], &["x".to_owned()][..])
    );
    assert!(!b.transactional);

    let rev = b.to_revision();
    assert_eq!(rev.id, "b2");
    assert_eq!(rev.order_key, "0002_b.rs#0000000004");
    assert_eq!(
        rev.order_key,
        order_key("migrations/src/versions/0002_b.rs", 4)
    );
}

#[test]
fn several_migrations_in_one_file_and_the_qualified_path() {
    let text = r##"
#[migrate_core::migration(rev = "a")]
fn one(op: &mut Op) -> Result<()> { Ok(()) }

fn helper() -> &'static str { "#[migration(rev = \"nope\")]" }

// A comment in between.
#[allow(unused)]
/// Second.
#[ migration (rev = "b", down_rev = "a", downgrade = down_b)]
pub(crate) fn two(op: &mut Op) -> Result<()> { op.execute("}")?; Ok(()) }
fn down_b(op: &mut Op) -> Result<()> { Ok(()) }
"##;
    let scan = scan_source(Path::new("x.rs"), text);
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    let found: Vec<(&str, u32, &str)> = scan
        .migrations
        .iter()
        .map(|m| (m.rev.as_str(), m.line, m.fn_name.as_str()))
        .collect();
    assert_eq!(found, [("a", 2, "one"), ("b", 10, "two")]);
    assert_eq!(scan.migrations[1].message, "Second.");
    assert_eq!(scan.migrations[1].downgrade.as_deref(), Some("down_b"));
}

#[test]
fn checksum_matches_what_the_macro_computes_from_its_item() {
    let scan = scan_source(Path::new("0001_a.rs"), FIRST);
    // What rustc hands the attribute macro: the item without the `#[migration]` attribute,
    // the doc comment as an attribute.
    let item: proc_macro2::TokenStream = quote::quote! {
        #[doc = r" Create users."]
        pub fn upgrade(op: &mut Op) -> Result<()> {
            op.execute("CREATE TABLE users (id int)")?;
            Ok(())
        }
    };
    assert_eq!(scan.migrations[0].checksum, checksum(item.clone(), None));
    assert_eq!(scan.migrations[0].legacy_checksum, legacy_checksum(item));
}

#[test]
fn a_bad_attribute_is_reported_with_file_and_line_and_the_rest_still_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "0001_a.rs", FIRST);
    write(dir.path(), "0002_b.rs", "\n\n#[migration(rev = \"b\", rev = \"c\", colour = 1)]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n");
    write(
        dir.path(),
        "0003_c.rs",
        "#[migration(rev = \"c\")]\nstruct NotAFn;\n",
    );

    let scan = scan_dir_lenient(dir.path()).unwrap();
    assert_eq!(scan.migrations.len(), 1);
    let messages: Vec<String> = scan.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let b = dir.path().join("0002_b.rs").display().to_string();
    assert!(
        messages[0].starts_with(&format!(
            "{b}:3: #[migration]: duplicate `rev` argument; unknown #[migration] argument `colour`"
        )),
        "{}",
        messages[0]
    );
    assert!(messages[1].ends_with(":1: #[migration] must be placed on a fn, e.g. `pub fn upgrade(op: &mut Op) -> Result<()>`"), "{}", messages[1]);

    match scan_dir(dir.path()) {
        Err(SourceError::Many(problems)) => assert_eq!(problems.len(), 2),
        other => panic!("expected two problems, got {other:?}"),
    }
}

#[test]
fn missing_folder_is_an_io_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("versions");
    let err = scan_dir(&missing).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("cannot read {}", missing.display())
    );
}

/// `cargo test -p migrate-source --release -- --ignored --nocapture scan_10k`
#[test]
#[ignore = "timing; run by hand"]
fn scan_10k_files() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10_000u32 {
        let down = if i == 0 {
            "None".to_owned()
        } else {
            format!("\"{:012x}\"", i - 1)
        };
        write(dir.path(), &format!("{i:05}_{i:012x}_step.rs"), &format!(
            "use migrate_core::prelude::*;\n\n/// Step {i}.\n#[migration(rev = \"{i:012x}\", down_rev = {down})]\npub fn upgrade(op: &mut Op) -> Result<()> {{\n    op.create_table(\"t{i}\", |t| {{\n        t.column(\"id\", Type::BigInt).primary_key();\n        t.column(\"name\", Type::String(255)).not_null();\n    }})?;\n    Ok(())\n}}\n"
        ));
    }
    let mut best = std::time::Duration::MAX;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let found = scan_dir(dir.path()).unwrap();
        best = best.min(start.elapsed());
        assert_eq!(found.len(), 10_000);
    }
    eprintln!("scan_dir over 10,000 files: best of 5 = {best:?}");
}

#[test]
fn a_migration_file_in_a_sub_folder_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "0001_a.rs", FIRST);
    fs::create_dir_all(dir.path().join("sub/deeper")).unwrap();
    write(
        &dir.path().join("sub/deeper"),
        "0003.rs",
        "#[migration(rev = \"zz\")]\nfn up() {}\n",
    );
    // The rule is `migrations!()`'s: reading the folder still works, and skips the sub-folder.
    assert_eq!(scan_dir(dir.path()).unwrap().len(), 1);
    assert_eq!(scan_dir_lenient(dir.path()).unwrap().migrations.len(), 1);
    let err = crate::refuse_nested_files(dir.path()).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, SourceError::NestedFile { .. }), "{err:?}");
    assert!(text.contains("sub/deeper/0003.rs"), "{text}");
    assert!(text.contains("move it up"), "{text}");
    // A folder without Rust files in it is nobody's business.
    fs::remove_dir_all(dir.path().join("sub")).unwrap();
    fs::create_dir(dir.path().join("notes")).unwrap();
    write(&dir.path().join("notes"), "a.md", "x");
    assert!(crate::refuse_nested_files(dir.path()).is_ok());
}

#[test]
fn a_migration_inside_a_module_is_refused_at_its_line() {
    let text = "use migrate_core::prelude::*;\n\nmod inner {\n    use super::*;\n\n    /// Nested.\n    #[migration(rev = \"n1\")]\n    pub fn upgrade(op: &mut Op) -> Result<()> {\n        Ok(())\n    }\n}\n\n/// Top.\n#[migration(rev = \"t1\", down_rev = \"n1\")]\npub fn top(op: &mut Op) -> Result<()> {\n    Ok(())\n}\n";
    let scan = scan_source(Path::new("v/0001.rs"), text);
    assert_eq!(scan.migrations.len(), 1, "{:?}", scan.migrations);
    assert_eq!(scan.migrations[0].rev, "t1");
    assert_eq!(scan.problems.len(), 1);
    let problem = scan.problems[0].to_string();
    assert!(
        problem.starts_with("v/0001.rs:7: #[migration] is inside a block"),
        "{problem}"
    );
}
