//! The history table: one row per applied, reverted or stamped step, with its time, duration,
//! checksum and outcome.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};

use crate::connection::AnyConnection;
use crate::error::{Error, Result};
use crate::version_table::Tables;

/// What a step of the history table did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HistoryDirection {
    /// A migration was applied (`up`).
    Upgrade,
    /// A migration was reverted (`down`).
    Downgrade,
    /// The version rows were stamped, no migration ran (`stamp`).
    Stamp,
}

impl HistoryDirection {
    /// The value stored in the `direction` column: `up`, `down` or `stamp`.
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryDirection::Upgrade => "up",
            HistoryDirection::Downgrade => "down",
            HistoryDirection::Stamp => "stamp",
        }
    }
}

impl fmt::Display for HistoryDirection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the history table (see [`Migrator::history`](crate::Migrator::history)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HistoryEntry {
    /// The revision (`base` for a stamp that emptied the version table).
    pub revision: String,
    /// Applied, reverted or stamped.
    pub direction: HistoryDirection,
    /// The checksum of the migration's code when it ran (empty for a stamp of an unknown
    /// revision).
    pub checksum: String,
    /// When the step started: UTC, ISO 8601 (`2026-11-22T00:14:39.123Z`).
    pub started_at: String,
    /// How long it took (milliseconds are stored).
    pub duration: Duration,
    /// Whether it succeeded; a failed step was rolled back where the dialect allows.
    pub success: bool,
    /// The error of a failed step.
    pub error: Option<String>,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    revision: String,
    #[diesel(sql_type = Text)]
    direction: String,
    #[diesel(sql_type = Text)]
    checksum: String,
    #[diesel(sql_type = Text)]
    started_at: String,
    #[diesel(sql_type = BigInt)]
    duration_ms: i64,
    #[diesel(sql_type = Bool)]
    success: bool,
    #[diesel(sql_type = Nullable<Text>)]
    error: Option<String>,
}

/// One history row to write.
pub(crate) struct Entry<'a> {
    pub(crate) revision: &'a str,
    pub(crate) kind: HistoryDirection,
    pub(crate) checksum: &'a str,
    pub(crate) started_at: SystemTime,
    pub(crate) duration: Duration,
    pub(crate) error: Option<&'a str>,
}

#[derive(QueryableByName)]
struct Applied {
    #[diesel(sql_type = Text)]
    revision: String,
    #[diesel(sql_type = Text)]
    direction: String,
    #[diesel(sql_type = Text)]
    checksum: String,
}

impl Tables {
    /// Append a history row (the table must exist: see [`Tables::ensure`]).
    pub(crate) fn record(&self, conn: &mut AnyConnection, entry: &Entry<'_>) -> Result<()> {
        let p = |n| self.dialect.placeholder(n);
        let sql = format!(
            "INSERT INTO {} (revision, direction, checksum, started_at, duration_ms, success, error) \
             VALUES ({}, {}, {}, {}, {}, {}, {})",
            self.history_sql()?,
            p(1),
            p(2),
            p(3),
            p(4),
            p(5),
            p(6),
            p(7)
        );
        let millis = i64::try_from(entry.duration.as_millis()).unwrap_or(i64::MAX);
        diesel::sql_query(sql)
            .bind::<Text, _>(entry.revision)
            .bind::<Text, _>(entry.kind.as_str())
            .bind::<Text, _>(entry.checksum)
            .bind::<Text, _>(iso8601(entry.started_at))
            .bind::<BigInt, _>(millis)
            .bind::<Bool, _>(entry.error.is_none())
            .bind::<Nullable<Text>, _>(entry.error)
            .execute(conn)
            .map_err(Error::db(format!(
                "writing the history table {}",
                self.history
            )))?;
        Ok(())
    }

    /// For each revision whose last successful up/down step was an upgrade: the checksum it was
    /// applied with. Empty when the history table does not exist (nothing is created).
    pub(crate) fn applied_checksums(
        &self,
        conn: &mut AnyConnection,
    ) -> Result<HashMap<String, String>> {
        Ok(self
            .read_recorded(conn)?
            .map(|r| r.checksums)
            .unwrap_or_default())
    }

    /// The revisions the history table records as applied or stamped (see
    /// [`Recorded::present`]); `None` when there is no history table (a database adopted
    /// from another tool before migrate wrote to it).
    pub(crate) fn recorded(&self, conn: &mut AnyConnection) -> Result<Option<HashSet<String>>> {
        Ok(self.read_recorded(conn)?.map(|r| r.present))
    }

    /// The history table's successful rows, read once and folded in `id` order; `None` when
    /// there is no history table (nothing is created).
    pub(crate) fn read_recorded(&self, conn: &mut AnyConnection) -> Result<Option<Recorded>> {
        if !self.table_exists(conn, &self.history)? {
            return Ok(None);
        }
        let sql = format!(
            "SELECT revision, direction, checksum FROM {} WHERE success ORDER BY id",
            self.history_sql()?
        );
        let rows: Vec<Applied> = diesel::sql_query(sql)
            .load(conn)
            .map_err(Error::db(format!(
                "reading the history table {}",
                self.history
            )))?;
        let mut out = Recorded::default();
        for row in rows {
            match row.direction.as_str() {
                "up" => {
                    out.present.insert(row.revision.clone());
                    out.checksums.insert(row.revision, row.checksum);
                }
                "down" => {
                    out.present.remove(&row.revision);
                    out.checksums.remove(&row.revision);
                }
                _ => {
                    out.present.insert(row.revision);
                }
            }
        }
        Ok(Some(out))
    }
}

/// What the history table says, from one read ([`Tables::read_recorded`]).
#[derive(Debug, Default)]
pub(crate) struct Recorded {
    /// Each revision whose last successful up, down or stamp row is up or stamp.
    pub(crate) present: HashSet<String>,
    /// Each revision whose last successful up or down row is up, with the checksum it was
    /// applied with (a stamp row neither adds nor removes one).
    pub(crate) checksums: HashMap<String, String>,
}

impl Tables {
    /// The history table as shown in messages.
    pub(crate) fn history_display(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.history),
            None => self.history.clone(),
        }
    }
}

impl Tables {
    /// The last `limit` history rows, newest first. Empty when the history table does not
    /// exist (nothing is created).
    pub(crate) fn read_history(
        &self,
        conn: &mut AnyConnection,
        limit: usize,
    ) -> Result<Vec<HistoryEntry>> {
        if limit == 0 || !self.table_exists(conn, &self.history)? {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT revision, direction, checksum, started_at, duration_ms, success, error \
             FROM {} ORDER BY id DESC LIMIT {}",
            self.history_sql()?,
            self.dialect.placeholder(1)
        );
        let context = || format!("reading the history table {}", self.history);
        let rows: Vec<Row> = diesel::sql_query(sql)
            .bind::<BigInt, _>(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(conn)
            .map_err(Error::db(context()))?;
        rows.into_iter()
            .map(|r| {
                let direction = match r.direction.as_str() {
                    "up" => HistoryDirection::Upgrade,
                    "down" => HistoryDirection::Downgrade,
                    "stamp" => HistoryDirection::Stamp,
                    other => {
                        return Err(Error::Message(format!(
                            "{}: unknown direction '{other}' for revision {}; only up, down \
                             and stamp are written there",
                            context(),
                            r.revision
                        )))
                    }
                };
                Ok(HistoryEntry {
                    revision: r.revision,
                    direction,
                    checksum: r.checksum,
                    started_at: r.started_at,
                    duration: Duration::from_millis(u64::try_from(r.duration_ms).unwrap_or(0)),
                    success: r.success,
                    error: r.error,
                })
            })
            .collect()
    }
}

/// `2026-11-22T00:14:39.123Z` for a point in time (UTC, no time-zone database needed).
pub(crate) fn iso8601(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, day) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// Days since 1970-01-01 to (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_795_306_479_123);
        assert_eq!(iso8601(t), "2026-11-22T00:14:39.123Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(&iso8601(leap)[..10], "2000-02-29");
    }
}
