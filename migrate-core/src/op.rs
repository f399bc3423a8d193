//! `Op`: what a migration receives. The upgrade function runs once to *record* operations; the
//! executor then runs what was recorded, in order (and offline mode prints it instead).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use migrate_sql::{Dialect, Operation, Operations};

use crate::connection::AnyConnection;
use crate::error::Result;
use crate::migration_error::MigrationError;

/// A step of migration code that runs with the live Diesel connection; `?` works on any
/// error in it.
pub(crate) type Callback =
    Box<dyn FnOnce(&mut AnyConnection) -> std::result::Result<(), MigrationError>>;

/// The handle a migration function receives.
///
/// It dereferences to [`migrate_sql::Operations`], so the schema DSL (`op.create_table(..)`,
/// `op.add_column(..)`, ...), raw SQL (`op.execute(..)`, `op.execute_reversible(..)`) and
/// `op.bulk_insert(..)` are available on it; Rust steps with the live connection
/// ([`run`](Op::run)), `-x` arguments and the dialect are on `Op` itself.
pub struct Op {
    ops: Operations,
    callbacks: Vec<Option<Callback>>,
    dialect: Dialect,
    args: Arc<BTreeMap<String, String>>,
}

impl Op {
    /// A recorder for `dialect` with the `-x key=value` arguments `args`.
    pub fn new(dialect: Dialect, args: Arc<BTreeMap<String, String>>) -> Op {
        Op {
            ops: Operations::default(),
            callbacks: Vec::new(),
            dialect,
            args,
        }
    }

    /// A step of Rust code that gets the live Diesel connection (inside the migration's
    /// transaction when it has one). It can't be rendered offline: `--sql` fails naming the
    /// migration; use [`run_offline`](Op::run_offline) to give SQL to print instead.
    pub fn run<F>(&mut self, f: F) -> Result<()>
    where
        F: FnOnce(&mut AnyConnection) -> std::result::Result<(), MigrationError> + 'static,
    {
        self.push_callback(None, Box::new(f));
        Ok(())
    }

    /// Like [`run`](Op::run), with the SQL offline mode prints in its place.
    pub fn run_offline<F, I, S>(&mut self, offline_sql: I, f: F) -> Result<()>
    where
        F: FnOnce(&mut AnyConnection) -> std::result::Result<(), MigrationError> + 'static,
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let sql = offline_sql.into_iter().map(Into::into).collect();
        self.push_callback(Some(sql), Box::new(f));
        Ok(())
    }

    fn push_callback(&mut self, offline_sql: Option<Vec<String>>, f: Callback) {
        let index = self.callbacks.len();
        self.callbacks.push(Some(f));
        self.ops.push(Operation::Callback { index, offline_sql });
    }

    /// The value of `-x key=value`, if given.
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args.get(key).map(String::as_str)
    }

    /// Every `-x key=value` argument.
    pub fn args(&self) -> &BTreeMap<String, String> {
        &self.args
    }

    /// The dialect the operations are recorded for.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The operations recorded so far.
    pub fn operations(&self) -> &Operations {
        &self.ops
    }

    /// Split into the recorded operations and the callbacks they index.
    pub(crate) fn into_parts(self) -> (Operations, Vec<Option<Callback>>) {
        (self.ops, self.callbacks)
    }
}

impl Deref for Op {
    type Target = Operations;
    fn deref(&self) -> &Operations {
        &self.ops
    }
}

impl DerefMut for Op {
    fn deref_mut(&mut self) -> &mut Operations {
        &mut self.ops
    }
}

impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Op")
            .field("dialect", &self.dialect)
            .field("operations", &self.ops)
            .field("callbacks", &self.callbacks.len())
            .field("args", &self.args)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_in_order() {
        let mut args = BTreeMap::new();
        args.insert("tenant".to_string(), "acme".to_string());
        let mut op = Op::new(Dialect::Sqlite, Arc::new(args));
        op.execute("CREATE TABLE a (x INT)").unwrap();
        op.run(|_| Ok(())).unwrap();
        op.run_offline(["UPDATE a SET x = 1"], |_| Ok(())).unwrap();
        assert_eq!(op.arg("tenant"), Some("acme"));
        assert_eq!(op.arg("missing"), None);
        assert_eq!(op.dialect(), Dialect::Sqlite);
        let ops = op.as_slice();
        assert_eq!(ops.len(), 3);
        assert!(matches!(
            ops[1],
            Operation::Callback {
                index: 0,
                offline_sql: None
            }
        ));
        assert!(
            matches!(&ops[2], Operation::Callback { index: 1, offline_sql: Some(s) } if s.len() == 1)
        );
        let (_, callbacks) = op.into_parts();
        assert_eq!(callbacks.len(), 2);
    }
}
