#!/usr/bin/env bash
# What `#[migration]` costs `cargo check`: a generated crate of N migrations (each a
# `#[migration]` fn, collected by `migrations!()`) against its plain twin (the same files and
# functions, without the attribute, as ordinary modules). Prints, for each N, the median wall
# time of `cargo check` of the crate alone from scratch (its dependencies already built) and
# after editing one migration's body, and the ratio of the two crates.
#
#   migrate-macros/benches/macro_cost.sh                 # N = 100 and 1000
#   SIZES="100 1000 10000" RUNS=3 migrate-macros/benches/macro_cost.sh
#   MACRO_OPT=3 migrate-macros/benches/macro_cost.sh   # the macros built at opt-level 3
#
# MACRO_OPT sets `[profile.dev.package.<crate>] opt-level` for migrate-macros and the crates
# it parses with, as the README suggests for large histories; cargo builds proc macros
# unoptimized in a dev profile otherwise.
set -euo pipefail

here="$(cd "$(dirname "$0")/../.." && pwd)"
sizes="${SIZES:-100 1000}"
runs="${RUNS:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$work/target"

generate() { # N NAME ATTRIBUTE(0|1)
  local n="$1" name="$2" attr="$3" dir="$work/$2" prev="" i rev
  mkdir -p "$dir/src/versions"
  printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nmigrate-core = { path = "%s/migrate-core", package = "migrate-rs-core" }\n\n[workspace]\n' \
    "$name" "$here" >"$dir/Cargo.toml"
  if [[ -n "${MACRO_OPT:-}" ]]; then
    for crate in migrate-macros migrate-source syn proc-macro2 quote; do
      printf '\n[profile.dev.package.%s]\nopt-level = %s\n' "$crate" "$MACRO_OPT" >>"$dir/Cargo.toml"
    done
  fi
  if [[ "$attr" == 1 ]]; then
    printf 'migrate_core::migrations!();\n' >"$dir/src/lib.rs"
  else
    : >"$dir/src/lib.rs"
  fi
  for ((i = 1; i <= n; i++)); do
    rev="$(printf 'r%011d' "$i")"
    {
      printf '//! step %d\nuse migrate_core::prelude::*;\n\n/// step %d\n' "$i" "$i"
      if [[ "$attr" == 1 && -z "$prev" ]]; then
        printf '#[migration(rev = "%s")]\n' "$rev"
      elif [[ "$attr" == 1 ]]; then
        printf '#[migration(rev = "%s", down_rev = "%s")]\n' "$rev" "$prev"
      fi
      printf 'pub fn upgrade(op: &mut Op) -> Result<()> {\n    op.execute("SELECT 1")?;\n    Ok(())\n}\n'
    } >"$dir/src/versions/${rev}_step.rs"
    if [[ "$attr" == 0 ]]; then
      printf '#[path = "versions/%s_step.rs"]\npub mod %s_step;\n' "$rev" "$rev" >>"$dir/src/lib.rs"
    fi
    prev="$rev"
  done
}

check() { # NAME: one `cargo check` of the crate, in ms
  local t0 t1
  t0=$(date +%s%N)
  cargo check --quiet --manifest-path "$work/$1/Cargo.toml" 2>/dev/null
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

scratch() { # NAME
  local r
  for ((r = 0; r < runs; r++)); do
    cargo clean --quiet --manifest-path "$work/$1/Cargo.toml" -p "$1" 2>/dev/null
    check "$1"
  done | median
}

edited() { # NAME: edit the first migration's body, alternating, then check
  local r file="$work/$1/src/versions/r00000000001_step.rs"
  check "$1" >/dev/null
  for ((r = 0; r < runs; r++)); do
    if ((r % 2 == 0)); then
      sed -i 's/SELECT 1/SELECT 2/' "$file"
    else
      sed -i 's/SELECT 2/SELECT 1/' "$file"
    fi
    check "$1"
  done | median
}

printf '%-7s %-22s %12s %12s\n' "N" "crate" "scratch ms" "edit ms"
for n in $sizes; do
  generate "$n" "plain_$n" 0
  generate "$n" "with_$n" 1
  # Dependencies first (shared target folder): what follows times the crate alone.
  check "plain_$n" >/dev/null
  check "with_$n" >/dev/null
  ps=$(scratch "plain_$n")
  pe=$(edited "plain_$n")
  ws=$(scratch "with_$n")
  we=$(edited "with_$n")
  printf '%-7s %-22s %12s %12s\n' "$n" "plain functions" "$ps" "$pe"
  printf '%-7s %-22s %12s %12s\n' "$n" "#[migration]" "$ws" "$we"
  awk -v ws="$ws" -v ps="$ps" -v we="$we" -v pe="$pe" -v n="$n" \
    'BEGIN {printf "%-7s %-22s %11.2fx %11.2fx\n", n, "ratio", ws / ps, we / pe}'
done
