//! 200 SQLite tenants × 20 migrations through `Fleet` with 4 jobs (and 1), against the same
//! one-tenant upgrade run 200 times in a row: the fleet's overhead per tenant beyond its own
//! migrations. Prints figures; asserts nothing but that every tenant reached head.
//!
//! `cargo bench -p migrate-rs-core --bench fleet`; `MIGRATE_BENCH_TENANTS` and
//! `MIGRATE_BENCH_N` change the counts.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use migrate_core::fleet::{Fleet, Target};
use migrate_core::{AnyMigration, DatabaseUrl, MigrationList, Migrator};

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn chain(n: usize) -> MigrationList {
    let mut list = MigrationList::new();
    for i in 0..n {
        let sql = format!("CREATE TABLE bench_{i} (id INTEGER PRIMARY KEY, name VARCHAR(50))");
        let mut m = AnyMigration::builder(format!("r{i:03}"), move |op| {
            op.execute(sql.as_str())?;
            Ok(())
        });
        if i > 0 {
            m = m.down_rev(format!("r{:03}", i - 1));
        }
        list = list.with(m);
    }
    list
}

fn targets(dir: &Path, tenants: usize) -> Vec<Target> {
    (0..tenants)
        .map(|i| {
            let url = format!("sqlite:///{}", dir.join(format!("t{i:03}.db")).display());
            Target::new(format!("t{i:03}"), DatabaseUrl::parse(&url).unwrap())
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let tenants = count("MIGRATE_BENCH_TENANTS", 200);
    let n = count("MIGRATE_BENCH_N", 20);
    let list = chain(n);
    let template = Migrator::new(&list).unwrap();

    // One tenant at a time, the plain library call, no fleet.
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    for t in targets(dir.path(), tenants) {
        template
            .clone()
            .database_url(t.url)
            .upgrade("head")
            .unwrap();
    }
    let alone = started.elapsed();

    let mut fleet_times = Vec::new();
    for jobs in [1, 4] {
        let dir = tempfile::tempdir().unwrap();
        let fleet = Fleet::new(template.clone())
            .targets(targets(dir.path(), tenants))
            .jobs(jobs);
        let started = Instant::now();
        let report = fleet.upgrade("head");
        let took = started.elapsed();
        assert!(report.is_ok() && report.results.iter().all(|r| r.after.len() == 1));
        fleet_times.push((jobs, took));
    }
    println!("{tenants} SQLite tenants x {n} migrations:");
    println!(
        "  one upgrade after another: {:.0} ms ({:.1} ms a tenant)",
        ms(alone),
        ms(alone) / tenants as f64
    );
    for (jobs, took) in &fleet_times {
        // What the fleet adds (reading each tenant's rows before and after, the threads): with
        // one job, its time beyond the plain upgrades, per tenant.
        let extra = if *jobs == 1 {
            format!(
                "; the fleet's own cost {:.1} ms a tenant",
                (ms(*took) - ms(alone)) / tenants as f64
            )
        } else {
            String::new()
        };
        println!(
            "  Fleet, {jobs} job(s): {:.0} ms, {:.2}x the one-after-another time{extra}",
            ms(*took),
            ms(*took) / ms(alone),
        );
    }
}
