//! The key table drives both readers: each accepts exactly its keys, a key sets only its own
//! field, an unknown key sets nothing and lists the valid ones, a duplicate is spanned.

use std::path::Path;

use proc_macro2::TokenStream;

use crate::attr::parse_given;
use crate::scan::scan_source_syn_only;
use crate::{parse_args, Key, Shape, KEYS, KEY_COUNT, SCHEMA};

/// The arguments with `rev` (required) and then `extra`, unless `extra` is the `rev` itself.
fn with_rev(extra: &str) -> String {
    if extra.starts_with("rev ") {
        extra.to_owned()
    } else {
        format!("rev = \"a1\", {extra}")
    }
}

fn tokens(args: &str) -> TokenStream {
    args.parse().unwrap()
}

/// Every message of the syn parser for `args`, with the column of its span.
fn messages(args: &str) -> Vec<(String, usize)> {
    let (_, errors) = parse_given(tokens(args));
    errors
        .into_iter()
        .flatten()
        .map(|e| (e.to_string(), e.span().start().column))
        .collect()
}

/// The keys the syn parser stored a value for.
fn set_keys(args: &str) -> Vec<Key> {
    parse_given(tokens(args)).0.set_keys()
}

fn file(args: &str) -> String {
    format!("#[migration({args})]\nfn up(op: &mut Op) -> Result<()> {{ Ok(()) }}\n")
}

fn fast_accepts(args: &str) -> bool {
    {
        let text = file(args);
        crate::fast::read(Path::new("0001_x.rs"), 1, &text, &text).is_some()
    }
}

#[test]
fn the_table_is_consistent() {
    assert_eq!(SCHEMA.len(), KEY_COUNT);
    assert_eq!(KEYS.len(), KEY_COUNT);
    for (i, spec) in SCHEMA.iter().enumerate() {
        assert_eq!(spec.key as usize, i, "{spec:?}");
        assert_eq!(spec.key.spec().name, spec.name);
        assert_eq!(KEYS[i], spec.name);
        assert_eq!(Key::lookup(spec.name), Some(spec.key));
        assert!(
            spec.example.starts_with(&format!("{} = ", spec.name)),
            "{spec:?}"
        );
    }
    // Anchored to the documented list, so an emptied table can't pass.
    assert_eq!(
        KEYS.join(", "),
        "rev, down_rev, branch_labels, depends_on, downgrade, transactional, message, crate, allow_lint, allow_lint_reason, table_lock_timeout, statement_timeout"
    );
}

/// Each key's example is valid, reaches its own field, and no other: the wiring of
/// `Args::from_given` for the syn parser, and the fast path agrees on the same text.
#[test]
fn each_key_sets_only_its_own_field_on_both_readers() {
    for spec in SCHEMA {
        let args = with_rev(spec.example);
        let mut expected = vec![Key::Rev, spec.key];
        expected.dedup();
        assert_eq!(set_keys(&args), expected, "{args}");
        let a = parse_args(tokens(&args)).unwrap_or_else(|e| panic!("{args}: {e}"));
        let path = |p: &Option<syn::Path>| p.as_ref().map(|p| quote::quote!(#p).to_string());
        let strings = |v: &[crate::Spanned<String>]| -> Vec<String> {
            v.iter().map(|s| s.value.clone()).collect()
        };
        let set = match spec.key {
            Key::Rev => a.rev.value == "1f3a9c0de2b4",
            Key::DownRev => strings(&a.down_revs) == ["0a7be11c9d02"],
            Key::BranchLabels => strings(&a.branch_labels) == ["a1b2c3"],
            Key::DependsOn => strings(&a.depends_on) == ["a1b2c3"],
            Key::Downgrade => path(&a.downgrade).as_deref() == Some("my_downgrade"),
            Key::Transactional => !a.is_transactional(),
            Key::Message => a.message.as_ref().map(|m| m.value.as_str()) == Some("create users"),
            Key::Crate => path(&a.krate).as_deref() == Some(":: migrate_core"),
            Key::AllowLint => strings(&a.allow_lint) == ["drop-column"],
            Key::TableLockTimeout => {
                a.table_lock_timeout.as_ref().map(|m| m.value.as_str()) == Some("2s")
            }
            Key::StatementTimeout => {
                a.statement_timeout.as_ref().map(|m| m.value.as_str()) == Some("30s")
            }
            Key::AllowLintReason => {
                a.allow_lint_reason.as_ref().map(|m| m.value.as_str())
                    == Some("legacy_email unused since v2.3")
            }
        };
        assert!(set, "{args} did not set its field");

        assert!(fast_accepts(&args), "fast path declined {args}");
        let text = file(&args);
        let fast = crate::scan_source(Path::new("0001_x.rs"), &text);
        let slow = scan_source_syn_only(Path::new("0001_x.rs"), &text);
        assert_eq!(fast.migrations, slow.migrations, "{args}");
        assert_eq!(fast.migrations.len(), 1, "{args}");
    }
}

#[test]
fn an_unknown_key_lists_the_valid_keys_and_sets_nothing() {
    let list = KEYS.join(", ");
    for spec in SCHEMA {
        // A near miss of a real key, with a value that key would accept.
        for name in [
            format!("{}s", spec.name),
            spec.name.to_uppercase(),
            spec.name[..spec.name.len() - 1].to_owned(),
        ] {
            if Key::lookup(&name).is_some() {
                continue;
            }
            let value = &spec.example[spec.name.len()..];
            let args = format!("rev = \"a1\", {name}{value}");
            assert_eq!(
                messages(&args),
                [(
                    format!("unknown #[migration] argument `{name}`; valid arguments are: {list}"),
                    12
                )],
                "{args}"
            );
            assert_eq!(set_keys(&args), [Key::Rev], "{args}");
            assert!(!fast_accepts(&args), "fast path accepted {args}");
        }
    }
    // A path that is not a single identifier is unknown too, shown as written.
    assert_eq!(
        messages("rev = \"a1\", migrate::rev = \"b\"")[0].0,
        format!("unknown #[migration] argument `migrate::rev`; valid arguments are: {list}")
    );
}

#[test]
fn a_duplicate_key_is_an_error_on_the_second_one() {
    for spec in SCHEMA {
        let args = with_rev(&format!("{}, {}", spec.example, spec.example));
        let second = args.rfind(spec.example).unwrap();
        assert_eq!(
            messages(&args),
            [(format!("duplicate `{}` argument", spec.name), second)],
            "{args}"
        );
        assert!(!fast_accepts(&args), "fast path accepted {args}");
        let slow = scan_source_syn_only(Path::new("0001_x.rs"), &file(&args));
        assert_eq!(slow.problems.len(), 1, "{args}");
    }
}

/// A value of the wrong shape is rejected by both readers with the table's wording.
#[test]
fn a_wrong_shape_names_the_key_and_its_example() {
    for spec in SCHEMA {
        let wrong = match spec.shape {
            Shape::Str | Shape::StrOrList | Shape::StrOrListOrNone | Shape::Path => "12",
            Shape::Bool => "\"no\"",
        };
        let args = with_rev(&format!("{} = {wrong}", spec.name));
        let (message, column) = messages(&args).remove(0);
        assert_eq!(
            message,
            format!(
                "`{}` must be {}, e.g. `{}`",
                spec.name, spec.expected, spec.example
            ),
            "{args}"
        );
        assert_eq!(column, args.len() - wrong.len(), "{args}");
        assert!(!fast_accepts(&args), "fast path accepted {args}");
    }
}

/// `true`, `false` and keywords lex as identifiers, but syn never reads them as a path.
#[test]
fn the_fast_path_takes_no_keyword_for_a_path() {
    for args in [
        "rev = \"a1\", downgrade = true",
        "rev = \"a1\", downgrade = fn",
        "rev = \"a1\", crate = false",
        "rev = \"a1\", downgrade = self::true",
    ] {
        assert!(parse_args(tokens(args)).is_err(), "{args}");
        assert!(!fast_accepts(args), "fast path accepted {args}");
    }
    assert!(fast_accepts("rev = \"a1\", downgrade = self::down"));
    assert!(fast_accepts("rev = \"a1\", crate = crate::core"));
}

/// The readers name no key themselves: a `"down_rev"` literal outside the table would be a
/// second, unchecked spelling.
#[test]
fn key_names_are_spelled_only_in_the_table() {
    for (path, source) in [
        ("attr.rs", include_str!("../attr.rs")),
        ("fast/mod.rs", include_str!("../fast/mod.rs")),
        ("fast/lex.rs", include_str!("../fast/lex.rs")),
        ("scan.rs", include_str!("../scan.rs")),
        ("checksum.rs", include_str!("../checksum.rs")),
    ] {
        for name in KEYS {
            assert!(
                !source.contains(&format!("\"{name}\"")),
                "{path} spells the key \"{name}\""
            );
        }
    }
}

mod prop {
    use proptest::prelude::*;

    use super::{fast_accepts, messages};
    use crate::{Key, KEYS};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Whatever the name, both readers know it exactly when the table has it.
        #[test]
        fn the_readers_accept_exactly_the_tables_keys(
            name in prop_oneof![
                "[a-z_][a-z0-9_]{0,14}",
                prop::sample::select(KEYS).prop_map(str::to_owned),
            ],
        ) {
            // Keywords are not argument names to syn (only `crate` is, and it is a key).
            prop_assume!(syn::parse_str::<syn::Ident>(&name).is_ok() || name == "crate");
            let known = Key::lookup(&name);
            prop_assert_eq!(known.is_some(), KEYS.contains(&name.as_str()));
            let value = match known {
                Some(key) => key.spec().example[name.len()..].to_owned(),
                None => " = \"x\"".to_owned(),
            };
            let args = if name == "rev" {
                format!("rev{value}")
            } else {
                format!("rev = \"a1\", {name}{value}")
            };
            let unknown = messages(&args)
                .iter()
                .any(|(m, _)| m.starts_with("unknown #[migration] argument"));
            prop_assert_eq!(unknown, known.is_none(), "{}", args);
            prop_assert_eq!(messages(&args).is_empty(), known.is_some(), "{}", args);
            prop_assert_eq!(fast_accepts(&args), known.is_some(), "{}", args);
        }
    }
}
