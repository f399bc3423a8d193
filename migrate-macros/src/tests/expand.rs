use quote::quote;

use super::{compile_errors, item_names, items};
use crate::expand::migration_inner;
use syn::{Expr, ExprStruct, ItemConst, Member, Stmt};

#[test]
fn valid_migration_keeps_the_fn_and_adds_the_const() {
    let out = migration_inner(
        quote!(rev = "b2", down_rev = "a1"),
        quote! {
            /// Add email.
            pub fn upgrade(op: &mut Op) -> Result<()> { Ok(()) }
        },
    );
    assert_eq!(compile_errors(&out), Vec::<String>::new());
    assert_eq!(
        item_names(&out),
        ["fn upgrade", "const __MIGRATION_UPGRADE"],
        "no registration per migration: migrations!() registers the crate's set once"
    );
    let all = items(&out);
    let syn::Item::Fn(f) = &all[0] else {
        unreachable!()
    };
    assert_eq!(f.attrs.len(), 1, "the doc comment stays on the fn");
    // The const is a struct literal of the hidden fields type, by name, with absolute paths
    // only and the `..DEFAULT` tail.
    let syn::Item::Const(c) = &all[1] else {
        unreachable!()
    };
    let literal = fields_literal(c);
    assert_eq!(
        path_text(&literal.path),
        ":: migrate_core :: __private :: MigrationFields"
    );
    let rest = literal.rest.as_ref().expect("a ..DEFAULT tail");
    assert_eq!(
        quote!(#rest).to_string(),
        ":: migrate_core :: __private :: MigrationFields :: DEFAULT"
    );
    assert_eq!(
        field_names(&literal),
        [
            "rev",
            "down_revs",
            "branch_labels",
            "depends_on",
            "downgrade",
            "transactional",
            "message",
            "allow_lint",
            "allow_lint_reason",
            "table_lock_timeout_ms",
            "statement_timeout_ms",
            "checksum",
            "legacy_checksum",
            "source_file",
            "line",
            "upgrade"
        ]
    );
    assert_eq!(field(&literal, "rev"), "\"b2\"");
    assert_eq!(field(&literal, "down_revs"), "& [\"a1\"]");
    assert_eq!(field(&literal, "message"), "\"Add email.\"");
    assert_eq!(field(&literal, "transactional"), "true");
    // Both schemes: the v2 checksum, and the legacy one earlier history rows hold.
    let item = quote!(
        pub fn upgrade(op: &mut Op) -> Result<()> {
            Ok(())
        }
    );
    let v2 = migrate_source::checksum(item.clone(), None);
    assert!(v2.starts_with("v2:"));
    assert_eq!(field(&literal, "checksum"), format!("{v2:?}"));
    let legacy = migrate_source::legacy_checksum(item);
    assert_eq!(field(&literal, "legacy_checksum"), format!("{legacy:?}"));
    assert_eq!(
        field(&literal, "downgrade"),
        ":: core :: option :: Option :: None"
    );
    assert!(!out.to_string().contains("inventory"), "{out}");
}

#[test]
fn crate_override_changes_every_path() {
    let out = migration_inner(
        quote!(rev = "a1", crate = ::my_core),
        quote!(
            fn up(op: &mut Op) -> Result<()> {
                Ok(())
            }
        ),
    );
    let text = out.to_string();
    assert!(
        text.contains(":: my_core :: __private :: Migration :: __from_fields"),
        "{text}"
    );
    assert!(
        text.contains(":: my_core :: __private :: MigrationFields :: DEFAULT"),
        "{text}"
    );
    assert!(!text.contains("migrate_core"), "{text}");
}

#[test]
fn bad_arguments_keep_the_fn_unchanged_and_report_every_error() {
    let item = quote!(
        pub fn upgrade(op: &mut Op) -> Result<()> {
            Ok(())
        }
    );
    let out = migration_inner(quote!(rev = 1, colour = "red", rev = "a"), item.clone());
    let errors = compile_errors(&out);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].starts_with("`rev` must be a string literal"));
    assert!(errors[1].starts_with("unknown #[migration] argument `colour`"));
    assert_eq!(errors[2], "duplicate `rev` argument");
    let all = items(&out);
    let syn::Item::Fn(f) = &all[0] else {
        unreachable!()
    };
    assert_eq!(quote!(#f).to_string(), item.to_string());
    // The stand-in const keeps `migrations!()` from failing in cascade.
    assert!(item_names(&out).contains(&"const __MIGRATION_UPGRADE".to_owned()));
}

#[test]
fn not_a_fn_is_an_error_and_the_item_is_kept() {
    let out = migration_inner(
        quote!(rev = "a1"),
        quote!(
            struct S;
        ),
    );
    assert_eq!(
        compile_errors(&out),
        ["#[migration] must be placed on a fn, e.g. `pub fn upgrade(op: &mut Op) -> Result<()>`"]
    );
    assert_eq!(item_names(&out)[0], "other");
}

#[test]
fn signature_shape_is_checked() {
    let errors = |item| compile_errors(&migration_inner(quote!(rev = "a1"), item));
    assert!(errors(quote!(
        async fn up(op: &mut Op) -> Result<()> {
            Ok(())
        }
    ))[0]
        .starts_with("#[migration] fn cannot be `async`"));
    assert!(errors(quote!(
        fn up() -> Result<()> {
            Ok(())
        }
    ))[0]
        .starts_with("#[migration] fn takes exactly one argument, `op: &mut Op`, found 0"));
    assert!(errors(quote!(
        fn up<T>(op: &mut Op) -> Result<()> {
            Ok(())
        }
    ))[0]
        .starts_with("#[migration] fn cannot be generic"));
    assert!(errors(quote!(
        fn up(op: &mut Op) {}
    ))[0]
        .starts_with("#[migration] fn must return `Result<()>`"));
    let two = errors(quote!(
        async fn up(a: &mut Op, b: u8) {}
    ));
    assert_eq!(two.len(), 3, "{two:?}");
}

#[test]
fn ids_are_validated_with_the_runtime_rules() {
    let out = migration_inner(
        quote!(
            rev = "a-1",
            down_rev = ["ok", "x:y"],
            branch_labels = ["l@b"]
        ),
        quote!(
            fn up(op: &mut Op) -> Result<()> {
                Ok(())
            }
        ),
    );
    let errors = compile_errors(&out);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].contains("'-' not allowed in revision identifier 'a-1'"),
        "{}",
        errors[0]
    );
    assert!(errors[1].contains("'x:y'"), "{}", errors[1]);
    assert!(errors[2].contains("branch label 'l@b'"), "{}", errors[2]);
    let empty = compile_errors(&migration_inner(
        quote!(rev = ""),
        quote!(
            fn up(op: &mut Op) -> Result<()> {
                Ok(())
            }
        ),
    ));
    assert_eq!(
        empty,
        ["empty revision id; give it a value, e.g. \"1f3a9c0de2b4\""]
    );
}

#[test]
fn the_fallback_uses_the_crate_override_too() {
    let out = migration_inner(
        quote!(rev = "a-1", crate = ::my_core),
        quote!(
            fn up(op: &mut Op) -> Result<()> {
                Ok(())
            }
        ),
    );
    assert_eq!(compile_errors(&out).len(), 1);
    let text = out.to_string();
    assert!(
        text.contains("pub (crate) const __MIGRATION_UP : :: my_core :: Migration"),
        "{text}"
    );
    assert!(!text.contains("migrate_core"), "{text}");
}

#[test]
fn argument_and_signature_errors_are_reported_together() {
    let out = migration_inner(
        quote!(rev = 1),
        quote!(
            async fn up(op: &mut Op) -> Result<()> {
                Ok(())
            }
        ),
    );
    let errors = compile_errors(&out);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("`rev` must be a string literal"));
    assert!(errors[1].starts_with("#[migration] fn cannot be `async`"));
}

#[test]
fn a_second_migration_attribute_is_an_error() {
    let out = migration_inner(
        quote!(rev = "a1"),
        quote! {
            #[migration(rev = "a2")]
            fn up(op: &mut Op) -> Result<()> { Ok(()) }
        },
    );
    assert_eq!(
        compile_errors(&out),
        ["duplicate #[migration] attribute; a fn is one migration, write one attribute"]
    );
}

/// The `MigrationFields { .. }` literal the const passes to `Migration::__from_fields`.
fn fields_literal(c: &ItemConst) -> ExprStruct {
    let Expr::Block(block) = &*c.expr else {
        panic!("the const is a block")
    };
    let Some(Stmt::Expr(Expr::Call(call), None)) = block.block.stmts.last() else {
        panic!("the block ends in a call")
    };
    let func = &call.func;
    assert!(
        quote!(#func)
            .to_string()
            .ends_with(":: __private :: Migration :: __from_fields"),
        "{}",
        quote!(#func)
    );
    let Some(Expr::Struct(literal)) = call.args.first() else {
        panic!("the call takes a struct literal")
    };
    literal.clone()
}

fn path_text(path: &syn::Path) -> String {
    quote!(#path).to_string()
}

fn field_names(literal: &ExprStruct) -> Vec<String> {
    literal
        .fields
        .iter()
        .map(|f| match &f.member {
            Member::Named(name) => name.to_string(),
            Member::Unnamed(i) => i.index.to_string(),
        })
        .collect()
}

fn field(literal: &ExprStruct, name: &str) -> String {
    let value = literal
        .fields
        .iter()
        .find(|f| matches!(&f.member, Member::Named(n) if n == name))
        .map(|f| &f.expr)
        .unwrap_or_else(|| panic!("no field {name}"));
    quote!(#value).to_string()
}

/// Every key that sets a field reaches the literal with the value written.
#[test]
fn every_key_fills_its_field() {
    let out = migration_inner(
        quote!(
            rev = "m3",
            down_rev = ["a1", "b2"],
            branch_labels = ["core"],
            depends_on = "x9",
            downgrade = self::down,
            transactional = false,
            message = "merge",
            crate = ::my_core
        ),
        quote!(
            /// Ignored: `message` wins.
            fn up(op: &mut Op) -> Result<()> {
                Ok(())
            }
        ),
    );
    assert_eq!(compile_errors(&out), Vec::<String>::new());
    let syn::Item::Const(c) = &items(&out)[1] else {
        unreachable!()
    };
    let literal = fields_literal(c);
    assert_eq!(
        path_text(&literal.path),
        ":: my_core :: __private :: MigrationFields"
    );
    assert_eq!(field(&literal, "rev"), "\"m3\"");
    assert_eq!(field(&literal, "down_revs"), "& [\"a1\" , \"b2\"]");
    assert_eq!(field(&literal, "branch_labels"), "& [\"core\"]");
    assert_eq!(field(&literal, "depends_on"), "& [\"x9\"]");
    assert_eq!(
        field(&literal, "downgrade"),
        ":: core :: option :: Option :: Some (__downgrade)"
    );
    assert_eq!(field(&literal, "transactional"), "false");
    assert_eq!(field(&literal, "message"), "\"merge\"");
    // The downgrade fn is called through the runtime's shim, on the user's path.
    let text = quote!(#c).to_string();
    assert!(
        text.contains("fn __downgrade (__op : & mut :: my_core :: Op) -> :: my_core :: Result < () > { :: my_core :: __private :: call (self :: down , __op) }"),
        "{text}"
    );
}

/// The fallback's stand-in is the same kind of literal, all defaults but what locates it.
#[test]
fn the_fallback_is_a_fields_literal_too() {
    let out = migration_inner(
        quote!(rev = 1),
        quote!(
            fn up(op: &mut Op) -> Result<()> {
                Ok(())
            }
        ),
    );
    let syn::Item::Const(c) = &items(&out)[1] else {
        unreachable!()
    };
    let literal = fields_literal(c);
    assert_eq!(field_names(&literal), ["source_file", "line", "upgrade"]);
    assert!(literal.rest.is_some());
}

/// With `downgrade = name`, the macro reads that fn from its own file for the checksum: it
/// gives what the scanner gives, and an edit of the downgrade body changes it.
#[test]
fn the_checksum_covers_the_downgrade_fn_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("0001_a.rs");
    let up = "pub fn up(op: &mut Op) -> Result<()> { Ok(()) }";
    let text = |down: &str| {
        format!("#[migration(rev = \"a1\", downgrade = down)]\n{up}\n\nfn down(op: &mut Op) -> Result<()> {{\n    op.execute(\"{down}\")?;\n    Ok(())\n}}\n")
    };
    let expand_in = |contents: &str| {
        std::fs::write(&file, contents).unwrap();
        let here = crate::source::Source {
            file: file.clone(),
            line: 1,
            external: Vec::new(),
        };
        let out = crate::expand::migration(
            quote!(rev = "a1", downgrade = down),
            up.parse().unwrap(),
            Some(&here),
        );
        let syn::Item::Const(c) = &items(&out)[1] else {
            unreachable!()
        };
        let scan = migrate_source::scan_source(&file, contents);
        let scanned = &scan.migrations[0];
        let literal = fields_literal(c);
        assert_eq!(
            field(&literal, "checksum"),
            format!("{:?}", scanned.checksum)
        );
        assert_eq!(
            field(&literal, "legacy_checksum"),
            format!("{:?}", scanned.legacy_checksum)
        );
        scanned.checksum.clone()
    };
    let before = expand_in(&text("DROP TABLE t"));
    let after = expand_in(&text("DROP TABLE u"));
    assert_ne!(before, after);
}
