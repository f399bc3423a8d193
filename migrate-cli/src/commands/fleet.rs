//! `migrate --db NAME <command>` and `migrate --all <command>`: `upgrade`, `downgrade`,
//! `current`, `check` or `stamp` on the databases of migrate.toml (`[databases.NAME]`,
//! `[tenants]`) through the library's [`Fleet`], `--jobs` at a time; with `--sql`, one
//! offline script per database, each headed by `-- Database: NAME`. Progress ("databases
//! done/total") goes to stderr, the summary table (or `--json`) to stdout; any database that
//! failed makes the exit code 11.

use std::io::Write;
use std::process::ExitCode;

use migrate_core::fleet::{error_chain, Fleet, FleetCommand, FleetReport};
use migrate_core::redact;

use super::Ctx;
use crate::cli::Command;
use crate::db::{self, Progress};
use crate::error::CliError;

pub(crate) fn run(ctx: &Ctx<'_>, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let (command, json, sql) = fleet_command(&ctx.cli.command)?;
    if ctx.cli.global.url.is_some() {
        return Err(CliError::Command(
            "--url names one database; --db and --all take theirs from migrate.toml".to_owned(),
        )
        .into());
    }
    let opts = &ctx.cli.fleet;
    let targets = ctx.config.core.fleet_targets(opts.db.as_deref())?;
    // Each database's step lines would interleave: the progress is one line per database.
    let mut template = db::template(ctx, &Progress::new(true))?;
    if let Command::Check(args) = &ctx.cli.command {
        template = template.drift_check(!args.no_drift);
    }
    let mut fleet = Fleet::new(template).targets(targets);
    if sql {
        // One script per database, each headed by its name, in the order configured.
        for (i, (name, script)) in fleet.sql(&command)?.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            writeln!(out, "-- Database: {name}\n")?;
            out.write_all(script.as_bytes())?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(jobs) = opts.jobs {
        fleet = fleet.jobs(usize::from(jobs));
    }
    if !ctx.quiet() {
        fleet = fleet.on_done(|result, done, total| {
            eprintln!(
                "databases {done}/{total} done ({}: {})",
                result.name,
                word(result.is_ok())
            );
        });
    }
    let report = fleet.run(&command);
    if json {
        super::write_json(out, &report_json(&report))?;
    } else {
        write_table(out, &report)?;
    }
    out.flush()?;
    let failed: Vec<&str> = report.failed().map(|r| r.name.as_str()).collect();
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    if !json {
        for r in report.failed() {
            if let Some(e) = &r.error {
                eprintln!("error: {}: {}", r.name, redact(&error_chain(e)));
            }
        }
    }
    let mut names = failed
        .iter()
        .take(5)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if failed.len() > 5 {
        names.push_str(", ...");
    }
    Err(CliError::DatabasesFailed {
        failed: failed.len(),
        total: report.results.len(),
        names,
    }
    .into())
}

/// The library's command for `command`, its `--json`, and its `--sql`.
fn fleet_command(command: &Command) -> anyhow::Result<(FleetCommand, bool, bool)> {
    Ok(match command {
        Command::Upgrade(a) => (FleetCommand::Upgrade(a.target.clone()), a.json, a.sql),
        Command::Downgrade(a) => (FleetCommand::Downgrade(a.target.clone()), a.json, a.sql),
        Command::Current(a) => (FleetCommand::Current, a.json, false),
        Command::Check(_) => (FleetCommand::Check, false, false),
        Command::Stamp(a) => (
            FleetCommand::Stamp {
                revisions: a.revisions.clone(),
                purge: a.purge,
            },
            false,
            a.sql,
        ),
        _ => {
            return Err(CliError::Command(
                "--db and --all work with upgrade, downgrade, current, check and stamp".to_owned(),
            )
            .into())
        }
    })
}

fn word(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "failed"
    }
}

fn rows(rows: &[String]) -> String {
    if rows.is_empty() {
        "base".to_owned()
    } else {
        rows.join(",")
    }
}

/// database → before → after → status, one row per database, in the order configured.
fn write_table(out: &mut dyn Write, report: &FleetReport) -> anyhow::Result<()> {
    let header = ["DATABASE", "BEFORE", "AFTER", "STATUS"];
    let lines: Vec<[String; 4]> = report
        .results
        .iter()
        .map(|r| {
            [
                r.name.clone(),
                rows(&r.before),
                rows(&r.after),
                word(r.is_ok()).to_owned(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let print = |out: &mut dyn Write, cells: [&str; 4]| -> std::io::Result<()> {
        writeln!(
            out,
            "{:<w0$}  {:<w1$}  {:<w2$}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    print(out, header)?;
    for line in &lines {
        print(out, [&line[0], &line[1], &line[2], &line[3]])?;
    }
    Ok(())
}

fn report_json(report: &FleetReport) -> serde_json::Value {
    let databases: Vec<serde_json::Value> = report
        .results
        .iter()
        .map(|r| {
            serde_json::json!({
                "name": r.name,
                "before": r.before,
                "after": r.after,
                "status": word(r.is_ok()),
                "error": r.error.as_ref().map(|e| redact(&error_chain(e))),
            })
        })
        .collect();
    serde_json::json!({
        "databases": databases,
        "failed": report.failed().count(),
        "total": report.results.len(),
    })
}
