//! `-v`: the `tracing` events of migrate (each SQL statement the executor runs, with its
//! duration; whether the front end ran cargo) as lines on stderr. Off without `-v`: no
//! subscriber is installed, and the core does not even time its statements.

use std::fmt;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Install the stderr subscriber for `-v` (a no-op when the program already has one, as an
/// application embedding `migrate_cli::run` may).
pub(crate) fn init_verbose() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(Level::DEBUG)
        .event_format(Line)
        .try_init();
}

/// `sql 0.4 ms: CREATE TABLE t (id INTEGER)`, `build: ...`: the last part of the target, the
/// duration when there is one, the message.
struct Line;

#[derive(Default)]
struct Fields {
    message: String,
    duration_ms: Option<f64>,
    failed: bool,
}

impl Visit for Fields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "duration_ms" {
            self.duration_ms = Some(value);
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "failed" {
            self.failed = value;
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_owned();
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
}

impl<S, N> FormatEvent<S, N> for Line
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let meta = event.metadata();
        let what = meta.target().rsplit("::").next().unwrap_or("migrate");
        write!(writer, "{what}")?;
        match fields.duration_ms {
            Some(ms) if ms < 10.0 => write!(writer, " {ms:.2} ms")?,
            Some(ms) => write!(writer, " {ms:.1} ms")?,
            None => {}
        }
        if fields.failed {
            write!(writer, " (failed)")?;
        }
        writeln!(writer, ": {}", fields.message)
    }
}
