//! The v2 checksum survives formatting (pure token cases, then the real `rustfmt` over
//! varied, badly formatted migrations) and still changes on every real edit; it covers the
//! downgrade fn of the same file; both scanner paths and the item-token path agree on it.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::scan::scan_source_syn_only;
use crate::{checksum, scan_source, Downgrade, CHECKSUM_SCHEME};

/// The v2 checksum of a fn item given as text (no downgrade).
fn sum(text: &str) -> String {
    checksum(text.parse().expect("tokens"), None)
}

fn same(a: &str, b: &str) {
    assert_eq!(sum(a), sum(b), "\n{a}\n  should hash like\n{b}");
}

fn differ(a: &str, b: &str) {
    assert_ne!(sum(a), sum(b), "\n{a}\n  should not hash like\n{b}");
}

fn up(body: &str) -> String {
    format!("pub fn upgrade(op: &mut Op) -> Result<()> {{ {body} }}")
}

#[test]
fn is_prefixed_with_the_scheme() {
    let s = sum(&up("Ok(())"));
    assert!(s.starts_with(CHECKSUM_SCHEME), "{s}");
    let hex = &s[CHECKSUM_SCHEME.len()..];
    assert_eq!(hex.len(), 64);
    assert!(hex
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
}

#[test]
fn comments_whitespace_and_docs_do_not_count() {
    same(
        &up("op.execute(\"x\")?; Ok(())"),
        "pub fn upgrade( op : & mut Op )\n->Result<()>{\n // note\n /* block /* nested */ */\n  op.execute(\"x\") ?;\n\n\n  Ok(())\n}",
    );
    same(
        &up("let a = 1; Ok(())"),
        &up("/// on a statement\nlet a = 1; Ok(())"),
    );
    same(&up("Ok(())"), &up("#[doc = \"explicit\"] Ok(())"));
}

#[test]
fn trailing_commas_do_not_count() {
    same(&up("f(a, b); Ok(())"), &up("f(a, b,); Ok(())"));
    same(
        &up("let v = [1, 2]; Ok(())"),
        &up("let v = [1, 2,]; Ok(())"),
    );
    same(
        &up("let s = S { a: 1, b }; Ok(())"),
        &up("let s = S { a: 1, b, }; Ok(())"),
    );
    same(
        &up("vec![1, 2]; format!(\"{}\", a); Ok(())"),
        &up("vec![1, 2,]; format!(\"{}\", a,); Ok(())"),
    );
    same(
        &up("let v: Vec<u8> = Vec::<u8>::new(); Ok(())"),
        &up("let v: Vec<u8,> = Vec::<u8,>::new(); Ok(())"),
    );
    same(
        &up("let c = |a, b| a + b; Ok(())"),
        &up("let c = |a, b,| a + b; Ok(())"),
    );
    same(
        "fn up(op: &mut Op) -> Result<()> { Ok(()) }",
        "fn up(op: &mut Op,) -> Result<()> { Ok(()) }",
    );
    same(
        "fn up<T>(op: T) where T: A { }",
        "fn up<T,>(op: T) where T: A, { }",
    );
    // A call's single argument, as rustfmt writes it when it breaks the line.
    same(
        &up("f(long_argument); Ok(())"),
        &up("f(long_argument,); Ok(())"),
    );
    same(&up("Some(x); Ok(())"), &up("Some(x,); Ok(())"));
}

#[test]
fn a_one_element_tuple_keeps_its_comma() {
    differ(&up("let t = (x,); Ok(())"), &up("let t = (x); Ok(())"));
    differ(&up("let (a,) = t; Ok(())"), &up("let (a) = t; Ok(())"));
    differ(&up("f((x,)); Ok(())"), &up("f((x)); Ok(())"));
    differ("fn up() -> (u8,) { }", "fn up() -> (u8) { }");
    same(
        &up("let t = (x, y); Ok(())"),
        &up("let t = (x, y,); Ok(())"),
    );
}

#[test]
fn match_arm_braces_commas_and_leading_pipes_do_not_count() {
    same(
        &up("match x { A | B => y, C => f(1), D => { g(); h() } E => {} } Ok(())"),
        &up("match x { | A | B => { y }, C => { f(1) } D => { g(); h() }, E => {}, } Ok(())"),
    );
    // rustfmt wraps a long or block-like body in braces, and drops the comma after a block.
    same(
        &up("match x { E => if a { b } else { c }, F => unsafe { h() }, G => loop {} } Ok(())"),
        &up("match x { E => { if a { b } else { c } } F => unsafe { h() } G => loop {}, } Ok(())"),
    );
    same(
        &up("match x { A => return y, B => v? } Ok(())"),
        &up("match x { A => { return y } B => { v? }, } Ok(())"),
    );
    // Commas inside closure parameters and turbofish generics don't end an arm.
    same(
        &up("match x { A => |a, b| a + b, B => Vec::<(u8, u8)>::new(), C => HashMap::<A, B>::new() } Ok(())"),
        &up("match x { A => { |a, b,| { a + b } } B => { Vec::<(u8, u8,)>::new() } C => HashMap::<A, B,>::new(), } Ok(())"),
    );
    // Braces holding statements are kept.
    differ(
        &up("match x { A => { f(); g() } } Ok(())"),
        &up("match x { A => { f(); g(); } } Ok(())"),
    );
    // Real edits of an arm.
    differ(
        &up("match x { A => 1, B => 2 } Ok(())"),
        &up("match x { A => 1, B => 3 } Ok(())"),
    );
    differ(
        &up("match x { A => 1, B => 2 } Ok(())"),
        &up("match x { A | B => 1 } Ok(())"),
    );
}

#[test]
fn closure_body_braces_do_not_count() {
    same(
        &up("let d = |a| a + 1; Ok(())"),
        &up("let d = |a| { a + 1 }; Ok(())"),
    );
    same(
        &up("op.x(|t| t.col(\"id\").pk())?; Ok(())"),
        &up("op.x(|t| { t.col(\"id\").pk() })?; Ok(())"),
    );
    same(
        &up("let k = move || x; Ok(())"),
        &up("let k = move || { x }; Ok(())"),
    );
    // The closure body is only the braces: `{ a + 1 } * 2` is not `a + 1 * 2`.
    differ(
        &up("let d = |a| { a + 1 } * 2; Ok(())"),
        &up("let d = |a| a + 1 * 2; Ok(())"),
    );
    // A statement inside, or a return type, keeps the braces.
    differ(
        &up("op.x(|t| { t.pk(); })?; Ok(())"),
        &up("op.x(|t| t.pk())?; Ok(())"),
    );
    differ(
        &up("let j = || -> u8 { 1 }; Ok(())"),
        &up("let j = || -> u8 1; Ok(())"),
    );
    // `a || b` is not a closure.
    same(&up("let o = a || b; Ok(())"), &up("let o = a||b; Ok(())"));
    differ(&up("let o = a || b; Ok(())"), &up("let o = a | b; Ok(())"));
}

#[test]
fn nested_parentheses_and_semicolons_as_rustfmt_writes_them() {
    same(&up("let v = (x); Ok(())"), &up("let v = ((x)); Ok(())"));
    same(&up("let c = !(x); Ok(())"), &up("let c = !((x)); Ok(())"));
    // Arguments that are a parenthesized expression or a tuple: not the same call.
    differ(&up("f((a, b)); Ok(())"), &up("f(a, b); Ok(())"));
    differ(&up("f((x)); Ok(())"), &up("f(x); Ok(())"));
    same(&up("let a = 1; Ok(())"), &up("let a = 1;; Ok(())"));
    same(
        &up("if a { return b; } Ok(())"),
        &up("if a { return b } Ok(())"),
    );
    same(
        &up("loop { break; } for i in x { continue; } Ok(())"),
        &up("loop { break } for i in x { continue } Ok(())"),
    );
    same(&up("if a {} return x;"), &up("if a {} return x"));
    // Any other final `;` changes the block's value.
    differ(&up("f()"), &up("f();"));
}

#[test]
fn real_edits_change_it() {
    differ(
        &up("op.execute(\"a\")?; Ok(())"),
        &up("op.execute(\"b\")?; Ok(())"),
    );
    differ(&up("Ok(())"), &up("op.execute(\"a\")?; Ok(())"));
    differ(&up("let users = 1; Ok(())"), &up("let people = 1; Ok(())"));
    differ(&up("f(1)"), &up("f[1]"));
    differ(
        &up("Ok(())"),
        "fn upgrade(op: &mut Op) -> Result<()> { Ok(()) }",
    );
    differ(&up("let n = 10_u8; Ok(())"), &up("let n = 11_u8; Ok(())"));
}

/// The downgrade fn of the same file is part of the checksum, whatever its formatting.
#[test]
fn the_downgrade_fn_of_the_file_counts() {
    let file = |down_body: &str| {
        format!("#[migration(rev = \"a\", downgrade = down)]\npub fn up(op: &mut Op) -> Result<()> {{ Ok(()) }}\n\nfn other() {{}}\n\nfn down(op: &mut Op) -> Result<()> {{ {down_body} }}\n")
    };
    let read = |text: &str| {
        let scan = scan_source(Path::new("0001_a.rs"), text);
        assert!(scan.problems.is_empty(), "{:?}", scan.problems);
        let slow = scan_source_syn_only(Path::new("0001_a.rs"), text);
        assert_eq!(scan.migrations, slow.migrations, "fast and syn paths");
        (
            scan.migrations[0].checksum.clone(),
            scan.migrations[0].legacy_checksum.clone(),
        )
    };
    let (a, legacy_a) = read(&file("op.execute(\"DROP TABLE t\")?; Ok(())"));
    let (b, legacy_b) = read(&file("op.execute(\"DROP TABLE u\")?; Ok(())"));
    assert_ne!(a, b, "an edit of the downgrade body");
    assert_eq!(legacy_a, legacy_b, "the legacy scheme never covered it");
    let (c, _) = read(&file(
        "// why\n    op.execute(\"DROP TABLE t\",)?;\n    Ok(())\n",
    ));
    assert_eq!(a, c, "formatting and comments of the downgrade body");
    // What the macro computes from its item and the file's text.
    let text = file("op.execute(\"DROP TABLE t\")?; Ok(())");
    let item: proc_macro2::TokenStream = "pub fn up(op: &mut Op) -> Result<()> { Ok(()) }"
        .parse()
        .unwrap();
    let from_item = checksum(
        item.clone(),
        Some(Downgrade {
            path: "down",
            file: Some(&text),
        }),
    );
    assert_eq!(from_item, a);
    assert_eq!(
        checksum(
            item.clone(),
            Some(Downgrade {
                path: "self::down",
                file: Some(&text)
            })
        ),
        {
            let scan = scan_source(
                Path::new("0001_a.rs"),
                &text.replace("downgrade = down", "downgrade = self::down"),
            );
            scan.migrations[0].checksum.clone()
        }
    );
    // Without the fn (another module, or no file), only the path counts: a different value,
    // which an edit elsewhere does not change.
    let elsewhere = checksum(
        item.clone(),
        Some(Downgrade {
            path: "other::down",
            file: Some(&text),
        }),
    );
    assert_ne!(elsewhere, a);
    let elsewhere_edited = checksum(
        item.clone(),
        Some(Downgrade {
            path: "other::down",
            file: Some(&file("Ok(())")),
        }),
    );
    assert_eq!(elsewhere, elsewhere_edited);
    assert_ne!(checksum(item.clone(), None), a);
    assert_ne!(
        checksum(
            item.clone(),
            Some(Downgrade {
                path: "down2",
                file: Some(&text)
            })
        ),
        checksum(
            item,
            Some(Downgrade {
                path: "down3",
                file: Some(&text)
            })
        ),
        "the path itself counts"
    );
}

/// The fast lexer and `proc-macro2` find the same downgrade fn, as the hash sees it.
#[test]
fn find_fn_paths_agree() {
    let texts = [
        "fn down(op: &mut Op) -> Result<()> { op.execute(\"x\")?; Ok(()) }",
        "use a::b;\n/// Doc.\npub fn down(op: &mut Op) -> Result<()> {\n    /// inner doc\n    let s = r#\"q\"#;\n    Ok(())\n}\nfn after() {}",
        "mod m { fn down() { 1 } }\nfn down() { 2 }",
        "extern \"C\" { fn down(); }\nfn down() { 3 }",
    ];
    for text in texts {
        let fast = crate::fast::find_fn(text, "down").expect("the fast lexer reads it");
        let slow = crate::downgrade::find_fn_slow(text, "down");
        let hash = |toks: Option<Vec<crate::canon::CTok<'_>>>| {
            toks.map(|t| {
                let mut h = crate::checksum::TokenHasher::default();
                crate::canon::feed_item(&mut h, &t);
                h.finish()
            })
        };
        let (fast, slow) = (hash(fast), hash(slow));
        assert!(fast.is_some(), "{text}");
        assert_eq!(fast, slow, "{text}");
    }
    // The top-level one, not the one in `mod m`.
    let inner =
        crate::downgrade::find_fn("mod m { fn down() { 1 } }\nfn down() { 2 }", "down").unwrap();
    assert!(inner.contains(&crate::canon::CTok::Lit("2".into())));
    assert_eq!(
        crate::downgrade::find_fn("mod m { fn down() {} }", "down"),
        None
    );
    // A float makes the fast lexer give up; proc-macro2 reads it.
    let float = "fn down() { let x = 1.5; }";
    assert!(crate::fast::find_fn(float, "down").is_none());
    assert!(crate::downgrade::find_fn(float, "down").is_some());
}

/// Badly formatted migrations, long and varied: what rustfmt reformats the most.
const MESSY: &[&str] = &[
    r#"use migrate_core::prelude::*;

/// Create the users table.
#[migration(rev = "1f3a9c0de2b4", down_rev = "0a7be11c9d02", downgrade = drop_users)]
pub fn upgrade(op: &mut Op) -> Result<()> {
    op.create_table("users", |t| { t.column("id", Type::BigInt).primary_key().autoincrement(); t.column("email", Type::String(255)).not_null().unique(); t.column("created_at", Type::TimestampTz).not_null().server_default(Sql("CURRENT_TIMESTAMP")); })?;
    op.create_index("ix_users_email", "users", &["email",])?;
    let kinds = [("admin", 1), ("user", 2), ("guest", 3), ("service_account_with_a_long_name", 4), ("another_long_kind_name", 5)];
    for (name, id) in kinds.iter() { match *id { 1 => { op.execute(&format!("INSERT INTO kinds VALUES ({id}, '{name}')"))?; }, 2 | 3 => op.execute(&format!("INSERT INTO kinds VALUES ({id}, '{name}') ON CONFLICT DO NOTHING"))?, | 4 => { if name.len() > 10 { continue } else { op.execute("SELECT 1")? } } _ => { return Ok(()) } } }
    let f = |x: i64| { x * 2 }; let g = |a, b,| a + b; let h = ((f(1)));
    let _ = (h, g(1, 2,), (1,));
    Ok(())
}

fn drop_users(op: &mut Op) -> Result<()> { op.drop_index("ix_users_email", "users",)?; op.drop_table("users")?; if false { return Ok(()) } Ok(()) }
"#,
    r#"#[migration(rev = "2b", down_rev = "1f3a9c0de2b4")]
pub fn upgrade(op: &mut Op) -> Result<()>
{
        op.add_column("users", Column::new("name", Type::String(100)).nullable(), )?;
    op.execute_reversible("UPDATE users SET name = email WHERE name IS NULL AND email IS NOT NULL AND created_at > '2020-01-01'", "UPDATE users SET name = NULL")?;
  let rows: Vec<(i64, &str)> = vec![(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e"), (6, "f"), (7, "g"), (8, "h")];
            op.bulk_insert("t", &["id", "name"], rows.iter().map(|(id, name)| { vec![Value::from(*id), Value::from(*name)] }).collect::<Vec<_>>())?;
    let s = Settings { a: 1, b: "two".to_owned(), c: Some(vec![1, 2, 3]), d: None, e: really_long_function_name(argument_one, argument_two), };
    let v = match s.c { Some(ref v) if v.len() > 2 => v.iter().map(|x| x * 2).filter(|x| *x > 2).sum::<i32>(), Some(_) => 0, None => { -1 } };
    loop { if v > 0 { break } }
    Ok(())
}
"#,
];

/// `text` with every line joined into one (the files above have no `//` comments in code).
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("///")
            || line.starts_with("use ")
            || line.starts_with("#[")
        {
            out.push_str(line);
            out.push('\n');
        } else {
            out.push_str(line.trim());
            out.push(' ');
        }
    }
    out
}

/// `text` through the real rustfmt with `config`; `None` when rustfmt is not on PATH.
fn rustfmt(text: &str, config: &str) -> Option<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--config", config])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    assert!(
        out.status.success(),
        "rustfmt failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("utf-8"))
}

fn sums(text: &str) -> (String, String) {
    let scan = scan_source(Path::new("0001_a.rs"), text);
    assert!(scan.problems.is_empty(), "{:?}\n{text}", scan.problems);
    let slow = scan_source_syn_only(Path::new("0001_a.rs"), text);
    assert_eq!(
        scan.migrations, slow.migrations,
        "fast and syn paths on\n{text}"
    );
    (
        scan.migrations[0].rev.clone(),
        scan.migrations[0].checksum.clone(),
    )
}

/// The real rustfmt, at several widths (narrow ones break every list and wrap arm bodies
/// in braces), on the files as written and collapsed to one line: one checksum throughout.
#[test]
fn rustfmt_output_has_the_same_checksum() {
    if rustfmt("fn main() {}", "max_width=100").is_none() {
        eprintln!("rustfmt is not on PATH: skipping the rustfmt round trips");
        return;
    }
    for original in MESSY {
        let expected = sums(original);
        let mut variants = vec![one_line(original)];
        for config in [
            "max_width=100",
            "max_width=40",
            "max_width=200",
            "max_width=60,fn_call_width=20",
            "style_edition=2024,max_width=50",
        ] {
            let formatted = rustfmt(original, config).expect("rustfmt");
            assert_ne!(&formatted, original, "rustfmt changed nothing: a weak case");
            variants.push(rustfmt(&one_line(original), config).expect("rustfmt"));
            variants.push(formatted);
        }
        for variant in &variants {
            assert_eq!(sums(variant), expected, "reformatted:\n{variant}");
        }
        // And a real edit in the reformatted file is still seen.
        let formatted = rustfmt(original, "max_width=40").expect("rustfmt");
        let edited = formatted.replacen("\"users\"", "\"people\"", 1);
        assert_ne!(edited, formatted);
        assert_ne!(sums(&edited), expected, "edited:\n{edited}");
    }
}

/// The token changes rustfmt made to the files above are the ones this scheme absorbs: the
/// legacy checksum of the same files does change, so the round trip above tests something.
#[test]
fn rustfmt_changes_the_legacy_checksum() {
    if rustfmt("fn main() {}", "max_width=100").is_none() {
        return;
    }
    for original in MESSY {
        let legacy = |text: &str| {
            scan_source(Path::new("0001_a.rs"), text).migrations[0]
                .legacy_checksum
                .clone()
        };
        let formatted = rustfmt(original, "max_width=40").expect("rustfmt");
        assert_ne!(legacy(original), legacy(&formatted));
    }
}

/// Every migration file of this workspace (examples, UI pass cases, core test fixtures)
/// through the real rustfmt at a narrow and a wide width: every checksum stays the same.
#[test]
fn rustfmt_keeps_the_checksums_of_the_workspace_migrations() {
    if rustfmt("fn main() {}", "max_width=100").is_none() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("examples"), root.join("tests/tests/ui/pass")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with("target") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        let scan = scan_source(&path, &text);
        if scan.migrations.is_empty() || !scan.problems.is_empty() {
            continue;
        }
        let before: Vec<(String, String)> = scan
            .migrations
            .iter()
            .map(|m| (m.rev.clone(), m.checksum.clone()))
            .collect();
        for config in ["max_width=30", "max_width=160"] {
            let formatted = rustfmt(&text, config).expect("rustfmt");
            let after: Vec<(String, String)> = scan_source(&path, &formatted)
                .migrations
                .iter()
                .map(|m| (m.rev.clone(), m.checksum.clone()))
                .collect();
            assert_eq!(
                after,
                before,
                "{} at {config}:\n{formatted}",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} files with migrations found");
}
