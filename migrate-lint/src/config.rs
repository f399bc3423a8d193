//! Severities from `[lint]` in migrate.toml (`deny`, `warn`, `allow`) and a migration's own
//! `allow_lint`.

use crate::finding::Severity;
use crate::rules::{Category, RULES};

/// `[lint]`: rule ids (or a category name, or `squawk` for every squawk rule) per severity.
/// An id beats a category; within one level `allow` beats `deny` beats `warn`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    /// Reported as errors (fail `migrate lint`).
    pub deny: Vec<String>,
    /// Reported as warnings.
    pub warn: Vec<String>,
    /// Not reported.
    pub allow: Vec<String>,
}

/// A name in `[lint]` or `allow_lint` that is no rule, category or squawk rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown lint rule {name:?} in {place}; `migrate lint --rules` lists the rule ids")]
pub struct ConfigError {
    /// The name as written.
    pub name: String,
    /// Where (`[lint] deny`, `allow_lint of migration b2c3`).
    pub place: String,
}

/// Whether `name` names a rule, a category, `squawk` or one of squawk's rules.
pub(crate) fn known(name: &str) -> bool {
    RULES.iter().any(|r| r.id == name)
        || Category::ALL.iter().any(|c| c.name() == name)
        || name == "squawk"
        || name
            .strip_prefix("squawk:")
            .is_some_and(|s| s.parse::<squawk_linter::Rule>().is_ok())
}

/// Fail on the first unknown name of `names`, found in `place`.
pub(crate) fn check_names(names: &[String], place: &str) -> Result<(), ConfigError> {
    match names.iter().find(|n| !known(n)) {
        Some(n) => Err(ConfigError {
            name: n.clone(),
            place: place.to_owned(),
        }),
        None => Ok(()),
    }
}

/// Refuse an `allow_lint` name of migration `revision` that is no rule, category or squawk
/// rule (a typo would allow nothing, silently).
///
/// ```
/// assert!(migrate_lint::check_allowance(&["drop-column".into()], "b2").is_ok());
/// let e = migrate_lint::check_allowance(&["drop-colum".into()], "b2").unwrap_err();
/// assert!(e.to_string().contains("allow_lint of migration b2"));
/// ```
pub fn check_allowance(names: &[String], revision: &str) -> Result<(), ConfigError> {
    check_names(names, &format!("allow_lint of migration {revision}"))
}

impl LintConfig {
    /// Refuse a name that is no rule, category or squawk rule (a typo would silently allow
    /// nothing).
    ///
    /// ```
    /// let c = migrate_lint::LintConfig { deny: vec!["drop-colum".into()], ..Default::default() };
    /// assert!(c.validate().unwrap_err().to_string().contains("drop-colum"));
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_names(&self.deny, "[lint] deny")?;
        check_names(&self.warn, "[lint] warn")?;
        check_names(&self.allow, "[lint] allow")
    }

    /// The severity of a finding of rule `id` (in `category`, `None` for squawk's), or `None`
    /// when it is allowed.
    pub(crate) fn severity(
        &self,
        id: &str,
        category: Option<Category>,
        default: Severity,
    ) -> Option<Severity> {
        let group = match category {
            Some(c) => c.name(),
            None => "squawk",
        };
        for name in [id, group] {
            let has = |list: &[String]| list.iter().any(|n| n == name);
            if has(&self.allow) {
                return None;
            }
            if has(&self.deny) {
                return Some(Severity::Error);
            }
            if has(&self.warn) {
                return Some(Severity::Warning);
            }
        }
        Some(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_beats_its_category() {
        let c = LintConfig {
            deny: vec!["hygiene".into()],
            allow: vec!["destructive".into()],
            warn: vec!["drop-table".into()],
        };
        let d = Some(Category::Destructive);
        assert_eq!(
            c.severity("drop-table", d, Severity::Error),
            Some(Severity::Warning)
        );
        assert_eq!(c.severity("drop-column", d, Severity::Error), None);
        let h = Some(Category::Hygiene);
        assert_eq!(
            c.severity("enum-value-position", h, Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            c.severity("squawk:ban-drop-column", None, Severity::Warning),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn unknown_names_are_refused() {
        assert!(known("drop-column") && known("squawk") && known("squawk:ban-drop-column"));
        assert!(known("locking"));
        assert!(!known("drop-columns") && !known("squawk:no-such-rule"));
    }
}
