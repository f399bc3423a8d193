//! Foreign keys and their referential actions: the DSL's own types, which already describe
//! exactly what the model needs (columns, referenced table and columns, actions, name).

pub use migrate_sql::{Action, ForeignKey};

/// The action as compared: an absent action is `NO ACTION` (every dialect's default), and on
/// MySQL `RESTRICT` is `NO ACTION` too (InnoDB checks both at once).
///
/// ```
/// use migrate_schema::{effective_action, Action};
/// use migrate_sql::Dialect;
/// assert_eq!(effective_action(None, Dialect::Postgres), Action::NoAction);
/// assert_eq!(effective_action(Some(Action::Restrict), Dialect::Mysql), Action::NoAction);
/// assert_eq!(effective_action(Some(Action::Restrict), Dialect::Postgres), Action::Restrict);
/// ```
pub fn effective_action(a: Option<Action>, dialect: migrate_sql::Dialect) -> Action {
    match a {
        None => Action::NoAction,
        Some(Action::Restrict) if crate::dialect::of(dialect).restrict_is_no_action() => {
            Action::NoAction
        }
        Some(a) => a,
    }
}

/// The SQL spelling of an action, e.g. `ON DELETE` `SET NULL`.
pub fn action_sql(a: Action) -> &'static str {
    match a {
        Action::Cascade => "CASCADE",
        Action::SetNull => "SET NULL",
        Action::SetDefault => "SET DEFAULT",
        Action::Restrict => "RESTRICT",
        Action::NoAction => "NO ACTION",
    }
}
