//! The context a command runs in: settings, and the things opened from them — the config,
//! the store registry, the unlocked identity — each opened once, lazily, on first use.
//!
//! Commands never read files or environment variables themselves: they ask the context.

use std::sync::{Arc, OnceLock};

use crate::config::Config;
use crate::error::Result;
use crate::hygiene::audit::{Audit, Entry};
use crate::settings::Settings;
use crate::store::Registry;
use crate::unlock::Unlocker;

pub struct Context {
    pub settings: Arc<Settings>,
    unlocker: Arc<Unlocker>,
    audit: Arc<Audit>,
    /// `None` when no workspace is active: the home's own config applies as it is.
    config: OnceLock<Option<Config>>,
    home_config: OnceLock<Config>,
    registry: OnceLock<Registry>,
    project: OnceLock<Option<crate::scope::project::Project>>,
    /// Set for commands that run only in a home `init` made ([`Context::check_home`]).
    home_required: std::sync::atomic::AtomicBool,
}

impl Context {
    pub fn new(settings: Settings) -> Self {
        let settings = Arc::new(settings);
        let unlocker = Arc::new(Unlocker::new(Arc::clone(&settings)));
        Context {
            audit: Arc::new(Audit::new(Arc::clone(&settings), Arc::clone(&unlocker))),
            unlocker,
            settings,
            config: OnceLock::new(),
            home_config: OnceLock::new(),
            registry: OnceLock::new(),
            project: OnceLock::new(),
            home_required: Default::default(),
        }
    }

    /// `config.toml` as it applies here, parsed on first use (a missing file is an empty
    /// config): with a workspace active, its connectors come first and shadow the home's of
    /// the same name (only its own without fallback). Writes go through
    /// [`crate::config::modify`] or the workspace's file, never through this value.
    /// A context of the same settings, unlock state and audit log whose config, registry and
    /// project are read again from disk (`byok proxy reload`).
    pub fn reread(&self) -> Context {
        Context {
            settings: Arc::clone(&self.settings),
            unlocker: Arc::clone(&self.unlocker),
            audit: Arc::clone(&self.audit),
            config: OnceLock::new(),
            home_config: OnceLock::new(),
            registry: OnceLock::new(),
            project: OnceLock::new(),
            home_required: std::sync::atomic::AtomicBool::new(
                self.home_required
                    .load(std::sync::atomic::Ordering::Relaxed),
            ),
        }
    }

    pub fn config(&self) -> Result<&Config> {
        let overlaid = match self.config.get() {
            Some(overlaid) => overlaid,
            None => {
                // One read of config.toml per command: the home's parse, overlaid with the
                // workspace's connectors when one is active.
                let overlaid = match self.workspace_of_config()? {
                    Some(workspace) => {
                        let own = workspace.connectors(self.settings.paths.home())?;
                        let mut config = self.home_config()?.clone();
                        config.overlay_connectors(&own, workspace.fallback);
                        Some(config)
                    }
                    None => None,
                };
                self.config.get_or_init(|| overlaid)
            }
        };
        match overlaid {
            Some(config) => Ok(config),
            None => self.home_config(),
        }
    }

    /// The home's own `config.toml`, whatever workspace is active.
    pub fn home_config(&self) -> Result<&Config> {
        if let Some(config) = self.home_config.get() {
            return Ok(config);
        }
        let config = Config::load(&self.settings)?;
        Ok(self.home_config.get_or_init(|| config))
    }

    /// The active workspace as the connectors see it: like [`Context::workspace`], but a
    /// project file that cannot be read names none (as for the registry's project store).
    fn workspace_of_config(&self) -> Result<Option<crate::scope::workspace::Workspace>> {
        let all = crate::scope::workspace::Workspaces::load(&self.settings.paths)?;
        let project = match self.project().ok().flatten().filter(|p| p.trusted()) {
            Some(project) => project.doc().ok().and_then(|d| d.workspace),
            None => None,
        };
        match crate::scope::workspace::active_name(
            self.settings.workspace.as_deref(),
            project.as_deref(),
            &all,
        ) {
            Some(name) => Ok(Some(all.get(&name)?.clone())),
            None => Ok(None),
        }
    }

    /// Marks this command as one that needs an initialised home: the registry and the audit
    /// log refuse a home `init` did not make, so nothing creates half a home.
    pub fn require_home(&self) {
        self.home_required
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// [`Error::NotInitialised`] when this command needs a home and `init` did not make one.
    pub fn check_home(&self) -> Result<()> {
        if self
            .home_required
            .load(std::sync::atomic::Ordering::Relaxed)
            && !self.settings.initialised()
        {
            return Err(crate::error::Error::NotInitialised {
                home: self.settings.paths.home.clone(),
            });
        }
        Ok(())
    }

    /// The stores of this home (nothing is opened until a store is used).
    pub fn registry(&self) -> Result<&Registry> {
        if let Some(registry) = self.registry.get() {
            return Ok(registry);
        }
        self.check_home()?;
        crate::os::home_trust::check_home(&self.settings.paths)?;
        let mut registry = Registry::new(
            &self.settings.paths,
            self.home_config()?,
            Arc::clone(&self.unlocker),
        )?;
        registry
            .home_vault()
            .set_write_hook(Arc::new(AuditHook(Arc::clone(&self.audit))));
        // A trusted project's store comes first in the resolution order.
        // A project file that cannot be read is no project here (commands that export the
        // project's variables report the error themselves).
        if let Some(project) = self.project().ok().flatten().filter(|p| p.trusted()) {
            let doc = project.doc()?;
            if let Some(store) = &doc.store {
                let path = project.store_path(store)?;
                let entry = crate::scope::trust::entry(&self.settings.paths, &project.file)?;
                let trusted = crate::scope::project_store::TrustedProject {
                    paths: self.settings.paths.clone(),
                    file: project.file.path.clone(),
                    sha256: project.file.sha256.clone(),
                    manifest: entry.and_then(|e| e.store),
                    routing: crate::scope::project_store::Routing::of(&doc),
                };
                registry.add_project_store(
                    &self.settings.paths,
                    path,
                    &self.unlocker,
                    doc.ref_names(),
                    trusted,
                )?;
            }
        }
        if let Some(workspace) = self.workspace()? {
            registry.add_workspace(
                &self.settings.paths,
                &workspace,
                self.home_config()?,
                &self.unlocker,
            )?;
        }
        Ok(self.registry.get_or_init(|| registry))
    }

    /// The audit log.
    pub fn audit(&self) -> &Arc<Audit> {
        &self.audit
    }

    /// Runs `action` and records `entries` for it in the audit log (see [`Audit::record`]).
    pub fn audited<T>(&self, entries: Vec<Entry>, action: impl FnOnce() -> Result<T>) -> Result<T> {
        // The log is in the home: writing it must not create one.
        self.check_home()?;
        self.audit.record(entries, self.audit_plain(), action)
    }

    /// Appends one entry for an action that is over (nothing in a home `init` did not make:
    /// the command's own error says why it failed).
    pub fn audit_now(&self, entry: Entry, outcome: std::result::Result<(), u8>) -> Result<()> {
        if self.check_home().is_err() {
            return Ok(());
        }
        self.audit.log(entry, self.audit_plain(), outcome)
    }

    /// Whether `audit_names = "plain"` (a config that does not parse: hashed).
    pub fn audit_plain(&self) -> bool {
        self.config()
            .map(|c| c.hygiene().audit_names_plain)
            .unwrap_or(false)
    }

    /// The project file of the current directory, if any (found and read once; its trust
    /// verdict taken on exactly the bytes read).
    pub fn project(&self) -> Result<Option<&crate::scope::project::Project>> {
        if let Some(project) = self.project.get() {
            return Ok(project.as_ref());
        }
        let found = crate::scope::project::Project::discover(
            &self.settings.paths,
            self.settings.cwd.as_deref(),
            self.settings.user_home.as_deref(),
        )?;
        Ok(self.project.get_or_init(|| found).as_ref())
    }

    /// The active workspace, by `--workspace` > `BYOK_WORKSPACE` > a trusted project's
    /// `workspace` > `workspace use`.
    pub fn workspace(&self) -> Result<Option<crate::scope::workspace::Workspace>> {
        let all = crate::scope::workspace::Workspaces::load(&self.settings.paths)?;
        let project = match self.project()?.filter(|p| p.trusted()) {
            Some(project) => project.doc()?.workspace,
            None => None,
        };
        match crate::scope::workspace::active_name(
            self.settings.workspace.as_deref(),
            project.as_deref(),
            &all,
        ) {
            Some(name) => Ok(Some(all.get(&name)?.clone())),
            None => Ok(None),
        }
    }

    /// The vault identity, unlocked on first use (may prompt on a terminal).
    pub fn unlocker(&self) -> &Arc<Unlocker> {
        &self.unlocker
    }

    /// The fault `BYOK_FAULT` asks a transfer to inject (debug builds only).
    pub fn transfer_fault(&self) -> Option<crate::store::transfer::Fault> {
        use crate::store::transfer::Fault;
        match self.settings.fault.as_deref() {
            Some("transfer-after-copy") => Some(Fault::AfterCopy),
            Some("transfer-verify") => Some(Fault::Verify),
            _ => None,
        }
    }
}

/// Records the audit head in every write of the home vault.
struct AuditHook(Arc<Audit>);

impl crate::store::vault::file::WriteHook for AuditHook {
    fn before_write(
        &self,
        doc: &mut crate::store::vault::doc::VaultDoc,
        unlocked: &crate::unlock::Unlocked,
    ) -> Result<()> {
        self.0.before_vault_write(doc, unlocked)
    }
}
