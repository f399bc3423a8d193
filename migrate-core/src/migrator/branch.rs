//! One database, one branch: [`Migrator::branch`], for graphs of independent branches each
//! applied to its own database (Alembic's multiple bases with branch labels).

use super::Migrator;
use crate::error::Result;

impl Migrator {
    /// The database holds one branch of the graph only: the branch labelled `label`, as each
    /// database of Alembic's "one branch per database" layout does. `head`, `heads` and `base`
    /// then mean `label@head`, `label@heads` and `label@base` (in `upgrade`, `downgrade` and
    /// their `--sql` scripts), and `status`, `check` and `ensure_at_head` compare the version
    /// rows with the branch's heads, not the whole graph's.
    ///
    /// ```
    /// # use migrate_core::{AnyMigration, MigrationList, Migrator};
    /// let list = MigrationList::new()
    ///     .with(AnyMigration::builder("b1", |_| Ok(())).branch_label("billing"))
    ///     .with(AnyMigration::builder("c1", |_| Ok(())).branch_label("catalog"));
    /// let billing = Migrator::new(&list)?.branch("billing");
    /// let script = billing.upgrade_sql(migrate_core::sql::Dialect::Sqlite, "head")?;
    /// assert!(script.contains("'b1'") && !script.contains("'c1'"));
    /// # Ok::<(), migrate_core::Error>(())
    /// ```
    pub fn branch(mut self, label: impl Into<String>) -> Migrator {
        self.branch = Some(label.into());
        self
    }

    /// `target` as this database means it: with a [`branch`](Migrator::branch), `head`,
    /// `heads` and `base` are that branch's; in a `START:END` range, the end.
    pub(crate) fn on_branch(&self, target: &str) -> String {
        let Some(label) = &self.branch else {
            return target.to_owned();
        };
        let one = |t: &str| match t {
            "head" | "heads" | "base" => format!("{label}@{t}"),
            _ => t.to_owned(),
        };
        match target.split_once(':') {
            Some((start, end)) => format!("{start}:{}", one(end)),
            None => one(target),
        }
    }

    /// The heads [`status`](Migrator::status) compares with: the branch's, or the graph's.
    pub(crate) fn branch_heads(&self) -> Result<Vec<String>> {
        Ok(match &self.branch {
            Some(label) => self.graph().resolve(&format!("{label}@heads"), &[])?,
            None => self
                .graph()
                .heads()
                .into_iter()
                .map(str::to_string)
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{AnyMigration, MigrationList, Migrator};

    /// A misspelt `branch` fails with Alembic's message naming it, before anything runs.
    #[test]
    fn an_unknown_label_is_named() {
        let list = MigrationList::new()
            .with(AnyMigration::builder("b1", |_| Ok(())).branch_label("billing"));
        let m = Migrator::new(&list)
            .expect("a valid graph")
            .branch("biling");
        let err = m
            .upgrade_sql(crate::sql::Dialect::Sqlite, "head")
            .expect_err("no such branch")
            .to_string();
        assert_eq!(err, "Can't locate revision identified by 'biling'");
    }
}
