use std::fs;
use std::path::Path;

use quote::quote;

use super::{compile_errors, item_names, items};
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
    let upgrades: Vec<String> = entries(&out).iter().map(|e| field(e, "upgrade")).collect();
    // No prelude glob in these files: each fn through the generic wrapper.
    assert_eq!(
        upgrades,
        [
            "| op | :: migrate_core :: __private :: call (m0001_a1_init :: upgrade , op)",
            "| op | :: migrate_core :: __private :: call (m0002_b2 :: upgrade , op)"
        ]
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
    let upgrades: Vec<String> = entries(&out).iter().map(|e| field(e, "upgrade")).collect();
    assert!(
        upgrades[0].contains("(a_b :: upgrade , op)"),
        "{upgrades:?}"
    );
    assert!(
        upgrades[1].contains("(a_b_ :: upgrade , op)"),
        "{upgrades:?}"
    );
}

/// The items in `MIGRATIONS`'s initializer: the chunk consts, then `static ALL`.
fn table_items(out: &proc_macro2::TokenStream) -> Vec<syn::Item> {
    let statics: Vec<syn::ItemStatic> = items(out)
        .into_iter()
        .filter_map(|item| match item {
            syn::Item::Static(s) => Some(s),
            _ => None,
        })
        .collect();
    let syn::Expr::Block(block) = &*statics[0].expr else {
        panic!("MIGRATIONS is a block: the table's items, then MigrationSet::__new")
    };
    let (last, items) = block.block.stmts.split_last().expect("a block with items");
    let syn::Stmt::Expr(syn::Expr::Call(set), None) = last else {
        panic!("the block ends in MigrationSet::__new(..)")
    };
    let func = &set.func;
    assert_eq!(
        quote!(#func).to_string(),
        ":: migrate_core :: __private :: MigrationSet :: __new"
    );
    items
        .iter()
        .map(|stmt| match stmt {
            syn::Stmt::Item(item) => item.clone(),
            other => panic!("only items before the call: {}", quote!(#other)),
        })
        .collect()
}

/// The `MigrationFields { .. }` literals of `MIGRATIONS`, in order, across its chunks.
fn entries(out: &proc_macro2::TokenStream) -> Vec<syn::ExprStruct> {
    let mut rows = Vec::new();
    for item in table_items(out) {
        let syn::Item::Const(chunk) = item else {
            continue;
        };
        let syn::Expr::Array(list) = &*chunk.expr else {
            panic!("a chunk is an array literal")
        };
        for elem in &list.elems {
            let syn::Expr::Call(call) = elem else {
                panic!("each entry is Migration::__from_fields(..)")
            };
            let func = &call.func;
            assert_eq!(
                quote!(#func).to_string(),
                ":: migrate_core :: __private :: Migration :: __from_fields"
            );
            let Some(syn::Expr::Struct(literal)) = call.args.first() else {
                panic!("__from_fields takes a struct literal")
            };
            rows.push(literal.clone());
        }
    }
    rows
}

/// The table comes in chunks of 64 rows, each a const of its own (an edit re-checks one
/// chunk), joined in file order into one array of every row.
#[test]
fn the_table_comes_in_chunks_joined_in_order() {
    let files: Vec<(String, String)> = (1..=130)
        .map(|i| {
            let down = if i == 1 {
                String::new()
            } else {
                format!(", down_rev = \"r{}\"", i - 1)
            };
            (format!("{i:04}.rs"), migration(&format!("r{i}"), &down))
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let (_dir, out) = expand_folder(&files);
    let table = table_items(&out);
    let kinds: Vec<String> = table
        .iter()
        .map(|item| match item {
            syn::Item::Const(c) => {
                let ty = &c.ty;
                format!("const {}: {}", c.ident, quote!(#ty))
            }
            syn::Item::Static(s) => format!("static {}", s.ident),
            _ => "other".to_owned(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "const CHUNK_0: [:: migrate_core :: Migration ; 64]",
            "const CHUNK_1: [:: migrate_core :: Migration ; 64]",
            "const CHUNK_2: [:: migrate_core :: Migration ; 2]",
            "static ALL"
        ]
    );
    let syn::Item::Static(all) = &table[3] else {
        unreachable!()
    };
    let init = &all.expr;
    assert_eq!(
        quote!(#init).to_string(),
        ":: migrate_core :: __private :: join_migrations :: < 130 > (& [& CHUNK_0 , & CHUNK_1 , & CHUNK_2])"
    );
    let revs: Vec<String> = entries(&out).iter().map(|e| field(e, "rev")).collect();
    let expected: Vec<String> = (1..=130).map(|i| format!("\"r{i}\"")).collect();
    assert_eq!(revs, expected);
}

/// The fields a row writes, in order.
fn field_names(literal: &syn::ExprStruct) -> Vec<String> {
    literal
        .fields
        .iter()
        .map(|f| match &f.member {
            syn::Member::Named(n) => n.to_string(),
            syn::Member::Unnamed(i) => i.index.to_string(),
        })
        .collect()
}

fn field(literal: &syn::ExprStruct, name: &str) -> String {
    literal
        .fields
        .iter()
        .find(|f| matches!(&f.member, syn::Member::Named(n) if n == name))
        .map(|f| {
            let value = &f.expr;
            quote!(#value).to_string()
        })
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn expand_folder(files: &[(&str, &str)]) -> (tempfile::TempDir, proc_macro2::TokenStream) {
    let crate_dir = tempfile::tempdir().unwrap();
    let versions = crate_dir.path().join("src/versions");
    fs::create_dir_all(&versions).unwrap();
    for (name, text) in files {
        write(&versions, name, text);
    }
    let out = try_expand(quote!("src/versions"), None, Some(crate_dir.path())).unwrap();
    (crate_dir, out)
}

/// Every key reaches its field with the value written, the checksums are the scanner's
/// (which `migrate history` shows), and a key left out is left to `..DEFAULT`.
#[test]
fn every_key_fills_its_field() {
    let text = r#"use migrate_core::prelude::*;

/// Ignored: `message` wins.
#[migration(
    rev = "m3",
    down_rev = ["a1", "b2"],
    branch_labels = ["core"],
    depends_on = "x9",
    downgrade = self::down,
    transactional = false,
    message = "merge",
    allow_lint = ["drop-column"],
    allow_lint_reason = "empty table",
    table_lock_timeout = "2s",
    statement_timeout = "1m",
)]
pub fn up(op: &mut Op) -> Result<()> {
    Ok(())
}

fn down(op: &mut Op) -> Result<()> {
    Ok(())
}
"#;
    let root = |rev: &str| {
        format!("#[migration(rev = \"{rev}\")]\npub fn upgrade(op: &mut Op) -> Result<()> {{ Ok(()) }}\n")
    };
    let (dir, out) = expand_folder(&[
        ("0001.rs", &root("a1")),
        ("0002.rs", &root("b2")),
        ("0003.rs", &root("x9")),
        ("0004_merge.rs", text),
    ]);
    let entry = &entries(&out)[3];
    let rest = entry.rest.as_ref().expect("a ..DEFAULT tail");
    assert_eq!(
        quote!(#rest).to_string(),
        ":: migrate_core :: __private :: MigrationFields :: DEFAULT"
    );
    let scanned = &migrate_source::scan_source(Path::new("0004_merge.rs"), text).migrations[0];
    let file = dir.path().join("src/versions/0004_merge.rs");
    // `SCHEMA`'s order, then what the file and the fn give.
    let expected = [
        ("rev", "\"m3\"".to_owned()),
        ("down_revs", "& [\"a1\" , \"b2\"]".to_owned()),
        ("branch_labels", "& [\"core\"]".to_owned()),
        ("depends_on", "& [\"x9\"]".to_owned()),
        (
            "downgrade",
            ":: core :: option :: Option :: Some (m0004_merge :: __migrate_downgrade_of_up)"
                .to_owned(),
        ),
        ("transactional", "false".to_owned()),
        ("message", "\"merge\"".to_owned()),
        ("allow_lint", "& [\"drop-column\"]".to_owned()),
        ("allow_lint_reason", "\"empty table\"".to_owned()),
        ("table_lock_timeout_ms", "2000u64".to_owned()),
        ("statement_timeout_ms", "60000u64".to_owned()),
        ("checksum", format!("{:?}", scanned.checksum)),
        ("legacy_checksum", format!("{:?}", scanned.legacy_checksum)),
        ("source_file", format!("{:?}", file.display().to_string())),
        ("line", "4u32".to_owned()),
        (
            "upgrade_prelude",
            ":: core :: option :: Option :: Some (m0004_merge :: up)".to_owned(),
        ),
    ];
    let names = field_names(entry);
    assert_eq!(
        names,
        expected.iter().map(|(name, _)| *name).collect::<Vec<_>>()
    );
    for (name, value) in &expected {
        assert_eq!(&field(entry, name), value, "{name}");
    }
    // A root without doc comment or other keys: the rest is the defaults.
    let first = &entries(&out)[0];
    let names = field_names(first);
    assert_eq!(
        names,
        [
            "rev",
            "checksum",
            "legacy_checksum",
            "source_file",
            "line",
            "upgrade"
        ]
    );
}

/// How the fn is listed follows how its return type is written: a fn pointer for the
/// prelude's `Result` and for `migrate_core::Result`, the generic wrapper otherwise.
#[test]
fn the_return_type_decides_how_the_fn_is_listed() {
    let file = |imports: &str, ret: &str| {
        format!("{imports}\n#[migration(rev = \"a1\")]\npub fn upgrade(op: &mut Op) -> {ret} {{ Ok(()) }}\n")
    };
    // The one of `upgrade` and `upgrade_prelude` that the row sets.
    let listed = |text: &str| {
        let (_dir, out) = expand_folder(&[("0001.rs", text)]);
        let entry = &entries(&out)[0];
        let set = |name: &str| {
            entry
                .fields
                .iter()
                .any(|f| matches!(&f.member, syn::Member::Named(n) if n == name))
        };
        match (set("upgrade"), set("upgrade_prelude")) {
            (true, false) => ("upgrade", field(entry, "upgrade")),
            (false, true) => ("upgrade_prelude", field(entry, "upgrade_prelude")),
            other => panic!("exactly one of the two: {other:?}"),
        }
    };
    let prelude = listed(&file("use migrate_core::prelude::*;", "Result<()>"));
    assert_eq!(
        prelude,
        (
            "upgrade_prelude",
            ":: core :: option :: Option :: Some (m0001 :: upgrade)".to_owned()
        )
    );
    let core = listed(&file(
        "use migrate_core::prelude::*;",
        "migrate_core::Result<()>",
    ));
    assert_eq!(core, ("upgrade", "m0001 :: upgrade".to_owned()));
    let named = listed(&file("use migrate_core::{Op, Result};", "Result<()>"));
    assert_eq!(
        named,
        (
            "upgrade",
            "| op | :: migrate_core :: __private :: call (m0001 :: upgrade , op)".to_owned()
        )
    );
}

/// A raw fn name stays raw in the row, and its downgrade wrapper drops the `r#`.
#[test]
fn a_raw_fn_name_is_named_as_written() {
    let text = "use migrate_core::prelude::*;\n#[migration(rev = \"a1\", downgrade = undo)]\npub fn r#type(op: &mut Op) -> Result<()> { Ok(()) }\nfn undo(op: &mut Op) -> Result<()> { Ok(()) }\n";
    let (_dir, out) = expand_folder(&[("0001.rs", text)]);
    let entry = &entries(&out)[0];
    assert_eq!(
        field(entry, "upgrade_prelude"),
        ":: core :: option :: Option :: Some (m0001 :: r#type)"
    );
    assert_eq!(
        field(entry, "downgrade"),
        ":: core :: option :: Option :: Some (m0001 :: __migrate_downgrade_of_type)"
    );
}
