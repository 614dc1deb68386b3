//! Scopes: where a secret or connector comes from — the trusted project, the active
//! workspace, or the person's own (global) home — for the SCOPE column and `--scope`.
//!
//! Resolution goes project → workspace → global (the registry's rule for secrets, by name
//! for connectors). Listings show every entry under its own scope; one whose name an
//! earlier scope (or store) also holds is marked `shadowed`, since a lookup never reaches it.

pub mod project;
pub mod project_store;
pub mod trust;
pub mod workspace;

use clap::ValueEnum;

/// Where an entry lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Project,
    /// The active workspace, by name.
    Workspace(String),
    Global,
}

impl Scope {
    /// `project`, `workspace:NAME` or `global`: the SCOPE column and the `scope` JSON field.
    pub fn label(&self) -> String {
        match self {
            Scope::Project => "project".into(),
            Scope::Workspace(name) => format!("workspace:{name}"),
            Scope::Global => "global".into(),
        }
    }

    /// Whether `--scope filter` keeps this entry (no filter keeps everything).
    pub fn matches(&self, filter: Option<ScopeFilter>) -> bool {
        match filter {
            None => true,
            Some(ScopeFilter::Project) => *self == Scope::Project,
            Some(ScopeFilter::Workspace) => matches!(self, Scope::Workspace(_)),
            Some(ScopeFilter::Global) => *self == Scope::Global,
        }
    }
}

/// `--scope global|workspace|project` on list commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScopeFilter {
    Global,
    Workspace,
    Project,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_filters() {
        let ws = Scope::Workspace("acme".into());
        assert_eq!(ws.label(), "workspace:acme");
        assert!(ws.matches(Some(ScopeFilter::Workspace)));
        assert!(!ws.matches(Some(ScopeFilter::Global)));
        assert!(Scope::Global.matches(None));
        assert!(!Scope::Project.matches(Some(ScopeFilter::Workspace)));
        assert!(Scope::Project.matches(Some(ScopeFilter::Project)));
    }
}
