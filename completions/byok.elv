
use builtin;
use str;

set edit:completion:arg-completer[byok] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'byok'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'byok'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create the vault and its identity in the home directory'
            cand secret 'Add, list, read, rotate, rename, move and remove secrets'
            cand connector 'Connect providers to secrets: add, list, test, order and archive connectors'
            cand admin 'Admin connections: mint, rotate and retire keys through the providers'' admin APIs'
            cand store 'Add, list, show, test and remove stores: the places secrets live besides the vault'
            cand recipients 'Who an age-file store is encrypted to: add, list, remove and accept recipients'
            cand providers 'List the provider types: default base URLs, auth style, env var names, default model'
            cand env 'Print shell code that exports keys (for eval, source, .env files)'
            cand exec 'Run a command with keys added to its environment'
            cand import 'Import keys from a .env file, the environment, llm or aichat'
            cand unlock 'Cache the unlocked vault identity for a while (Linux kernel keyring), so scripts need no passphrase'
            cand lock 'Drop the cached vault identity at once'
            cand passphrase 'Add, change or remove the vault passphrase (re-encrypts the identity only)'
            cand keychain 'Keep the vault identity in the OS keychain, so reading the vault needs no passphrase'
            cand doctor 'Check the home directory, vault, keychain, session cache and secrets; suggest fixes'
            cand inject 'Render byok:// placeholders of a template into a config file (0600)'
            cand trust 'Trust a file''s byok:// references (by path and contents), or list trusted files'
            cand untrust 'Forget a trusted file (without FILE: every trusted file that changed or is gone)'
            cand scan 'Find leaked keys: stored values and key-shaped strings in files, git history or the index'
            cand audit 'Show the audit log (who did what, when; never a value), or verify it'
            cand reveal 'Show or set the reveal policy (never, prompt, pipe) of this home or of one secret'
            cand backup 'Write an encrypted backup: the vault, config.toml and the keychain''s values'
            cand restore 'Restore a backup (keeps the replaced vault and config.toml beside them)'
            cand workspace 'Workspaces: their own secrets, resolved before yours (add, list, use, rm)'
            cand hook 'Print a shell hook that exports a trusted project''s keys on cd (and restores on cd out)'
            cand status 'Show the project file (trusted or not), environment, and where each variable comes from'
            cand completions 'Print a shell completion script'
            cand proxy 'Run a loopback proxy that injects keys: tools get placeholder tokens, byok keeps the keys'
            cand usage 'Show usage and costs from the ledger: requests, failures, latency, tokens, cost'
            cand mcp 'Serve byok to an AI agent over MCP (stdio): models, usage, access requests; never a key'
            cand approve 'List agents'' access requests (from `byok mcp`), approve or deny one (needs the passphrase)'
            cand man 'Print the manual page (roff), or write one page per subcommand into a directory'
            cand __complete 'Candidates for the completion scripts (connector names, ref names)'
            cand adopt 'Take the plaintext keys out of other tools'' configs (MCP servers), into byok'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;init'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --identity 'Keep an existing identity instead of creating one (moving machines: the old home''s identity.txt, or its identity.age, whose passphrase is asked for first)'
            cand --no-passphrase 'Keep the vault identity unencrypted in identity.txt (no passphrase; for automation)'
            cand --keychain 'Also store the vault identity in the OS keychain (no passphrase prompts while it is unlocked)'
            cand --weak-passphrase 'Accept a passphrase shorter than the minimum (12 characters)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)'
            cand list 'List secrets with masked values'
            cand ls 'List secrets with masked values'
            cand show 'Show one secret''s metadata and masked values'
            cand get 'Print a raw value (and a newline) on stdout, for $(...) in scripts'
            cand rotate 'Replace a value and record the rotation time'
            cand rename 'Rename a secret''s ref name'
            cand set 'Change a secret''s expiry or reveal policy (no value is read)'
            cand move 'Move a secret to another store (vault, keychain, or a [[store]] from config.toml)'
            cand rollback 'Restore the value each field had before it was last replaced'
            cand rm 'Remove a secret and all its fields'
            cand remove 'Remove a secret and all its fields'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;secret;add'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --name 'Human label (default: the ref name)'
            cand --provider 'Provider hint (e.g. openai, anthropic); see the README for the list'
            cand --field 'Field to set'
            cand --store 'The store to keep it in: vault, keychain or a [[store]] name (default: where the secret is, else `default_store` in config.toml, else the vault)'
            cand --expires 'When the key stops working: a date (2027-03-01), an RFC 3339 time, or a duration (90d)'
            cand --reveal 'This secret''s reveal policy: never (get/env refuse; exec works), prompt, or pipe'
            cand --stdin 'Read the value from standard input (one value; a trailing newline is stripped)'
            cand --force 'Replace the field''s value if it exists already'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;list'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'Only the secrets of this store'
            cand --scope 'Only the secrets of this scope (the trusted project''s, the active workspace''s, or your own)'
            cand --json 'Machine-readable output (values masked)'
            cand --stale 'Only secrets due for rotation (`rotation_days`, default 90) or expiring within 14 days'
            cand --check 'Exit 9 when any secret is due or expiring (for cron)'
            cand --rotate-due 'With --stale: rotate each due secret through its provider (`secret rotate --via-provider`, the old key retired after 1h); the others are listed to rotate by hand'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;ls'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'Only the secrets of this store'
            cand --scope 'Only the secrets of this scope (the trusted project''s, the active workspace''s, or your own)'
            cand --json 'Machine-readable output (values masked)'
            cand --stale 'Only secrets due for rotation (`rotation_days`, default 90) or expiring within 14 days'
            cand --check 'Exit 9 when any secret is due or expiring (for cron)'
            cand --rotate-due 'With --stale: rotate each due secret through its provider (`secret rotate --via-provider`, the old key retired after 1h); the others are listed to rotate by hand'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;show'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'The store the secret is in (default: the first store that has it)'
            cand --json 'Machine-readable output (values masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;get'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --field 'Field to print'
            cand --store 'Read from this store directly (with `keychain`, even a value byok has no record of)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;rotate'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --field 'Field to replace'
            cand --store 'The store the secret is in (default: the first store that has it)'
            cand --expires 'When the new key stops working: a date (2027-03-01), an RFC 3339 time, a duration (90d), or never'
            cand --timeout 'With --verify: seconds each connection test may take'
            cand --grace 'With --via-provider: how long the old key keeps working (default 1h; 0 retires it now)'
            cand --admin 'With --via-provider: the admin connection (default: the one of the secret''s provider)'
            cand --stdin 'Read the new value from standard input'
            cand --verify 'Test every connector using the secret with the new value first; keep the old value (exit 6) if any test fails'
            cand --via-provider 'Make the new key at the provider (admin connection), test it, store it, reload running proxies, and retire the old key after --grace (Anthropic: give the new key with --stdin; byok retires the old one)'
            cand --dry-run 'With --via-provider: show each step, change nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;rename'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'The store the secret is in (default: the first store that has it)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;set'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --expires 'A new expiry: a date (2027-03-01), an RFC 3339 time, a duration (90d), or `never`'
            cand --reveal 'A new reveal policy: never, prompt or pipe (loosening asks for the vault passphrase)'
            cand --store 'The store the secret is in (default: the first store that has it)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;move'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --to 'The store to move it to: vault, keychain or a [[store]] name'
            cand --from 'The store it is in now (default: the first store that has it)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;rollback'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --field 'Only this field (repeatable; default: every field with a previous value)'
            cand --version 'For stores that keep numbered versions: the version to restore'
            cand --store 'The store the secret is in (default: the first store that has it)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'byok;secret;rm'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'The store the secret is in (default: the first store that has it)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --force 'Remove it even if connectors use it (they will fail until given another secret)'
            cand --destroy 'For stores with versions (OpenBao): destroy every version for good instead of a soft delete (asks for confirmation unless --yes)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;remove'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'The store the secret is in (default: the first store that has it)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --force 'Remove it even if connectors use it (they will fail until given another secret)'
            cand --destroy 'For stores with versions (OpenBao): destroy every version for good instead of a soft delete (asks for confirmation unless --yes)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;secret;help'= {
            cand add 'Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)'
            cand list 'List secrets with masked values'
            cand show 'Show one secret''s metadata and masked values'
            cand get 'Print a raw value (and a newline) on stdout, for $(...) in scripts'
            cand rotate 'Replace a value and record the rotation time'
            cand rename 'Rename a secret''s ref name'
            cand set 'Change a secret''s expiry or reveal policy (no value is read)'
            cand move 'Move a secret to another store (vault, keychain, or a [[store]] from config.toml)'
            cand rollback 'Restore the value each field had before it was last replaced'
            cand rm 'Remove a secret and all its fields'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;secret;help;add'= {
        }
        &'byok;secret;help;list'= {
        }
        &'byok;secret;help;show'= {
        }
        &'byok;secret;help;get'= {
        }
        &'byok;secret;help;rotate'= {
        }
        &'byok;secret;help;rename'= {
        }
        &'byok;secret;help;set'= {
        }
        &'byok;secret;help;move'= {
        }
        &'byok;secret;help;rollback'= {
        }
        &'byok;secret;help;rm'= {
        }
        &'byok;secret;help;help'= {
        }
        &'byok;connector'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a connector (lowest priority) after checking its type, secret and base URL'
            cand list 'List connectors in priority order (archived ones with --all)'
            cand ls 'List connectors in priority order (archived ones with --all)'
            cand show 'Show one connector'
            cand edit 'Change a connector''s type, secret, model, base URL or options'
            cand test 'Send each connector''s provider a minimal chat request and report the outcome'
            cand archive 'Hide a connector from list, test and default (kept in config.toml)'
            cand unarchive 'Bring an archived connector back'
            cand move 'Change a connector''s priority; the first active one is the default'
            cand default 'Show the default connector: the first active one'
            cand models 'List the models the provider offers, marking the connector''s'
            cand rm 'Remove a connector (the secret stays in the vault)'
            cand remove 'Remove a connector (the secret stays in the vault)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;connector;add'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --type 'Provider type (see `byok providers`; on a terminal, chosen from a list when missing)'
            cand --secret 'Vault ref of the key (optional for local servers: ollama, lmstudio, vllm)'
            cand --model 'Model for tests and tools (default: the type''s default model)'
            cand --base-url 'SDK-style base URL (e.g. https://api.openai.com/v1); byok appends endpoint paths'
            cand --option 'Adapter option, repeatable (deployment=…, api-version=…)'
            cand --models 'More models `byok proxy` routes to it, repeatable (globs with * and ?: gpt-4*)'
            cand --service-user 'The system user a plain-http loopback service runs as (a name or uid; "" removes it): the only owner of the port besides root and you that may receive the key'
            cand --allow-insecure-http 'Allow a plain http:// base URL on a non-loopback host'
            cand --test 'Run the connection test right after adding'
            cand --global 'The home''s own connectors, not the active workspace''s'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;list'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --scope 'Only the connectors of this scope (the active workspace''s, or your own)'
            cand --all 'Include archived connectors'
            cand --json 'Machine-readable output'
            cand --global 'Only the home''s own connectors (as if no workspace were active)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;ls'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --scope 'Only the connectors of this scope (the active workspace''s, or your own)'
            cand --all 'Include archived connectors'
            cand --json 'Machine-readable output'
            cand --global 'Only the home''s own connectors (as if no workspace were active)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;show'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;edit'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --type 'New provider type'
            cand --secret 'New vault ref of the key'
            cand --model 'New model ("" goes back to the type''s default)'
            cand --base-url 'New base URL ("" goes back to the type''s default)'
            cand --option 'Set an option, repeatable; K= removes it'
            cand --models 'Replace the proxy''s model globs, repeatable (--models '''' clears them)'
            cand --service-user 'The system user a plain-http loopback service runs as (a name or uid; "" removes it): the only owner of the port besides root and you that may receive the key'
            cand --clear-models 'Remove every model glob'
            cand --allow-insecure-http 'Allow a plain http:// base URL on a non-loopback host'
            cand --global 'The home''s own connectors, not the active workspace''s'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;test'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --timeout 'Per-request timeout in seconds'
            cand --prompt 'Prompt to send'
            cand --all 'Test every active connector'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;archive'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --global 'The home''s own connectors, not the active workspace''s'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;unarchive'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --global 'The home''s own connectors, not the active workspace''s'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;move'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --to 'To position N (1 = first)'
            cand --top 'Make it the first (the default)'
            cand --up 'One place up'
            cand --down 'One place down'
            cand --global 'The home''s own connectors, not the active workspace''s'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;default'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;models'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;rm'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --global 'The home''s own connectors, not the active workspace''s'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;remove'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --global 'The home''s own connectors, not the active workspace''s'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;connector;help'= {
            cand add 'Add a connector (lowest priority) after checking its type, secret and base URL'
            cand list 'List connectors in priority order (archived ones with --all)'
            cand show 'Show one connector'
            cand edit 'Change a connector''s type, secret, model, base URL or options'
            cand test 'Send each connector''s provider a minimal chat request and report the outcome'
            cand archive 'Hide a connector from list, test and default (kept in config.toml)'
            cand unarchive 'Bring an archived connector back'
            cand move 'Change a connector''s priority; the first active one is the default'
            cand default 'Show the default connector: the first active one'
            cand models 'List the models the provider offers, marking the connector''s'
            cand rm 'Remove a connector (the secret stays in the vault)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;connector;help;add'= {
        }
        &'byok;connector;help;list'= {
        }
        &'byok;connector;help;show'= {
        }
        &'byok;connector;help;edit'= {
        }
        &'byok;connector;help;test'= {
        }
        &'byok;connector;help;archive'= {
        }
        &'byok;connector;help;unarchive'= {
        }
        &'byok;connector;help;move'= {
        }
        &'byok;connector;help;default'= {
        }
        &'byok;connector;help;models'= {
        }
        &'byok;connector;help;rm'= {
        }
        &'byok;connector;help;help'= {
        }
        &'byok;admin'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Declare an admin connection: a provider''s admin key (a secret) and what it manages'
            cand list 'List the admin connections'
            cand test 'Check an admin connection with a read-only call; show what its provider allows'
            cand rm 'Remove an admin connection (its secret stays)'
            cand status 'Keys byok made at providers and old keys waiting to be retired (no network)'
            cand sweep 'Revoke what finished or killed runs left at the providers; retire old keys now due'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;admin;add'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --provider 'openai, openrouter or anthropic'
            cand --secret 'The secret holding the admin key'
            cand --project 'OpenAI: the project (proj_…) minted keys belong to'
            cand --workspace-id 'OpenRouter: the workspace (uuid) keys are made and listed in'
            cand --base-url 'The admin API''s base URL (https, or http to a loopback address); default the provider''s'
            cand --exclusive 'A secret whose key is used only through byok (repeatable): `usage reconcile` exits 9 on spend the provider saw on it and the ledger did not'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;admin;list'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'json'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;admin;test'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'json'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;admin;rm'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'json'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;admin;status'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'json'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;admin;sweep'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;admin;help'= {
            cand add 'Declare an admin connection: a provider''s admin key (a secret) and what it manages'
            cand list 'List the admin connections'
            cand test 'Check an admin connection with a read-only call; show what its provider allows'
            cand rm 'Remove an admin connection (its secret stays)'
            cand status 'Keys byok made at providers and old keys waiting to be retired (no network)'
            cand sweep 'Revoke what finished or killed runs left at the providers; retire old keys now due'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;admin;help;add'= {
        }
        &'byok;admin;help;list'= {
        }
        &'byok;admin;help;test'= {
        }
        &'byok;admin;help;rm'= {
        }
        &'byok;admin;help;status'= {
        }
        &'byok;admin;help;sweep'= {
        }
        &'byok;admin;help;help'= {
        }
        &'byok;store'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Declare a store in config.toml (secrets go there with `--store NAME`)'
            cand list 'List the stores in resolution order'
            cand show 'Show a store''s type, location and settings'
            cand test 'Check that a store can be read (and says why not)'
            cand rm 'Remove a store from config.toml (its file or server is left as it is)'
            cand diff 'Compare two git versions of an age-file store: refs added, changed, removed (never a value)'
            cand login 'Keep a token (or an AppRole secret id) for a store, in the OS keychain'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;store;add'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --type 'The store type'
            cand --path 'age-file: the vault file (relative paths are relative to the home directory)'
            cand --identity 'age-file: the identity that opens it (default: the home''s own identity)'
            cand --address 'openbao: a node''s address (repeatable; default: BAO_ADDR, else VAULT_ADDR)'
            cand --mount 'openbao: the KV v2 mount [default: secret]'
            cand --prefix 'openbao: the path under the mount where byok''s entries live [default: byok/]'
            cand --namespace 'openbao: the namespace (default: BAO_NAMESPACE, else VAULT_NAMESPACE)'
            cand --ca-cert 'openbao: trust only this CA certificate (PEM; default: BAO_CACERT, else VAULT_CACERT)'
            cand --auth 'openbao: how byok authenticates (then `byok store login NAME`)'
            cand --role-id 'openbao: the AppRole role id (with --auth approle)'
            cand --default 'Make it the store `secret add` uses when no `--store` is given'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;store;list'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;store;show'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;store;test'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;store;rm'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;store;diff'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;store;login'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --stdin 'Read the token (or AppRole secret id) from standard input'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;store;help'= {
            cand add 'Declare a store in config.toml (secrets go there with `--store NAME`)'
            cand list 'List the stores in resolution order'
            cand show 'Show a store''s type, location and settings'
            cand test 'Check that a store can be read (and says why not)'
            cand rm 'Remove a store from config.toml (its file or server is left as it is)'
            cand diff 'Compare two git versions of an age-file store: refs added, changed, removed (never a value)'
            cand login 'Keep a token (or an AppRole secret id) for a store, in the OS keychain'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;store;help;add'= {
        }
        &'byok;store;help;list'= {
        }
        &'byok;store;help;show'= {
        }
        &'byok;store;help;test'= {
        }
        &'byok;store;help;rm'= {
        }
        &'byok;store;help;diff'= {
        }
        &'byok;store;help;login'= {
        }
        &'byok;store;help;help'= {
        }
        &'byok;recipients'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a recipient and re-encrypt the store''s file to everyone'
            cand list 'List the recipients of a store (and whether you accepted the list)'
            cand rm 'Remove a recipient and re-encrypt the file to the others'
            cand accept 'Review a recipients file changed by someone else (a pull) and accept it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;recipients;add'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'The age-file store'
            cand --name 'The member''s name, written as a comment above the key (default: an SSH key''s comment)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;recipients;list'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'The age-file store'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;recipients;rm'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'The age-file store'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;recipients;accept'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --store 'The age-file store'
            cand --yes 'Accept without asking (required without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;recipients;help'= {
            cand add 'Add a recipient and re-encrypt the store''s file to everyone'
            cand list 'List the recipients of a store (and whether you accepted the list)'
            cand rm 'Remove a recipient and re-encrypt the file to the others'
            cand accept 'Review a recipients file changed by someone else (a pull) and accept it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;recipients;help;add'= {
        }
        &'byok;recipients;help;list'= {
        }
        &'byok;recipients;help;rm'= {
        }
        &'byok;recipients;help;accept'= {
        }
        &'byok;recipients;help;help'= {
        }
        &'byok;providers'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;env'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --set 'Export one field of a secret as any variable'
            cand --format 'The syntax to print (default: powershell on Windows)'
            cand --default 'Only the default connector (the first active one)'
            cand --force 'Print the values even when standard output is a terminal'
            cand --allow-admin 'Export an admin key too (it must be named as a TARGET or in --set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;exec'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --set 'Export one field of a secret as any variable'
            cand --env-file 'Load variables from a dotenv file (repeatable); its byok:// references are resolved only when the file is trusted (`byok trust FILE`)'
            cand --listen 'With --via-proxy: the proxy on this address (used, or started there)'
            cand --token 'Name of the placeholder minted for this run (default exec-PID; refused when a token of that name exists, as its value cannot be shown again); revoked when CMD exits'
            cand --ttl 'With --ephemeral: the longest the minted key lives at the provider (default 1h)'
            cand --limit 'With --ephemeral: a dollar limit on the minted key (OpenRouter)'
            cand --admin 'With --ephemeral: the admin connection to mint with (default: the one of the connector''s provider)'
            cand --api 'With --via-proxy: a tool API ([[api]] in config.toml) the command may use through the proxy (repeatable); its variables (e.g. GITHUB_TOKEN, GITHUB_API_URL) are set. Without TARGETs, only the APIs'' variables are set and the placeholder may use no model'
            cand --default 'Only the default connector (the first active one)'
            cand --clean-env 'Start from an empty environment: only PATH, HOME, TERM and the keys'
            cand --redact 'Mask the injected values in the command''s output (byok stays in between)'
            cand --allow-admin 'Export an admin key too (it must be named: a TARGET, --set or a reference)'
            cand --via-proxy 'Point the command at this home''s running byok proxy (or one started for the command) with a placeholder key instead of the real one; TARGETs then name connectors'
            cand --keep-proxy 'With --via-proxy: leave a proxy started for the command running after it'
            cand --ephemeral 'Mint a key for this run at the provider of the connector named as TARGET (OpenAI, OpenRouter, through its admin connection); revoked when CMD ends, expiring anyway'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;import'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --dry-run 'Show what would be imported (values masked) and change nothing'
            cand --force 'Replace the key of secrets that exist already (default: skip them)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --remove-source 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand dotenv '*_API_KEY entries of a .env file'
            cand env '*_API_KEY variables of byok''s own environment'
            cand llm 'Keys of the llm CLI (keys.json; default: where `llm keys path` points)'
            cand aichat 'api_key entries of aichat''s config.yaml (default: aichat''s config file)'
            cand discover 'List plaintext keys in other tools'' files (llm, aichat, opencode, aider, Continue, codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those of one file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;import;dotenv'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --dry-run 'Show what would be imported (values masked) and change nothing'
            cand --force 'Replace the key of secrets that exist already (default: skip them)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --remove-source 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;import;env'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --dry-run 'Show what would be imported (values masked) and change nothing'
            cand --force 'Replace the key of secrets that exist already (default: skip them)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --remove-source 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;import;llm'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --dry-run 'Show what would be imported (values masked) and change nothing'
            cand --force 'Replace the key of secrets that exist already (default: skip them)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --remove-source 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;import;aichat'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --dry-run 'Show what would be imported (values masked) and change nothing'
            cand --force 'Replace the key of secrets that exist already (default: skip them)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --remove-source 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;import;discover'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --path 'Import the keys discovery finds in this file (its format from its name)'
            cand --dry-run 'Show what would be imported (values masked) and change nothing'
            cand --force 'Replace the key of secrets that exist already (default: skip them)'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --remove-source 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
            cand --json 'Machine-readable output (the listing)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;import;help'= {
            cand dotenv '*_API_KEY entries of a .env file'
            cand env '*_API_KEY variables of byok''s own environment'
            cand llm 'Keys of the llm CLI (keys.json; default: where `llm keys path` points)'
            cand aichat 'api_key entries of aichat''s config.yaml (default: aichat''s config file)'
            cand discover 'List plaintext keys in other tools'' files (llm, aichat, opencode, aider, Continue, codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those of one file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;import;help;dotenv'= {
        }
        &'byok;import;help;env'= {
        }
        &'byok;import;help;llm'= {
        }
        &'byok;import;help;aichat'= {
        }
        &'byok;import;help;discover'= {
        }
        &'byok;import;help;help'= {
        }
        &'byok;unlock'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --for 'How long the identity stays cached (e.g. 90s, 15m, 2h)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;lock'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;passphrase'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --new-passphrase-file 'Read the new passphrase from this file (first line) instead of a prompt'
            cand --remove 'Remove the passphrase: the identity goes back to an unencrypted identity.txt'
            cand --weak-passphrase 'Accept a new passphrase shorter than the minimum (12 characters)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;keychain'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand remember 'Store the vault identity in the OS keychain (asks for the passphrase once)'
            cand forget 'Remove the vault identity from the OS keychain'
            cand account 'Print the keychain account byok uses for a secret''s field (for secret-tool and co.)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;keychain;remember'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;keychain;forget'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;keychain;account'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --field 'The field'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;keychain;help'= {
            cand remember 'Store the vault identity in the OS keychain (asks for the passphrase once)'
            cand forget 'Remove the vault identity from the OS keychain'
            cand account 'Print the keychain account byok uses for a secret''s field (for secret-tool and co.)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;keychain;help;remember'= {
        }
        &'byok;keychain;help;forget'= {
        }
        &'byok;keychain;help;account'= {
        }
        &'byok;keychain;help;help'= {
        }
        &'byok;doctor'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;inject'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -i 'The template (default: standard input)'
            cand --in 'The template (default: standard input)'
            cand -o 'Where to write (default: standard output, never a terminal)'
            cand --out 'Where to write (default: standard output, never a terminal)'
            cand --force 'Replace an existing output file'
            cand --allow-admin 'Render an admin key too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;trust'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -y 'Trust the project file without asking (needed without a terminal)'
            cand --yes 'Trust the project file without asking (needed without a terminal)'
            cand --list 'List the trusted files and whether they changed'
            cand --json 'Machine-readable output (with --list)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;untrust'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;scan'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --git 'Scan the history: every commit reachable from RANGE (a git revision range; default: all refs)'
            cand --staged 'Scan what is staged for the next commit (the git index)'
            cand --json 'Machine-readable output: an array of findings'
            cand --shapes-only 'Only key shapes: do not read the stored values (no unlock needed)'
            cand --values-only 'Only stored values: no key-shape rules'
            cand --no-ignore 'Scan files that .gitignore leaves out too (a working tree only: history has no ignored files)'
            cand --revoke 'On a stored API key found: rotate it through its provider and disable (or delete) the leaked key there at once (`secret rotate --via-provider --grace 0`)'
            cand --install-hook 'Install (or chain into) the repository''s pre-commit hook running `byok scan --staged`'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;audit'= {
            cand --since 'Only entries newer than this: a duration (7d, 12h) or a date (2026-11-01)'
            cand --ref 'Only entries about this secret'
            cand --action 'Only this action (e.g. secret.read, secret.rotate, connector.test)'
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output (one array of entries)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand verify 'Check the log''s MAC chain and the head recorded in the vault (exit 9 on failure)'
            cand reset 'Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;audit;verify'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;audit;reset'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;audit;help'= {
            cand verify 'Check the log''s MAC chain and the head recorded in the vault (exit 9 on failure)'
            cand reset 'Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;audit;help;verify'= {
        }
        &'byok;audit;help;reset'= {
        }
        &'byok;audit;help;help'= {
        }
        &'byok;reveal'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --ref 'Set it for this secret instead of the whole home'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;backup'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --passphrase-file 'With --passphrase: read the passphrase from the first line of this file'
            cand --passphrase 'Encrypt to a passphrase (age scrypt) typed at a prompt, instead of the vault identity'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;restore'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --passphrase-file 'For a passphrase backup, or a passphrase-protected --identity: read the passphrase from the first line of this file'
            cand --identity 'The identity the backup is encrypted to, when it is another home''s (a new machine): its identity.txt, or its identity.age (the passphrase is asked for)'
            cand --yes 'Do not ask for confirmation (required without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;workspace'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a workspace with its own age-file store in the home'
            cand list 'List the workspaces'
            cand use 'Make a workspace active when no flag, BYOK_WORKSPACE or project file names one'
            cand rm 'Forget a workspace (its store file is kept)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;workspace;add'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --path 'The store file (default: workspaces/NAME.age in the home)'
            cand --store 'Keep the workspace''s secrets in this named team store (a [[store]] of config.toml)'
            cand --prefix 'Under this prefix of the store''s own (stores with prefixes: openbao)'
            cand --no-fallback 'Never fall back to your own (global) secrets'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;workspace;list'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;workspace;use'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --none 'No workspace'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;workspace;rm'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;workspace;help'= {
            cand add 'Add a workspace with its own age-file store in the home'
            cand list 'List the workspaces'
            cand use 'Make a workspace active when no flag, BYOK_WORKSPACE or project file names one'
            cand rm 'Forget a workspace (its store file is kept)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;workspace;help;add'= {
        }
        &'byok;workspace;help;list'= {
        }
        &'byok;workspace;help;use'= {
        }
        &'byok;workspace;help;rm'= {
        }
        &'byok;workspace;help;help'= {
        }
        &'byok;hook'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --apply 'Print the code for the current directory (what the hook runs on cd)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;status'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;completions'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy'= {
            cand --listen 'Loopback address to listen on [default: `listen` under [proxy], else 127.0.0.1:8787]'
            cand --connector 'Serve only these connectors (repeatable; default: every active one)'
            cand --timeout 'How long to wait for a provider''s response headers, and between stream chunks'
            cand --cooldown 'How long a connector whose key was refused (or out of quota) is skipped'
            cand --unreachable-cooldown 'How long a connector that refused the connection or timed out is skipped'
            cand --passphrase-fd 'Agent-proof mode: read the vault passphrase once from this open file descriptor (for service managers; default: a prompt on the terminal)'
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --background 'Detach, and return once the proxy serves'
            cand --agent-proof 'Start only if nothing but this proxy can unlock the vault or read a key it serves (also `agent_proof = true` under `[proxy]` in config.toml)'
            cand --check 'Agent-proof mode: print every start-up condition as met, unmet or cannot verify, with its fix, and exit (0: all met, 8: not) without asking for the passphrase'
            cand --accept-same-user-ptrace 'Agent-proof mode: start although the kernel lets any process of yours trace another (no Yama, or ptrace_scope 0), accepting that an agent could trace the terminal you type the passphrase in'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand token 'Create, list and revoke placeholder tokens'
            cand status 'Show the running proxies, their connectors and cooldowns'
            cand stop 'Stop a running proxy (SIGTERM: in-flight requests finish)'
            cand reload 'Make a running proxy read config.toml and its keys again (an invalid config keeps the old routing); an agent-proof proxy refuses: restart it with the passphrase'
            cand pin 'Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)'
            cand agent-proof 'Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;proxy;token'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a placeholder and print it (the only time it is shown)'
            cand list 'List tokens (names, expiry, model globs; never values)'
            cand ls 'List tokens (names, expiry, model globs; never values)'
            cand revoke 'Revoke a token; a running proxy refuses it at once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;proxy;token;create'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --expires 'Lifetime (e.g. 8h, 30d); default: until revoked'
            cand --models 'Model globs the token may use (repeatable; default: any)'
            cand --budget 'A daily budget (UTC days): 5usd/day (estimated cost) or 2Mtok/day (input + output)'
            cand --mint 'Serve the token only by this connector, with a key minted for it at the provider (OpenAI, OpenRouter; an admin connection): it expires with the token, and `token revoke` revokes it'
            cand --limit 'With --mint: a dollar limit on the minted key (OpenRouter)'
            cand --api 'A tool API ([[api]] in config.toml) the token may use at /api/NAME (repeatable); without --models, such a token may use no model'
            cand --json 'Print a JSON object with a `token` field'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy;token;list'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy;token;ls'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy;token;revoke'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy;token;help'= {
            cand create 'Create a placeholder and print it (the only time it is shown)'
            cand list 'List tokens (names, expiry, model globs; never values)'
            cand revoke 'Revoke a token; a running proxy refuses it at once'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;proxy;token;help;create'= {
        }
        &'byok;proxy;token;help;list'= {
        }
        &'byok;proxy;token;help;revoke'= {
        }
        &'byok;proxy;token;help;help'= {
        }
        &'byok;proxy;status'= {
            cand --listen 'Only the proxy on this address'
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy;stop'= {
            cand --listen 'The proxy''s address [default: the home''s running proxy; with several, the one on `listen` under [proxy], else 127.0.0.1:8787]'
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy;reload'= {
            cand --listen 'The proxy''s address [default: the home''s running proxy; with several, the one on `listen` under [proxy], else 127.0.0.1:8787]'
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy;pin'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -y 'Pin without asking (the changes are still printed)'
            cand --yes 'Pin without asking (the changes are still printed)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy;agent-proof'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;proxy;help'= {
            cand token 'Create, list and revoke placeholder tokens'
            cand status 'Show the running proxies, their connectors and cooldowns'
            cand stop 'Stop a running proxy (SIGTERM: in-flight requests finish)'
            cand reload 'Make a running proxy read config.toml and its keys again (an invalid config keeps the old routing); an agent-proof proxy refuses: restart it with the passphrase'
            cand pin 'Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)'
            cand agent-proof 'Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;proxy;help;token'= {
            cand create 'Create a placeholder and print it (the only time it is shown)'
            cand list 'List tokens (names, expiry, model globs; never values)'
            cand revoke 'Revoke a token; a running proxy refuses it at once'
        }
        &'byok;proxy;help;token;create'= {
        }
        &'byok;proxy;help;token;list'= {
        }
        &'byok;proxy;help;token;revoke'= {
        }
        &'byok;proxy;help;status'= {
        }
        &'byok;proxy;help;stop'= {
        }
        &'byok;proxy;help;reload'= {
        }
        &'byok;proxy;help;pin'= {
        }
        &'byok;proxy;help;agent-proof'= {
        }
        &'byok;proxy;help;help'= {
        }
        &'byok;usage'= {
            cand --since 'Rows since a duration ago (7d, 24h) or a UTC date (2026-11-01) or RFC 3339 time'
            cand --by 'Group by token, connector, provider, model or day'
            cand --html 'Write a self-contained HTML report (no network access) to FILE'
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand --csv 'CSV output (a header line, then one line per group)'
            cand --check 'Exit 9 when today''s spend of a token or connector exceeds [usage] anomaly_factor × its 7-day daily median, or a connector''s auth failures today exceed auth_failure_threshold'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand reconcile 'Find spend byok never saw: each key''s usage at its provider against the ledger'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;usage;reconcile'= {
            cand --since 'Whole UTC days since a duration ago (7d) or a UTC date (2026-11-01)'
            cand --admin 'Only this admin connection (default: every one)'
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;usage;help'= {
            cand reconcile 'Find spend byok never saw: each key''s usage at its provider against the ledger'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;usage;help;reconcile'= {
        }
        &'byok;usage;help;help'= {
        }
        &'byok;mcp'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand policy 'The [[mcp.policy]] rules of config.toml that grant agents'' requests without a person'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;mcp;policy'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand pin 'Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited rules grant nothing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;mcp;policy;pin'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --yes 'Pin without asking (shows the rules all the same)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;mcp;policy;help'= {
            cand pin 'Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited rules grant nothing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;mcp;policy;help;pin'= {
        }
        &'byok;mcp;policy;help;help'= {
        }
        &'byok;mcp;help'= {
            cand policy 'The [[mcp.policy]] rules of config.toml that grant agents'' requests without a person'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;mcp;help;policy'= {
            cand pin 'Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited rules grant nothing'
        }
        &'byok;mcp;help;policy;pin'= {
        }
        &'byok;mcp;help;help'= {
        }
        &'byok;approve'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --digest 'Approve only if the request''s digest starts with this (at least 16 hex digits, as shown); required without a terminal'
            cand --deny 'Deny the request instead'
            cand --policy 'Grant every pending request the pinned [[mcp.policy]] rules cover (needs the passphrase); the others stay pending'
            cand --watch 'With --policy: keep running and grant covered requests as they arrive; stops when config.toml''s rules no longer match the pin'
            cand --json 'Machine-readable output'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;man'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --dir 'Write byok.1 and a page for every subcommand (byok-secret-get.1, …) into DIR (created if missing) instead of printing byok(1)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;__complete'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;adopt'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand mcp 'Import an MCP config''s keys and start each server through `byok exec` with only its own'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;adopt;mcp'= {
            cand --home 'Home directory holding the vault and config [env: BYOK_HOME]'
            cand --env 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]'
            cand --workspace 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]'
            cand --byok 'The program the servers start (default: `byok` when that is this byok on PATH, else this byok''s full path)'
            cand --dry-run 'Show the diff (values masked) and change nothing'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --undo 'Put back the file as it was before its last adoption'
            cand --force 'With --undo: restore even though the file changed since (its content is kept as a backup)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'byok;adopt;help'= {
            cand mcp 'Import an MCP config''s keys and start each server through `byok exec` with only its own'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;adopt;help;mcp'= {
        }
        &'byok;adopt;help;help'= {
        }
        &'byok;help'= {
            cand init 'Create the vault and its identity in the home directory'
            cand secret 'Add, list, read, rotate, rename, move and remove secrets'
            cand connector 'Connect providers to secrets: add, list, test, order and archive connectors'
            cand admin 'Admin connections: mint, rotate and retire keys through the providers'' admin APIs'
            cand store 'Add, list, show, test and remove stores: the places secrets live besides the vault'
            cand recipients 'Who an age-file store is encrypted to: add, list, remove and accept recipients'
            cand providers 'List the provider types: default base URLs, auth style, env var names, default model'
            cand env 'Print shell code that exports keys (for eval, source, .env files)'
            cand exec 'Run a command with keys added to its environment'
            cand import 'Import keys from a .env file, the environment, llm or aichat'
            cand unlock 'Cache the unlocked vault identity for a while (Linux kernel keyring), so scripts need no passphrase'
            cand lock 'Drop the cached vault identity at once'
            cand passphrase 'Add, change or remove the vault passphrase (re-encrypts the identity only)'
            cand keychain 'Keep the vault identity in the OS keychain, so reading the vault needs no passphrase'
            cand doctor 'Check the home directory, vault, keychain, session cache and secrets; suggest fixes'
            cand inject 'Render byok:// placeholders of a template into a config file (0600)'
            cand trust 'Trust a file''s byok:// references (by path and contents), or list trusted files'
            cand untrust 'Forget a trusted file (without FILE: every trusted file that changed or is gone)'
            cand scan 'Find leaked keys: stored values and key-shaped strings in files, git history or the index'
            cand audit 'Show the audit log (who did what, when; never a value), or verify it'
            cand reveal 'Show or set the reveal policy (never, prompt, pipe) of this home or of one secret'
            cand backup 'Write an encrypted backup: the vault, config.toml and the keychain''s values'
            cand restore 'Restore a backup (keeps the replaced vault and config.toml beside them)'
            cand workspace 'Workspaces: their own secrets, resolved before yours (add, list, use, rm)'
            cand hook 'Print a shell hook that exports a trusted project''s keys on cd (and restores on cd out)'
            cand status 'Show the project file (trusted or not), environment, and where each variable comes from'
            cand completions 'Print a shell completion script'
            cand proxy 'Run a loopback proxy that injects keys: tools get placeholder tokens, byok keeps the keys'
            cand usage 'Show usage and costs from the ledger: requests, failures, latency, tokens, cost'
            cand mcp 'Serve byok to an AI agent over MCP (stdio): models, usage, access requests; never a key'
            cand approve 'List agents'' access requests (from `byok mcp`), approve or deny one (needs the passphrase)'
            cand man 'Print the manual page (roff), or write one page per subcommand into a directory'
            cand __complete 'Candidates for the completion scripts (connector names, ref names)'
            cand adopt 'Take the plaintext keys out of other tools'' configs (MCP servers), into byok'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'byok;help;init'= {
        }
        &'byok;help;secret'= {
            cand add 'Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)'
            cand list 'List secrets with masked values'
            cand show 'Show one secret''s metadata and masked values'
            cand get 'Print a raw value (and a newline) on stdout, for $(...) in scripts'
            cand rotate 'Replace a value and record the rotation time'
            cand rename 'Rename a secret''s ref name'
            cand set 'Change a secret''s expiry or reveal policy (no value is read)'
            cand move 'Move a secret to another store (vault, keychain, or a [[store]] from config.toml)'
            cand rollback 'Restore the value each field had before it was last replaced'
            cand rm 'Remove a secret and all its fields'
        }
        &'byok;help;secret;add'= {
        }
        &'byok;help;secret;list'= {
        }
        &'byok;help;secret;show'= {
        }
        &'byok;help;secret;get'= {
        }
        &'byok;help;secret;rotate'= {
        }
        &'byok;help;secret;rename'= {
        }
        &'byok;help;secret;set'= {
        }
        &'byok;help;secret;move'= {
        }
        &'byok;help;secret;rollback'= {
        }
        &'byok;help;secret;rm'= {
        }
        &'byok;help;connector'= {
            cand add 'Add a connector (lowest priority) after checking its type, secret and base URL'
            cand list 'List connectors in priority order (archived ones with --all)'
            cand show 'Show one connector'
            cand edit 'Change a connector''s type, secret, model, base URL or options'
            cand test 'Send each connector''s provider a minimal chat request and report the outcome'
            cand archive 'Hide a connector from list, test and default (kept in config.toml)'
            cand unarchive 'Bring an archived connector back'
            cand move 'Change a connector''s priority; the first active one is the default'
            cand default 'Show the default connector: the first active one'
            cand models 'List the models the provider offers, marking the connector''s'
            cand rm 'Remove a connector (the secret stays in the vault)'
        }
        &'byok;help;connector;add'= {
        }
        &'byok;help;connector;list'= {
        }
        &'byok;help;connector;show'= {
        }
        &'byok;help;connector;edit'= {
        }
        &'byok;help;connector;test'= {
        }
        &'byok;help;connector;archive'= {
        }
        &'byok;help;connector;unarchive'= {
        }
        &'byok;help;connector;move'= {
        }
        &'byok;help;connector;default'= {
        }
        &'byok;help;connector;models'= {
        }
        &'byok;help;connector;rm'= {
        }
        &'byok;help;admin'= {
            cand add 'Declare an admin connection: a provider''s admin key (a secret) and what it manages'
            cand list 'List the admin connections'
            cand test 'Check an admin connection with a read-only call; show what its provider allows'
            cand rm 'Remove an admin connection (its secret stays)'
            cand status 'Keys byok made at providers and old keys waiting to be retired (no network)'
            cand sweep 'Revoke what finished or killed runs left at the providers; retire old keys now due'
        }
        &'byok;help;admin;add'= {
        }
        &'byok;help;admin;list'= {
        }
        &'byok;help;admin;test'= {
        }
        &'byok;help;admin;rm'= {
        }
        &'byok;help;admin;status'= {
        }
        &'byok;help;admin;sweep'= {
        }
        &'byok;help;store'= {
            cand add 'Declare a store in config.toml (secrets go there with `--store NAME`)'
            cand list 'List the stores in resolution order'
            cand show 'Show a store''s type, location and settings'
            cand test 'Check that a store can be read (and says why not)'
            cand rm 'Remove a store from config.toml (its file or server is left as it is)'
            cand diff 'Compare two git versions of an age-file store: refs added, changed, removed (never a value)'
            cand login 'Keep a token (or an AppRole secret id) for a store, in the OS keychain'
        }
        &'byok;help;store;add'= {
        }
        &'byok;help;store;list'= {
        }
        &'byok;help;store;show'= {
        }
        &'byok;help;store;test'= {
        }
        &'byok;help;store;rm'= {
        }
        &'byok;help;store;diff'= {
        }
        &'byok;help;store;login'= {
        }
        &'byok;help;recipients'= {
            cand add 'Add a recipient and re-encrypt the store''s file to everyone'
            cand list 'List the recipients of a store (and whether you accepted the list)'
            cand rm 'Remove a recipient and re-encrypt the file to the others'
            cand accept 'Review a recipients file changed by someone else (a pull) and accept it'
        }
        &'byok;help;recipients;add'= {
        }
        &'byok;help;recipients;list'= {
        }
        &'byok;help;recipients;rm'= {
        }
        &'byok;help;recipients;accept'= {
        }
        &'byok;help;providers'= {
        }
        &'byok;help;env'= {
        }
        &'byok;help;exec'= {
        }
        &'byok;help;import'= {
            cand dotenv '*_API_KEY entries of a .env file'
            cand env '*_API_KEY variables of byok''s own environment'
            cand llm 'Keys of the llm CLI (keys.json; default: where `llm keys path` points)'
            cand aichat 'api_key entries of aichat''s config.yaml (default: aichat''s config file)'
            cand discover 'List plaintext keys in other tools'' files (llm, aichat, opencode, aider, Continue, codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those of one file'
        }
        &'byok;help;import;dotenv'= {
        }
        &'byok;help;import;env'= {
        }
        &'byok;help;import;llm'= {
        }
        &'byok;help;import;aichat'= {
        }
        &'byok;help;import;discover'= {
        }
        &'byok;help;unlock'= {
        }
        &'byok;help;lock'= {
        }
        &'byok;help;passphrase'= {
        }
        &'byok;help;keychain'= {
            cand remember 'Store the vault identity in the OS keychain (asks for the passphrase once)'
            cand forget 'Remove the vault identity from the OS keychain'
            cand account 'Print the keychain account byok uses for a secret''s field (for secret-tool and co.)'
        }
        &'byok;help;keychain;remember'= {
        }
        &'byok;help;keychain;forget'= {
        }
        &'byok;help;keychain;account'= {
        }
        &'byok;help;doctor'= {
        }
        &'byok;help;inject'= {
        }
        &'byok;help;trust'= {
        }
        &'byok;help;untrust'= {
        }
        &'byok;help;scan'= {
        }
        &'byok;help;audit'= {
            cand verify 'Check the log''s MAC chain and the head recorded in the vault (exit 9 on failure)'
            cand reset 'Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify'
        }
        &'byok;help;audit;verify'= {
        }
        &'byok;help;audit;reset'= {
        }
        &'byok;help;reveal'= {
        }
        &'byok;help;backup'= {
        }
        &'byok;help;restore'= {
        }
        &'byok;help;workspace'= {
            cand add 'Add a workspace with its own age-file store in the home'
            cand list 'List the workspaces'
            cand use 'Make a workspace active when no flag, BYOK_WORKSPACE or project file names one'
            cand rm 'Forget a workspace (its store file is kept)'
        }
        &'byok;help;workspace;add'= {
        }
        &'byok;help;workspace;list'= {
        }
        &'byok;help;workspace;use'= {
        }
        &'byok;help;workspace;rm'= {
        }
        &'byok;help;hook'= {
        }
        &'byok;help;status'= {
        }
        &'byok;help;completions'= {
        }
        &'byok;help;proxy'= {
            cand token 'Create, list and revoke placeholder tokens'
            cand status 'Show the running proxies, their connectors and cooldowns'
            cand stop 'Stop a running proxy (SIGTERM: in-flight requests finish)'
            cand reload 'Make a running proxy read config.toml and its keys again (an invalid config keeps the old routing); an agent-proof proxy refuses: restart it with the passphrase'
            cand pin 'Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)'
            cand agent-proof 'Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)'
        }
        &'byok;help;proxy;token'= {
            cand create 'Create a placeholder and print it (the only time it is shown)'
            cand list 'List tokens (names, expiry, model globs; never values)'
            cand revoke 'Revoke a token; a running proxy refuses it at once'
        }
        &'byok;help;proxy;token;create'= {
        }
        &'byok;help;proxy;token;list'= {
        }
        &'byok;help;proxy;token;revoke'= {
        }
        &'byok;help;proxy;status'= {
        }
        &'byok;help;proxy;stop'= {
        }
        &'byok;help;proxy;reload'= {
        }
        &'byok;help;proxy;pin'= {
        }
        &'byok;help;proxy;agent-proof'= {
        }
        &'byok;help;usage'= {
            cand reconcile 'Find spend byok never saw: each key''s usage at its provider against the ledger'
        }
        &'byok;help;usage;reconcile'= {
        }
        &'byok;help;mcp'= {
            cand policy 'The [[mcp.policy]] rules of config.toml that grant agents'' requests without a person'
        }
        &'byok;help;mcp;policy'= {
            cand pin 'Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited rules grant nothing'
        }
        &'byok;help;mcp;policy;pin'= {
        }
        &'byok;help;approve'= {
        }
        &'byok;help;man'= {
        }
        &'byok;help;__complete'= {
        }
        &'byok;help;adopt'= {
            cand mcp 'Import an MCP config''s keys and start each server through `byok exec` with only its own'
        }
        &'byok;help;adopt;mcp'= {
        }
        &'byok;help;help'= {
        }
    ]
    $completions[$command]
}
