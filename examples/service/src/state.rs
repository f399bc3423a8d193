//! What the endpoints report: the kept start-up status ([`Startup`]) combined with a read-only
//! look at the database now, so a change made behind the service's back (a downgrade, a newer
//! release) shows too.

use migrate_core::{HistoryEntry, StartMode, StartStatus, Startup};
use serde::Serialize;

use crate::auth::AdminToken;

/// How many history rows the admin page shows.
const RECENT: usize = 20;

/// Shared by every handler.
pub(crate) struct AppState {
    pub(crate) startup: Startup,
    pub(crate) token: AdminToken,
}

/// The body of `/health` and `/ready`, and the head of the admin page.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    /// `ok` when the schema is usable by this build in its mode, else `degraded`;
    /// `unavailable` when the database can't be reached.
    pub(crate) status: &'static str,
    /// `ok`, `failed`, `behind`, `ahead` (a newer release migrated the database), `off`, or
    /// `unreachable`.
    pub(crate) migrations: &'static str,
    /// The start-up mode.
    pub(crate) mode: &'static str,
    pub(crate) current: Vec<String>,
    pub(crate) heads: Vec<String>,
    pub(crate) pending: Vec<String>,
    /// The error on one line, while degraded or unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<String>,
    /// The error in full (statement, `DETAIL`, `HINT`): for the admin page only.
    #[serde(skip)]
    pub(crate) error_report: Option<String>,
    /// Whether the schema is usable (the readiness answer).
    #[serde(skip)]
    pub(crate) ready: bool,
}

impl Report {
    pub(crate) fn reachable(&self) -> bool {
        self.status != "unavailable"
    }
}

/// One row of the history table, as the admin page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct HistoryRow {
    pub(crate) revision: String,
    /// `up`, `down` or `stamp`.
    pub(crate) direction: &'static str,
    pub(crate) started_at: String,
    pub(crate) duration_ms: u128,
    pub(crate) success: bool,
    pub(crate) error: Option<String>,
}

impl From<HistoryEntry> for HistoryRow {
    fn from(e: HistoryEntry) -> HistoryRow {
        HistoryRow {
            direction: e.direction.as_str(),
            duration_ms: e.duration.as_millis(),
            revision: e.revision,
            started_at: e.started_at,
            success: e.success,
            error: e.error,
        }
    }
}

/// A revision with its message (empty for one this build does not have).
#[derive(Debug, Serialize)]
pub(crate) struct Revision {
    pub(crate) revision: String,
    pub(crate) message: String,
}

impl AppState {
    /// The verdict now (blocking: reads the database).
    pub(crate) fn report(&self) -> Report {
        let mode = self.startup.mode();
        let kept = self.startup.status();
        let live = self.startup.check();
        let heads: Vec<String> = self
            .startup
            .migrator()
            .graph()
            .heads()
            .iter()
            .map(|h| h.to_string())
            .collect();
        let (current, pending) = match &live {
            StartStatus::Ok { status, .. } | StartStatus::Behind { status } => {
                (status.current.clone(), status.pending.clone())
            }
            StartStatus::Ahead(a) => (a.current.clone(), Vec::new()),
            _ => (Vec::new(), Vec::new()),
        };
        let unreachable = live.error().filter(|e| e.is_unreachable());
        // A failed start-up is what the service reports until a retry succeeds (unless it only
        // failed to connect, and the database answers now); otherwise what the database says now.
        let shown = match (&kept, unreachable) {
            (StartStatus::Degraded(e), None) if !e.is_unreachable() => &kept,
            _ => &live,
        };
        let ready = match (mode, unreachable) {
            (_, Some(_)) => false,
            (StartMode::Off, None) => true,
            _ => shown.is_usable(mode),
        };
        Report {
            status: match (unreachable, ready) {
                (Some(_), _) => "unavailable",
                (None, true) => "ok",
                (None, false) => "degraded",
            },
            migrations: if unreachable.is_some() {
                "unreachable"
            } else {
                shown.label()
            },
            mode: mode.as_str(),
            current,
            heads,
            pending,
            error: shown.error().map(|e| e.to_string()),
            error_report: shown.error().map(|e| e.report()),
            ready,
        }
    }

    /// The most recent history rows, newest first. Empty before the first migration ran
    /// (reading creates nothing).
    pub(crate) fn recent_history(&self) -> Result<Vec<HistoryRow>, String> {
        let entries = self
            .startup
            .migrator()
            .history(RECENT)
            .map_err(|e| e.to_string())?;
        Ok(entries.into_iter().map(HistoryRow::from).collect())
    }

    /// `revs` with their messages.
    pub(crate) fn revisions(&self, revs: &[String]) -> Vec<Revision> {
        let registry = self.startup.migrator().registry();
        revs.iter()
            .map(|r| Revision {
                revision: r.clone(),
                message: registry
                    .get(r)
                    .map(|m| m.message().to_owned())
                    .unwrap_or_default(),
            })
            .collect()
    }
}
