//! The fast path must agree with the syn path on everything it accepts.

use std::path::Path;

use crate::scan::scan_source_syn_only;
use crate::{scan_source, SourceMigration};

/// Whether the fast path took the text (it gives up on what it does not know).
fn fast_only(text: &str) -> Option<SourceMigration> {
    crate::fast::read(Path::new("f.rs"), 1, text, text)
}

fn agree(text: &str) {
    let fast = scan_source(Path::new("0001_x.rs"), text);
    let slow = scan_source_syn_only(Path::new("0001_x.rs"), text);
    assert_eq!(fast.migrations, slow.migrations, "for:\n{text}");
    assert_eq!(fast.problems.len(), slow.problems.len(), "for:\n{text}");
}

const CASES: &[&str] = &[
    // The shape `migrate revision` writes.
    "use migrate_core::prelude::*;\n\n/// Create users.\n#[migration(rev = \"a1b2\", down_rev = None)]\npub fn upgrade(op: &mut Op) -> Result<()> {\n    op.create_table(\"users\", |t| {\n        t.column(\"id\", Type::BigInt).primary_key();\n    })?;\n    Ok(())\n}\n",
    "#[migration(rev = \"m\", down_rev = [\"a\", \"b\",], branch_labels = [\"x\"], depends_on = \"y\", transactional = false, message = \"hi\", downgrade = self::down, crate = ::migrate_core,)]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "/// Several\n///   doc lines.\n///\n#[allow(clippy::all)]\n// a comment\n#[migrate_core::migration(rev = \"a\", down_rev = [])]\npub(crate) fn r#type(op: &mut Op) -> Result<()> { Ok(()) }\n",
    // Literals of every kind, lifetimes, nested comments, docs in the body.
    "#[migration(rev = \"a\")]\nfn up(op: &mut Op) -> Result<()> {\n    /// doc on a statement\n    let s: &'static str = r#\"SELECT \"x\" FROM t\"#;\n    let e = \"tab\\there \\\"q\\\"\";\n    let c = ('x', '\\n', '\\'', b'y', b\"bytes\", br\"raw\", 0x1F_u8, 1_000i64, 'é');\n    /* block /* nested */ comment */\n    let r = 1..2; let t = (1, 2).0; x.0.max(3);\n    op.execute(&format!(\"{s}{e}{c:?}\"))?;\n    Ok(())\n}\n",
    // Things the fast path leaves to syn: floats, escapes in a value, #[doc], block docs.
    "#[migration(rev = \"a\")]\nfn up(op: &mut Op) -> Result<()> { let f = 1.5; let g = 2e-3; Ok(()) }\n",
    "#[migration(rev = \"a\\u{62}\")]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "#[doc = \"Docs.\"]\n#[migration(rev = \"a\")]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "#[migration(rev = \"a\")]\nfn up(op: &mut Op) -> Result<()> { /** block doc */ let x = 1; Ok(()) }\n",
    "#[migration(rev = \"a\")]\r\nfn up(op: &mut Op) -> Result<()> {\r\n    Ok(())\r\n}\r\n",
    // Errors: the fast path never accepts what the syn path rejects.
    "#[migration(rev = \"a\", rev = \"b\")]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "#[migration(rev = \"a\", colour = \"b\")]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "#[migration(down_rev = \"a\")]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "#[migration(rev = 1)]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "#[migration(rev = \"a\", transactional = \"no\")]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "#[migration(rev = \"a\", down_rev = [\"b\" \"c\"])]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "#[migration]\nfn up(op: &mut Op) -> Result<()> { Ok(()) }\n",
    "#[migration(rev = \"a\")]\nstruct S;\n",
];

#[test]
fn fast_and_syn_paths_agree() {
    for case in CASES {
        agree(case);
    }
}

#[test]
fn fast_path_takes_the_ordinary_shapes() {
    for case in &CASES[..4] {
        let start = case
            .find("/// S")
            .or_else(|| case.find("/// C"))
            .unwrap_or(0);
        let start = if case.starts_with("use ") { start } else { 0 };
        assert!(
            fast_only(&case[start..]).is_some(),
            "fast path declined:\n{case}"
        );
    }
    for case in &CASES[4..] {
        assert!(fast_only(case).is_none(), "fast path accepted:\n{case}");
    }
}

#[test]
fn generated_files_agree() {
    for i in 0..200u32 {
        let down = if i == 0 {
            "None".to_owned()
        } else {
            format!("\"{:04x}\"", i - 1)
        };
        let labels = if i % 7 == 0 {
            ", branch_labels = [\"l\"]"
        } else {
            ""
        };
        let text = format!(
            "use migrate_core::prelude::*;\n\n/// Step {i}.\n#[migration(rev = \"{i:04x}\", down_rev = {down}{labels})]\npub fn upgrade(op: &mut Op) -> Result<()> {{\n    op.execute(\"UPDATE t SET n = {i}\")?;\n    Ok(())\n}}\n"
        );
        agree(&text);
    }
}

#[test]
fn truncated_text_never_panics() {
    let text = CASES[3];
    for end in 0..text.len() {
        if text.is_char_boundary(end) {
            let _ = fast_only(&text[..end]);
            let _ = scan_source(Path::new("x.rs"), &text[..end]);
        }
    }
    for tail in ["'\\", "'", "r#\"", "b'", "\"\\", "/*", "0x", "'\\é"] {
        let _ = fast_only(&format!("#[migration(rev = \"a\")]\nfn up() {{ {tail}"));
    }
}

mod prop {
    use proptest::prelude::*;

    use super::{agree, fast_only};

    /// Self-contained pieces of Rust a migration body could contain (each lexes on its own,
    /// so any sequence of them is a token stream rustc would accept lexically).
    const BODY: &[&str] = &[
        "op",
        ".",
        "execute",
        "( x )",
        "{ }",
        "[ 1 , 2 ]",
        ";",
        "?",
        "Ok",
        "let",
        "x",
        "=",
        "\"sql\"",
        "\"a\\\"b\"",
        "\"t\\tn\"",
        "r#\"q\"#",
        "r\"raw\"",
        "b\"by\"",
        "'c'",
        "'\\n'",
        "'a",
        "'static",
        "1",
        "1_000u32",
        "0x1F",
        "1.5",
        "2e3",
        "1..2",
        "t.0.1",
        "/* c */",
        "// c\n",
        "/// d\n",
        "//! i\n",
        "/** b */",
        "&",
        "mut",
        "&&",
        "::",
        "<",
        ">",
        "->",
        "#[allow(x)]",
        "!",
        "r#type",
        "\"é\"",
        "'é'",
        "\n",
        " ",
        "\t",
        "\r\n",
        "c\"cs\"",
        "br#\"x\"#",
        "b'\\''",
    ];
    const ARGS: &[&str] = &[
        "rev = \"a1\"",
        "down_rev = \"b\"",
        "down_rev = None",
        "down_rev = [\"a\", \"b\"]",
        "branch_labels = [\"l\"]",
        "depends_on = \"d\"",
        "transactional = false",
        "message = \"m\"",
        "downgrade = self::down",
        "crate = ::c",
        "colour = 1",
        "rev = 1",
        "rev = \"x\\ty\"",
        "down_rev = [\"a\",]",
        "",
        "rev",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn fast_and_syn_paths_agree_on_generated_text(
            args in prop::collection::vec(prop::sample::select(ARGS), 0..5),
            docs in prop::collection::vec(prop::sample::select(&["/// Doc.\n", "///\n", "#[allow(x)]\n", "// c\n"][..]), 0..3),
            body in prop::collection::vec(prop::sample::select(BODY), 0..30),
        ) {
            let text = format!(
                "{}#[migration({})]\npub fn up(op: &mut Op) -> Result<()> {{ {} }}\n",
                docs.concat(),
                args.join(", "),
                body.join(" "),
            );
            // Text rustc could not even tokenize is out of scope: the build fails anyway.
            prop_assume!(text.parse::<proc_macro2::TokenStream>().is_ok());
            agree(&text);
        }

        /// Without the pieces it leaves to syn, the fast path must take the text, and agree.
        #[test]
        fn fast_path_takes_ordinary_text(
            args in prop::collection::vec(prop::sample::select(&ARGS[1..10]), 0..4),
            body in prop::collection::vec(
                prop::sample::select(BODY).prop_filter("handled by syn", |p| {
                    !["1.5", "2e3", "t.0.1", "/** b */", "\r\n"].contains(p)
                }),
                0..30,
            ),
        ) {
            let mut unique = args.clone();
            unique.sort_by_key(|a| a.split(' ').next());
            unique.dedup_by_key(|a| a.split(' ').next());
            let text = format!(
                "#[migration(rev = \"a1\", {})]\npub fn up(op: &mut Op) -> Result<()> {{ {} }}\n",
                unique.join(", "),
                body.join(" "),
            );
            prop_assume!(text.parse::<proc_macro2::TokenStream>().is_ok());
            prop_assert!(fast_only(&text).is_some(), "fast path declined:\n{}", text);
            agree(&text);
        }
    }
}
