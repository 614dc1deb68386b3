//! Connectors: the model ([`Connector`]), its checks ([`validate`]), and the concurrent
//! connection-test runner ([`runtime`]). They are kept as `[[connector]]` tables in
//! `config.toml`, read and written by [`crate::config`] (the only reader of that file).

pub mod runtime;
pub mod validate;

use std::collections::BTreeMap;

/// One connector: a provider type, the vault ref of its key, and how to reach it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connector {
    pub name: String,
    /// A provider catalog id (`openai`, `azure-openai`, …).
    pub kind: String,
    /// The vault ref holding the key; `None` for local servers without authentication.
    pub secret: Option<String>,
    pub model: Option<String>,
    /// SDK-style base URL; `None` means the catalog default.
    pub base_url: Option<String>,
    /// Adapter options (`deployment`, `api-version`, …).
    pub options: BTreeMap<String, String>,
    pub archived: bool,
    /// The user accepted a plain-http remote base URL (`--allow-insecure-http`); without it
    /// such a URL is refused again whenever the connector is used.
    pub allow_insecure_http: bool,
    /// The system user a plain-http loopback service runs as (`service_user`, a name or a
    /// uid): besides root (and yourself, outside agent-proof mode) the only owner of the
    /// port that may receive the key (see `crate::net::owner`).
    pub service_user: Option<String>,
}
