//! The command line, as clap derive types only; no behaviour lives here.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  byok init                                   create the vault (asks for a passphrase)
  byok secret add my_openai_key --provider openai
  printf '%s' \"$KEY\" | byok secret add my_openai_key --stdin
  byok secret list
  byok connector add work --type openai --secret my_openai_key --test
  byok connector test
  eval \"$(byok env my_openai_key)\"            export OPENAI_API_KEY in this shell
  byok exec my_openai_key -- llm 'Hello'      run a command with the key in its environment
  curl -H \"Authorization: Bearer $(byok secret get my_openai_key)\" …";

/// Bring your own key: keep AI-provider API keys in one encrypted place and use them from scripts.
#[derive(Debug, Parser)]
#[command(name = "byok", version, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    /// Home directory holding the vault and config [env: BYOK_HOME]
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]
    #[arg(long = "env", global = true, value_name = "NAME")]
    pub project_env: Option<String>,

    /// The workspace whose store resolves before your own [env: BYOK_WORKSPACE]
    #[arg(long, global = true, value_name = "NAME")]
    pub workspace: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

// Every subcommand enum builds its variants' arguments only when one is parsed (`defer`):
// start-up skips most of the tree (a third of `byok --version`'s instructions, and 40 heap
// pages). `ProxyCommand` does not defer: its variants have subcommands of their own, which
// clap's `help` subcommand tree must see when it is built. The same holds for `Command`'s
// variants whose arguments hold subcommands; [`Cli::full_command`] expands those first for
// the completion scripts and the manual page.
impl Cli {
    /// The whole command tree, for generators that read it (completion scripts, the manual
    /// page). `Cli::command()` leaves each top-level command's arguments deferred; clap copies
    /// the `help` subcommand's tree before expanding them, so `byok help proxy <TAB>` would
    /// lose `proxy`'s subcommands. Expanding those whose arguments hold subcommands here keeps
    /// the generated files whole.
    pub fn full_command() -> clap::Command {
        use clap::CommandFactory;
        fn expanded<A: Args>(command: clap::Command) -> clap::Command {
            // `defer(identity)` drops the derive's deferred augment, which would add the same
            // arguments a second time when the tree is built.
            A::augment_args(command.defer(|command| command))
        }
        let mut command = Cli::command();
        let names: Vec<String> = command
            .get_subcommands()
            .map(|sub| sub.get_name().to_owned())
            .collect();
        // `mut_subcommand` moves the command it edits to the end: editing every one, in
        // order, keeps the order `byok --help` shows.
        for name in names {
            command = command.mut_subcommand(name.as_str(), |sub| match name.as_str() {
                "audit" => expanded::<AuditArgs>(sub),
                "import" => expanded::<ImportArgs>(sub),
                "proxy" => expanded::<ProxyArgs>(sub),
                "usage" => expanded::<UsageArgs>(sub),
                "mcp" => expanded::<McpArgs>(sub),
                _ => sub,
            });
        }
        command
    }
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Create the vault and its identity in the home directory
    #[command(
        after_help = "Examples:\n  byok init\n  byok init --no-passphrase     # for automation: identity.txt unencrypted"
    )]
    Init(InitArgs),

    /// Add, list, read, rotate, rename, move and remove secrets
    #[command(subcommand)]
    Secret(SecretCommand),

    /// Connect providers to secrets: add, list, test, order and archive connectors
    #[command(subcommand)]
    Connector(ConnectorCommand),

    /// Admin connections: mint, rotate and retire keys through the providers' admin APIs
    #[command(subcommand)]
    Admin(AdminCommand),

    /// Add, list, show, test and remove stores: the places secrets live besides the vault
    #[command(subcommand)]
    Store(StoreCommand),

    /// Who an age-file store is encrypted to: add, list, remove and accept recipients
    #[command(subcommand)]
    Recipients(RecipientsCommand),

    /// List the provider types: default base URLs, auth style, env var names, default model
    #[command(after_help = "Examples:\n  byok providers\n  byok providers --json")]
    Providers(ProvidersArgs),

    /// Print shell code that exports keys (for eval, source, .env files)
    #[command(after_help = ENV_EXAMPLES)]
    Env(EnvArgs),

    /// Run a command with keys added to its environment
    #[command(after_help = EXEC_EXAMPLES)]
    Exec(ExecArgs),

    /// Import keys from a .env file, the environment, llm or aichat
    #[command(after_help = IMPORT_EXAMPLES)]
    Import(ImportArgs),

    /// Cache the unlocked vault identity for a while (Linux kernel keyring), so scripts need no passphrase
    #[command(
        after_help = "Examples:\n  byok unlock              # 15 minutes\n  byok unlock --for 2h"
    )]
    Unlock(UnlockArgs),

    /// Drop the cached vault identity at once
    Lock,

    /// Add, change or remove the vault passphrase (re-encrypts the identity only)
    #[command(after_help = "Examples:\n  \
        byok passphrase                 # add one to a --no-passphrase home, or change it\n  \
        byok passphrase --new-passphrase-file ~/.config/byok/new-pass\n  \
        byok passphrase --remove        # back to an unencrypted identity.txt")]
    Passphrase(PassphraseArgs),

    /// Keep the vault identity in the OS keychain, so reading the vault needs no passphrase
    #[command(subcommand)]
    Keychain(KeychainCommand),

    /// Check the home directory, vault, keychain, session cache and secrets; suggest fixes
    #[command(after_help = "Examples:\n  byok doctor\n  byok doctor --json")]
    Doctor(DoctorArgs),

    /// Render byok:// placeholders of a template into a config file (0600)
    #[command(after_help = INJECT_EXAMPLES)]
    Inject(InjectArgs),

    /// Trust a file's byok:// references (by path and contents), or list trusted files
    #[command(
        after_help = "Examples:\n  byok trust .env\n  byok trust             # in a project: its .byok.toml\n  byok trust --list\n\n\
        A trusted file whose contents change is untrusted again until trusted anew."
    )]
    Trust(TrustArgs),

    /// Forget a trusted file (without FILE: every trusted file that changed or is gone)
    #[command(after_help = "Examples:\n  byok untrust .env\n  byok untrust")]
    Untrust(UntrustArgs),

    /// Find leaked keys: stored values and key-shaped strings in files, git history or the index
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(ScanArgs),
    /// Show the audit log (who did what, when; never a value), or verify it
    #[command(
        after_help = "Examples:\n  byok audit --since 7d\n  byok audit --ref my_openai_key --action secret.read --json\n  byok audit verify"
    )]
    Audit(AuditArgs),

    /// Show or set the reveal policy (never, prompt, pipe) of this home or of one secret
    #[command(
        after_help = "Examples:\n  byok reveal                        # the policy in force\n  byok reveal never                  # secret get / env refuse; byok exec still works\n  byok reveal never --ref my_openai_key\n  byok reveal pipe                   # loosening: asks for the vault passphrase"
    )]
    Reveal(RevealArgs),

    /// Write an encrypted backup: the vault, config.toml and the keychain's values
    #[command(
        after_help = "Examples:\n  byok backup ~/byok-backup.age                     # to the vault's identity\n  byok backup ~/byok-backup.age --passphrase        # to a passphrase you type\n  age -d -i identity.txt ~/byok-backup.age          # the reference age CLI reads it"
    )]
    Backup(BackupArgs),

    /// Restore a backup (keeps the replaced vault and config.toml beside them)
    #[command(
        after_help = "Examples:\n  byok restore ~/byok-backup.age\n  byok restore ~/byok-backup.age --yes"
    )]
    Restore(RestoreArgs),

    /// Workspaces: their own secrets, resolved before yours (add, list, use, rm)
    #[command(subcommand)]
    Workspace(WorkspaceCommand),

    /// Print a shell hook that exports a trusted project's keys on cd (and restores on cd out)
    #[command(
        after_help = "Examples:\n  eval \"$(byok hook bash)\"     # in ~/.bashrc\n  eval \"$(byok hook zsh)\"      # in ~/.zshrc\n  byok hook fish | source        # in ~/.config/fish/config.fish"
    )]
    Hook(HookArgs),

    /// Show the project file (trusted or not), environment, and where each variable comes from
    #[command(after_help = "Examples:\n  byok status\n  byok --env prod status --json")]
    Status(StatusArgs),

    /// Print a shell completion script
    #[command(after_help = "Examples:\n  \
        byok completions bash > ~/.local/share/bash-completion/completions/byok\n  \
        byok completions zsh > ~/.zfunc/_byok\n  \
        byok completions fish > ~/.config/fish/completions/byok.fish")]
    Completions(CompletionsArgs),

    /// Run a loopback proxy that injects keys: tools get placeholder tokens, byok keeps the keys
    #[command(after_help = PROXY_EXAMPLES, args_conflicts_with_subcommands = true)]
    Proxy(ProxyArgs),

    /// Show usage and costs from the ledger: requests, failures, latency, tokens, cost
    #[command(after_help = USAGE_EXAMPLES, args_conflicts_with_subcommands = true)]
    Usage(UsageArgs),

    /// Serve byok to an AI agent over MCP (stdio): models, usage, access requests; never a key
    #[command(after_help = MCP_EXAMPLES)]
    Mcp(McpArgs),

    /// List agents' access requests (from `byok mcp`), approve or deny one (needs the passphrase)
    #[command(after_help = APPROVE_EXAMPLES)]
    Approve(ApproveArgs),

    /// Print the manual page (roff), or write one page per subcommand into a directory
    #[command(
        after_help = "Examples:\n  byok man | man -l -\n  byok man > ~/.local/share/man/man1/byok.1\n  byok man --dir ~/.local/share/man/man1     # byok.1, byok-secret.1, byok-secret-get.1, …"
    )]
    Man(ManArgs),

    /// Candidates for the completion scripts (connector names, ref names)
    #[command(name = "__complete", hide = true)]
    Complete(CompleteArgs),

    /// Take the plaintext keys out of other tools' configs (MCP servers), into byok
    #[command(subcommand)]
    Adopt(AdoptCommand),
}

const USAGE_EXAMPLES: &str = "\
Examples:
  byok usage                                  the last 7 days, with a per-day chart
  byok usage --since 24h --by model
  byok usage --since 2026-11-01 --by token --json
  byok usage --by day --csv > usage.csv
  byok usage --check                          exit 9 on a spend or auth-failure anomaly (cron, CI)
  byok usage --since 30d --html report.html   a self-contained HTML report
  byok usage reconcile                        the providers' usage per key against the ledger

Every proxied request and connection test is one ledger row (usage.db in the home): no
header, body or key. Costs are estimates from a dated price table ([prices.\"glob\"] in
config.toml overrides it); models with no price are counted as \"no price\".";

#[derive(Debug, Args)]
pub struct UsageArgs {
    /// Rows since a duration ago (7d, 24h) or a UTC date (2026-11-01) or RFC 3339 time
    #[arg(long, value_name = "WHEN", default_value = "7d")]
    pub since: String,
    /// Group by token, connector, provider, model or day
    #[arg(long, value_name = "FIELD", value_parser = ["token", "connector", "provider", "model", "day"])]
    pub by: Option<String>,
    /// Machine-readable output
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// CSV output (a header line, then one line per group)
    #[arg(long)]
    pub csv: bool,
    /// Exit 9 when today's spend of a token or connector exceeds [usage] anomaly_factor × its
    /// 7-day daily median, or a connector's auth failures today exceed auth_failure_threshold
    #[arg(long, conflicts_with_all = ["csv", "html"])]
    pub check: bool,
    /// Write a self-contained HTML report (no network access) to FILE
    #[arg(long, value_name = "FILE", conflicts_with_all = ["json", "csv"])]
    pub html: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<UsageCommand>,
}

#[derive(Debug, Subcommand)]
pub enum UsageCommand {
    /// Find spend byok never saw: each key's usage at its provider against the ledger
    #[command(after_help = RECONCILE_HELP)]
    Reconcile(UsageReconcileArgs),
}

const RECONCILE_HELP: &str = "\
Examples:
  byok usage reconcile                        the last 7 days, every admin connection
  byok usage reconcile --since 30d --admin oa --json

For each admin connection, the keys of the active connectors of its provider are found at
the provider, and its tokens per key and UTC day (OpenAI usage API, Anthropic usage report,
OpenRouter activity) are compared with the ledger's. More than max(100 tokens, 2%) that
byok never saw is unseen spend: exit 9 for the secrets listed in `exclusive = [\"REF\"]` of
the [[admin]] table (keys used only through byok), a note for the others. Days the provider
may still be reporting are pending, never findings: Anthropic's yesterday and today (its
data lags up to 24 hours), OpenRouter's today (its activity holds completed days).";

#[derive(Debug, Args)]
pub struct UsageReconcileArgs {
    /// Whole UTC days since a duration ago (7d) or a UTC date (2026-11-01)
    #[arg(long, value_name = "WHEN", default_value = "7d")]
    pub since: String,
    /// Only this admin connection (default: every one)
    #[arg(long, value_name = "NAME")]
    pub admin: Option<String>,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct UnlockArgs {
    /// How long the identity stays cached (e.g. 90s, 15m, 2h)
    #[arg(long = "for", value_name = "DURATION", default_value = "15m", value_parser = humantime::parse_duration)]
    pub duration: std::time::Duration,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum KeychainCommand {
    /// Store the vault identity in the OS keychain (asks for the passphrase once)
    Remember,
    /// Remove the vault identity from the OS keychain
    Forget,
    /// Print the keychain account byok uses for a secret's field (for secret-tool and co.)
    #[command(
        after_help = "Examples:\n  secret-tool lookup service byok username \"$(byok keychain account my_key)\""
    )]
    Account(KeychainAccountArgs),
}

#[derive(Debug, Args)]
pub struct KeychainAccountArgs {
    pub reference: String,
    /// The field
    #[arg(long, value_name = "F", default_value = "api_key")]
    pub field: String,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum StoreCommand {
    /// Declare a store in config.toml (secrets go there with `--store NAME`)
    #[command(after_help = "Examples:\n  \
        byok store add team --type age-file --path .byok/team.age\n  \
        byok store add team --type age-file --path ~/shared/team.age --default\n  \
        byok store add bao --type openbao --address https://bao1:8200 --address https://bao2:8200\n  \
        byok store add bao --type openbao --address https://bao:8200 --auth approle --role-id ID")]
    Add(Box<StoreAddArgs>),
    /// List the stores in resolution order
    #[command(after_help = "Examples:\n  byok store list\n  byok store list --json")]
    List(StoreListArgs),
    /// Show a store's type, location and settings
    Show(StoreNameArgs),
    /// Check that a store can be read (and says why not)
    Test(StoreNameArgs),
    /// Remove a store from config.toml (its file or server is left as it is)
    Rm(StoreNameArgs),
    /// Compare two git versions of an age-file store: refs added, changed, removed (never a value)
    #[command(after_help = "Examples:\n  \
        byok store diff team HEAD            # the committed version vs the file now\n  \
        byok store diff team HEAD~3 HEAD     # two commits\n  \
        byok store diff team MERGE_HEAD      # what the other side of a conflicted merge changed")]
    Diff(StoreDiffArgs),
    /// Keep a token (or an AppRole secret id) for a store, in the OS keychain
    #[command(after_help = "Examples:\n  \
        byok store login team                       # asks for the token (input hidden)\n  \
        printf '%s' \"$SECRET_ID\" | byok store login team --stdin")]
    Login(StoreLoginArgs),
}

#[derive(Debug, Args)]
pub struct StoreDiffArgs {
    /// The age-file store
    pub name: String,
    /// The older version: a git revision (commit, branch, tag, HEAD~1)
    pub rev: String,
    /// The newer version (default: the file as it is now)
    pub to: Option<String>,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StoreLoginArgs {
    /// The store's name
    pub name: String,
    /// Read the token (or AppRole secret id) from standard input
    #[arg(long)]
    pub stdin: bool,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum RecipientsCommand {
    /// Add a recipient and re-encrypt the store's file to everyone
    #[command(after_help = "Examples:\n  \
        byok recipients add age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq --store team --name alice\n  \
        byok recipients add \"$(cat ~/.ssh/id_ed25519.pub)\" --store team --name bob")]
    Add(RecipientsAddArgs),
    /// List the recipients of a store (and whether you accepted the list)
    List(RecipientsListArgs),
    /// Remove a recipient and re-encrypt the file to the others
    #[command(after_help = "Examples:\n  byok recipients rm bob --store team\n\n\
        The removed member keeps whatever they could already decrypt (their clone, git history):\n\
        byok prints the secrets they could read; rotate them.")]
    Rm(RecipientsRmArgs),
    /// Review a recipients file changed by someone else (a pull) and accept it
    #[command(
        after_help = "Examples:\n  byok recipients accept --store team\n  byok recipients accept --store team --yes"
    )]
    Accept(RecipientsAcceptArgs),
}

#[derive(Debug, Args)]
pub struct RecipientsAddArgs {
    /// An age X25519 public key (age1…) or an OpenSSH ed25519 public key (ssh-ed25519 AAAA…)
    pub key: String,
    /// The age-file store
    #[arg(long, value_name = "NAME")]
    pub store: String,
    /// The member's name, written as a comment above the key (default: an SSH key's comment)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct RecipientsListArgs {
    /// The age-file store
    #[arg(long, value_name = "NAME")]
    pub store: String,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RecipientsRmArgs {
    /// The member's name, or their key
    pub member: String,
    /// The age-file store
    #[arg(long, value_name = "NAME")]
    pub store: String,
}

#[derive(Debug, Args)]
pub struct RecipientsAcceptArgs {
    /// The age-file store
    #[arg(long, value_name = "NAME")]
    pub store: String,
    /// Accept without asking (required without a terminal)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct StoreAddArgs {
    /// The store's name (letters, digits, `_`, `-`; not `vault` or `keychain`)
    pub name: String,
    /// The store type
    #[arg(long = "type", value_name = "TYPE", value_parser = clap::builder::PossibleValuesParser::new(crate::config::STORE_TYPES))]
    pub kind: String,
    /// age-file: the vault file (relative paths are relative to the home directory)
    #[arg(long, value_name = "FILE")]
    pub path: Option<PathBuf>,
    /// age-file: the identity that opens it (default: the home's own identity)
    #[arg(long, value_name = "PATH")]
    pub identity: Option<PathBuf>,
    /// openbao: a node's address (repeatable; default: BAO_ADDR, else VAULT_ADDR)
    #[arg(long = "address", value_name = "URL")]
    pub addresses: Vec<String>,
    /// openbao: the KV v2 mount [default: secret]
    #[arg(long, value_name = "MOUNT")]
    pub mount: Option<String>,
    /// openbao: the path under the mount where byok's entries live [default: byok/]
    #[arg(long, value_name = "PATH")]
    pub prefix: Option<String>,
    /// openbao: the namespace (default: BAO_NAMESPACE, else VAULT_NAMESPACE)
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,
    /// openbao: trust only this CA certificate (PEM; default: BAO_CACERT, else VAULT_CACERT)
    #[arg(long = "ca-cert", value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// openbao: how byok authenticates (then `byok store login NAME`)
    #[arg(long, value_name = "METHOD", value_parser = ["token", "approle"])]
    pub auth: Option<String>,
    /// openbao: the AppRole role id (with --auth approle)
    #[arg(long = "role-id", value_name = "ID")]
    pub role_id: Option<String>,
    /// Make it the store `secret add` uses when no `--store` is given
    #[arg(long)]
    pub default: bool,
}

#[derive(Debug, Args)]
pub struct StoreListArgs {
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StoreNameArgs {
    /// The store's name
    pub name: String,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

const SCAN_EXAMPLES: &str = "\
Examples:
  byok scan                        the current directory
  byok scan src/ notes.md --json
  byok scan --git                  every commit reachable from any ref
  byok scan --git=main~20..main    the commits of a range
  byok scan --staged               what the next commit would add
  byok scan --install-hook         run `byok scan --staged` before every commit

Stored values are found whole and by fragments of 12 or more characters after the key's
provider prefix; findings name the secret, never the value. Exit code 9 when anything is
found, 0 when nothing is.";

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan [default: .]; with --git, --staged or --install-hook: the repository
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Scan the history: every commit reachable from RANGE (a git revision range; default: all refs)
    #[arg(long, value_name = "RANGE", num_args = 0..=1, require_equals = true, default_missing_value = "")]
    pub git: Option<String>,

    /// Scan what is staged for the next commit (the git index)
    #[arg(long)]
    pub staged: bool,

    /// Machine-readable output: an array of findings
    #[arg(long)]
    pub json: bool,

    /// Only key shapes: do not read the stored values (no unlock needed)
    #[arg(long, conflicts_with = "values_only")]
    pub shapes_only: bool,

    /// Only stored values: no key-shape rules
    #[arg(long)]
    pub values_only: bool,

    /// Scan files that .gitignore leaves out too (a working tree only: history has no ignored files)
    #[arg(long, conflicts_with_all = ["git", "staged"])]
    pub no_ignore: bool,

    /// On a stored API key found: rotate it through its provider and disable (or delete) the
    /// leaked key there at once (`secret rotate --via-provider --grace 0`)
    #[arg(long, conflicts_with_all = ["shapes_only", "json"])]
    pub revoke: bool,

    /// Install (or chain into) the repository's pre-commit hook running `byok scan --staged`
    #[arg(long, conflicts_with_all = ["git", "staged", "json", "shapes_only", "values_only", "no_ignore", "revoke"])]
    pub install_hook: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

const ENV_EXAMPLES: &str = "\
Examples:
  eval \"$(byok env my_openai_key)\"              bash, zsh, sh
  byok env --format fish my_openai_key | source  fish
  byok env --format powershell my_openai_key | Out-String | Invoke-Expression
  byok env --format dotenv > .env                every secret with a provider hint
  byok env --set OPENAI_BASE_URL=local.endpoint my_openai_key

A TARGET is a connector name or a secret's ref name (a connector name wins). A connector is
exported under its provider's variables (openai: OPENAI_API_KEY, and OPENAI_BASE_URL for a
non-default base URL; gemini: GEMINI_API_KEY and GOOGLE_API_KEY; …); so is a secret with a
provider hint; a secret without one under its ref name upper-cased. With no TARGET, every
active connector is exported (the higher priority wins); with no connectors, every secret with
a provider hint. --default exports only the default connector.";

const EXEC_EXAMPLES: &str = "\
Examples:
  byok exec my_openai_key -- llm 'Say hello'
  byok exec -- aider                          every secret with a provider hint
  byok exec --set API_TOKEN=ci_token -- ./deploy.sh
  byok exec --clean-env my_openai_key -- env
  byok exec --redact my_openai_key -- ./chatty-tool --verbose
  OPENAI_API_KEY=byok://work byok exec -- app   a byok:// reference in the environment
  byok exec --env-file .env -- app            .env's references (after `byok trust .env`)

The values travel in the environment only, never in argv. byok exits with the command's
exit code (128 + N when signal N killed it). With references or --env-file and no TARGET,
only what the references name is added. Admin keys need --allow-admin and a name.";

const IMPORT_EXAMPLES: &str = "\
Examples:
  byok import dotenv .env --dry-run
  byok import dotenv .env --yes
  byok import env                             *_API_KEY variables of this shell
  byok import llm                             llm's keys.json (`llm keys path`)
  byok import aichat ~/.config/aichat/config.yaml --force
  byok import discover                        plaintext keys in other tools' files
  byok import discover --path ~/.codex/auth.json --remove-source

Existing ref names are skipped unless --force; the source is never modified, unless
--remove-source (after confirmation) takes the imported lines out of it.";

/// Output format of `byok env`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EnvFormat {
    /// POSIX shells: export NAME='value' (bash, zsh, dash, ksh)
    #[value(alias = "bash", alias = "zsh")]
    Sh,
    /// fish: set -gx NAME 'value'
    Fish,
    /// PowerShell: $env:NAME = 'value'
    #[value(alias = "pwsh")]
    Powershell,
    /// A .env file for docker compose and python-dotenv
    Dotenv,
    /// A JSON object of names to values
    Json,
}

impl EnvFormat {
    /// The shell of this system: PowerShell on Windows, POSIX shells elsewhere.
    pub const fn native() -> EnvFormat {
        if cfg!(windows) {
            EnvFormat::Powershell
        } else {
            EnvFormat::Sh
        }
    }
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    /// Secrets to export (ref names); none: every secret with a provider hint
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,

    /// Export one field of a secret as any variable
    #[arg(long = "set", value_name = "VAR=REF[.FIELD]")]
    pub set: Vec<String>,

    /// Only the default connector (the first active one)
    #[arg(long, conflicts_with = "targets")]
    pub default: bool,

    /// The syntax to print (default: powershell on Windows)
    #[arg(long, value_enum, default_value_t = EnvFormat::native())]
    pub format: EnvFormat,

    /// Print the values even when standard output is a terminal
    #[arg(long)]
    pub force: bool,

    /// Export an admin key too (it must be named as a TARGET or in --set)
    #[arg(long)]
    pub allow_admin: bool,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Secrets to export (ref names); none: every secret with a provider hint
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,

    /// Export one field of a secret as any variable
    #[arg(long = "set", value_name = "VAR=REF[.FIELD]")]
    pub set: Vec<String>,

    /// Only the default connector (the first active one)
    #[arg(long, conflicts_with = "targets")]
    pub default: bool,

    /// Start from an empty environment: only PATH, HOME, TERM and the keys
    #[arg(long)]
    pub clean_env: bool,

    /// Mask the injected values in the command's output (byok stays in between)
    #[arg(long)]
    pub redact: bool,

    /// Load variables from a dotenv file (repeatable); its byok:// references are resolved
    /// only when the file is trusted (`byok trust FILE`)
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,

    /// Export an admin key too (it must be named: a TARGET, --set or a reference)
    #[arg(long)]
    pub allow_admin: bool,

    /// Point the command at this home's running byok proxy (or one started for the command)
    /// with a placeholder key instead of the real one; TARGETs then name connectors
    #[arg(long, conflicts_with_all = ["set", "redact", "default"])]
    pub via_proxy: bool,

    /// With --via-proxy: the proxy on this address (used, or started there)
    #[arg(long, value_name = "IP:PORT", requires = "via_proxy")]
    pub listen: Option<String>,

    /// With --via-proxy: leave a proxy started for the command running after it
    #[arg(long, requires = "via_proxy")]
    pub keep_proxy: bool,

    /// Name of the placeholder minted for this run (default exec-PID; refused when a token of
    /// that name exists, as its value cannot be shown again); revoked when CMD exits
    #[arg(long, value_name = "NAME", requires = "via_proxy")]
    pub token: Option<String>,

    /// Mint a key for this run at the provider of the connector named as TARGET (OpenAI,
    /// OpenRouter, through its admin connection); revoked when CMD ends, expiring anyway
    #[arg(long, conflicts_with_all = ["via_proxy", "set", "default", "env_files", "allow_admin", "redact"])]
    pub ephemeral: bool,

    /// With --ephemeral: the longest the minted key lives at the provider (default 1h)
    #[arg(long, value_name = "DURATION", requires = "ephemeral")]
    pub ttl: Option<String>,

    /// With --ephemeral: a dollar limit on the minted key (OpenRouter)
    #[arg(long, value_name = "USD", requires = "ephemeral")]
    pub limit: Option<f64>,

    /// With --ephemeral: the admin connection to mint with (default: the one of the
    /// connector's provider)
    #[arg(long, value_name = "NAME", requires = "ephemeral")]
    pub admin: Option<String>,

    /// With --via-proxy: a tool API ([[api]] in config.toml) the command may use through the
    /// proxy (repeatable); its variables (e.g. GITHUB_TOKEN, GITHUB_API_URL) are set. Without
    /// TARGETs, only the APIs' variables are set and the placeholder may use no model
    #[arg(long = "api", value_name = "NAME", requires = "via_proxy")]
    pub apis: Vec<String>,

    /// The command and its arguments, after `--`
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<OsString>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum AdminCommand {
    /// Declare an admin connection: a provider's admin key (a secret) and what it manages
    #[command(after_help = "Examples:\n  \
        byok secret add openai_admin          # paste the sk-admin-… key\n  \
        byok admin add oa --provider openai --secret openai_admin --project proj_abc123\n  \
        byok admin add or --provider openrouter --secret openrouter_mgmt")]
    Add(AdminAddArgs),
    /// List the admin connections
    List(AdminListArgs),
    /// Check an admin connection with a read-only call; show what its provider allows
    Test(AdminNameArgs),
    /// Remove an admin connection (its secret stays)
    Rm(AdminNameArgs),
    /// Keys byok made at providers and old keys waiting to be retired (no network)
    Status(AdminListArgs),
    /// Revoke what finished or killed runs left at the providers; retire old keys now due
    #[command(after_help = "Runs by itself before every `exec --ephemeral` and \
        `secret rotate --via-provider`; run it from a timer to retire old keys on time.")]
    Sweep(AdminSweepArgs),
}

#[derive(Debug, Args)]
pub struct AdminAddArgs {
    pub name: String,
    /// openai, openrouter or anthropic
    #[arg(long, value_name = "PROVIDER")]
    pub provider: String,
    /// The secret holding the admin key
    #[arg(long, value_name = "REF")]
    pub secret: String,
    /// OpenAI: the project (proj_…) minted keys belong to
    #[arg(long, value_name = "ID")]
    pub project: Option<String>,
    /// OpenRouter: the workspace (uuid) keys are made and listed in
    #[arg(long = "workspace-id", value_name = "ID")]
    pub workspace_id: Option<String>,
    /// The admin API's base URL (https, or http to a loopback address); default the provider's
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// A secret whose key is used only through byok (repeatable): `usage reconcile` exits 9
    /// on spend the provider saw on it and the ledger did not
    #[arg(long = "exclusive", value_name = "REF")]
    pub exclusive: Vec<String>,
}

#[derive(Debug, Args)]
pub struct AdminListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AdminNameArgs {
    pub name: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AdminSweepArgs {
    /// Only this admin connection (default: every one)
    pub name: Option<String>,
}

const PROXY_EXAMPLES: &str = "\
Examples:
  byok proxy                                  serve on 127.0.0.1:8787 (foreground)
  byok proxy --background --connector work
  byok proxy token create laptop --expires 8h --models 'gpt-4*' --models 'claude-*'
  OPENAI_BASE_URL=http://127.0.0.1:8787/v1 OPENAI_API_KEY=sk-ant-byok01-… my-tool
  byok proxy status --json
  byok proxy stop
  byok exec --via-proxy -- aider

Requests for model M go to the first active connector whose `model` is M or whose
`models = [\"glob\", …]` matches it (`[aliases]` in config.toml rename models); on rate
limits, quota, overload, refused connections and timeouts the next one is tried, as long as
nothing was sent to the client yet.";

#[derive(Debug, Args)]
pub struct ProxyArgs {
    #[command(subcommand)]
    pub command: Option<ProxyCommand>,
    #[command(flatten)]
    pub serve: ProxyServeArgs,
}

#[derive(Debug, Args)]
pub struct ProxyServeArgs {
    /// Loopback address to listen on [default: `listen` under [proxy], else 127.0.0.1:8787]
    #[arg(long, value_name = "IP:PORT")]
    pub listen: Option<String>,
    /// Serve only these connectors (repeatable; default: every active one)
    #[arg(long = "connector", value_name = "NAME")]
    pub connectors: Vec<String>,
    /// Detach, and return once the proxy serves
    #[arg(long)]
    pub background: bool,
    /// How long to wait for a provider's response headers, and between stream chunks
    #[arg(long, value_name = "DURATION", default_value = "300s", value_parser = humantime::parse_duration)]
    pub timeout: std::time::Duration,
    /// How long a connector whose key was refused (or out of quota) is skipped
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = humantime::parse_duration)]
    pub cooldown: std::time::Duration,
    /// How long a connector that refused the connection or timed out is skipped
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = humantime::parse_duration)]
    pub unreachable_cooldown: std::time::Duration,
    /// Start only if nothing but this proxy can unlock the vault or read a key it serves
    /// (also `agent_proof = true` under `[proxy]` in config.toml)
    #[arg(long)]
    pub agent_proof: bool,
    /// Agent-proof mode: read the vault passphrase once from this open file descriptor
    /// (for service managers; default: a prompt on the terminal)
    #[arg(long, value_name = "N")]
    pub passphrase_fd: Option<u32>,
    /// Agent-proof mode: print every start-up condition as met, unmet or cannot verify, with
    /// its fix, and exit (0: all met, 8: not) without asking for the passphrase
    #[arg(long)]
    pub check: bool,
    /// Agent-proof mode: start although the kernel lets any process of yours trace another
    /// (no Yama, or ptrace_scope 0), accepting that an agent could trace the terminal you
    /// type the passphrase in
    #[arg(long)]
    pub accept_same_user_ptrace: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProxyCommand {
    /// Create, list and revoke placeholder tokens
    #[command(subcommand)]
    Token(ProxyTokenCommand),
    /// Show the running proxies, their connectors and cooldowns
    Status(ProxyStatusArgs),
    /// Stop a running proxy (SIGTERM: in-flight requests finish)
    Stop(ProxyStopArgs),
    /// Make a running proxy read config.toml and its keys again (an invalid config keeps the
    /// old routing); an agent-proof proxy refuses: restart it with the passphrase
    Reload(ProxyStopArgs),
    /// Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)
    Pin(ProxyPinArgs),
    /// Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)
    AgentProof(ProxyAgentProofArgs),
}

#[derive(Debug, Args)]
pub struct ProxyAgentProofArgs {
    /// `on` or `off` (needs the passphrase); without it, print whether the home is agent-proof
    #[arg(value_parser = ["on", "off"])]
    pub state: Option<String>,
}

#[derive(Debug, Args)]
pub struct ProxyPinArgs {
    /// Pin without asking (the changes are still printed)
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ProxyTokenCommand {
    /// Create a placeholder and print it (the only time it is shown)
    #[command(
        after_help = "Examples:\n  byok proxy token create laptop\n  byok proxy token create ci --expires 8h --models 'gpt-4*' --json"
    )]
    Create(TokenCreateArgs),
    /// List tokens (names, expiry, model globs; never values)
    #[command(visible_alias = "ls")]
    List(ProxyJsonArgs),
    /// Revoke a token; a running proxy refuses it at once
    Revoke(TokenNameArgs),
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// Token name: lowercase letters, digits, '_' and '-', starting with a letter
    pub name: String,
    /// Lifetime (e.g. 8h, 30d); default: until revoked
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub expires: Option<std::time::Duration>,
    /// Model globs the token may use (repeatable; default: any)
    #[arg(long, value_name = "GLOB", num_args = 1..)]
    pub models: Vec<String>,
    /// A daily budget (UTC days): 5usd/day (estimated cost) or 2Mtok/day (input + output)
    #[arg(long, value_name = "LIMIT")]
    pub budget: Option<String>,
    /// Serve the token only by this connector, with a key minted for it at the provider
    /// (OpenAI, OpenRouter; an admin connection): it expires with the token, and `token
    /// revoke` revokes it
    #[arg(long, value_name = "CONNECTOR", requires = "expires")]
    pub mint: Option<String>,
    /// With --mint: a dollar limit on the minted key (OpenRouter)
    #[arg(long, value_name = "USD", requires = "mint")]
    pub limit: Option<f64>,
    /// Print a JSON object with a `token` field
    #[arg(long)]
    pub json: bool,
    /// A tool API ([[api]] in config.toml) the token may use at /api/NAME (repeatable);
    /// without --models, such a token may use no model
    #[arg(long = "api", value_name = "NAME")]
    pub apis: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TokenNameArgs {
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ProxyJsonArgs {
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProxyStatusArgs {
    /// Only the proxy on this address
    #[arg(long, value_name = "IP:PORT")]
    pub listen: Option<String>,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProxyStopArgs {
    /// The proxy's address [default: the home's running proxy; with several, the one on
    /// `listen` under [proxy], else 127.0.0.1:8787]
    #[arg(long, value_name = "IP:PORT")]
    pub listen: Option<String>,
}

const INJECT_EXAMPLES: &str = "\
Examples:
  byok inject -i aider.conf.tpl -o ~/.aider.conf.yml
  byok inject -i config.tpl -o config.json --force
  byok inject < settings.tpl | some-tool --config -

A placeholder is {{ byok://NAME }} or {{ byok://NAME/FIELD }} (NAME a connector or a
secret; blanks inside the braces are optional). The output file is created 0600; an existing
one is replaced only with --force. Raw output to a terminal is refused.";

#[derive(Debug, Args)]
pub struct InjectArgs {
    /// The template (default: standard input)
    #[arg(short = 'i', long = "in", value_name = "TEMPLATE")]
    pub input: Option<PathBuf>,

    /// Where to write (default: standard output, never a terminal)
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace an existing output file
    #[arg(long)]
    pub force: bool,

    /// Render an admin key too
    #[arg(long)]
    pub allow_admin: bool,
}

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// The file to trust (default: the project's .byok.toml, after listing what it grants)
    #[arg(value_name = "FILE", conflicts_with = "list")]
    pub file: Option<PathBuf>,

    /// Trust the project file without asking (needed without a terminal)
    #[arg(long, short = 'y', conflicts_with = "list")]
    pub yes: bool,

    /// List the trusted files and whether they changed
    #[arg(long)]
    pub list: bool,

    /// Machine-readable output (with --list)
    #[arg(long, requires = "list")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct UntrustArgs {
    /// The file to forget (default: every trusted file that changed or is gone)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// What `byok __complete` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompleteKind {
    /// Connector names (from config.toml; nothing is unlocked)
    Connectors,
    /// Ref names of the stores that list them without unlocking
    Refs,
    /// Connector names and ref names
    Targets,
}

#[derive(Debug, Args)]
pub struct CompleteArgs {
    #[arg(value_enum)]
    pub kind: CompleteKind,
    /// Only candidates starting with this
    #[arg(default_value = "")]
    pub prefix: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,

    /// Show what would be imported (values masked) and change nothing
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// Replace the key of secrets that exist already (default: skip them)
    #[arg(long, global = true)]
    pub force: bool,

    /// Do not ask for confirmation
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,

    /// After importing, rewrite the source file without the imported lines (atomically,
    /// following a symlink, no backup)
    #[arg(long, global = true)]
    pub remove_source: bool,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ImportSource {
    /// *_API_KEY entries of a .env file
    Dotenv {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// *_API_KEY variables of byok's own environment
    Env,
    /// Keys of the llm CLI (keys.json; default: where `llm keys path` points)
    Llm {
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// api_key entries of aichat's config.yaml (default: aichat's config file)
    Aichat {
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// List plaintext keys in other tools' files (llm, aichat, opencode, aider, Continue,
    /// codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those
    /// of one file
    Discover {
        /// Import the keys discovery finds in this file (its format from its name)
        #[arg(long, value_name = "FILE")]
        path: Option<PathBuf>,
        /// Machine-readable output (the listing)
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write byok.1 and a page for every subcommand (byok-secret-get.1, …) into DIR
    /// (created if missing) instead of printing byok(1)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum WorkspaceCommand {
    /// Add a workspace with its own age-file store in the home
    #[command(
        after_help = "Examples:\n  byok workspace add acme\n  byok workspace add prod-only --no-fallback\n  byok workspace add acme --store team --prefix acme"
    )]
    Add {
        name: String,
        /// The store file (default: workspaces/NAME.age in the home)
        #[arg(long, value_name = "FILE")]
        path: Option<PathBuf>,
        /// Never fall back to your own (global) secrets
        #[arg(long)]
        no_fallback: bool,
        /// Keep the workspace's secrets in this named team store (a [[store]] of config.toml)
        #[arg(long, value_name = "STORE", conflicts_with = "path")]
        store: Option<String>,
        /// Under this prefix of the store's own (stores with prefixes: openbao)
        #[arg(long, value_name = "P", requires = "store")]
        prefix: Option<String>,
    },
    /// List the workspaces
    List {
        /// Machine-readable output
        #[arg(long)]
        json: bool,
    },
    /// Make a workspace active when no flag, BYOK_WORKSPACE or project file names one
    Use {
        /// The workspace (omit with --none)
        #[arg(required_unless_present = "none")]
        name: Option<String>,
        /// No workspace
        #[arg(long, conflicts_with = "name")]
        none: bool,
    },
    /// Forget a workspace (its store file is kept)
    Rm { name: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HookShell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
pub struct HookArgs {
    /// The shell to print the hook for
    #[arg(value_enum)]
    pub shell: HookShell,

    /// Print the code for the current directory (what the hook runs on cd)
    #[arg(long, hide = true)]
    pub apply: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProvidersArgs {
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ConnectorCommand {
    /// Add a connector (lowest priority) after checking its type, secret and base URL
    #[command(after_help = "Examples:\n  \
        byok connector add work --type openai --secret my_openai_key --test\n  \
        byok connector add claude --type anthropic --secret anthropic_key --model claude-haiku-4-5\n  \
        byok connector add azure-eu --type azure-openai --secret azure_key \\\n      \
        --base-url https://my-res.openai.azure.com --model gpt-4o-mini --option api-version=2024-10-21\n  \
        byok connector add local --type ollama --model llama3.2")]
    Add(ConnectorAddArgs),

    /// List connectors in priority order (archived ones with --all)
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  byok connector list\n  byok connector list --all --json"
    )]
    List(ConnectorListArgs),

    /// Show one connector
    #[command(
        after_help = "Examples:\n  byok connector show work\n  byok connector show work --json"
    )]
    Show(ConnectorShowArgs),

    /// Change a connector's type, secret, model, base URL or options
    #[command(after_help = "Examples:\n  \
        byok connector edit work --model gpt-4.1-mini\n  \
        byok connector edit azure-eu --option deployment=prod-4o\n  \
        byok connector edit azure-eu --option deployment=      # removes the option")]
    Edit(ConnectorEditArgs),

    /// Send each connector's provider a minimal chat request and report the outcome
    #[command(after_help = "Examples:\n  \
        byok connector test            # every active connector, concurrently\n  \
        byok connector test work claude --timeout 10\n  \
        byok connector test --all --json\n\n\
        Exit status: 0 when every test passed, 6 when any failed.")]
    Test(ConnectorTestArgs),

    /// Hide a connector from list, test and default (kept in config.toml)
    #[command(after_help = "Examples:\n  byok connector archive old-work")]
    Archive(ConnectorNameArgs),

    /// Bring an archived connector back
    #[command(after_help = "Examples:\n  byok connector unarchive old-work")]
    Unarchive(ConnectorNameArgs),

    /// Change a connector's priority; the first active one is the default
    #[command(
        after_help = "Examples:\n  byok connector move claude --top\n  byok connector move work --to 3"
    )]
    Move(ConnectorMoveArgs),

    /// Show the default connector: the first active one
    #[command(after_help = "Examples:\n  byok connector default\n  byok connector default --json")]
    Default(ConnectorJsonArgs),

    /// List the models the provider offers, marking the connector's
    #[command(
        after_help = "Examples:\n  byok connector models work\n  byok connector models work --json"
    )]
    Models(ConnectorShowArgs),

    /// Remove a connector (the secret stays in the vault)
    #[command(
        visible_alias = "remove",
        after_help = "Examples:\n  byok connector rm old-work --yes"
    )]
    Rm(ConnectorRmArgs),
}

#[derive(Debug, Args)]
pub struct ConnectorAddArgs {
    /// Connector name: lowercase letters, digits, '_' and '-', starting with a letter
    /// (asked for on a terminal when missing)
    pub name: Option<String>,
    /// Provider type (see `byok providers`; on a terminal, chosen from a list when missing)
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// Vault ref of the key (optional for local servers: ollama, lmstudio, vllm)
    #[arg(long, value_name = "REF")]
    pub secret: Option<String>,
    /// Model for tests and tools (default: the type's default model)
    #[arg(long, value_name = "M")]
    pub model: Option<String>,
    /// SDK-style base URL (e.g. https://api.openai.com/v1); byok appends endpoint paths
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Adapter option, repeatable (deployment=…, api-version=…)
    #[arg(long = "option", value_name = "K=V")]
    pub options: Vec<String>,
    /// More models `byok proxy` routes to it, repeatable (globs with * and ?: gpt-4*)
    #[arg(long = "models", value_name = "GLOB")]
    pub models: Vec<String>,
    /// The system user a plain-http loopback service runs as (a name or uid; "" removes it):
    /// the only owner of the port besides root and you that may receive the key
    #[arg(long, value_name = "USER")]
    pub service_user: Option<String>,
    /// Allow a plain http:// base URL on a non-loopback host
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Run the connection test right after adding
    #[arg(long)]
    pub test: bool,
    /// The home's own connectors, not the active workspace's
    #[arg(long)]
    pub global: bool,
}

#[derive(Debug, Args)]
pub struct ConnectorListArgs {
    /// Include archived connectors
    #[arg(long)]
    pub all: bool,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
    /// Only the home's own connectors (as if no workspace were active)
    #[arg(long, conflicts_with = "scope")]
    pub global: bool,
    /// Only the connectors of this scope (the active workspace's, or your own)
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<crate::scope::ScopeFilter>,
}

#[derive(Debug, Args)]
pub struct ConnectorShowArgs {
    pub name: String,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConnectorJsonArgs {
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConnectorEditArgs {
    pub name: String,
    /// New provider type
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: Option<String>,
    /// New vault ref of the key
    #[arg(long, value_name = "REF")]
    pub secret: Option<String>,
    /// New model ("" goes back to the type's default)
    #[arg(long, value_name = "M")]
    pub model: Option<String>,
    /// New base URL ("" goes back to the type's default)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Set an option, repeatable; K= removes it
    #[arg(long = "option", value_name = "K=V")]
    pub options: Vec<String>,
    /// Replace the proxy's model globs, repeatable (--models '' clears them)
    #[arg(long = "models", value_name = "GLOB", conflicts_with = "clear_models")]
    pub models: Vec<String>,
    /// Remove every model glob
    #[arg(long)]
    pub clear_models: bool,
    /// The system user a plain-http loopback service runs as (a name or uid; "" removes it):
    /// the only owner of the port besides root and you that may receive the key
    #[arg(long, value_name = "USER")]
    pub service_user: Option<String>,
    /// Allow a plain http:// base URL on a non-loopback host
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// The home's own connectors, not the active workspace's
    #[arg(long)]
    pub global: bool,
}

#[derive(Debug, Args)]
pub struct ConnectorTestArgs {
    /// Connectors to test (default: every active connector)
    pub names: Vec<String>,
    /// Test every active connector
    #[arg(long, conflicts_with = "names")]
    pub all: bool,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
    /// Per-request timeout in seconds
    #[arg(long, value_name = "SECS", default_value_t = 20.0, value_parser = parse_timeout_secs)]
    pub timeout: f64,
    /// Prompt to send
    #[arg(long, value_name = "TEXT")]
    pub prompt: Option<String>,
}

#[derive(Debug, Args)]
pub struct ConnectorNameArgs {
    pub name: String,
    /// The home's own connectors, not the active workspace's
    #[arg(long)]
    pub global: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("position").required(true).args(["top", "up", "down", "to"])))]
pub struct ConnectorMoveArgs {
    pub name: String,
    /// Make it the first (the default)
    #[arg(long)]
    pub top: bool,
    /// One place up
    #[arg(long)]
    pub up: bool,
    /// One place down
    #[arg(long)]
    pub down: bool,
    /// To position N (1 = first)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub to: Option<u32>,
    /// The home's own connectors, not the active workspace's
    #[arg(long)]
    pub global: bool,
}

#[derive(Debug, Args)]
pub struct ConnectorRmArgs {
    pub name: String,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The home's own connectors, not the active workspace's
    #[arg(long)]
    pub global: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Keep the vault identity unencrypted in identity.txt (no passphrase; for automation)
    #[arg(long, conflicts_with = "keychain")]
    pub no_passphrase: bool,

    /// Also store the vault identity in the OS keychain (no passphrase prompts while it is unlocked)
    #[arg(long)]
    pub keychain: bool,

    /// Accept a passphrase shorter than the minimum (12 characters)
    #[arg(long, conflicts_with = "no_passphrase")]
    pub weak_passphrase: bool,

    /// Keep an existing identity instead of creating one (moving machines: the old home's
    /// identity.txt, or its identity.age, whose passphrase is asked for first)
    #[arg(long, value_name = "FILE")]
    pub identity: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct PassphraseArgs {
    /// Remove the passphrase: the identity goes back to an unencrypted identity.txt
    #[arg(long, conflicts_with_all = ["new_passphrase_file", "weak_passphrase"])]
    pub remove: bool,

    /// Read the new passphrase from this file (first line) instead of a prompt
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<std::path::PathBuf>,

    /// Accept a new passphrase shorter than the minimum (12 characters)
    #[arg(long)]
    pub weak_passphrase: bool,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum SecretCommand {
    /// Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)
    #[command(after_help = "Examples:\n  \
        byok secret add my_openai_key --name 'My OpenAI key' --provider openai\n  \
        printf '%s' \"$KEY\" | byok secret add my_openai_key --stdin\n  \
        printf '%s' 'https://x.openai.azure.com' | byok secret add azure --field endpoint --stdin")]
    Add(AddArgs),

    /// List secrets with masked values
    #[command(
        visible_alias = "ls",
        after_help = "Examples:\n  byok secret list\n  byok secret list --json"
    )]
    List(ListArgs),

    /// Show one secret's metadata and masked values
    #[command(
        after_help = "Examples:\n  byok secret show my_openai_key\n  byok secret show my_openai_key --json"
    )]
    Show(ShowArgs),

    /// Print a raw value (and a newline) on stdout, for $(...) in scripts
    #[command(
        after_help = "Examples:\n  export OPENAI_API_KEY=\"$(byok secret get my_openai_key)\"\n  byok secret get azure --field endpoint"
    )]
    Get(GetArgs),

    /// Replace a value and record the rotation time
    #[command(
        after_help = "Examples:\n  byok secret rotate my_openai_key\n  printf '%s' \"$NEW_KEY\" | byok secret rotate my_openai_key --stdin"
    )]
    Rotate(RotateArgs),

    /// Rename a secret's ref name
    #[command(after_help = "Examples:\n  byok secret rename openai_key my_openai_key")]
    Rename(RenameArgs),

    /// Change a secret's expiry or reveal policy (no value is read)
    #[command(
        after_help = "Examples:\n  byok secret set my_openai_key --expires 2027-03-01\n  byok secret set my_openai_key --expires 90d\n  byok secret set my_openai_key --reveal never"
    )]
    Set(SetArgs),

    /// Move a secret to another store (vault, keychain, or a [[store]] from config.toml)
    #[command(
        after_help = "Examples:\n  byok secret move my_openai_key --to keychain\n  byok secret move my_openai_key --to vault"
    )]
    Move(MoveArgs),

    /// Restore the value each field had before it was last replaced
    #[command(
        disable_version_flag = true,
        after_help = "Examples:\n  byok secret rollback my_openai_key\n  byok secret rollback azure --field endpoint"
    )]
    Rollback(RollbackArgs),

    /// Remove a secret and all its fields
    #[command(
        visible_alias = "remove",
        after_help = "Examples:\n  byok secret rm my_openai_key\n  byok secret rm my_openai_key --yes"
    )]
    Rm(RmArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Ref name: lowercase letters, digits and '_', starting with a letter (e.g. my_openai_key)
    pub reference: String,

    /// Refused: values never come from arguments (they would show in `ps` and shell history)
    #[arg(hide = true)]
    pub value: Option<OsString>,

    /// Human label (default: the ref name)
    #[arg(long, value_name = "LABEL")]
    pub name: Option<String>,

    /// Provider hint (e.g. openai, anthropic); see the README for the list
    #[arg(long, value_name = "P")]
    pub provider: Option<String>,

    /// Field to set
    #[arg(long, value_name = "F", default_value = "api_key")]
    pub field: String,

    /// Read the value from standard input (one value; a trailing newline is stripped)
    #[arg(long)]
    pub stdin: bool,

    /// Replace the field's value if it exists already
    #[arg(long)]
    pub force: bool,

    /// The store to keep it in: vault, keychain or a [[store]] name (default: where the
    /// secret is, else `default_store` in config.toml, else the vault)
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,

    /// When the key stops working: a date (2027-03-01), an RFC 3339 time, or a duration (90d)
    #[arg(long, value_name = "DATE|DURATION")]
    pub expires: Option<String>,

    /// This secret's reveal policy: never (get/env refuse; exec works), prompt, or pipe
    #[arg(long, value_name = "POLICY", value_parser = ["never", "prompt", "pipe"])]
    pub reveal: Option<String>,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    pub reference: String,
    /// A new expiry: a date (2027-03-01), an RFC 3339 time, a duration (90d), or `never`
    #[arg(long, value_name = "DATE|DURATION")]
    pub expires: Option<String>,
    /// A new reveal policy: never, prompt or pipe (loosening asks for the vault passphrase)
    #[arg(long, value_name = "POLICY", value_parser = ["never", "prompt", "pipe"])]
    pub reveal: Option<String>,
    /// The store the secret is in (default: the first store that has it)
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    /// Only entries newer than this: a duration (7d, 12h) or a date (2026-11-01)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only entries about this secret
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,
    /// Only this action (e.g. secret.read, secret.rotate, connector.test)
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// Machine-readable output (one array of entries)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum AuditCommand {
    /// Check the log's MAC chain and the head recorded in the vault (exit 9 on failure)
    Verify(AuditVerifyArgs),
    /// Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify
    Reset(AuditResetArgs),
}

#[derive(Debug, Args)]
pub struct AuditResetArgs {
    /// Do not ask for confirmation (required without a terminal)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RevealArgs {
    /// The policy to set: never, prompt or pipe (none: show the policy in force)
    #[arg(value_parser = ["never", "prompt", "pipe"])]
    pub policy: Option<String>,
    /// Set it for this secret instead of the whole home
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write (refused if it exists)
    pub file: std::path::PathBuf,
    /// Encrypt to a passphrase (age scrypt) typed at a prompt, instead of the vault identity
    #[arg(long)]
    pub passphrase: bool,
    /// With --passphrase: read the passphrase from the first line of this file
    #[arg(long, value_name = "FILE", requires = "passphrase")]
    pub passphrase_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `byok backup`
    pub file: std::path::PathBuf,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(long)]
    pub yes: bool,
    /// For a passphrase backup, or a passphrase-protected --identity: read the passphrase
    /// from the first line of this file
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<std::path::PathBuf>,
    /// The identity the backup is encrypted to, when it is another home's (a new machine):
    /// its identity.txt, or its identity.age (the passphrase is asked for)
    #[arg(long, value_name = "FILE")]
    pub identity: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    pub reference: String,
    /// Only this field (repeatable; default: every field with a previous value)
    #[arg(long = "field", value_name = "F")]
    pub fields: Vec<String>,
    /// For stores that keep numbered versions: the version to restore
    #[arg(long = "version", id = "to_version", value_name = "N")]
    pub to_version: Option<u64>,
    /// The store the secret is in (default: the first store that has it)
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    pub reference: String,
    /// The store to move it to: vault, keychain or a [[store]] name
    #[arg(long, value_name = "STORE")]
    pub to: String,
    /// The store it is in now (default: the first store that has it)
    #[arg(long, value_name = "STORE")]
    pub from: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Machine-readable output (values masked)
    #[arg(long)]
    pub json: bool,
    /// Only secrets due for rotation (`rotation_days`, default 90) or expiring within 14 days
    #[arg(long)]
    pub stale: bool,
    /// Exit 9 when any secret is due or expiring (for cron)
    #[arg(long)]
    pub check: bool,
    /// With --stale: rotate each due secret through its provider (`secret rotate
    /// --via-provider`, the old key retired after 1h); the others are listed to rotate by hand
    #[arg(long, requires = "stale", conflicts_with_all = ["json", "check"])]
    pub rotate_due: bool,
    /// Only the secrets of this store
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
    /// Only the secrets of this scope (the trusted project's, the active workspace's, or your own)
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<crate::scope::ScopeFilter>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub reference: String,
    /// Machine-readable output (values masked)
    #[arg(long)]
    pub json: bool,
    /// The store the secret is in (default: the first store that has it)
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    pub reference: String,
    /// Field to print
    #[arg(long, value_name = "F", default_value = "api_key")]
    pub field: String,
    /// Read from this store directly (with `keychain`, even a value byok has no record of)
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    pub reference: String,
    /// Refused: values never come from arguments
    #[arg(hide = true)]
    pub value: Option<OsString>,
    /// Field to replace
    #[arg(long, value_name = "F", default_value = "api_key")]
    pub field: String,
    /// Read the new value from standard input
    #[arg(long)]
    pub stdin: bool,
    /// The store the secret is in (default: the first store that has it)
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
    /// When the new key stops working: a date (2027-03-01), an RFC 3339 time, a duration (90d), or never
    #[arg(long, value_name = "DATE|DURATION")]
    pub expires: Option<String>,
    /// Test every connector using the secret with the new value first; keep the old value
    /// (exit 6) if any test fails
    #[arg(long)]
    pub verify: bool,
    /// With --verify: seconds each connection test may take
    #[arg(long, value_name = "SECS", default_value_t = 20)]
    pub timeout: u64,
    /// Make the new key at the provider (admin connection), test it, store it, reload
    /// running proxies, and retire the old key after --grace (Anthropic: give the new key
    /// with --stdin; byok retires the old one)
    #[arg(long, conflicts_with = "verify")]
    pub via_provider: bool,
    /// With --via-provider: how long the old key keeps working (default 1h; 0 retires it now)
    #[arg(long, value_name = "DURATION", requires = "via_provider")]
    pub grace: Option<String>,
    /// With --via-provider: show each step, change nothing
    #[arg(long, requires = "via_provider")]
    pub dry_run: bool,
    /// With --via-provider: the admin connection (default: the one of the secret's provider)
    #[arg(long, value_name = "NAME", requires = "via_provider")]
    pub admin: Option<String>,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    pub old: String,
    pub new: String,
    /// The store the secret is in (default: the first store that has it)
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    pub reference: String,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Remove it even if connectors use it (they will fail until given another secret)
    #[arg(long)]
    pub force: bool,
    /// For stores with versions (OpenBao): destroy every version for good instead of a
    /// soft delete (asks for confirmation unless --yes)
    #[arg(long)]
    pub destroy: bool,
    /// The store the secret is in (default: the first store that has it)
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
}

/// The longest `--timeout` accepted, in seconds (one hour).
pub const MAX_TIMEOUT_SECS: f64 = 3600.0;

/// `--timeout SECS`: a finite number of seconds above 0 and at most [`MAX_TIMEOUT_SECS`]
/// (so converting it to a `Duration` can never overflow).
pub fn parse_timeout_secs(text: &str) -> Result<f64, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| "expected a number of seconds, e.g. 20 or 2.5".to_owned())?;
    if secs.is_finite() && secs > 0.0 && secs <= MAX_TIMEOUT_SECS {
        Ok(secs)
    } else {
        Err(format!(
            "expected a number of seconds above 0 and at most {MAX_TIMEOUT_SECS}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Cli::full_command` expands by name the top-level commands whose arguments hold
    /// subcommands; one added without being listed there would lose its `help` subtree in the
    /// completion scripts and manual pages. Every command's subcommands must show under `help`.
    #[test]
    fn the_full_command_s_help_tree_holds_every_subcommand() {
        let mut command = Cli::full_command();
        command.build();
        let names = |c: &clap::Command| -> Vec<String> {
            c.get_subcommands()
                .map(|s| s.get_name().to_owned())
                .filter(|n| n != "help")
                .collect()
        };
        let help = command.find_subcommand("help").expect("a help subcommand");
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            let shown = help
                .find_subcommand(sub.get_name())
                .unwrap_or_else(|| panic!("`help {}` missing", sub.get_name()));
            assert_eq!(
                names(shown),
                names(sub),
                "`byok help {}` lacks subcommands: list it in Cli::full_command",
                sub.get_name()
            );
        }
    }
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum AdoptCommand {
    /// Import an MCP config's keys and start each server through `byok exec` with only its own
    #[command(after_help = ADOPT_MCP_EXAMPLES)]
    Mcp(AdoptMcpArgs),
}

const ADOPT_MCP_EXAMPLES: &str = "\
Examples:
  byok adopt mcp --dry-run            # the diff for every MCP config found, values masked
  byok adopt mcp .mcp.json            # asks before it writes (a backup is kept)
  byok adopt mcp ~/.codex/config.toml --yes
  byok adopt mcp --undo .mcp.json     # puts the file back as it was

A server then starts as `byok exec --set VAR=REF -- its command`: it gets its own keys and
no other's. Remote servers and keys in arguments are left as they are, with the reason.";

#[derive(Debug, Args)]
pub struct AdoptMcpArgs {
    /// The config (default: every MCP config `byok import discover` reads here)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Show the diff (values masked) and change nothing
    #[arg(long, conflicts_with = "undo")]
    pub dry_run: bool,

    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Put back the file as it was before its last adoption
    #[arg(long)]
    pub undo: bool,

    /// With --undo: restore even though the file changed since (its content is kept as a backup)
    #[arg(long, requires = "undo")]
    pub force: bool,

    /// The program the servers start (default: `byok` when that is this byok on PATH, else
    /// this byok's full path)
    #[arg(long, value_name = "PROGRAM", conflicts_with = "undo")]
    pub byok: Option<String>,
}

const MCP_EXAMPLES: &str = "\
Examples:
  claude mcp add byok -- byok mcp              Claude Code
  codex mcp add byok -- byok mcp               Codex (it clears the environment: see docs/agents.md)

An MCP server on stdin/stdout (both protocol eras). Its tools list models and prices, show
usage, and ask for a placeholder token (`byok approve` answers); none returns a key, and the
process never unlocks the vault.";

#[derive(Debug, Args)]
pub struct McpArgs {
    #[command(subcommand)]
    pub command: Option<McpCommand>,
}

#[derive(Debug, Subcommand)]
pub enum McpCommand {
    /// The [[mcp.policy]] rules of config.toml that grant agents' requests without a person
    #[command(subcommand)]
    Policy(McpPolicyCommand),
}

#[derive(Debug, Subcommand)]
pub enum McpPolicyCommand {
    /// Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited
    /// rules grant nothing
    Pin {
        /// Pin without asking (shows the rules all the same)
        #[arg(long)]
        yes: bool,
    },
}

const APPROVE_EXAMPLES: &str = "\
Examples:
  byok approve                                 the pending requests
  byok approve 3f2a…                           show one, then approve what was shown
  byok approve 3f2a… --digest 9c1e0b7a55d2e4f1  approve it only if it is still that request
  byok approve 3f2a… --deny
  byok approve --policy                        grant what the pinned [[mcp.policy]] rules cover
  byok approve --policy --watch                keep granting them as agents ask (Ctrl-C stops)
  byok mcp policy pin                          pin those rules (they grant nothing before)

A grant is a placeholder token (`byok proxy token list` shows it as mcp-…) scoped to the
request's models, daily budget and lifetime; the proxy serves it at once.";

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The request to answer (its id, or a unique prefix of at least 6 characters)
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Approve only if the request's digest starts with this (at least 16 hex digits, as
    /// shown); required without a terminal
    #[arg(long, value_name = "HEX", requires = "id")]
    pub digest: Option<String>,
    /// Deny the request instead
    #[arg(long, requires = "id", conflicts_with = "digest")]
    pub deny: bool,
    /// Grant every pending request the pinned [[mcp.policy]] rules cover (needs the
    /// passphrase); the others stay pending
    #[arg(long, conflicts_with_all = ["id", "digest", "deny"])]
    pub policy: bool,
    /// With --policy: keep running and grant covered requests as they arrive; stops when
    /// config.toml's rules no longer match the pin
    #[arg(long, requires = "policy")]
    pub watch: bool,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}
