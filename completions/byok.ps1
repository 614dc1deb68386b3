
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'byok' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'byok'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'byok' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the vault and its identity in the home directory')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Add, list, read, rotate, rename, move and remove secrets')
            [CompletionResult]::new('connector', 'connector', [CompletionResultType]::ParameterValue, 'Connect providers to secrets: add, list, test, order and archive connectors')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Admin connections: mint, rotate and retire keys through the providers'' admin APIs')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Add, list, show, test and remove stores: the places secrets live besides the vault')
            [CompletionResult]::new('recipients', 'recipients', [CompletionResultType]::ParameterValue, 'Who an age-file store is encrypted to: add, list, remove and accept recipients')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the provider types: default base URLs, auth style, env var names, default model')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print shell code that exports keys (for eval, source, .env files)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with keys added to its environment')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import keys from a .env file, the environment, llm or aichat')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Cache the unlocked vault identity for a while (Linux kernel keyring), so scripts need no passphrase')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Drop the cached vault identity at once')
            [CompletionResult]::new('passphrase', 'passphrase', [CompletionResultType]::ParameterValue, 'Add, change or remove the vault passphrase (re-encrypts the identity only)')
            [CompletionResult]::new('keychain', 'keychain', [CompletionResultType]::ParameterValue, 'Keep the vault identity in the OS keychain, so reading the vault needs no passphrase')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the home directory, vault, keychain, session cache and secrets; suggest fixes')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Render byok:// placeholders of a template into a config file (0600)')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Trust a file''s byok:// references (by path and contents), or list trusted files')
            [CompletionResult]::new('untrust', 'untrust', [CompletionResultType]::ParameterValue, 'Forget a trusted file (without FILE: every trusted file that changed or is gone)')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Find leaked keys: stored values and key-shaped strings in files, git history or the index')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit log (who did what, when; never a value), or verify it')
            [CompletionResult]::new('reveal', 'reveal', [CompletionResultType]::ParameterValue, 'Show or set the reveal policy (never, prompt, pipe) of this home or of one secret')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Write an encrypted backup: the vault, config.toml and the keychain''s values')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a backup (keeps the replaced vault and config.toml beside them)')
            [CompletionResult]::new('workspace', 'workspace', [CompletionResultType]::ParameterValue, 'Workspaces: their own secrets, resolved before yours (add, list, use, rm)')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Print a shell hook that exports a trusted project''s keys on cd (and restores on cd out)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the project file (trusted or not), environment, and where each variable comes from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Run a loopback proxy that injects keys: tools get placeholder tokens, byok keeps the keys')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Show usage and costs from the ledger: requests, failures, latency, tokens, cost')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve byok to an AI agent over MCP (stdio): models, usage, access requests; never a key')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'List agents'' access requests (from `byok mcp`), approve or deny one (needs the passphrase)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff), or write one page per subcommand into a directory')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'Candidates for the completion scripts (connector names, ref names)')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Take the plaintext keys out of other tools'' configs (MCP servers), into byok')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;init' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Keep an existing identity instead of creating one (moving machines: the old home''s identity.txt, or its identity.age, whose passphrase is asked for first)')
            [CompletionResult]::new('--no-passphrase', '--no-passphrase', [CompletionResultType]::ParameterName, 'Keep the vault identity unencrypted in identity.txt (no passphrase; for automation)')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Also store the vault identity in the OS keychain (no passphrase prompts while it is unlocked)')
            [CompletionResult]::new('--weak-passphrase', '--weak-passphrase', [CompletionResultType]::ParameterName, 'Accept a passphrase shorter than the minimum (12 characters)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List secrets with masked values')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List secrets with masked values')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one secret''s metadata and masked values')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a raw value (and a newline) on stdout, for $(...) in scripts')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a value and record the rotation time')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a secret''s ref name')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a secret''s expiry or reveal policy (no value is read)')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move a secret to another store (vault, keychain, or a [[store]] from config.toml)')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Restore the value each field had before it was last replaced')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a secret and all its fields')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a secret and all its fields')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;secret;add' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Human label (default: the ref name)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Provider hint (e.g. openai, anthropic); see the README for the list')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Field to set')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store to keep it in: vault, keychain or a [[store]] name (default: where the secret is, else `default_store` in config.toml, else the vault)')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'When the key stops working: a date (2027-03-01), an RFC 3339 time, or a duration (90d)')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'This secret''s reveal policy: never (get/env refuse; exec works), prompt, or pipe')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read the value from standard input (one value; a trailing newline is stripped)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the field''s value if it exists already')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Only the secrets of this store')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Only the secrets of this scope (the trusted project''s, the active workspace''s, or your own)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (values masked)')
            [CompletionResult]::new('--stale', '--stale', [CompletionResultType]::ParameterName, 'Only secrets due for rotation (`rotation_days`, default 90) or expiring within 14 days')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit 9 when any secret is due or expiring (for cron)')
            [CompletionResult]::new('--rotate-due', '--rotate-due', [CompletionResultType]::ParameterName, 'With --stale: rotate each due secret through its provider (`secret rotate --via-provider`, the old key retired after 1h); the others are listed to rotate by hand')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;ls' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Only the secrets of this store')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Only the secrets of this scope (the trusted project''s, the active workspace''s, or your own)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (values masked)')
            [CompletionResult]::new('--stale', '--stale', [CompletionResultType]::ParameterName, 'Only secrets due for rotation (`rotation_days`, default 90) or expiring within 14 days')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit 9 when any secret is due or expiring (for cron)')
            [CompletionResult]::new('--rotate-due', '--rotate-due', [CompletionResultType]::ParameterName, 'With --stale: rotate each due secret through its provider (`secret rotate --via-provider`, the old key retired after 1h); the others are listed to rotate by hand')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;show' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store the secret is in (default: the first store that has it)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (values masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;get' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Field to print')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Read from this store directly (with `keychain`, even a value byok has no record of)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;rotate' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Field to replace')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store the secret is in (default: the first store that has it)')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'When the new key stops working: a date (2027-03-01), an RFC 3339 time, a duration (90d), or never')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --verify: seconds each connection test may take')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'With --via-provider: how long the old key keeps working (default 1h; 0 retires it now)')
            [CompletionResult]::new('--admin', '--admin', [CompletionResultType]::ParameterName, 'With --via-provider: the admin connection (default: the one of the secret''s provider)')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read the new value from standard input')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Test every connector using the secret with the new value first; keep the old value (exit 6) if any test fails')
            [CompletionResult]::new('--via-provider', '--via-provider', [CompletionResultType]::ParameterName, 'Make the new key at the provider (admin connection), test it, store it, reload running proxies, and retire the old key after --grace (Anthropic: give the new key with --stdin; byok retires the old one)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --via-provider: show each step, change nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;rename' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store the secret is in (default: the first store that has it)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;set' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'A new expiry: a date (2027-03-01), an RFC 3339 time, a duration (90d), or `never`')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'A new reveal policy: never, prompt or pipe (loosening asks for the vault passphrase)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store the secret is in (default: the first store that has it)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;move' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The store to move it to: vault, keychain or a [[store]] name')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The store it is in now (default: the first store that has it)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;rollback' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only this field (repeatable; default: every field with a previous value)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'For stores that keep numbered versions: the version to restore')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store the secret is in (default: the first store that has it)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'byok;secret;rm' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store the secret is in (default: the first store that has it)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove it even if connectors use it (they will fail until given another secret)')
            [CompletionResult]::new('--destroy', '--destroy', [CompletionResultType]::ParameterName, 'For stores with versions (OpenBao): destroy every version for good instead of a soft delete (asks for confirmation unless --yes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;remove' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The store the secret is in (default: the first store that has it)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove it even if connectors use it (they will fail until given another secret)')
            [CompletionResult]::new('--destroy', '--destroy', [CompletionResultType]::ParameterName, 'For stores with versions (OpenBao): destroy every version for good instead of a soft delete (asks for confirmation unless --yes)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;secret;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List secrets with masked values')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one secret''s metadata and masked values')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a raw value (and a newline) on stdout, for $(...) in scripts')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a value and record the rotation time')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a secret''s ref name')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a secret''s expiry or reveal policy (no value is read)')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move a secret to another store (vault, keychain, or a [[store]] from config.toml)')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Restore the value each field had before it was last replaced')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a secret and all its fields')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;secret;help;add' {
            break
        }
        'byok;secret;help;list' {
            break
        }
        'byok;secret;help;show' {
            break
        }
        'byok;secret;help;get' {
            break
        }
        'byok;secret;help;rotate' {
            break
        }
        'byok;secret;help;rename' {
            break
        }
        'byok;secret;help;set' {
            break
        }
        'byok;secret;help;move' {
            break
        }
        'byok;secret;help;rollback' {
            break
        }
        'byok;secret;help;rm' {
            break
        }
        'byok;secret;help;help' {
            break
        }
        'byok;connector' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a connector (lowest priority) after checking its type, secret and base URL')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List connectors in priority order (archived ones with --all)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List connectors in priority order (archived ones with --all)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one connector')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a connector''s type, secret, model, base URL or options')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send each connector''s provider a minimal chat request and report the outcome')
            [CompletionResult]::new('archive', 'archive', [CompletionResultType]::ParameterValue, 'Hide a connector from list, test and default (kept in config.toml)')
            [CompletionResult]::new('unarchive', 'unarchive', [CompletionResultType]::ParameterValue, 'Bring an archived connector back')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Change a connector''s priority; the first active one is the default')
            [CompletionResult]::new('default', 'default', [CompletionResultType]::ParameterValue, 'Show the default connector: the first active one')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'List the models the provider offers, marking the connector''s')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a connector (the secret stays in the vault)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a connector (the secret stays in the vault)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;connector;add' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Provider type (see `byok providers`; on a terminal, chosen from a list when missing)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Vault ref of the key (optional for local servers: ollama, lmstudio, vllm)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Model for tests and tools (default: the type''s default model)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'SDK-style base URL (e.g. https://api.openai.com/v1); byok appends endpoint paths')
            [CompletionResult]::new('--option', '--option', [CompletionResultType]::ParameterName, 'Adapter option, repeatable (deployment=…, api-version=…)')
            [CompletionResult]::new('--models', '--models', [CompletionResultType]::ParameterName, 'More models `byok proxy` routes to it, repeatable (globs with * and ?: gpt-4*)')
            [CompletionResult]::new('--service-user', '--service-user', [CompletionResultType]::ParameterName, 'The system user a plain-http loopback service runs as (a name or uid; "" removes it): the only owner of the port besides root and you that may receive the key')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow a plain http:// base URL on a non-loopback host')
            [CompletionResult]::new('--test', '--test', [CompletionResultType]::ParameterName, 'Run the connection test right after adding')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'The home''s own connectors, not the active workspace''s')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Only the connectors of this scope (the active workspace''s, or your own)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include archived connectors')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'Only the home''s own connectors (as if no workspace were active)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;ls' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Only the connectors of this scope (the active workspace''s, or your own)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include archived connectors')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'Only the home''s own connectors (as if no workspace were active)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;show' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;edit' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'New provider type')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'New vault ref of the key')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'New model ("" goes back to the type''s default)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'New base URL ("" goes back to the type''s default)')
            [CompletionResult]::new('--option', '--option', [CompletionResultType]::ParameterName, 'Set an option, repeatable; K= removes it')
            [CompletionResult]::new('--models', '--models', [CompletionResultType]::ParameterName, 'Replace the proxy''s model globs, repeatable (--models '''' clears them)')
            [CompletionResult]::new('--service-user', '--service-user', [CompletionResultType]::ParameterName, 'The system user a plain-http loopback service runs as (a name or uid; "" removes it): the only owner of the port besides root and you that may receive the key')
            [CompletionResult]::new('--clear-models', '--clear-models', [CompletionResultType]::ParameterName, 'Remove every model glob')
            [CompletionResult]::new('--allow-insecure-http', '--allow-insecure-http', [CompletionResultType]::ParameterName, 'Allow a plain http:// base URL on a non-loopback host')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'The home''s own connectors, not the active workspace''s')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;test' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request timeout in seconds')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt to send')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Test every active connector')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;archive' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'The home''s own connectors, not the active workspace''s')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;unarchive' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'The home''s own connectors, not the active workspace''s')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;move' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'To position N (1 = first)')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Make it the first (the default)')
            [CompletionResult]::new('--up', '--up', [CompletionResultType]::ParameterName, 'One place up')
            [CompletionResult]::new('--down', '--down', [CompletionResultType]::ParameterName, 'One place down')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'The home''s own connectors, not the active workspace''s')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;default' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;models' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;rm' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'The home''s own connectors, not the active workspace''s')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;remove' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'The home''s own connectors, not the active workspace''s')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;connector;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a connector (lowest priority) after checking its type, secret and base URL')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List connectors in priority order (archived ones with --all)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one connector')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a connector''s type, secret, model, base URL or options')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send each connector''s provider a minimal chat request and report the outcome')
            [CompletionResult]::new('archive', 'archive', [CompletionResultType]::ParameterValue, 'Hide a connector from list, test and default (kept in config.toml)')
            [CompletionResult]::new('unarchive', 'unarchive', [CompletionResultType]::ParameterValue, 'Bring an archived connector back')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Change a connector''s priority; the first active one is the default')
            [CompletionResult]::new('default', 'default', [CompletionResultType]::ParameterValue, 'Show the default connector: the first active one')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'List the models the provider offers, marking the connector''s')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a connector (the secret stays in the vault)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;connector;help;add' {
            break
        }
        'byok;connector;help;list' {
            break
        }
        'byok;connector;help;show' {
            break
        }
        'byok;connector;help;edit' {
            break
        }
        'byok;connector;help;test' {
            break
        }
        'byok;connector;help;archive' {
            break
        }
        'byok;connector;help;unarchive' {
            break
        }
        'byok;connector;help;move' {
            break
        }
        'byok;connector;help;default' {
            break
        }
        'byok;connector;help;models' {
            break
        }
        'byok;connector;help;rm' {
            break
        }
        'byok;connector;help;help' {
            break
        }
        'byok;admin' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare an admin connection: a provider''s admin key (a secret) and what it manages')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the admin connections')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check an admin connection with a read-only call; show what its provider allows')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove an admin connection (its secret stays)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Keys byok made at providers and old keys waiting to be retired (no network)')
            [CompletionResult]::new('sweep', 'sweep', [CompletionResultType]::ParameterValue, 'Revoke what finished or killed runs left at the providers; retire old keys now due')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;admin;add' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'openai, openrouter or anthropic')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The secret holding the admin key')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'OpenAI: the project (proj_…) minted keys belong to')
            [CompletionResult]::new('--workspace-id', '--workspace-id', [CompletionResultType]::ParameterName, 'OpenRouter: the workspace (uuid) keys are made and listed in')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The admin API''s base URL (https, or http to a loopback address); default the provider''s')
            [CompletionResult]::new('--exclusive', '--exclusive', [CompletionResultType]::ParameterName, 'A secret whose key is used only through byok (repeatable): `usage reconcile` exits 9 on spend the provider saw on it and the ledger did not')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;admin;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;admin;test' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;admin;rm' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;admin;status' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'json')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;admin;sweep' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;admin;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare an admin connection: a provider''s admin key (a secret) and what it manages')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the admin connections')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check an admin connection with a read-only call; show what its provider allows')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove an admin connection (its secret stays)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Keys byok made at providers and old keys waiting to be retired (no network)')
            [CompletionResult]::new('sweep', 'sweep', [CompletionResultType]::ParameterValue, 'Revoke what finished or killed runs left at the providers; retire old keys now due')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;admin;help;add' {
            break
        }
        'byok;admin;help;list' {
            break
        }
        'byok;admin;help;test' {
            break
        }
        'byok;admin;help;rm' {
            break
        }
        'byok;admin;help;status' {
            break
        }
        'byok;admin;help;sweep' {
            break
        }
        'byok;admin;help;help' {
            break
        }
        'byok;store' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare a store in config.toml (secrets go there with `--store NAME`)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the stores in resolution order')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a store''s type, location and settings')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check that a store can be read (and says why not)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a store from config.toml (its file or server is left as it is)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two git versions of an age-file store: refs added, changed, removed (never a value)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Keep a token (or an AppRole secret id) for a store, in the OS keychain')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;store;add' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'The store type')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'age-file: the vault file (relative paths are relative to the home directory)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'age-file: the identity that opens it (default: the home''s own identity)')
            [CompletionResult]::new('--address', '--address', [CompletionResultType]::ParameterName, 'openbao: a node''s address (repeatable; default: BAO_ADDR, else VAULT_ADDR)')
            [CompletionResult]::new('--mount', '--mount', [CompletionResultType]::ParameterName, 'openbao: the KV v2 mount [default: secret]')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'openbao: the path under the mount where byok''s entries live [default: byok/]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'openbao: the namespace (default: BAO_NAMESPACE, else VAULT_NAMESPACE)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'openbao: trust only this CA certificate (PEM; default: BAO_CACERT, else VAULT_CACERT)')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'openbao: how byok authenticates (then `byok store login NAME`)')
            [CompletionResult]::new('--role-id', '--role-id', [CompletionResultType]::ParameterName, 'openbao: the AppRole role id (with --auth approle)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'Make it the store `secret add` uses when no `--store` is given')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;store;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;store;show' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;store;test' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;store;rm' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;store;diff' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;store;login' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read the token (or AppRole secret id) from standard input')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;store;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare a store in config.toml (secrets go there with `--store NAME`)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the stores in resolution order')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a store''s type, location and settings')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check that a store can be read (and says why not)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a store from config.toml (its file or server is left as it is)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two git versions of an age-file store: refs added, changed, removed (never a value)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Keep a token (or an AppRole secret id) for a store, in the OS keychain')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;store;help;add' {
            break
        }
        'byok;store;help;list' {
            break
        }
        'byok;store;help;show' {
            break
        }
        'byok;store;help;test' {
            break
        }
        'byok;store;help;rm' {
            break
        }
        'byok;store;help;diff' {
            break
        }
        'byok;store;help;login' {
            break
        }
        'byok;store;help;help' {
            break
        }
        'byok;recipients' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a recipient and re-encrypt the store''s file to everyone')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the recipients of a store (and whether you accepted the list)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a recipient and re-encrypt the file to the others')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Review a recipients file changed by someone else (a pull) and accept it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;recipients;add' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The age-file store')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The member''s name, written as a comment above the key (default: an SSH key''s comment)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;recipients;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The age-file store')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;recipients;rm' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The age-file store')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;recipients;accept' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The age-file store')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Accept without asking (required without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;recipients;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a recipient and re-encrypt the store''s file to everyone')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the recipients of a store (and whether you accepted the list)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a recipient and re-encrypt the file to the others')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Review a recipients file changed by someone else (a pull) and accept it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;recipients;help;add' {
            break
        }
        'byok;recipients;help;list' {
            break
        }
        'byok;recipients;help;rm' {
            break
        }
        'byok;recipients;help;accept' {
            break
        }
        'byok;recipients;help;help' {
            break
        }
        'byok;providers' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;env' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Export one field of a secret as any variable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The syntax to print (default: powershell on Windows)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'Only the default connector (the first active one)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Print the values even when standard output is a terminal')
            [CompletionResult]::new('--allow-admin', '--allow-admin', [CompletionResultType]::ParameterName, 'Export an admin key too (it must be named as a TARGET or in --set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;exec' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Export one field of a secret as any variable')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Load variables from a dotenv file (repeatable); its byok:// references are resolved only when the file is trusted (`byok trust FILE`)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'With --via-proxy: the proxy on this address (used, or started there)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Name of the placeholder minted for this run (default exec-PID; refused when a token of that name exists, as its value cannot be shown again); revoked when CMD exits')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'With --ephemeral: the longest the minted key lives at the provider (default 1h)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'With --ephemeral: a dollar limit on the minted key (OpenRouter)')
            [CompletionResult]::new('--admin', '--admin', [CompletionResultType]::ParameterName, 'With --ephemeral: the admin connection to mint with (default: the one of the connector''s provider)')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'With --via-proxy: a tool API ([[api]] in config.toml) the command may use through the proxy (repeatable); its variables (e.g. GITHUB_TOKEN, GITHUB_API_URL) are set. Without TARGETs, only the APIs'' variables are set and the placeholder may use no model')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'Only the default connector (the first active one)')
            [CompletionResult]::new('--clean-env', '--clean-env', [CompletionResultType]::ParameterName, 'Start from an empty environment: only PATH, HOME, TERM and the keys')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Mask the injected values in the command''s output (byok stays in between)')
            [CompletionResult]::new('--allow-admin', '--allow-admin', [CompletionResultType]::ParameterName, 'Export an admin key too (it must be named: a TARGET, --set or a reference)')
            [CompletionResult]::new('--via-proxy', '--via-proxy', [CompletionResultType]::ParameterName, 'Point the command at this home''s running byok proxy (or one started for the command) with a placeholder key instead of the real one; TARGETs then name connectors')
            [CompletionResult]::new('--keep-proxy', '--keep-proxy', [CompletionResultType]::ParameterName, 'With --via-proxy: leave a proxy started for the command running after it')
            [CompletionResult]::new('--ephemeral', '--ephemeral', [CompletionResultType]::ParameterName, 'Mint a key for this run at the provider of the connector named as TARGET (OpenAI, OpenRouter, through its admin connection); revoked when CMD ends, expiring anyway')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;import' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be imported (values masked) and change nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the key of secrets that exist already (default: skip them)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--remove-source', '--remove-source', [CompletionResultType]::ParameterName, 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('dotenv', 'dotenv', [CompletionResultType]::ParameterValue, '*_API_KEY entries of a .env file')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, '*_API_KEY variables of byok''s own environment')
            [CompletionResult]::new('llm', 'llm', [CompletionResultType]::ParameterValue, 'Keys of the llm CLI (keys.json; default: where `llm keys path` points)')
            [CompletionResult]::new('aichat', 'aichat', [CompletionResultType]::ParameterValue, 'api_key entries of aichat''s config.yaml (default: aichat''s config file)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'List plaintext keys in other tools'' files (llm, aichat, opencode, aider, Continue, codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those of one file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;import;dotenv' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be imported (values masked) and change nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the key of secrets that exist already (default: skip them)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--remove-source', '--remove-source', [CompletionResultType]::ParameterName, 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;import;env' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be imported (values masked) and change nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the key of secrets that exist already (default: skip them)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--remove-source', '--remove-source', [CompletionResultType]::ParameterName, 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;import;llm' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be imported (values masked) and change nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the key of secrets that exist already (default: skip them)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--remove-source', '--remove-source', [CompletionResultType]::ParameterName, 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;import;aichat' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be imported (values masked) and change nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the key of secrets that exist already (default: skip them)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--remove-source', '--remove-source', [CompletionResultType]::ParameterName, 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;import;discover' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Import the keys discovery finds in this file (its format from its name)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be imported (values masked) and change nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the key of secrets that exist already (default: skip them)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--remove-source', '--remove-source', [CompletionResultType]::ParameterName, 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (the listing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;import;help' {
            [CompletionResult]::new('dotenv', 'dotenv', [CompletionResultType]::ParameterValue, '*_API_KEY entries of a .env file')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, '*_API_KEY variables of byok''s own environment')
            [CompletionResult]::new('llm', 'llm', [CompletionResultType]::ParameterValue, 'Keys of the llm CLI (keys.json; default: where `llm keys path` points)')
            [CompletionResult]::new('aichat', 'aichat', [CompletionResultType]::ParameterValue, 'api_key entries of aichat''s config.yaml (default: aichat''s config file)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'List plaintext keys in other tools'' files (llm, aichat, opencode, aider, Continue, codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those of one file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;import;help;dotenv' {
            break
        }
        'byok;import;help;env' {
            break
        }
        'byok;import;help;llm' {
            break
        }
        'byok;import;help;aichat' {
            break
        }
        'byok;import;help;discover' {
            break
        }
        'byok;import;help;help' {
            break
        }
        'byok;unlock' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'How long the identity stays cached (e.g. 90s, 15m, 2h)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;lock' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;passphrase' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--new-passphrase-file', '--new-passphrase-file', [CompletionResultType]::ParameterName, 'Read the new passphrase from this file (first line) instead of a prompt')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Remove the passphrase: the identity goes back to an unencrypted identity.txt')
            [CompletionResult]::new('--weak-passphrase', '--weak-passphrase', [CompletionResultType]::ParameterName, 'Accept a new passphrase shorter than the minimum (12 characters)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;keychain' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('remember', 'remember', [CompletionResultType]::ParameterValue, 'Store the vault identity in the OS keychain (asks for the passphrase once)')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Remove the vault identity from the OS keychain')
            [CompletionResult]::new('account', 'account', [CompletionResultType]::ParameterValue, 'Print the keychain account byok uses for a secret''s field (for secret-tool and co.)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;keychain;remember' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;keychain;forget' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;keychain;account' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'The field')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;keychain;help' {
            [CompletionResult]::new('remember', 'remember', [CompletionResultType]::ParameterValue, 'Store the vault identity in the OS keychain (asks for the passphrase once)')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Remove the vault identity from the OS keychain')
            [CompletionResult]::new('account', 'account', [CompletionResultType]::ParameterValue, 'Print the keychain account byok uses for a secret''s field (for secret-tool and co.)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;keychain;help;remember' {
            break
        }
        'byok;keychain;help;forget' {
            break
        }
        'byok;keychain;help;account' {
            break
        }
        'byok;keychain;help;help' {
            break
        }
        'byok;doctor' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;inject' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The template (default: standard input)')
            [CompletionResult]::new('--in', '--in', [CompletionResultType]::ParameterName, 'The template (default: standard input)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write (default: standard output, never a terminal)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write (default: standard output, never a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing output file')
            [CompletionResult]::new('--allow-admin', '--allow-admin', [CompletionResultType]::ParameterName, 'Render an admin key too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;trust' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Trust the project file without asking (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Trust the project file without asking (needed without a terminal)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the trusted files and whether they changed')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (with --list)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;untrust' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;scan' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--git', '--git', [CompletionResultType]::ParameterName, 'Scan the history: every commit reachable from RANGE (a git revision range; default: all refs)')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Scan what is staged for the next commit (the git index)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: an array of findings')
            [CompletionResult]::new('--shapes-only', '--shapes-only', [CompletionResultType]::ParameterName, 'Only key shapes: do not read the stored values (no unlock needed)')
            [CompletionResult]::new('--values-only', '--values-only', [CompletionResultType]::ParameterName, 'Only stored values: no key-shape rules')
            [CompletionResult]::new('--no-ignore', '--no-ignore', [CompletionResultType]::ParameterName, 'Scan files that .gitignore leaves out too (a working tree only: history has no ignored files)')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'On a stored API key found: rotate it through its provider and disable (or delete) the leaked key there at once (`secret rotate --via-provider --grace 0`)')
            [CompletionResult]::new('--install-hook', '--install-hook', [CompletionResultType]::ParameterName, 'Install (or chain into) the repository''s pre-commit hook running `byok scan --staged`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;audit' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries newer than this: a duration (7d, 12h) or a date (2026-11-01)')
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'Only entries about this secret')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only this action (e.g. secret.read, secret.rotate, connector.test)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (one array of entries)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the log''s MAC chain and the head recorded in the vault (exit 9 on failure)')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;audit;verify' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;audit;reset' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the log''s MAC chain and the head recorded in the vault (exit 9 on failure)')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;audit;help;verify' {
            break
        }
        'byok;audit;help;reset' {
            break
        }
        'byok;audit;help;help' {
            break
        }
        'byok;reveal' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'Set it for this secret instead of the whole home')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;backup' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'With --passphrase: read the passphrase from the first line of this file')
            [CompletionResult]::new('--passphrase', '--passphrase', [CompletionResultType]::ParameterName, 'Encrypt to a passphrase (age scrypt) typed at a prompt, instead of the vault identity')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;restore' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--passphrase-file', '--passphrase-file', [CompletionResultType]::ParameterName, 'For a passphrase backup, or a passphrase-protected --identity: read the passphrase from the first line of this file')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'The identity the backup is encrypted to, when it is another home''s (a new machine): its identity.txt, or its identity.age (the passphrase is asked for)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;workspace' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a workspace with its own age-file store in the home')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workspaces')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a workspace active when no flag, BYOK_WORKSPACE or project file names one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Forget a workspace (its store file is kept)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;workspace;add' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The store file (default: workspaces/NAME.age in the home)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the workspace''s secrets in this named team store (a [[store]] of config.toml)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Under this prefix of the store''s own (stores with prefixes: openbao)')
            [CompletionResult]::new('--no-fallback', '--no-fallback', [CompletionResultType]::ParameterName, 'Never fall back to your own (global) secrets')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;workspace;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;workspace;use' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--none', '--none', [CompletionResultType]::ParameterName, 'No workspace')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;workspace;rm' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;workspace;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a workspace with its own age-file store in the home')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workspaces')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a workspace active when no flag, BYOK_WORKSPACE or project file names one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Forget a workspace (its store file is kept)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;workspace;help;add' {
            break
        }
        'byok;workspace;help;list' {
            break
        }
        'byok;workspace;help;use' {
            break
        }
        'byok;workspace;help;rm' {
            break
        }
        'byok;workspace;help;help' {
            break
        }
        'byok;hook' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Print the code for the current directory (what the hook runs on cd)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;status' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;completions' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Loopback address to listen on [default: `listen` under [proxy], else 127.0.0.1:8787]')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Serve only these connectors (repeatable; default: every active one)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for a provider''s response headers, and between stream chunks')
            [CompletionResult]::new('--cooldown', '--cooldown', [CompletionResultType]::ParameterName, 'How long a connector whose key was refused (or out of quota) is skipped')
            [CompletionResult]::new('--unreachable-cooldown', '--unreachable-cooldown', [CompletionResultType]::ParameterName, 'How long a connector that refused the connection or timed out is skipped')
            [CompletionResult]::new('--passphrase-fd', '--passphrase-fd', [CompletionResultType]::ParameterName, 'Agent-proof mode: read the vault passphrase once from this open file descriptor (for service managers; default: a prompt on the terminal)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--background', '--background', [CompletionResultType]::ParameterName, 'Detach, and return once the proxy serves')
            [CompletionResult]::new('--agent-proof', '--agent-proof', [CompletionResultType]::ParameterName, 'Start only if nothing but this proxy can unlock the vault or read a key it serves (also `agent_proof = true` under `[proxy]` in config.toml)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Agent-proof mode: print every start-up condition as met, unmet or cannot verify, with its fix, and exit (0: all met, 8: not) without asking for the passphrase')
            [CompletionResult]::new('--accept-same-user-ptrace', '--accept-same-user-ptrace', [CompletionResultType]::ParameterName, 'Agent-proof mode: start although the kernel lets any process of yours trace another (no Yama, or ptrace_scope 0), accepting that an agent could trace the terminal you type the passphrase in')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Create, list and revoke placeholder tokens')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the running proxies, their connectors and cooldowns')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a running proxy (SIGTERM: in-flight requests finish)')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Make a running proxy read config.toml and its keys again (an invalid config keeps the old routing); an agent-proof proxy refuses: restart it with the passphrase')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)')
            [CompletionResult]::new('agent-proof', 'agent-proof', [CompletionResultType]::ParameterValue, 'Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;proxy;token' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a placeholder and print it (the only time it is shown)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (names, expiry, model globs; never values)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List tokens (names, expiry, model globs; never values)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token; a running proxy refuses it at once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;proxy;token;create' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Lifetime (e.g. 8h, 30d); default: until revoked')
            [CompletionResult]::new('--models', '--models', [CompletionResultType]::ParameterName, 'Model globs the token may use (repeatable; default: any)')
            [CompletionResult]::new('--budget', '--budget', [CompletionResultType]::ParameterName, 'A daily budget (UTC days): 5usd/day (estimated cost) or 2Mtok/day (input + output)')
            [CompletionResult]::new('--mint', '--mint', [CompletionResultType]::ParameterName, 'Serve the token only by this connector, with a key minted for it at the provider (OpenAI, OpenRouter; an admin connection): it expires with the token, and `token revoke` revokes it')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'With --mint: a dollar limit on the minted key (OpenRouter)')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'A tool API ([[api]] in config.toml) the token may use at /api/NAME (repeatable); without --models, such a token may use no model')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON object with a `token` field')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy;token;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy;token;ls' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy;token;revoke' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy;token;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a placeholder and print it (the only time it is shown)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (names, expiry, model globs; never values)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token; a running proxy refuses it at once')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;proxy;token;help;create' {
            break
        }
        'byok;proxy;token;help;list' {
            break
        }
        'byok;proxy;token;help;revoke' {
            break
        }
        'byok;proxy;token;help;help' {
            break
        }
        'byok;proxy;status' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Only the proxy on this address')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy;stop' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'The proxy''s address [default: the home''s running proxy; with several, the one on `listen` under [proxy], else 127.0.0.1:8787]')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy;reload' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'The proxy''s address [default: the home''s running proxy; with several, the one on `listen` under [proxy], else 127.0.0.1:8787]')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy;pin' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Pin without asking (the changes are still printed)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Pin without asking (the changes are still printed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy;agent-proof' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;proxy;help' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Create, list and revoke placeholder tokens')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the running proxies, their connectors and cooldowns')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a running proxy (SIGTERM: in-flight requests finish)')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Make a running proxy read config.toml and its keys again (an invalid config keeps the old routing); an agent-proof proxy refuses: restart it with the passphrase')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)')
            [CompletionResult]::new('agent-proof', 'agent-proof', [CompletionResultType]::ParameterValue, 'Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;proxy;help;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a placeholder and print it (the only time it is shown)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (names, expiry, model globs; never values)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token; a running proxy refuses it at once')
            break
        }
        'byok;proxy;help;token;create' {
            break
        }
        'byok;proxy;help;token;list' {
            break
        }
        'byok;proxy;help;token;revoke' {
            break
        }
        'byok;proxy;help;status' {
            break
        }
        'byok;proxy;help;stop' {
            break
        }
        'byok;proxy;help;reload' {
            break
        }
        'byok;proxy;help;pin' {
            break
        }
        'byok;proxy;help;agent-proof' {
            break
        }
        'byok;proxy;help;help' {
            break
        }
        'byok;usage' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Rows since a duration ago (7d, 24h) or a UTC date (2026-11-01) or RFC 3339 time')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by token, connector, provider, model or day')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Write a self-contained HTML report (no network access) to FILE')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'CSV output (a header line, then one line per group)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit 9 when today''s spend of a token or connector exceeds [usage] anomaly_factor × its 7-day daily median, or a connector''s auth failures today exceed auth_failure_threshold')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('reconcile', 'reconcile', [CompletionResultType]::ParameterValue, 'Find spend byok never saw: each key''s usage at its provider against the ledger')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;usage;reconcile' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Whole UTC days since a duration ago (7d) or a UTC date (2026-11-01)')
            [CompletionResult]::new('--admin', '--admin', [CompletionResultType]::ParameterName, 'Only this admin connection (default: every one)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;usage;help' {
            [CompletionResult]::new('reconcile', 'reconcile', [CompletionResultType]::ParameterValue, 'Find spend byok never saw: each key''s usage at its provider against the ledger')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;usage;help;reconcile' {
            break
        }
        'byok;usage;help;help' {
            break
        }
        'byok;mcp' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'The [[mcp.policy]] rules of config.toml that grant agents'' requests without a person')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;mcp;policy' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited rules grant nothing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;mcp;policy;pin' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Pin without asking (shows the rules all the same)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;mcp;policy;help' {
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited rules grant nothing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;mcp;policy;help;pin' {
            break
        }
        'byok;mcp;policy;help;help' {
            break
        }
        'byok;mcp;help' {
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'The [[mcp.policy]] rules of config.toml that grant agents'' requests without a person')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;mcp;help;policy' {
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited rules grant nothing')
            break
        }
        'byok;mcp;help;policy;pin' {
            break
        }
        'byok;mcp;help;help' {
            break
        }
        'byok;approve' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--digest', '--digest', [CompletionResultType]::ParameterName, 'Approve only if the request''s digest starts with this (at least 16 hex digits, as shown); required without a terminal')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Deny the request instead')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Grant every pending request the pinned [[mcp.policy]] rules cover (needs the passphrase); the others stay pending')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'With --policy: keep running and grant covered requests as they arrive; stops when config.toml''s rules no longer match the pin')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;man' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write byok.1 and a page for every subcommand (byok-secret-get.1, …) into DIR (created if missing) instead of printing byok(1)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;__complete' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;adopt' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Import an MCP config''s keys and start each server through `byok exec` with only its own')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;adopt;mcp' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'Home directory holding the vault and config [env: BYOK_HOME]')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]')
            [CompletionResult]::new('--byok', '--byok', [CompletionResultType]::ParameterName, 'The program the servers start (default: `byok` when that is this byok on PATH, else this byok''s full path)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the diff (values masked) and change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--undo', '--undo', [CompletionResultType]::ParameterName, 'Put back the file as it was before its last adoption')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'With --undo: restore even though the file changed since (its content is kept as a backup)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'byok;adopt;help' {
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Import an MCP config''s keys and start each server through `byok exec` with only its own')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;adopt;help;mcp' {
            break
        }
        'byok;adopt;help;help' {
            break
        }
        'byok;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the vault and its identity in the home directory')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Add, list, read, rotate, rename, move and remove secrets')
            [CompletionResult]::new('connector', 'connector', [CompletionResultType]::ParameterValue, 'Connect providers to secrets: add, list, test, order and archive connectors')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Admin connections: mint, rotate and retire keys through the providers'' admin APIs')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Add, list, show, test and remove stores: the places secrets live besides the vault')
            [CompletionResult]::new('recipients', 'recipients', [CompletionResultType]::ParameterValue, 'Who an age-file store is encrypted to: add, list, remove and accept recipients')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the provider types: default base URLs, auth style, env var names, default model')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print shell code that exports keys (for eval, source, .env files)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with keys added to its environment')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import keys from a .env file, the environment, llm or aichat')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Cache the unlocked vault identity for a while (Linux kernel keyring), so scripts need no passphrase')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Drop the cached vault identity at once')
            [CompletionResult]::new('passphrase', 'passphrase', [CompletionResultType]::ParameterValue, 'Add, change or remove the vault passphrase (re-encrypts the identity only)')
            [CompletionResult]::new('keychain', 'keychain', [CompletionResultType]::ParameterValue, 'Keep the vault identity in the OS keychain, so reading the vault needs no passphrase')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the home directory, vault, keychain, session cache and secrets; suggest fixes')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Render byok:// placeholders of a template into a config file (0600)')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Trust a file''s byok:// references (by path and contents), or list trusted files')
            [CompletionResult]::new('untrust', 'untrust', [CompletionResultType]::ParameterValue, 'Forget a trusted file (without FILE: every trusted file that changed or is gone)')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Find leaked keys: stored values and key-shaped strings in files, git history or the index')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show the audit log (who did what, when; never a value), or verify it')
            [CompletionResult]::new('reveal', 'reveal', [CompletionResultType]::ParameterValue, 'Show or set the reveal policy (never, prompt, pipe) of this home or of one secret')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Write an encrypted backup: the vault, config.toml and the keychain''s values')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a backup (keeps the replaced vault and config.toml beside them)')
            [CompletionResult]::new('workspace', 'workspace', [CompletionResultType]::ParameterValue, 'Workspaces: their own secrets, resolved before yours (add, list, use, rm)')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Print a shell hook that exports a trusted project''s keys on cd (and restores on cd out)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the project file (trusted or not), environment, and where each variable comes from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Run a loopback proxy that injects keys: tools get placeholder tokens, byok keeps the keys')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Show usage and costs from the ledger: requests, failures, latency, tokens, cost')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve byok to an AI agent over MCP (stdio): models, usage, access requests; never a key')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'List agents'' access requests (from `byok mcp`), approve or deny one (needs the passphrase)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff), or write one page per subcommand into a directory')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'Candidates for the completion scripts (connector names, ref names)')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Take the plaintext keys out of other tools'' configs (MCP servers), into byok')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'byok;help;init' {
            break
        }
        'byok;help;secret' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List secrets with masked values')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one secret''s metadata and masked values')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a raw value (and a newline) on stdout, for $(...) in scripts')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a value and record the rotation time')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a secret''s ref name')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a secret''s expiry or reveal policy (no value is read)')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move a secret to another store (vault, keychain, or a [[store]] from config.toml)')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Restore the value each field had before it was last replaced')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a secret and all its fields')
            break
        }
        'byok;help;secret;add' {
            break
        }
        'byok;help;secret;list' {
            break
        }
        'byok;help;secret;show' {
            break
        }
        'byok;help;secret;get' {
            break
        }
        'byok;help;secret;rotate' {
            break
        }
        'byok;help;secret;rename' {
            break
        }
        'byok;help;secret;set' {
            break
        }
        'byok;help;secret;move' {
            break
        }
        'byok;help;secret;rollback' {
            break
        }
        'byok;help;secret;rm' {
            break
        }
        'byok;help;connector' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a connector (lowest priority) after checking its type, secret and base URL')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List connectors in priority order (archived ones with --all)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one connector')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a connector''s type, secret, model, base URL or options')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send each connector''s provider a minimal chat request and report the outcome')
            [CompletionResult]::new('archive', 'archive', [CompletionResultType]::ParameterValue, 'Hide a connector from list, test and default (kept in config.toml)')
            [CompletionResult]::new('unarchive', 'unarchive', [CompletionResultType]::ParameterValue, 'Bring an archived connector back')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Change a connector''s priority; the first active one is the default')
            [CompletionResult]::new('default', 'default', [CompletionResultType]::ParameterValue, 'Show the default connector: the first active one')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'List the models the provider offers, marking the connector''s')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a connector (the secret stays in the vault)')
            break
        }
        'byok;help;connector;add' {
            break
        }
        'byok;help;connector;list' {
            break
        }
        'byok;help;connector;show' {
            break
        }
        'byok;help;connector;edit' {
            break
        }
        'byok;help;connector;test' {
            break
        }
        'byok;help;connector;archive' {
            break
        }
        'byok;help;connector;unarchive' {
            break
        }
        'byok;help;connector;move' {
            break
        }
        'byok;help;connector;default' {
            break
        }
        'byok;help;connector;models' {
            break
        }
        'byok;help;connector;rm' {
            break
        }
        'byok;help;admin' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare an admin connection: a provider''s admin key (a secret) and what it manages')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the admin connections')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check an admin connection with a read-only call; show what its provider allows')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove an admin connection (its secret stays)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Keys byok made at providers and old keys waiting to be retired (no network)')
            [CompletionResult]::new('sweep', 'sweep', [CompletionResultType]::ParameterValue, 'Revoke what finished or killed runs left at the providers; retire old keys now due')
            break
        }
        'byok;help;admin;add' {
            break
        }
        'byok;help;admin;list' {
            break
        }
        'byok;help;admin;test' {
            break
        }
        'byok;help;admin;rm' {
            break
        }
        'byok;help;admin;status' {
            break
        }
        'byok;help;admin;sweep' {
            break
        }
        'byok;help;store' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare a store in config.toml (secrets go there with `--store NAME`)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the stores in resolution order')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a store''s type, location and settings')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check that a store can be read (and says why not)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a store from config.toml (its file or server is left as it is)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two git versions of an age-file store: refs added, changed, removed (never a value)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Keep a token (or an AppRole secret id) for a store, in the OS keychain')
            break
        }
        'byok;help;store;add' {
            break
        }
        'byok;help;store;list' {
            break
        }
        'byok;help;store;show' {
            break
        }
        'byok;help;store;test' {
            break
        }
        'byok;help;store;rm' {
            break
        }
        'byok;help;store;diff' {
            break
        }
        'byok;help;store;login' {
            break
        }
        'byok;help;recipients' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a recipient and re-encrypt the store''s file to everyone')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the recipients of a store (and whether you accepted the list)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a recipient and re-encrypt the file to the others')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Review a recipients file changed by someone else (a pull) and accept it')
            break
        }
        'byok;help;recipients;add' {
            break
        }
        'byok;help;recipients;list' {
            break
        }
        'byok;help;recipients;rm' {
            break
        }
        'byok;help;recipients;accept' {
            break
        }
        'byok;help;providers' {
            break
        }
        'byok;help;env' {
            break
        }
        'byok;help;exec' {
            break
        }
        'byok;help;import' {
            [CompletionResult]::new('dotenv', 'dotenv', [CompletionResultType]::ParameterValue, '*_API_KEY entries of a .env file')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, '*_API_KEY variables of byok''s own environment')
            [CompletionResult]::new('llm', 'llm', [CompletionResultType]::ParameterValue, 'Keys of the llm CLI (keys.json; default: where `llm keys path` points)')
            [CompletionResult]::new('aichat', 'aichat', [CompletionResultType]::ParameterValue, 'api_key entries of aichat''s config.yaml (default: aichat''s config file)')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'List plaintext keys in other tools'' files (llm, aichat, opencode, aider, Continue, codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those of one file')
            break
        }
        'byok;help;import;dotenv' {
            break
        }
        'byok;help;import;env' {
            break
        }
        'byok;help;import;llm' {
            break
        }
        'byok;help;import;aichat' {
            break
        }
        'byok;help;import;discover' {
            break
        }
        'byok;help;unlock' {
            break
        }
        'byok;help;lock' {
            break
        }
        'byok;help;passphrase' {
            break
        }
        'byok;help;keychain' {
            [CompletionResult]::new('remember', 'remember', [CompletionResultType]::ParameterValue, 'Store the vault identity in the OS keychain (asks for the passphrase once)')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Remove the vault identity from the OS keychain')
            [CompletionResult]::new('account', 'account', [CompletionResultType]::ParameterValue, 'Print the keychain account byok uses for a secret''s field (for secret-tool and co.)')
            break
        }
        'byok;help;keychain;remember' {
            break
        }
        'byok;help;keychain;forget' {
            break
        }
        'byok;help;keychain;account' {
            break
        }
        'byok;help;doctor' {
            break
        }
        'byok;help;inject' {
            break
        }
        'byok;help;trust' {
            break
        }
        'byok;help;untrust' {
            break
        }
        'byok;help;scan' {
            break
        }
        'byok;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the log''s MAC chain and the head recorded in the vault (exit 9 on failure)')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify')
            break
        }
        'byok;help;audit;verify' {
            break
        }
        'byok;help;audit;reset' {
            break
        }
        'byok;help;reveal' {
            break
        }
        'byok;help;backup' {
            break
        }
        'byok;help;restore' {
            break
        }
        'byok;help;workspace' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a workspace with its own age-file store in the home')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workspaces')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a workspace active when no flag, BYOK_WORKSPACE or project file names one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Forget a workspace (its store file is kept)')
            break
        }
        'byok;help;workspace;add' {
            break
        }
        'byok;help;workspace;list' {
            break
        }
        'byok;help;workspace;use' {
            break
        }
        'byok;help;workspace;rm' {
            break
        }
        'byok;help;hook' {
            break
        }
        'byok;help;status' {
            break
        }
        'byok;help;completions' {
            break
        }
        'byok;help;proxy' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Create, list and revoke placeholder tokens')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the running proxies, their connectors and cooldowns')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a running proxy (SIGTERM: in-flight requests finish)')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Make a running proxy read config.toml and its keys again (an invalid config keeps the old routing); an agent-proof proxy refuses: restart it with the passphrase')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)')
            [CompletionResult]::new('agent-proof', 'agent-proof', [CompletionResultType]::ParameterValue, 'Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)')
            break
        }
        'byok;help;proxy;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a placeholder and print it (the only time it is shown)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (names, expiry, model globs; never values)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token; a running proxy refuses it at once')
            break
        }
        'byok;help;proxy;token;create' {
            break
        }
        'byok;help;proxy;token;list' {
            break
        }
        'byok;help;proxy;token;revoke' {
            break
        }
        'byok;help;proxy;status' {
            break
        }
        'byok;help;proxy;stop' {
            break
        }
        'byok;help;proxy;reload' {
            break
        }
        'byok;help;proxy;pin' {
            break
        }
        'byok;help;proxy;agent-proof' {
            break
        }
        'byok;help;usage' {
            [CompletionResult]::new('reconcile', 'reconcile', [CompletionResultType]::ParameterValue, 'Find spend byok never saw: each key''s usage at its provider against the ledger')
            break
        }
        'byok;help;usage;reconcile' {
            break
        }
        'byok;help;mcp' {
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'The [[mcp.policy]] rules of config.toml that grant agents'' requests without a person')
            break
        }
        'byok;help;mcp;policy' {
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited rules grant nothing')
            break
        }
        'byok;help;mcp;policy;pin' {
            break
        }
        'byok;help;approve' {
            break
        }
        'byok;help;man' {
            break
        }
        'byok;help;__complete' {
            break
        }
        'byok;help;adopt' {
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Import an MCP config''s keys and start each server through `byok exec` with only its own')
            break
        }
        'byok;help;adopt;mcp' {
            break
        }
        'byok;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
