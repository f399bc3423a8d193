//! `example-schema`: this example project's own `migrate`, with its migrations linked in
//! (what `migrate init` writes as `src/main.rs`). `cargo run -p migrate-cli -- upgrade` from
//! the repository root builds and runs it; so does `cargo run -p example-schema -- upgrade`.

fn main() -> std::process::ExitCode {
    migrate_cli::main_with(&[&example_schema::MIGRATIONS])
}
