//! Names the two macros must agree on, and the module names `migrations!()` gives files.

use proc_macro2::{Ident, Span};

/// The `pub(crate)` wrapper `#[migration(downgrade = ..)]` emits beside fn `fn_name`, which
/// `migrations!()` lists as the downgrade.
pub(crate) fn downgrade_fn(fn_name: &str) -> Ident {
    let name = fn_name.strip_prefix("r#").unwrap_or(fn_name);
    Ident::new(&format!("__migrate_downgrade_of_{name}"), Span::call_site())
}

/// A module name for a migration file stem: `20240101_a1b2_create_users` becomes
/// `m20240101_a1b2_create_users`, `create-users` becomes `create_users`.
pub(crate) fn module_name(stem: &str) -> String {
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let needs_prefix = name.is_empty()
        || name.starts_with(|c: char| c.is_ascii_digit())
        || name == "_"
        || syn::parse_str::<Ident>(&name).is_err();
    if needs_prefix {
        name.insert(0, 'm');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downgrade_wrapper_name() {
        assert_eq!(downgrade_fn("upgrade"), "__migrate_downgrade_of_upgrade");
        assert_eq!(downgrade_fn("r#type"), "__migrate_downgrade_of_type");
    }

    #[test]
    fn module_names_are_valid_idents() {
        assert_eq!(
            module_name("20240101_a1b2_create_users"),
            "m20240101_a1b2_create_users"
        );
        assert_eq!(module_name("create-users"), "create_users");
        assert_eq!(module_name("type"), "mtype");
        assert_eq!(module_name("_"), "m_");
        assert_eq!(module_name("Init"), "init");
        for stem in ["1", "self", "crate", "a.b", "é"] {
            assert!(
                syn::parse_str::<Ident>(&module_name(stem)).is_ok(),
                "{stem}"
            );
        }
    }
}
