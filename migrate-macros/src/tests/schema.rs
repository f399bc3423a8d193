//! The macro follows `migrate-source`'s key table rather than a list of its own.

/// The `#[migration]` docs are the user's list of keys: every key of the table is in it.
#[test]
fn the_attribute_docs_name_every_key() {
    let docs = include_str!("../lib.rs");
    let docs = &docs[..docs.find("pub fn migration(").unwrap()];
    for name in migrate_source::KEYS {
        assert!(
            docs.contains(&format!("`{name} =")) || docs.contains(&format!("`{name}`")),
            "the #[migration] docs do not mention `{name}`"
        );
    }
}

/// No stage of the macro spells a key: they look keys up in the table (a `"crate"` literal
/// here would be a second, unchecked spelling, as the fallback once had).
#[test]
fn key_names_are_spelled_only_in_the_table() {
    for (path, source) in [
        ("ast.rs", include_str!("../ast.rs")),
        ("valid.rs", include_str!("../valid.rs")),
        ("expand.rs", include_str!("../expand.rs")),
        ("fallback.rs", include_str!("../fallback.rs")),
        ("chain.rs", include_str!("../chain.rs")),
    ] {
        for name in migrate_source::KEYS {
            assert!(
                !source.contains(&format!("\"{name}\""))
                    && !source.contains(&format!("is_ident(\"{name}")),
                "{path} spells the key \"{name}\""
            );
        }
    }
}
