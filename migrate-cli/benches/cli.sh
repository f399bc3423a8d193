#!/usr/bin/env bash
# Latency of the graph commands (and, with DB=1, of `upgrade head` / `current`) on generated
# linear projects of 1,000 and 10,000 revisions. With DB=1, `current` is measured three ways:
# through `migrate` when nothing changed (no cargo: the fast path), through `migrate` with
# MIGRATE_NO_FAST_PATH=1 (cargo's no-op check every time), and the migrations binary alone.
#
#   migrate-cli/benches/cli.sh              # builds `migrate` (release) and prints a table
#   SIZES="1000" DB=1 migrate-cli/benches/cli.sh
#   RUNNER_OPT=2 DB=1 migrate-cli/benches/cli.sh   # the migrate crates optimized in the runner
#
# Each figure is the median wall time of RUNS runs (default 5) after one warm-up run (which
# also fills the parse cache under <project>/migrations/target/).
set -euo pipefail

here="$(cd "$(dirname "$0")/../.." && pwd)"
sizes="${SIZES:-1000 10000}"
runs="${RUNS:-5}"
target="${CARGO_TARGET_DIR:-$here/target}"

cargo build --quiet --release -p migrate-cli --manifest-path "$here/Cargo.toml"
migrate="$target/release/migrate"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

generate() { # N DIR
  local n="$1" dir="$2" prev="" i rev
  mkdir -p "$dir/migrations/src/versions"
  printf '[migrate]\nmigrations = "migrations"\nurl = "sqlite:///%s/bench.db"\n' "$dir" >"$dir/migrate.toml"
  for ((i = 1; i <= n; i++)); do
    rev="$(printf 'r%011d' "$i")"
    {
      printf '//! step %d\nuse migrate_core::prelude::*;\n\n/// step %d\n' "$i" "$i"
      if [[ -z "$prev" ]]; then
        printf '#[migration(rev = "%s")]\n' "$rev"
      else
        printf '#[migration(rev = "%s", down_rev = "%s")]\n' "$rev" "$prev"
      fi
      printf 'pub fn upgrade(op: &mut Op) -> Result<()> {\n    op.execute("SELECT 1")?;\n    Ok(())\n}\n'
    } >"$dir/migrations/src/versions/${rev}_step.rs"
    prev="$rev"
  done
}

median_ms() { # command...
  local times=() t0 t1
  "$@" >/dev/null 2>&1 || echo "warning: $* failed" >&2
  for ((r = 0; r < runs; r++)); do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

printf '%-8s %-26s %10s\n' "N" "command" "median ms"
for n in $sizes; do
  dir="$work/p$n"
  generate "$n" "$dir"
  cd "$dir"
  printf '%-8s %-26s %10s\n' "$n" "heads" "$(median_ms "$migrate" heads)"
  printf '%-8s %-26s %10s\n' "$n" "history" "$(median_ms "$migrate" history)"
  printf '%-8s %-26s %10s\n' "$n" "history -r -10:" "$(median_ms "$migrate" history -r-10:)"
  printf '%-8s %-26s %10s\n' "$n" "show head" "$(median_ms "$migrate" show head)"
  rm -f "$dir/migrations/target/migrate-index.tsv"
  t0=$(date +%s%N); "$migrate" heads >/dev/null; t1=$(date +%s%N)
  printf '%-8s %-26s %10.1f\n' "$n" "heads (cold, no cache)" "$(((t1 - t0) / 1000))e-3"
  if [[ "${DB:-0}" == 1 ]]; then
    printf '[package]\nname = "bench-migrations-%s"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nmigrate-core = { path = "%s/migrate-core", package = "migrate-rs-core" }\nmigrate-cli = { path = "%s/migrate-cli" }\n\n[workspace]\n' "$n" "$here" "$here" >"$dir/migrations/Cargo.toml"
    if [[ -n "${RUNNER_OPT:-}" ]]; then
      for crate in migrate-rs-core migrate-graph migrate-cli; do
        printf '\n[profile.dev.package.%s]\nopt-level = %s\n' "$crate" "$RUNNER_OPT" >>"$dir/migrations/Cargo.toml"
      done
    fi
    printf 'migrate_core::migrations!();\n' >"$dir/migrations/src/lib.rs"
    printf 'fn main() -> std::process::ExitCode { migrate_cli::main_with(&[&bench_migrations_%s::MIGRATIONS]) }\n' "$n" >"$dir/migrations/src/main.rs"
    printf 'fn main() { println!("cargo:rerun-if-changed=src/versions"); }\n' >"$dir/migrations/build.rs"
    "$migrate" -q current >/dev/null # builds the migrations binary once
    t0=$(date +%s%N); "$migrate" -q upgrade head; t1=$(date +%s%N)
    printf '%-8s %-26s %10.1f\n' "$n" "upgrade head (from empty)" "$(((t1 - t0) / 1000))e-3"
    # Nothing changed since the build: the binary runs without cargo (the fast path) ...
    printf '%-8s %-26s %10s\n' "$n" "current" "$(median_ms "$migrate" current)"
    # ... and with cargo's no-op freshness check, as before the fast path.
    printf '%-8s %-26s %10s\n' "$n" "current (cargo each time)" "$(median_ms env MIGRATE_NO_FAST_PATH=1 "$migrate" current)"
    printf '%-8s %-26s %10s\n' "$n" "current (binary itself)" "$(median_ms "$(sed -n 's/^exe //p' "$dir/migrations/target/migrate-fresh.txt")" current)"
    printf '%-8s %-26s %10s\n' "$n" "upgrade head (at head)" "$(median_ms "$migrate" -q upgrade head)"
    # With a migrations crate to build, the graph commands answer from the binary's linked
    # graph (the list it wrote once after the build), checked fresh without cargo.
    printf '%-8s %-26s %10s\n' "$n" "heads (linked)" "$(median_ms "$migrate" heads)"
    printf '%-8s %-26s %10s\n' "$n" "history (linked)" "$(median_ms "$migrate" history)"
    printf '%-8s %-26s %10s\n' "$n" "show head (linked)" "$(median_ms "$migrate" show head)"
  fi
  cd "$here"
done
