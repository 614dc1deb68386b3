//! The context a command runs in: settings, and the things opened from them — the config,
//! the store registry, the unlocked identity — each opened once, lazily, on first use.
//!
//! Commands never read files or environment variables themselves: they ask the context.

use std::sync::{Arc, OnceLock};

use crate::config::Config;
use crate::error::Result;
use crate::settings::Settings;
use crate::store::Registry;
use crate::unlock::Unlocker;

pub struct Context {
    pub settings: Arc<Settings>,
    unlocker: Arc<Unlocker>,
    config: OnceLock<Config>,
    registry: OnceLock<Registry>,
}

impl Context {
    pub fn new(settings: Settings) -> Self {
        let settings = Arc::new(settings);
        Context {
            unlocker: Arc::new(Unlocker::new(Arc::clone(&settings))),
            settings,
            config: OnceLock::new(),
            registry: OnceLock::new(),
        }
    }

    /// `config.toml`, parsed on first use (a missing file is an empty config).
    pub fn config(&self) -> Result<&Config> {
        if let Some(config) = self.config.get() {
            return Ok(config);
        }
        let config = Config::load(&self.settings)?;
        Ok(self.config.get_or_init(|| config))
    }

    /// The stores of this home (nothing is opened until a store is used).
    pub fn registry(&self) -> Result<&Registry> {
        if let Some(registry) = self.registry.get() {
            return Ok(registry);
        }
        crate::trust::check_home(&self.settings.paths)?;
        let registry = Registry::new(
            &self.settings.paths,
            self.config()?,
            Arc::clone(&self.unlocker),
        )?;
        Ok(self.registry.get_or_init(|| registry))
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
