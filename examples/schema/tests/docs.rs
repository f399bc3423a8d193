//! Every `migrate ...` command the guide and the examples' README show must be one the CLI
//! accepts: each is parsed with the CLI's own clap definition.

use std::path::Path;

use clap::Parser;
use migrate_cli::Cli;

/// Split a shell command line: whitespace-separated words, `"..."` and `'...'` quoting, a
/// trailing `# comment` and a `> file` redirection or a `| command` pipe dropped.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '#') if !in_word => break,
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    // A redirection or a pipe ends the `migrate` command.
    if let Some(i) = words.iter().position(|w| w == ">" || w == "|") {
        words.truncate(i);
    }
    words
}

/// The `migrate` command lines of a Markdown file: `$ migrate ...` lines, `cargo run -p
/// migrate-cli -- ...` lines, and inline code spans starting with `migrate `.
fn commands(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in markdown.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("$ migrate ") {
            found.push(rest.to_owned());
        } else if let Some((_, rest)) = trimmed.split_once("cargo run -p migrate-cli -- ") {
            found.push(rest.to_owned());
        }
        for (i, span) in line.split('`').enumerate() {
            if i % 2 == 1 {
                if let Some(rest) = span.strip_prefix("migrate ") {
                    found.push(rest.to_owned());
                }
            }
        }
    }
    found
}

fn check(file: &str, at_least: usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let commands = commands(&text);
    assert!(
        commands.len() >= at_least,
        "{file}: found only {commands:?}"
    );
    let mut bad = Vec::new();
    for command in &commands {
        let args = std::iter::once("migrate".to_owned()).chain(shell_words(command));
        if let Err(e) = Cli::try_parse_from(args) {
            bad.push(format!(
                "migrate {command}\n    {}",
                e.to_string().lines().next().unwrap_or("")
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{file} shows commands the CLI rejects:\n{}",
        bad.join("\n")
    );
}

#[test]
fn guide_commands_exist() {
    check("docs/guide.md", 20);
}

#[test]
fn examples_readme_commands_exist() {
    check("examples/README.md", 4);
}

#[test]
fn shell_words_split_like_a_shell() {
    assert_eq!(
        shell_words(r#"merge heads -m "merge a and b"  # comment"#),
        ["merge", "heads", "-m", "merge a and b"]
    );
    assert_eq!(
        shell_words("upgrade head --sql > upgrade.sql"),
        ["upgrade", "head", "--sql"]
    );
}
