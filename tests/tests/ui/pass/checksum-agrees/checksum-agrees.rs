//! What `migrations!()` lists for each migration (rev, parents, message, checksum, line, the
//! downgrade fn) is exactly what the CLI reads from the file text with `migrate-source`, on
//! both of its paths (the plain shape and one with floats, escapes and `#[doc]`, which the
//! fast path leaves to syn). Both checksum schemes are compared: the v2 one covers
//! `drop_email`, the downgrade fn written further down the versions file. The fns themselves
//! are the ones listed. Keys a row leaves to `..MigrationFields::DEFAULT` get the scanner's
//! defaults.

migrate_core::migrations!();

fn main() {
    let text = include_str!("versions/0001_accounts.rs");
    let scan = migrate_source::scan_source(std::path::Path::new("0001_accounts.rs"), text);
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    let compiled = MIGRATIONS.migrations;
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
        assert!(built.source_file.ends_with("0001_accounts.rs"), "{}", built.source_file);
        // Keys left out of a row take `MigrationFields::DEFAULT`'s values, which must be the
        // scanner's defaults (these migrations leave every one of these keys out).
        assert_eq!(read.allow_lint, built.allow_lint);
        assert_eq!(read.allow_lint_reason, built.allow_lint_reason);
        assert_eq!(read.table_lock_timeout_ms, built.table_lock_timeout_ms);
        assert_eq!(read.statement_timeout_ms, built.statement_timeout_ms);
        assert_eq!(read.downgrade.is_some(), built.downgrade.is_some());
    }
    // The downgrade fn is in `b2`'s checksum: the same item with another downgrade body
    // hashes differently.
    let edited = text.replace("\"SELECT 1\",", "\"SELECT 2\",");
    assert_ne!(edited, text);
    let rescan = migrate_source::scan_source(std::path::Path::new("0001_accounts.rs"), &edited);
    assert_ne!(rescan.migrations[1].checksum, compiled[1].checksum);
    assert_eq!(rescan.migrations[1].legacy_checksum, compiled[1].legacy_checksum);
    assert_eq!(compiled[0].message, "Create users.\n\nWith a second paragraph.");
    // Both fns return the prelude's `Result`: listed as themselves, the explicit downgrade
    // through the wrapper.
    assert!(compiled[0].upgrade_prelude.is_some());
    assert!(compiled[1].upgrade_prelude.is_some());
    assert!(compiled[1].downgrade.is_some());
    assert!(compiled[0].downgrade.is_none());
    assert!(!compiled[1].transactional);
}
