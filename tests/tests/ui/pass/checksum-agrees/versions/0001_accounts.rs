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

