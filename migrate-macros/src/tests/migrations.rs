use std::fs;
use std::path::Path;

use quote::quote;

use super::{compile_errors, item_names};
use crate::migrations::try_expand;
use crate::source::Source;

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

fn migration(rev: &str, down: &str) -> String {
    format!("#[migration(rev = \"{rev}\"{down})]\npub fn upgrade(op: &mut Op) -> Result<()> {{ Ok(()) }}\n")
}

#[test]
fn one_module_per_file_and_every_migration_in_migrations() {
    let crate_dir = tempfile::tempdir().unwrap();
    let versions = crate_dir.path().join("src/versions");
    fs::create_dir_all(&versions).unwrap();
    write(&versions, "0001_a1_init.rs", &migration("a1", ""));
    write(
        &versions,
        "0002_b2.rs",
        &migration("b2", ", down_rev = \"a1\""),
    );
    write(&versions, "helpers.rs", "pub fn shared() {}\n");
    write(&versions, "README.md", "not rust\n");
    let here = Source {
        file: crate_dir.path().join("src/lib.rs"),
        line: 1,
        external: Vec::new(),
    };

    let out = try_expand(quote!(), Some(&here), None).unwrap();
    assert_eq!(
        item_names(&out),
        [
            "mod m0001_a1_init",
            "mod m0002_b2",
            "mod helpers",
            "static MIGRATIONS",
            "const _"
        ]
    );
    // The set, registered once with inventory for `Linked`.
    assert!(
        out.to_string()
            .contains(":: migrate_core :: __private :: LinkedSet (__migrations)"),
        "{out}"
    );
    let text = out.to_string();
    assert!(
        text.contains(&format!(
            "# [path = {:?}]",
            versions.join("0001_a1_init.rs").display().to_string()
        )),
        "{text}"
    );
    assert!(
        text.contains("& [m0001_a1_init :: __MIGRATION_UPGRADE , m0002_b2 :: __MIGRATION_UPGRADE]"),
        "{text}"
    );
    assert!(compile_errors(&out).is_empty());

    // The same folder, named relative to Cargo.toml.
    let named = try_expand(quote!("src/versions"), None, Some(crate_dir.path())).unwrap();
    assert_eq!(named.to_string(), out.to_string());
}

#[test]
fn two_unlabelled_heads_fail_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "0001.rs", &migration("a1", ""));
    write(
        dir.path(),
        "0002.rs",
        &migration("b2", ", down_rev = \"a1\""),
    );
    write(
        dir.path(),
        "0003.rs",
        &migration("c3", ", down_rev = \"a1\""),
    );
    let dir_lit = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let parent = dir.path().parent().unwrap();
    let out = try_expand(quote!(#dir_lit), None, Some(parent)).unwrap();
    assert_eq!(
        compile_errors(&out),
        ["2 heads: b2, c3 — create a merge with `migrate merge heads`; or, for deliberately parallel unlabelled branches, write `migrations!(allow_multiple_heads)`"]
    );
    let out = try_expand(quote!(#dir_lit, allow_multiple_heads), None, Some(parent)).unwrap();
    assert!(compile_errors(&out).is_empty());
}

#[test]
fn bad_input_and_missing_or_absolute_folders_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = |input| {
        try_expand(input, None, Some(dir.path()))
            .err()
            .unwrap()
            .to_string()
    };
    assert!(err(quote!("nope"))
        .starts_with("migrations folder `nope` (relative to Cargo.toml) does not exist;"));
    assert_eq!(
        err(quote!("/abs/versions")),
        "the migrations folder must be relative to the crate's Cargo.toml, e.g. \"src/versions\""
    );
    assert!(
        err(quote!(allow_many_heads)).starts_with("unexpected `allow_many_heads` in migrations!()")
    );
    assert!(err(quote!("a", "b")).starts_with("duplicate folder path"));
}

#[test]
fn file_names_that_clash_as_modules_get_distinct_modules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-b.rs", &migration("a1", ""));
    write(
        dir.path(),
        "a_b.rs",
        &migration("b2", ", down_rev = \"a1\""),
    );
    let name = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let out = try_expand(quote!(#name), None, dir.path().parent()).unwrap();
    assert_eq!(
        item_names(&out),
        ["mod a_b", "mod a_b_", "static MIGRATIONS", "const _"]
    );
    assert!(out
        .to_string()
        .contains("& [a_b :: __MIGRATION_UPGRADE , a_b_ :: __MIGRATION_UPGRADE]"));
}
