use quote::quote;

use super::{compile_errors, item_names, items};
use crate::expand::migration_inner;

/// The statements the attribute puts first in the fn's body.
fn first_statements(out: &proc_macro2::TokenStream, n: usize) -> Vec<String> {
    let syn::Item::Fn(f) = &items(out)[0] else {
        panic!("the expansion starts with the fn: {out}")
    };
    f.block.stmts[..n]
        .iter()
        .map(|stmt| quote!(#stmt).to_string())
        .collect()
}

#[test]
fn valid_migration_keeps_the_fn_and_checks_its_signature_in_its_body() {
    let out = migration_inner(
        quote!(rev = "b2", down_rev = "a1"),
        quote! {
            /// Add email.
            pub fn upgrade(op: &mut Op) -> Result<()> { Ok(()) }
        },
    );
    assert_eq!(compile_errors(&out), Vec::<String>::new());
    // The fn alone: `migrations!()` lists the crate's migrations in one table, so nothing
    // here costs `cargo check` an item per migration.
    assert_eq!(item_names(&out), ["fn upgrade"]);
    let syn::Item::Fn(f) = &items(&out)[0] else {
        unreachable!()
    };
    assert_eq!(f.attrs.len(), 1, "the doc comment stays on the fn");
    // The signature `migrate revision` writes: the table's fn pointer checks its types.
    assert_eq!(f.block.stmts.len(), 1, "the body as written");
    let last = &f.block.stmts[0];
    assert_eq!(quote!(#last).to_string(), "Ok (())");
    // Any other spelling: a check first, on the user's tokens.
    let out = migration_inner(
        quote!(rev = "b2"),
        quote! {
            pub fn upgrade(op: &mut migrate_core::Op) -> Result<()> { Ok(()) }
        },
    );
    assert_eq!(
        first_statements(&out, 2),
        [
            ":: migrate_core :: __private :: signature (upgrade) ;",
            "Ok (())"
        ]
    );
    assert!(!out.to_string().contains("inventory"), "{out}");
}

#[test]
fn a_private_fn_becomes_crate_visible_for_the_table() {
    let out = migration_inner(
        quote!(rev = "a1"),
        quote! {
            /// Doc.
            fn up(op: &mut Op) -> Result<()> { Ok(()) }
        },
    );
    let syn::Item::Fn(f) = &items(&out)[0] else {
        unreachable!()
    };
    let vis = &f.vis;
    assert_eq!(quote!(#vis).to_string(), "pub (crate)");
    assert_eq!(f.attrs.len(), 1, "the doc comment stays first");
    let public = migration_inner(
        quote!(rev = "a1"),
        quote!(
            pub fn up(op: &mut Op) -> Result<()> {
                Ok(())
            }
        ),
    );
    let syn::Item::Fn(f) = &items(&public)[0] else {
        unreachable!()
    };
    let vis = &f.vis;
    assert_eq!(
        quote!(#vis).to_string(),
        "pub",
        "a visibility written stays"
    );
}

#[test]
fn the_downgrade_fn_is_checked_too_on_its_path() {
    let out = migration_inner(
        quote!(rev = "a1", downgrade = self::down),
        quote!(
            fn up(op: &mut Op) -> Result<()> {
                Ok(())
            }
        ),
    );
    assert_eq!(compile_errors(&out), Vec::<String>::new());
    // A wrapper the table can name (the fn itself may be private), calling the user's path
    // with its span, so a downgrade fn of the wrong signature fails there.
    assert_eq!(item_names(&out), ["fn up", "fn __migrate_downgrade_of_up"]);
    let syn::Item::Fn(wrapper) = &items(&out)[1] else {
        unreachable!()
    };
    assert_eq!(
        quote!(#wrapper).to_string(),
        "# [doc (hidden)] pub (crate) fn __migrate_downgrade_of_up (op : & mut :: migrate_core :: Op) -> :: migrate_core :: Result < () > { :: migrate_core :: __private :: call (self :: down , op) }"
    );
}

#[test]
fn the_check_goes_after_the_bodys_inner_attributes() {
    let out = migration_inner(
        quote!(rev = "a1"),
        quote!(
            pub fn up(op: &mut migrate_core::Op) -> Result<()> {
                #![allow(unused)]
                Ok(())
            }
        ),
    );
    assert_eq!(compile_errors(&out), Vec::<String>::new());
    let syn::Item::Fn(f) = &items(&out)[0] else {
        unreachable!()
    };
    assert_eq!(f.attrs.len(), 1, "the inner attribute stays the body's");
    assert_eq!(
        first_statements(&out, 2),
        [
            ":: migrate_core :: __private :: signature (up) ;",
            "Ok (())"
        ]
    );
}

#[test]
fn a_fn_without_a_body_is_not_a_migration() {
    let errors = compile_errors(&migration_inner(
        quote!(rev = "a1"),
        quote!(
            fn up(op: &mut Op) -> Result<()>;
        ),
    ));
    assert_eq!(
        errors,
        ["#[migration] must be placed on a fn, e.g. `pub fn upgrade(op: &mut Op) -> Result<()>`"]
    );
}

#[test]
fn crate_override_changes_every_path() {
    let out = migration_inner(
        quote!(rev = "a1", crate = ::my_core),
        quote!(
            fn up(op: &mut my_core::Op) -> Result<()> {
                Ok(())
            }
        ),
    );
    let text = out.to_string();
    assert!(
        text.contains(":: my_core :: __private :: signature (up)"),
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
    // The fn as written, so `migrations!()`, which names it, fails in no cascade.
    let all = items(&out);
    let syn::Item::Fn(f) = &all[0] else {
        unreachable!()
    };
    assert_eq!(quote!(#f).to_string(), item.to_string());
    assert_eq!(item_names(&out)[0], "fn upgrade");
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
