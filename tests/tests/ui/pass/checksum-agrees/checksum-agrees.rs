//! What `#[migration]` computes from the compiler's tokens (rev, parents, message, checksum)
//! is exactly what the CLI reads from the file text with `migrate-source`, on both of its
//! paths (the plain shape and one with floats, escapes and `#[doc]`, which the fast path
//! leaves to syn). The body keeps a `#[cfg]`-disabled statement: the compiler hands it to the
//! attribute unstripped, as the scanner reads it. Both checksum schemes are compared: the
//! v2 one covers `drop_email`, the downgrade fn written further down this file.

#![allow(unused_doc_comments)]

use migrate_core::prelude::*;

/// Create users.
///
/// With a second paragraph.
#[migration(rev = "a1", branch_labels = ["accounts"])]
pub fn create_users(op: &mut Op) -> Result<()> {
    /// A doc comment inside the body.
    let sql: &'static str = r#"CREATE TABLE "users" (id INT)"#;
    let chars = ('x', '\n', '\'', b'y', b"bytes", br"raw", 0x1F_u8, 1_000i64, 'é');
    /* block /* nested */ comment */
    let _ = (1..2, (1, 2).0, chars);
    #[cfg(any())]
    let _never = 1;
    op.execute(sql)?;
    Ok(())
}

#[doc = "Add the email column."]
#[migration(rev = "b2", down_rev = "a1", depends_on = ["accounts"], transactional = false, downgrade = drop_email)]
pub fn add_email(op: &mut Op) -> Result<()> {
    let ratio = 1.5e3_f64 * 2.0;
    let escaped = "tab\there \"quoted\" \u{e9}";
    op.execute(&format!("-- {ratio} {escaped}"))?;
    Ok(())
}

/// The downgrade of `b2`, written unformatted: its tokens are part of `b2`'s checksum.
fn drop_email(op: &mut Op) -> Result<()> {
    // A comment.
    match 1 { 1 => { op.execute("SELECT 1",)?; }, _ => {} }
    let f = |x: i64| { x + 1 };
    op.execute(&format!("-- {}", f(1)))?; Ok(())
}

fn main() {
    let scan = migrate_source::scan_source(
        std::path::Path::new("checksum-agrees.rs"),
        include_str!("checksum-agrees.rs"),
    );
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    let compiled = [__MIGRATION_CREATE_USERS, __MIGRATION_ADD_EMAIL];
    assert_eq!(scan.migrations.len(), compiled.len());
    for (read, built) in scan.migrations.iter().zip(compiled) {
        assert_eq!(read.rev, built.rev);
        assert_eq!(read.down_revs, built.down_revs);
        assert_eq!(read.depends_on, built.depends_on);
        assert_eq!(read.branch_labels, built.branch_labels);
        assert_eq!(read.message, built.message);
        assert_eq!(read.transactional, built.transactional);
        assert_eq!(read.line, built.line);
        assert_eq!(read.checksum, built.checksum, "checksum of {}", built.rev);
        assert_eq!(
            read.legacy_checksum, built.legacy_checksum,
            "legacy checksum of {}",
            built.rev
        );
        assert!(built.checksum.starts_with(migrate_source::CHECKSUM_SCHEME));
        assert_ne!(built.checksum, built.legacy_checksum);
    }
    // The downgrade fn is in `b2`'s checksum: the same item with another downgrade body
    // hashes differently.
    let text = include_str!("checksum-agrees.rs");
    let edited = text.replace("\"SELECT 1\",", "\"SELECT 2\",");
    assert_ne!(edited, text);
    let rescan = migrate_source::scan_source(std::path::Path::new("checksum-agrees.rs"), &edited);
    assert_ne!(rescan.migrations[1].checksum, compiled[1].checksum);
    assert_eq!(rescan.migrations[1].legacy_checksum, compiled[1].legacy_checksum);
    assert_eq!(compiled[0].message, "Create users.\n\nWith a second paragraph.");
}
