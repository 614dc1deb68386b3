//! The library's error type: every variant has a message, an optional `hint:` line with the
//! fix, and an exit code. One place ([`crate::run`]) renders them.
//!
//! No variant ever carries a secret value: names, paths and counts only.

use std::path::PathBuf;

/// Process exit codes; documented in docs/reference/exit-codes.md. Never renumber one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Ok = 0,
    Error = 1,
    Usage = 2,
    NotFound = 3,
    Locked = 4,
    WrongPassphrase = 5,
    TestFailed = 6,
    Corrupt = 7,
    /// Refused by policy: a reveal policy, an admin key, an untrusted project file.
    Refused = 8,
    /// Findings: a scan that found something, `secret list --stale --check`, a failed
    /// `audit verify`.
    Findings = 9,
    /// `byok exec`: the command was found but could not be run (as `env(1)` does).
    CannotExecute = 126,
    /// `byok exec`: the command was not found (as `env(1)` does).
    CommandNotFound = 127,
}

impl From<Exit> for std::process::ExitCode {
    fn from(code: Exit) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("byok is not initialised in {}", home.display())]
    NotInitialised { home: PathBuf },

    #[error("byok is already initialised in {}", home.display())]
    AlreadyInitialised { home: PathBuf },

    #[error(
        "invalid ref name '{name}': a ref name is {}",
        crate::names::REF_NAME_RULE
    )]
    InvalidRef { name: String },

    #[error(
        "invalid field name '{name}': a field name is {}",
        crate::names::FIELD_NAME_RULE
    )]
    InvalidField { name: String },

    #[error("unknown provider '{name}'")]
    UnknownProvider { name: String, known: String },

    #[error("no secret named '{name}'")]
    SecretNotFound {
        name: String,
        suggestion: Option<String>,
    },

    #[error("secret '{reference}' has no field '{field}'")]
    FieldNotFound {
        reference: String,
        field: String,
        fields: Vec<String>,
    },

    #[error("secret '{reference}' already has a field '{field}'; nothing was changed")]
    FieldExists { reference: String, field: String },

    #[error("a secret named '{name}' already exists; nothing was changed")]
    SecretExists { name: String },

    #[error("the secret value was given as a command-line argument; it was not stored")]
    ValueInArgv {
        reference: String,
        /// `add` or `rotate`: the command to repeat with `--stdin`.
        verb: &'static str,
    },

    #[error("the secret value is empty; nothing was stored")]
    EmptyValue,

    #[error("no secret value to read: standard input is not a terminal and --stdin was not given")]
    NoValueSource { reference: String },

    #[error("refusing to {action} without confirmation: no terminal to ask on")]
    NeedsConfirmation { action: String },

    #[error("cancelled; nothing was changed")]
    Cancelled,

    #[error(
        "the vault is locked: no identity file and no passphrase source, and no terminal to ask on"
    )]
    Locked,

    #[error("no new passphrase: no terminal to ask on, and no file or variable gives it")]
    NoNewPassphrase,

    #[error("wrong passphrase for {}; nothing was changed", path.display())]
    WrongPassphrase { path: PathBuf },

    #[error("the passphrase is empty")]
    EmptyPassphrase,

    /// A passphrase file (`BYOK_PASSPHRASE_FILE`, `BYOK_STORE_PASSPHRASE_FILE`) whose first
    /// line is empty.
    #[error("the passphrase file {} ({var}) is empty: its first line holds no passphrase", path.display())]
    EmptyPassphraseFile { path: PathBuf, var: &'static str },

    #[error("{} is corrupted or truncated: {reason}", path.display())]
    Corrupt { path: PathBuf, reason: String },

    #[error("{} was written by a newer byok (format version {found}; this byok reads up to {supported})", path.display())]
    NewerFormat {
        path: PathBuf,
        found: u64,
        supported: u64,
    },

    #[error("{} is not a valid age identity file: {reason}", path.display())]
    BadIdentity { path: PathBuf, reason: String },

    /// A valid identity that is not one the vault is encrypted to.
    #[error("the identity from {identity} cannot open {}: it is a valid age identity, but of another key ({public}), not this vault's", vault.display())]
    WrongIdentity {
        vault: PathBuf,
        /// Where the identity came from, naming its file when it has one.
        identity: String,
        /// Its public key (never the identity itself).
        public: String,
        fix: String,
    },

    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },

    /// A key `config.toml` does not take; `message` names it, its line and table.
    #[error("{}: {message}", path.display())]
    ConfigUnknownKey {
        path: PathBuf,
        message: String,
        hint: String,
    },

    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("could not {action}: {source}")]
    Terminal {
        action: &'static str,
        #[source]
        source: std::io::Error,
    },

    #[error("encryption failed: {0}")]
    Encrypt(String),

    #[error(transparent)]
    Keychain(#[from] crate::os::keychain::KeychainError),

    #[error(transparent)]
    SessionCache(#[from] crate::unlock::session_cache::CacheError),

    #[error("secret '{reference}' lives in the {actual}, not the {requested}")]
    WrongStore {
        reference: String,
        actual: String,
        requested: String,
    },

    #[error("the {store} holds no value for {reference}.{field}, although it lists the field")]
    MissingInStore {
        reference: String,
        field: String,
        store: String,
    },

    #[error("the {name} store does not work right now (see the detail above)")]
    StoreUnavailable { name: String },

    /// An OpenBao / Vault store's failure, classified, with its fix.
    #[error("{store} store: {message}")]
    OpenBao {
        store: String,
        message: String,
        fix: String,
    },

    /// An AWS Secrets Manager store's failure, classified, with its fix.
    #[error("{store} store: {message}")]
    Aws {
        store: String,
        message: String,
        fix: String,
    },

    /// A secret an AWS store has scheduled for deletion.
    #[error("{store} store: {message}")]
    AwsGone {
        store: String,
        message: String,
        fix: String,
    },

    /// A secret an OpenBao store had, soft-deleted or destroyed since.
    #[error("{store} store: {message}")]
    OpenBaoGone {
        store: String,
        message: String,
        fix: String,
    },

    #[error("no store named '{name}'")]
    UnknownStore { name: String, known: String },

    #[error("secret '{reference}' already exists in the {store} store; nothing was changed")]
    ExistsElsewhere { reference: String, store: String },

    #[error("the {store} store already has a secret named '{name}'; nothing was changed")]
    SecretExistsIn { name: String, store: String },

    #[error("could not move '{reference}' from the {from} store to the {to} store: {reason}")]
    TransferFailed {
        reference: String,
        from: String,
        to: String,
        reason: String,
    },

    #[error("the {store} store keeps one previous value per field, not numbered versions")]
    NoVersions { store: String },

    #[error("{}", match field {
        Some(f) => format!("field '{f}' of secret '{reference}' has no previous value"),
        None => format!("secret '{reference}' has no previous values"),
    })]
    NothingToRollBack {
        reference: String,
        field: Option<String>,
    },

    #[error("invalid reference in {var}: {problem}")]
    BadReference { var: String, problem: String },

    #[error(
        "the OS keychain has no item for service byok, account {account} (or its collection is locked)"
    )]
    NotInKeychain { account: String },

    #[error("{0}")]
    Usage(String),

    #[error("no connector or secret named '{name}'")]
    TargetNotFound {
        name: String,
        suggestion: Option<String>,
    },

    #[error("there is no active connector to use as the default")]
    NoDefaultConnector,

    #[error("doctor found problems (marked ✗ above)")]
    DoctorFailed,
    #[error("refusing to print secret values to a terminal")]
    RawValuesToTerminal,

    #[error("{0}")]
    Render(#[from] crate::export::shell::RenderError),

    #[error("variable {var} would be set from both {first} and {second}")]
    DuplicateVariable {
        var: String,
        first: String,
        second: String,
    },

    #[error("command not found: {program}")]
    CommandNotFound { program: String },

    #[error("could not run {program}: {source}")]
    CannotExecute {
        program: String,
        #[source]
        source: std::io::Error,
    },

    /// Not a failure of byok: the status of the command `byok exec` ran, passed on as ours.
    #[error("the command exited with status {code}")]
    ChildExit { code: u8 },

    /// A source `byok import` could not read; `origin` names the file when the parser's
    /// message does not already.
    #[error("{}{source}", .origin.as_deref().map(|o| format!("{o}: ")).unwrap_or_default())]
    Import {
        origin: Option<String>,
        #[source]
        source: crate::import::ImportError,
    },

    #[error("no {tool} configuration found: no path given and no home directory to look in")]
    NoImportPath { tool: &'static str },
    #[error(
        "invalid connector name '{name}': a connector name is {}",
        crate::names::CONNECTOR_NAME_RULE
    )]
    InvalidConnectorName { name: String },

    #[error("no connector named '{name}'")]
    ConnectorNotFound {
        name: String,
        suggestion: Option<String>,
    },

    #[error("a connector named '{name}' already exists; nothing was changed")]
    ConnectorExists { name: String },

    #[error("unknown connector type '{name}'")]
    UnknownConnectorType { name: String, known: String },

    #[error("connector secret '{reference}' is not in the vault; nothing was changed")]
    ConnectorSecretMissing { reference: String, kind: String },

    #[error("a {kind} connector needs a key: --secret REF is required")]
    SecretRequired { kind: String },

    #[error("a {kind} connector needs --base-url (there is no default host)")]
    BaseUrlRequired { kind: String, example: String },

    #[error("invalid base URL '{url}': {reason}")]
    InvalidBaseUrl { url: String, reason: String },

    #[error("refusing plain-http base URL '{url}': the key would cross the network unencrypted")]
    InsecureBaseUrl { url: String },

    #[error("invalid option '{text}': expected KEY=VALUE")]
    InvalidOption { text: String },

    #[error("secret '{reference}' is used by connector(s) {}; nothing was changed", connectors.join(", "))]
    SecretInUse {
        reference: String,
        connectors: Vec<String>,
    },

    #[error("no active connectors")]
    NoConnectors,

    #[error("{kind} has no model-list endpoint")]
    NoModelList { kind: String },

    #[error("{connector}: {label}: {message}")]
    ProviderFailed {
        connector: String,
        label: String,
        message: String,
        fix: String,
    },

    #[error("{failed} of {total} connection test(s) failed")]
    TestsFailed { failed: usize, total: usize },

    #[error("could not set up HTTP: {0}")]
    Http(String),

    #[error("{origin} is an admin key; it was not handed to the program")]
    AdminKey { origin: String },

    #[error(
        "{provider} admin API (admin connection '{admin}'): {action} failed{}: {message}",
        status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
    )]
    AdminApi {
        admin: String,
        provider: &'static str,
        action: String,
        status: Option<u16>,
        /// The provider's message, cleaned (keys masked, control characters escaped, cut).
        message: String,
    },

    #[error("{reason}")]
    UnseenSpend { reason: String },

    #[error("{} is not trusted; its byok:// references were not resolved", path.display())]
    Untrusted { path: PathBuf },

    #[error("{} changed since it was trusted; its byok:// references were not resolved", path.display())]
    TrustChanged { path: PathBuf },

    #[error("refusing to write a rendered template with secret values to a terminal")]
    RenderedToTerminal,

    #[error("{} exists; nothing was written", path.display())]
    OutputExists { path: PathBuf },

    #[error("{}: {problem}", path.display())]
    Template { path: PathBuf, problem: String },
    #[error("the identity {} of the {store} store needs its passphrase: no BYOK_STORE_PASSPHRASE_FILE and no terminal to ask on", identity.display())]
    StoreLocked { store: String, identity: PathBuf },

    #[error("{} is not encrypted to your key {public} (the {store} store)", path.display())]
    NotARecipient {
        store: String,
        path: PathBuf,
        public: String,
    },

    #[error("your key {public} is not in {}: writing would seal the {store} store without you", path.display())]
    NotAMember {
        store: String,
        path: PathBuf,
        public: String,
    },

    #[error("{} is not the recipients list you accepted for the {store} store ({added} added, {removed} removed since); nothing was written", path.display())]
    RecipientsUntrusted {
        store: String,
        path: PathBuf,
        added: usize,
        removed: usize,
    },

    #[error("{} is missing: the {store} store cannot be written without its recipients", path.display())]
    RecipientsMissing { store: String, path: PathBuf },

    #[error("{} changed since byok read it (another clone's write, a git pull or checkout, a sync); nothing was written", path.display())]
    WriteConflict { store: String, path: PathBuf },

    #[error("{} has an unresolved git merge conflict; nothing was written", path.display())]
    GitConflict { store: String, path: PathBuf },

    #[error("the {store} store has no recipient '{who}'")]
    MemberNotFound { store: String, who: String },

    #[error("git: {message}")]
    Git { message: String },

    #[error("a byok proxy is already running on {listen}")]
    ProxyRunning { listen: String },

    #[error("no byok proxy is running on {listen}")]
    ProxyNotRunning { listen: String },

    #[error("could not start the byok proxy: {reason}")]
    ProxyStart { reason: String, hint: String },

    #[error("no connector the proxy can serve (OpenAI- or Anthropic-wire, active)")]
    NoProxyConnectors,

    #[error("agent-proof mode refused: {}", unmet.iter().map(|(c, fix)| format!("\n  - {c}\n    fix: {fix}")).collect::<String>())]
    AgentProofUnmet { unmet: Vec<(String, String)> },

    #[error("agent-proof mode: {reason}")]
    AgentProofRefused { reason: String },
    #[error("connector '{connector}': option `{option}` must be `true` or `false`")]
    ConnectorFlag { connector: String, option: String },

    #[error("no placeholder token named '{name}'")]
    TokenNotFound {
        name: String,
        suggestion: Option<String>,
    },

    #[error("a placeholder token named '{name}' already exists; nothing was changed")]
    TokenExists { name: String },
    /// `exec --via-proxy --token NAME` where NAME exists: its value cannot be shown again.
    #[error(
        "a placeholder token named '{name}' already exists, and its value cannot be handed to the command (only its hash is stored)"
    )]
    ExecTokenExists { name: String },
    /// A home or vault file that another user could have changed, or that is not what it
    /// should be (both identity files, a vault that is a FIFO or a symlink).
    #[error("refusing to use {}: it {problem}", path.display())]
    UntrustedHome {
        path: PathBuf,
        problem: String,
        fix: String,
    },

    /// A value above [`crate::secret::MAX_VALUE_BYTES`].
    #[error("the value is larger than {limit} bytes; nothing was stored")]
    ValueTooLarge { limit: usize },

    /// A passphrase below the documented minimum.
    #[error("the passphrase is too short ({length} characters; at least {minimum} are required)")]
    WeakPassphrase { length: usize, minimum: usize },
    #[error("{}: {message}", path.display())]
    ProjectFile { path: PathBuf, message: String },

    #[error("the project file {} is {}; byok does not act on it", path.display(), if *changed { "changed since it was trusted" } else { "not trusted" })]
    ProjectUntrusted { path: PathBuf, changed: bool },

    #[error(
        "the project store of {} changed since you trusted it:\n  {}",
        path.display(),
        changes.join("\n  ")
    )]
    ProjectStoreChanged { path: PathBuf, changes: Vec<String> },

    #[error("{} is encrypted to another identity than this vault's (a backup of another home)", path.display())]
    BackupForAnotherIdentity { path: PathBuf },

    #[error("{var} has no entry for the {env} environment, which says `fallback = false`")]
    ProjectVarMissing { var: String, env: String },

    #[error("{var}: byok://{name} resolves to no secret or connector")]
    ProjectRefNotFound { var: String, name: String },

    /// A variable's `byok://` reference failed to resolve: names both, keeps the cause.
    #[error("{var}: {reference}: {cause}")]
    VarUnresolved {
        var: String,
        reference: String,
        cause: Box<Error>,
    },

    #[error("no workspace '{name}'")]
    WorkspaceNotFound { name: String, known: String },

    #[error("a workspace '{name}' exists already")]
    WorkspaceExists { name: String },

    /// Standard output was closed by the reader (`byok secret list | head -1`): exit quietly.
    #[error("broken pipe")]
    BrokenPipe,

    /// `byok scan` found something (the findings are on stdout).
    #[error("found {stored} stored value(s) and {shapes} key-shaped string(s)")]
    LeaksFound { stored: usize, shapes: usize },

    #[error(transparent)]
    ScanGit(#[from] crate::scan::git::GitError),
    #[error("{}", match reference {
        Some(r) => format!("the reveal policy ({policy}) does not let {how} show secret '{r}'"),
        None => format!("the reveal policy ({policy}) does not let {how} show secret values"),
    })]
    RevealRefused {
        reference: Option<String>,
        how: &'static str,
        policy: String,
    },

    #[error("refusing to loosen the reveal policy: {reason}")]
    LoosenRefused { reason: String },

    #[error("the audit log failed verification ({problems} problem(s), listed above)")]
    AuditFailed { problems: usize },

    #[error("{count} secret(s) are due for rotation or expiring (listed above)")]
    StaleFound { count: usize },

    #[error("the usage ledger {} cannot be used: {reason}", path.display())]
    Ledger { path: PathBuf, reason: String },

    #[error("usage anomalies today: {count} (listed above)")]
    UsageAnomalies { count: usize },

    #[error(
        "the new value of '{reference}' failed {failed} of {total} connection test(s); the old value was kept"
    )]
    RotateVerifyFailed {
        reference: String,
        failed: usize,
        total: usize,
    },

    #[error(
        "invalid expiry '{text}': expected a date (2027-03-01), an RFC 3339 time, a duration (90d), or `never`"
    )]
    BadExpiry { text: String },

    #[error("{} is not a byok backup: {reason}", path.display())]
    BadBackup { path: PathBuf, reason: String },
}

impl Error {
    /// Builds an [`Error::Io`] naming what we were doing and to which file.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }

    /// The process exit code for this error. Exhaustive on purpose: a new variant must
    /// choose its code (docs/reference/exit-codes.md lists them all).
    pub fn exit(&self) -> Exit {
        use Error::*;
        match self {
            VarUnresolved { cause, .. } => cause.exit(),
            SecretNotFound { .. }
            | FieldNotFound { .. }
            | ConnectorNotFound { .. }
            | ConnectorSecretMissing { .. }
            | NoConnectors
            | TargetNotFound { .. }
            | NoDefaultConnector
            | MissingInStore { .. }
            | MemberNotFound { .. }
            | NotInKeychain { .. }
            | ProxyNotRunning { .. }
            | NoProxyConnectors
            | TokenNotFound { .. }
            | OpenBaoGone { .. }
            | AwsGone { .. } => Exit::NotFound,
            Import {
                source: crate::import::ImportError::Io { source, .. },
                ..
            } if source.kind() == std::io::ErrorKind::NotFound => Exit::NotFound,
            TestsFailed { .. } | RotateVerifyFailed { .. } => Exit::TestFailed,
            Locked | NoNewPassphrase | StoreLocked { .. } => Exit::Locked,
            RecipientsUntrusted { .. }
            | RecipientsMissing { .. }
            | RevealRefused { .. }
            | AgentProofUnmet { .. }
            | AgentProofRefused { .. }
            | LoosenRefused { .. } => Exit::Refused,
            AuditFailed { .. } | StaleFound { .. } | UsageAnomalies { .. } => Exit::Findings,
            Ledger { .. } => Exit::Error,
            BadBackup { .. } => Exit::Corrupt,
            WrongPassphrase { .. } => Exit::WrongPassphrase,
            Corrupt { .. }
            | NewerFormat { .. }
            | BadIdentity { .. }
            | WrongIdentity { .. }
            | NotARecipient { .. } => Exit::Corrupt,
            InvalidRef { .. }
            | InvalidField { .. }
            | UnknownProvider { .. }
            | ValueInArgv { .. }
            | Usage(_)
            | InvalidConnectorName { .. }
            | UnknownConnectorType { .. }
            | SecretRequired { .. }
            | BaseUrlRequired { .. }
            | InvalidBaseUrl { .. }
            | InsecureBaseUrl { .. }
            | InvalidOption { .. }
            | DuplicateVariable { .. }
            | UnknownStore { .. }
            | ExistsElsewhere { .. }
            | NoVersions { .. }
            | BadReference { .. }
            | BadExpiry { .. } => Exit::Usage,
            ExecTokenExists { .. } => Exit::Usage,
            UntrustedHome { .. } => Exit::Refused,
            WeakPassphrase { .. } | ValueTooLarge { .. } => Exit::Usage,
            BrokenPipe => Exit::Ok,
            AdminKey { .. } | Untrusted { .. } | TrustChanged { .. } => Exit::Refused,
            ProjectUntrusted { .. } | ProjectStoreChanged { .. } => Exit::Refused,
            BackupForAnotherIdentity { .. } => Exit::Corrupt,
            WorkspaceNotFound { .. } => Exit::NotFound,
            WorkspaceExists { .. } => Exit::Error,
            ProjectFile { .. } => Exit::Usage,
            ConnectorFlag { .. } => Exit::Usage,
            ProjectVarMissing { .. } | ProjectRefNotFound { .. } => Exit::NotFound,
            Template { .. } => Exit::Usage,
            OutputExists { .. } | RenderedToTerminal => Exit::Error,
            CommandNotFound { .. } => Exit::CommandNotFound,
            CannotExecute { .. } => Exit::CannotExecute,
            // `byok exec` passes the child's own status on; `run` never renders this one.
            ChildExit { .. } => Exit::Error,
            NotInitialised { .. }
            | AlreadyInitialised { .. }
            | FieldExists { .. }
            | SecretExists { .. }
            | SecretExistsIn { .. }
            | EmptyValue
            | NoValueSource { .. }
            | NeedsConfirmation { .. }
            | Cancelled
            | EmptyPassphrase
            | EmptyPassphraseFile { .. }
            | Config { .. }
            | ConfigUnknownKey { .. }
            | Io { .. }
            | Terminal { .. }
            | Encrypt(_)
            | Keychain(_)
            | SessionCache(_)
            | WrongStore { .. }
            | TransferFailed { .. }
            | NothingToRollBack { .. }
            | DoctorFailed
            | StoreUnavailable { .. }
            | OpenBao { .. }
            | Aws { .. }
            | RawValuesToTerminal
            | Render(_)
            | Import { .. }
            | NoImportPath { .. }
            | ConnectorExists { .. }
            | SecretInUse { .. }
            | NoModelList { .. }
            | ProviderFailed { .. }
            | NotAMember { .. }
            | WriteConflict { .. }
            | GitConflict { .. }
            | Git { .. }
            | ProxyRunning { .. }
            | ProxyStart { .. }
            | TokenExists { .. }
            | Http(_)
            | ScanGit(_) => Exit::Error,
            AdminApi { status, .. } => match status {
                Some(401 | 403) => Exit::Refused,
                Some(404) => Exit::NotFound,
                _ => Exit::Error,
            },
            LeaksFound { .. } | UnseenSpend { .. } => Exit::Findings,
        }
    }

    /// The fix, printed as a `hint:` line under the error.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Error::VarUnresolved { cause, .. } => return cause.hint(),
            Error::NotInitialised { .. } => {
                "run `byok init` to create the vault (or set BYOK_HOME to an existing one)".into()
            }
            Error::AlreadyInitialised { home } => format!(
                "the existing vault was left untouched; to start over, move {} away first",
                home.display()
            ),
            Error::InvalidRef { .. } => "for example: my_openai_key".into(),
            Error::InvalidField { .. } => "for example: api_key, endpoint, org_id".into(),
            Error::UnknownProvider { known, .. } => format!("known providers: {known}"),
            Error::SecretNotFound { suggestion, .. } => match suggestion {
                Some(s) => format!("did you mean '{s}'? `byok secret list` shows all secrets"),
                None => "`byok secret list` shows all secrets".into(),
            },
            Error::FieldNotFound { fields, .. } => {
                format!("its fields are: {}", fields.join(", "))
            }
            Error::FieldExists { reference, field } => format!(
                "use `byok secret rotate {reference} --field {field}` to replace the value, or pass --force"
            ),
            Error::SecretExists { .. } => "pick another name, or remove the existing secret first".into(),
            Error::ValueInArgv { reference, verb } => format!(
                "arguments show up in `ps` and shell history; pass the value on standard input instead:\n  \
                 printf '%s' \"$KEY\" | byok secret {verb} {reference} --stdin\n\
                 or run `byok secret {verb} {reference}` on a terminal to be prompted (input hidden)"
            ),
            Error::EmptyValue => "give a non-empty value".into(),
            Error::NoValueSource { reference } => format!(
                "pipe the value in and add --stdin, e.g. printf '%s' \"$KEY\" | byok secret add {reference} --stdin"
            ),
            Error::NeedsConfirmation { .. } => "pass --yes to confirm".into(),
            Error::Locked => "unlock with one of:\n  \
                 BYOK_PASSPHRASE_FILE=<file holding the passphrase>\n  \
                 BYOK_PASSPHRASE=<passphrase> (visible to other processes of your user)\n  \
                 BYOK_IDENTITY_FILE=<decrypted age identity>\n  \
                 `byok unlock` (caches the identity for a while) or `byok keychain remember`\n  \
                 or run byok on a terminal to be prompted"
                .into(),
            Error::NoNewPassphrase => "run it on a terminal; or `byok init` with BYOK_PASSPHRASE_FILE (or --no-passphrase), `byok passphrase` with --new-passphrase-file FILE".into(),
            Error::WrongPassphrase { .. } => {
                "check BYOK_PASSPHRASE_FILE / BYOK_PASSPHRASE (for an age-file store's identity: BYOK_STORE_PASSPHRASE_FILE), or type it again".into()
            }
            Error::EmptyPassphrase => {
                "choose a passphrase, or run `byok init --no-passphrase` for an unencrypted identity".into()
            }
            Error::Corrupt { path, .. }
                if path
                    .extension()
                    .is_some_and(|e| e == "age" || e == "txt") =>
            {
                "byok will not overwrite it; restore it from a backup (`byok restore FILE`), or put back \
                 a kept older copy"
                    .into()
            }
            Error::Corrupt { .. } => {
                "byok did not change it; fix the part named above by hand, or move the file away \
                 (byok then starts that record anew)"
                    .into()
            }
            Error::EmptyPassphraseFile { path, .. } => format!(
                "put the passphrase on the first line of {} (or point the variable at the file that holds it)",
                path.display()
            ),
            Error::WrongIdentity { fix, .. } => fix.clone(),
            Error::NewerFormat { .. } => "upgrade byok; the file was left untouched".into(),
            Error::BadIdentity { .. } => {
                "the file must hold one AGE-SECRET-KEY-1… line (comments starting with # are allowed)".into()
            }
            Error::Config { .. } => "fix the file by hand; byok did not change it".into(),
            Error::ConfigUnknownKey { hint, .. } => hint.clone(),
            Error::TargetNotFound { suggestion, .. } => match suggestion {
                Some(s) => format!("did you mean '{s}'? `byok connector list` and `byok secret list` show the names"),
                None => "`byok connector list` and `byok secret list` show the names".into(),
            },
            Error::NotInKeychain { .. } => {
                "check the name, or look with `secret-tool search service byok` (Linux); `byok doctor` checks the keychain".into()
            }
            Error::NoDefaultConnector => {
                "add one with `byok connector add`, or unarchive one with `byok connector unarchive NAME`".into()
            }
            Error::WrongStore { reference, actual, .. } => format!(
                "drop --store to use where it lives, or run `byok secret move {reference} --to ...` (it is in the {actual})"
            ),
            Error::MissingInStore { reference, store, .. } => format!(
                "the value was removed from the {store} store outside byok; set it again with `byok secret rotate {reference}` or remove the secret"
            ),
            Error::RawValuesToTerminal => "values printed here stay in scrollback and show on screen shares; \
                 load them instead with eval \"$(byok env …)\" (or pipe / redirect the output), \
                 or pass --force"
                .into(),
            Error::Render(crate::export::shell::RenderError::DotenvUnrepresentable { .. }) => {
                "use --format json or sh for this value".into()
            }
            Error::DuplicateVariable { var, .. } => format!(
                "name one of them as a target, or choose explicitly: --set {var}=REF[.FIELD]"
            ),
            Error::CommandNotFound { .. } => {
                "check the spelling, or give the command's full path".into()
            }
            Error::Import {
                source: crate::import::ImportError::Io { .. },
                ..
            } => "check the path, or give the file's path as an argument".into(),
            Error::Import { .. } => "nothing was imported; the source file was not changed".into(),
            Error::NoImportPath { .. } => "give the file's path as an argument".into(),
            Error::InvalidConnectorName { .. } => "for example: work, azure-eu, local_llama".into(),
            Error::ConnectorNotFound { suggestion, .. } => match suggestion {
                Some(s) => format!("did you mean '{s}'? `byok connector list --all` shows all connectors"),
                None => "`byok connector list --all` shows all connectors".into(),
            },
            Error::ConnectorExists { .. } => {
                "pick another name, or change the existing one with `byok connector edit`".into()
            }
            Error::UnknownConnectorType { known, .. } => {
                format!("valid types: {known} (`byok providers` describes them)")
            }
            Error::ConnectorSecretMissing { reference, kind } => format!(
                "add it first: byok secret add {reference} --provider {kind}   (`byok secret list` shows the secrets)"
            ),
            Error::SecretRequired { .. } => {
                "store the key with `byok secret add REF`, then pass --secret REF".into()
            }
            Error::BaseUrlRequired { example, .. } => format!("for example: --base-url {example}"),
            Error::InvalidBaseUrl { .. } => {
                "give the SDK-style base URL, e.g. https://api.openai.com/v1".into()
            }
            Error::InsecureBaseUrl { .. } => "use https://, a loopback address (127.0.0.1, ::1, localhost), or pass --allow-insecure-http".into(),
            Error::InvalidOption { .. } => {
                "for example: --option deployment=gpt-4o-mini --option api-version=2024-10-21".into()
            }
            Error::SecretInUse { reference, .. } => format!(
                "point the connector(s) at another secret with `byok connector edit NAME --secret REF`, or pass --force to remove '{reference}' anyway"
            ),
            Error::NoConnectors => "add one with `byok connector add NAME --type TYPE --secret REF`".into(),
            Error::NoModelList { .. } => {
                "set the model directly with `byok connector edit NAME --model M`".into()
            }
            Error::ProviderFailed { fix, .. } => fix.clone(),
            Error::OpenBao { fix, .. } | Error::OpenBaoGone { fix, .. } => fix.clone(),
            Error::Aws { fix, .. } | Error::AwsGone { fix, .. } => fix.clone(),
            Error::Keychain(e) => return e.hint(),
            Error::StoreUnavailable { name } => format!(
                "check the store's settings with `byok store show {name}`; `byok doctor` checks every store"
            ),
            Error::UnknownStore { known, .. } => format!(
                "known stores: {known} (`[[store]]` tables in config.toml declare more)"
            ),
            Error::ExistsElsewhere { reference, store } => format!(
                "pass --store {store} to change it there, or --store NAME to keep a second copy \
                 in another store (the first store in the resolution order wins); \
                 `byok secret move {reference} --to NAME` moves it"
            ),
            Error::SecretExistsIn { .. } => {
                "pick another name, or remove the existing secret first".into()
            }
            Error::TransferFailed { .. } => {
                "`byok secret list` shows where the secret is now; nothing was lost".into()
            }
            Error::NoVersions { .. } => {
                "drop --version: `byok secret rollback REF` restores the previous value".into()
            }
            Error::NothingToRollBack { .. } => {
                "a previous value is kept when a value is replaced (`byok secret rotate`)".into()
            }
            Error::BadReference { .. } => {
                "a reference is byok://NAME or byok://NAME/FIELD (NAME a secret or a connector)"
                    .into()
            }
            Error::AdminKey { .. } => "an admin key manages the organisation (users, keys, billing) and \
                cannot call models; name it and pass --allow-admin if a program really needs it"
                .into(),
            Error::Untrusted { path } => format!(
                "read it, then trust it with `byok trust {}` (a file from someone else could pair \
                 a reference to your key with its own base URL)",
                path.display()
            ),
            Error::TrustChanged { path } => format!(
                "review the change, then trust it again with `byok trust {}`",
                path.display()
            ),
            Error::BackupForAnotherIdentity { .. } => "restore it with that home's identity: \
                 `byok restore FILE --identity OLD_HOME/identity.txt` (or its identity.age; the \
                 passphrase is asked for), or make a passphrase backup on the old machine \
                 (`byok backup FILE --passphrase`) and restore that"
                .into(),
            Error::ProjectStoreChanged { path, .. } => format!(
                "review the change (`byok store diff project` shows it by commit), then run \
                 `byok trust` in {} to trust the store as it is now",
                path.parent().unwrap_or(path).display()
            ),
            Error::ProjectUntrusted { path, .. } => format!(
                "read it, then run `byok trust` in {} (it lists what the file grants and asks first); \
                 or name what to export: `byok env TARGET…`",
                path.parent().unwrap_or(path).display()
            ),
            Error::WorkspaceNotFound { known, .. } if known.is_empty() => {
                "add one with `byok workspace add NAME`".into()
            }
            Error::WorkspaceNotFound { known, .. } => format!("known workspaces: {known}"),
            Error::WorkspaceExists { .. } => {
                "pick another name, or remove it first with `byok workspace rm NAME`".into()
            }
            Error::ProjectFile { .. } => "a project file holds byok:// references only; see docs/scopes-and-projects.md".into(),
            Error::ProjectVarMissing { var, env } => format!(
                "add {var} to [env.{env}.vars] in the project file, or choose another environment with --env"
            ),
            Error::ProjectRefNotFound { name, .. } => format!(
                "add it with `byok secret add {name}` (or `--store project` for the project store)"
            ),
            Error::OutputExists { .. } => "pass --force to replace it".into(),
            Error::RenderedToTerminal => {
                "write it to a file with -o FILE, or pipe it to the program that reads it".into()
            }
            Error::Template { .. } => {
                "a placeholder is {{ byok://NAME }} or {{ byok://NAME/FIELD }}".into()
            }
            Error::StoreLocked { .. } => "put the passphrase in a file and set BYOK_STORE_PASSPHRASE_FILE to its path, or run byok on a terminal to be prompted".into(),
            Error::NotARecipient { store, public, .. } => format!(
                "ask a member to run `byok recipients add {public} --store {store}` (and commit it), \
                 or set the store's identity: `byok store add {store} --type age-file --path FILE --identity PATH`"
            ),
            Error::NotAMember { store, public, .. } => format!(
                "add yourself first: `byok recipients add {public} --store {store}`"
            ),
            Error::RecipientsUntrusted { store, .. } => format!(
                "someone changed who the file is encrypted to; review the difference and accept it with \
                 `byok recipients accept --store {store}` (reads keep working meanwhile)"
            ),
            Error::RecipientsMissing { .. } => {
                "restore it (e.g. `git checkout -- FILE.recipients`), then try again".into()
            }
            Error::WriteConflict { store, .. } => format!(
                "run the command again: it applies your change to the new version; \
                 `byok store diff {store} HEAD` shows what the other change did"
            ),
            Error::GitConflict { store, .. } => format!(
                "byok cannot merge encrypted files: take one side (`git checkout --theirs FILE`), \
                 redo your changes with byok, then `git add` it; `byok store diff {store} MERGE_HEAD` \
                 lists what the other side changed"
            ),
            Error::MemberNotFound { store, .. } => {
                format!("`byok recipients list --store {store}` shows the members")
            }
            Error::Git { .. } => "check the revision: `git log --oneline -- FILE` lists the versions of the store's file (git must be installed, and the file in a git repository)".into(),
            Error::LeaksFound { stored, .. } => {
                let rotate = if *stored > 0 {
                    "rotate every stored value found (`byok secret rotate REF`, or the same scan with \
                     --revoke to rotate through the provider and disable the leaked key at once): \
                     once a key has been in a file or a commit, deleting it is not enough\n"
                } else {
                    ""
                };
                format!(
                    "{rotate}remove the keys from the files (history: `git filter-repo`); a line with \
                     `byok:allow` is exempt from the key-shape rules\n\
                     in a pre-commit hook: fix and commit again, or skip the check with `git commit --no-verify`"
                )
            }
            Error::ScanGit(_) => "run byok scan inside a git repository, or name one: byok scan --git DIR".into(),
            Error::ProxyRunning { listen } => format!(
                "`byok proxy status` shows it; `byok proxy stop --listen {listen}` stops it, or pick another --listen"
            ),
            Error::ProxyNotRunning { .. } => {
                "start one with `byok proxy` (or `byok proxy --background`)".into()
            }
            Error::ProxyStart { hint, .. } => hint.clone(),
            Error::AgentProofUnmet { .. } => "agent-proof mode starts only when nothing but the proxy can unlock \
                 the vault or read a key it serves; docs/agent-proof.md explains each condition"
                .into(),
            Error::AgentProofRefused { .. } => "agent-proof mode keeps the identity in the proxy alone: \
                 what changes its tokens needs the vault passphrase (docs/agent-proof.md)"
                .into(),
            Error::ConnectorFlag { connector, option } => format!(
                "set it with `byok connector edit {connector} --option {option}=true` (or false), \
                 or remove it with `--option {option}=`"
            ),
            Error::NoProxyConnectors => "add one with `byok connector add NAME --type openai|anthropic|… --secret REF`, \
                 or check the --connector names"
                .into(),
            Error::TokenNotFound { suggestion, .. } => match suggestion {
                Some(s) => format!("did you mean '{s}'? `byok proxy token list` shows the tokens"),
                None => "`byok proxy token list` shows the tokens".into(),
            },
            Error::TokenExists { name } => format!(
                "pick another name, or `byok proxy token revoke {name}` first"
            ),
            Error::ExecTokenExists { name } => format!(
                "omit --token for a fresh placeholder per run, pick a name not in \
                 `byok proxy token list`, or `byok proxy token revoke {name}` first"
            ),
            Error::RevealRefused { .. } => "run the program that needs the key under `byok exec REF -- COMMAND`: \
                 it gets the key in its environment and nothing is printed"
                .into(),
            Error::LoosenRefused { .. } => "loosening needs the vault passphrase typed at a terminal prompt \
                 (an identity file, the session cache, the keychain or BYOK_PASSPHRASE do not count)"
                .into(),
            Error::AuditFailed { .. } => "the log or the vault was changed outside byok; keep a copy of \
                 audit.jsonl for investigation (`byok audit` still shows it)"
                .into(),
            Error::StaleFound { .. } => {
                "create new keys at the provider, then `byok secret rotate REF`".into()
            }
            Error::Ledger { .. } => {
                "check the file's permissions and free space; `byok usage` rebuilds nothing, so keep a copy before removing it".into()
            }
            Error::UsageAnomalies { .. } => {
                "see `byok usage --since 8d --by token` (or `--by connector`); tune [usage] anomaly_factor / auth_failure_threshold in config.toml".into()
            }
            Error::RotateVerifyFailed { reference, .. } => format!(
                "check the new key; to store it anyway run `byok secret rotate {reference}` without --verify"
            ),
            Error::BadExpiry { .. } => "for example: --expires 2027-03-01 or --expires 90d".into(),
            Error::BadBackup { .. } => "give a file written by `byok backup`".into(),
            Error::UntrustedHome { fix, .. } => fix.clone(),
            Error::ValueTooLarge { .. } => {
                "byok holds API keys and similar credentials; keep large files elsewhere".into()
            }
            Error::AdminApi { status: Some(401 | 403), admin, .. } => format!(
                "check that the secret of admin connection '{admin}' is an admin key with the \
                 rights this needs (`byok admin test {admin}`)"
            ),
            Error::WeakPassphrase { .. } => "choose a longer one (a few unrelated words work well), or pass --weak-passphrase to accept it anyway".into(),
            Error::Cancelled
            | Error::Io { .. }
            | Error::Terminal { .. }
            | Error::Encrypt(_)
            | Error::SessionCache(_)
            | Error::Usage(_)
            | Error::DoctorFailed
            | Error::Render(
                crate::export::shell::RenderError::InvalidName { .. }
                | crate::export::shell::RenderError::DuplicateName { .. }
                | crate::export::shell::RenderError::ValueContainsNul { .. },
            )
            | Error::CannotExecute { .. }
            | Error::ChildExit { .. }
            | Error::TestsFailed { .. }
            | Error::Http(_)
            | Error::AdminApi { .. }
            | Error::UnseenSpend { .. }
            | Error::BrokenPipe => return None,
        })
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Maps a write error on stdout: a closed pipe is not a failure.
pub fn stdout_error(source: std::io::Error) -> Error {
    if source.kind() == std::io::ErrorKind::BrokenPipe {
        Error::BrokenPipe
    } else {
        Error::Terminal {
            action: "write to standard output",
            source,
        }
    }
}

/// The closest candidate to `name` by edit distance, for "did you mean" hints.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (levenshtein(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_owned())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["my_openai_key", "anthropic"];
        assert_eq!(
            suggest("my_opnai_key", names).as_deref(),
            Some("my_openai_key")
        );
        assert_eq!(suggest("zzz", names), None);
    }
}
