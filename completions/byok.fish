# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_byok_global_optspecs
    string join \n home= env= workspace= h/help V/version
end

function __fish_byok_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_byok_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_byok_using_subcommand
    set -l cmd (__fish_byok_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c byok -n "__fish_byok_needs_command" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_needs_command" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_needs_command" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_needs_command" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_needs_command" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_needs_command" -f -a "init" -d 'Create the vault and its identity in the home directory'
complete -c byok -n "__fish_byok_needs_command" -f -a "secret" -d 'Add, list, read, rotate, rename, move and remove secrets'
complete -c byok -n "__fish_byok_needs_command" -f -a "connector" -d 'Connect providers to secrets: add, list, test, order and archive connectors'
complete -c byok -n "__fish_byok_needs_command" -f -a "admin" -d 'Admin connections: mint, rotate and retire keys through the providers\' admin APIs'
complete -c byok -n "__fish_byok_needs_command" -f -a "store" -d 'Add, list, show, test and remove stores: the places secrets live besides the vault'
complete -c byok -n "__fish_byok_needs_command" -f -a "recipients" -d 'Who an age-file store is encrypted to: add, list, remove and accept recipients'
complete -c byok -n "__fish_byok_needs_command" -f -a "providers" -d 'List the provider types: default base URLs, auth style, env var names, default model'
complete -c byok -n "__fish_byok_needs_command" -f -a "env" -d 'Print shell code that exports keys (for eval, source, .env files)'
complete -c byok -n "__fish_byok_needs_command" -f -a "exec" -d 'Run a command with keys added to its environment'
complete -c byok -n "__fish_byok_needs_command" -f -a "import" -d 'Import keys from a .env file, the environment, llm or aichat'
complete -c byok -n "__fish_byok_needs_command" -f -a "unlock" -d 'Cache the unlocked vault identity for a while (Linux kernel keyring), so scripts need no passphrase'
complete -c byok -n "__fish_byok_needs_command" -f -a "lock" -d 'Drop the cached vault identity at once'
complete -c byok -n "__fish_byok_needs_command" -f -a "passphrase" -d 'Add, change or remove the vault passphrase (re-encrypts the identity only)'
complete -c byok -n "__fish_byok_needs_command" -f -a "keychain" -d 'Keep the vault identity in the OS keychain, so reading the vault needs no passphrase'
complete -c byok -n "__fish_byok_needs_command" -f -a "doctor" -d 'Check the home directory, vault, keychain, session cache and secrets; suggest fixes'
complete -c byok -n "__fish_byok_needs_command" -f -a "inject" -d 'Render byok:// placeholders of a template into a config file (0600)'
complete -c byok -n "__fish_byok_needs_command" -f -a "trust" -d 'Trust a file\'s byok:// references (by path and contents), or list trusted files'
complete -c byok -n "__fish_byok_needs_command" -f -a "untrust" -d 'Forget a trusted file (without FILE: every trusted file that changed or is gone)'
complete -c byok -n "__fish_byok_needs_command" -f -a "scan" -d 'Find leaked keys: stored values and key-shaped strings in files, git history or the index'
complete -c byok -n "__fish_byok_needs_command" -f -a "audit" -d 'Show the audit log (who did what, when; never a value), or verify it'
complete -c byok -n "__fish_byok_needs_command" -f -a "reveal" -d 'Show or set the reveal policy (never, prompt, pipe) of this home or of one secret'
complete -c byok -n "__fish_byok_needs_command" -f -a "backup" -d 'Write an encrypted backup: the vault, config.toml and the keychain\'s values'
complete -c byok -n "__fish_byok_needs_command" -f -a "restore" -d 'Restore a backup (keeps the replaced vault and config.toml beside them)'
complete -c byok -n "__fish_byok_needs_command" -f -a "workspace" -d 'Workspaces: their own secrets, resolved before yours (add, list, use, rm)'
complete -c byok -n "__fish_byok_needs_command" -f -a "hook" -d 'Print a shell hook that exports a trusted project\'s keys on cd (and restores on cd out)'
complete -c byok -n "__fish_byok_needs_command" -f -a "status" -d 'Show the project file (trusted or not), environment, and where each variable comes from'
complete -c byok -n "__fish_byok_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c byok -n "__fish_byok_needs_command" -f -a "proxy" -d 'Run a loopback proxy that injects keys: tools get placeholder tokens, byok keeps the keys'
complete -c byok -n "__fish_byok_needs_command" -f -a "usage" -d 'Show usage and costs from the ledger: requests, failures, latency, tokens, cost'
complete -c byok -n "__fish_byok_needs_command" -f -a "mcp" -d 'Serve byok to an AI agent over MCP (stdio): models, usage, access requests; never a key'
complete -c byok -n "__fish_byok_needs_command" -f -a "approve" -d 'List agents\' access requests (from `byok mcp`), approve or deny one (needs the passphrase)'
complete -c byok -n "__fish_byok_needs_command" -f -a "man" -d 'Print the manual page (roff), or write one page per subcommand into a directory'
complete -c byok -n "__fish_byok_needs_command" -f -a "__complete" -d 'Candidates for the completion scripts (connector names, ref names)'
complete -c byok -n "__fish_byok_needs_command" -f -a "adopt" -d 'Take the plaintext keys out of other tools\' configs (MCP servers), into byok'
complete -c byok -n "__fish_byok_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand init" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand init" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand init" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand init" -l identity -d 'Keep an existing identity instead of creating one (moving machines: the old home\'s identity.txt, or its identity.age, whose passphrase is asked for first)' -r -F
complete -c byok -n "__fish_byok_using_subcommand init" -l no-passphrase -d 'Keep the vault identity unencrypted in identity.txt (no passphrase; for automation)'
complete -c byok -n "__fish_byok_using_subcommand init" -l keychain -d 'Also store the vault identity in the OS keychain (no passphrase prompts while it is unlocked)'
complete -c byok -n "__fish_byok_using_subcommand init" -l weak-passphrase -d 'Accept a passphrase shorter than the minimum (12 characters)'
complete -c byok -n "__fish_byok_using_subcommand init" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand init" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "add" -d 'Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "list" -d 'List secrets with masked values'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "ls" -d 'List secrets with masked values'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "show" -d 'Show one secret\'s metadata and masked values'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "get" -d 'Print a raw value (and a newline) on stdout, for $(...) in scripts'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "rotate" -d 'Replace a value and record the rotation time'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "rename" -d 'Rename a secret\'s ref name'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "set" -d 'Change a secret\'s expiry or reveal policy (no value is read)'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "move" -d 'Move a secret to another store (vault, keychain, or a [[store]] from config.toml)'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "rollback" -d 'Restore the value each field had before it was last replaced'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "rm" -d 'Remove a secret and all its fields'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "remove" -d 'Remove a secret and all its fields'
complete -c byok -n "__fish_byok_using_subcommand secret; and not __fish_seen_subcommand_from add list ls show get rotate rename set move rollback rm remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l name -d 'Human label (default: the ref name)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l provider -d 'Provider hint (e.g. openai, anthropic); see the README for the list' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l field -d 'Field to set' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l store -d 'The store to keep it in: vault, keychain or a [[store]] name (default: where the secret is, else `default_store` in config.toml, else the vault)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l expires -d 'When the key stops working: a date (2027-03-01), an RFC 3339 time, or a duration (90d)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l reveal -d 'This secret\'s reveal policy: never (get/env refuse; exec works), prompt, or pipe' -r -f -a "never\t''
prompt\t''
pipe\t''"
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l stdin -d 'Read the value from standard input (one value; a trailing newline is stripped)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -l force -d 'Replace the field\'s value if it exists already'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -l store -d 'Only the secrets of this store' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -l scope -d 'Only the secrets of this scope (the trusted project\'s, the active workspace\'s, or your own)' -r -f -a "global\t''
workspace\t''
project\t''"
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable output (values masked)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -l stale -d 'Only secrets due for rotation (`rotation_days`, default 90) or expiring within 14 days'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -l check -d 'Exit 9 when any secret is due or expiring (for cron)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -l rotate-due -d 'With --stale: rotate each due secret through its provider (`secret rotate --via-provider`, the old key retired after 1h); the others are listed to rotate by hand'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -l store -d 'Only the secrets of this store' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -l scope -d 'Only the secrets of this scope (the trusted project\'s, the active workspace\'s, or your own)' -r -f -a "global\t''
workspace\t''
project\t''"
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -l json -d 'Machine-readable output (values masked)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -l stale -d 'Only secrets due for rotation (`rotation_days`, default 90) or expiring within 14 days'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -l check -d 'Exit 9 when any secret is due or expiring (for cron)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -l rotate-due -d 'With --stale: rotate each due secret through its provider (`secret rotate --via-provider`, the old key retired after 1h); the others are listed to rotate by hand'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from show" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from show" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from show" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from show" -l store -d 'The store the secret is in (default: the first store that has it)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable output (values masked)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from get" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from get" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from get" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from get" -l field -d 'Field to print' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from get" -l store -d 'Read from this store directly (with `keychain`, even a value byok has no record of)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l field -d 'Field to replace' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l store -d 'The store the secret is in (default: the first store that has it)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l expires -d 'When the new key stops working: a date (2027-03-01), an RFC 3339 time, a duration (90d), or never' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l timeout -d 'With --verify: seconds each connection test may take' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l grace -d 'With --via-provider: how long the old key keeps working (default 1h; 0 retires it now)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l admin -d 'With --via-provider: the admin connection (default: the one of the secret\'s provider)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l stdin -d 'Read the new value from standard input'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l verify -d 'Test every connector using the secret with the new value first; keep the old value (exit 6) if any test fails'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l via-provider -d 'Make the new key at the provider (admin connection), test it, store it, reload running proxies, and retire the old key after --grace (Anthropic: give the new key with --stdin; byok retires the old one)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -l dry-run -d 'With --via-provider: show each step, change nothing'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rotate" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rename" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rename" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rename" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rename" -l store -d 'The store the secret is in (default: the first store that has it)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from set" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from set" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from set" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from set" -l expires -d 'A new expiry: a date (2027-03-01), an RFC 3339 time, a duration (90d), or `never`' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from set" -l reveal -d 'A new reveal policy: never, prompt or pipe (loosening asks for the vault passphrase)' -r -f -a "never\t''
prompt\t''
pipe\t''"
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from set" -l store -d 'The store the secret is in (default: the first store that has it)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from move" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from move" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from move" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from move" -l to -d 'The store to move it to: vault, keychain or a [[store]] name' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from move" -l from -d 'The store it is in now (default: the first store that has it)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from move" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rollback" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rollback" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rollback" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rollback" -l field -d 'Only this field (repeatable; default: every field with a previous value)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rollback" -l version -d 'For stores that keep numbered versions: the version to restore' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rollback" -l store -d 'The store the secret is in (default: the first store that has it)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rm" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rm" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rm" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rm" -l store -d 'The store the secret is in (default: the first store that has it)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rm" -l force -d 'Remove it even if connectors use it (they will fail until given another secret)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rm" -l destroy -d 'For stores with versions (OpenBao): destroy every version for good instead of a soft delete (asks for confirmation unless --yes)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from remove" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from remove" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from remove" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from remove" -l store -d 'The store the secret is in (default: the first store that has it)' -r
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from remove" -l force -d 'Remove it even if connectors use it (they will fail until given another secret)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from remove" -l destroy -d 'For stores with versions (OpenBao): destroy every version for good instead of a soft delete (asks for confirmation unless --yes)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "list" -d 'List secrets with masked values'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one secret\'s metadata and masked values'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print a raw value (and a newline) on stdout, for $(...) in scripts'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Replace a value and record the rotation time'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a secret\'s ref name'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a secret\'s expiry or reveal policy (no value is read)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "move" -d 'Move a secret to another store (vault, keychain, or a [[store]] from config.toml)'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Restore the value each field had before it was last replaced'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a secret and all its fields'
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "add" -d 'Add a connector (lowest priority) after checking its type, secret and base URL'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "list" -d 'List connectors in priority order (archived ones with --all)'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "ls" -d 'List connectors in priority order (archived ones with --all)'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "show" -d 'Show one connector'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "edit" -d 'Change a connector\'s type, secret, model, base URL or options'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "test" -d 'Send each connector\'s provider a minimal chat request and report the outcome'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "archive" -d 'Hide a connector from list, test and default (kept in config.toml)'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "unarchive" -d 'Bring an archived connector back'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "move" -d 'Change a connector\'s priority; the first active one is the default'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "default" -d 'Show the default connector: the first active one'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "models" -d 'List the models the provider offers, marking the connector\'s'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "rm" -d 'Remove a connector (the secret stays in the vault)'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "remove" -d 'Remove a connector (the secret stays in the vault)'
complete -c byok -n "__fish_byok_using_subcommand connector; and not __fish_seen_subcommand_from add list ls show edit test archive unarchive move default models rm remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l type -d 'Provider type (see `byok providers`; on a terminal, chosen from a list when missing)' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l secret -d 'Vault ref of the key (optional for local servers: ollama, lmstudio, vllm)' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l model -d 'Model for tests and tools (default: the type\'s default model)' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l base-url -d 'SDK-style base URL (e.g. https://api.openai.com/v1); byok appends endpoint paths' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l option -d 'Adapter option, repeatable (deployment=…, api-version=…)' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l models -d 'More models `byok proxy` routes to it, repeatable (globs with * and ?: gpt-4*)' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l service-user -d 'The system user a plain-http loopback service runs as (a name or uid; "" removes it): the only owner of the port besides root and you that may receive the key' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l allow-insecure-http -d 'Allow a plain http:// base URL on a non-loopback host'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l test -d 'Run the connection test right after adding'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -l global -d 'The home\'s own connectors, not the active workspace\'s'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from list" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from list" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from list" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from list" -l scope -d 'Only the connectors of this scope (the active workspace\'s, or your own)' -r -f -a "global\t''
workspace\t''
project\t''"
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from list" -l all -d 'Include archived connectors'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from list" -l global -d 'Only the home\'s own connectors (as if no workspace were active)'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from ls" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from ls" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from ls" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from ls" -l scope -d 'Only the connectors of this scope (the active workspace\'s, or your own)' -r -f -a "global\t''
workspace\t''
project\t''"
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from ls" -l all -d 'Include archived connectors'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from ls" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from ls" -l global -d 'Only the home\'s own connectors (as if no workspace were active)'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from show" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from show" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from show" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l type -d 'New provider type' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l secret -d 'New vault ref of the key' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l model -d 'New model ("" goes back to the type\'s default)' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l base-url -d 'New base URL ("" goes back to the type\'s default)' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l option -d 'Set an option, repeatable; K= removes it' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l models -d 'Replace the proxy\'s model globs, repeatable (--models \'\' clears them)' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l service-user -d 'The system user a plain-http loopback service runs as (a name or uid; "" removes it): the only owner of the port besides root and you that may receive the key' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l clear-models -d 'Remove every model glob'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l allow-insecure-http -d 'Allow a plain http:// base URL on a non-loopback host'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -l global -d 'The home\'s own connectors, not the active workspace\'s'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from test" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from test" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from test" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from test" -l timeout -d 'Per-request timeout in seconds' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from test" -l prompt -d 'Prompt to send' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from test" -l all -d 'Test every active connector'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from test" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from archive" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from archive" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from archive" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from archive" -l global -d 'The home\'s own connectors, not the active workspace\'s'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from archive" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from archive" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from unarchive" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from unarchive" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from unarchive" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from unarchive" -l global -d 'The home\'s own connectors, not the active workspace\'s'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from unarchive" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from unarchive" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -l to -d 'To position N (1 = first)' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -l top -d 'Make it the first (the default)'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -l up -d 'One place up'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -l down -d 'One place down'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -l global -d 'The home\'s own connectors, not the active workspace\'s'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from move" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from default" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from default" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from default" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from default" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from default" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from default" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from models" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from models" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from models" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from models" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from models" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from models" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from rm" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from rm" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from rm" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from rm" -l global -d 'The home\'s own connectors, not the active workspace\'s'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from remove" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from remove" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from remove" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from remove" -l global -d 'The home\'s own connectors, not the active workspace\'s'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a connector (lowest priority) after checking its type, secret and base URL'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "list" -d 'List connectors in priority order (archived ones with --all)'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one connector'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Change a connector\'s type, secret, model, base URL or options'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send each connector\'s provider a minimal chat request and report the outcome'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "archive" -d 'Hide a connector from list, test and default (kept in config.toml)'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "unarchive" -d 'Bring an archived connector back'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "move" -d 'Change a connector\'s priority; the first active one is the default'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "default" -d 'Show the default connector: the first active one'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "models" -d 'List the models the provider offers, marking the connector\'s'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a connector (the secret stays in the vault)'
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -f -a "add" -d 'Declare an admin connection: a provider\'s admin key (a secret) and what it manages'
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -f -a "list" -d 'List the admin connections'
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -f -a "test" -d 'Check an admin connection with a read-only call; show what its provider allows'
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -f -a "rm" -d 'Remove an admin connection (its secret stays)'
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -f -a "status" -d 'Keys byok made at providers and old keys waiting to be retired (no network)'
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -f -a "sweep" -d 'Revoke what finished or killed runs left at the providers; retire old keys now due'
complete -c byok -n "__fish_byok_using_subcommand admin; and not __fish_seen_subcommand_from add list test rm status sweep help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -l provider -d 'openai, openrouter or anthropic' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -l secret -d 'The secret holding the admin key' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -l project -d 'OpenAI: the project (proj_…) minted keys belong to' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -l workspace-id -d 'OpenRouter: the workspace (uuid) keys are made and listed in' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -l base-url -d 'The admin API\'s base URL (https, or http to a loopback address); default the provider\'s' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -l exclusive -d 'A secret whose key is used only through byok (repeatable): `usage reconcile` exits 9 on spend the provider saw on it and the ledger did not' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from list" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from list" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from list" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from list" -l json
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from test" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from test" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from test" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from test" -l json
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from rm" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from rm" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from rm" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from rm" -l json
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from status" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from status" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from status" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from status" -l json
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from sweep" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from sweep" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from sweep" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from sweep" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from sweep" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "add" -d 'Declare an admin connection: a provider\'s admin key (a secret) and what it manages'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the admin connections'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "test" -d 'Check an admin connection with a read-only call; show what its provider allows'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove an admin connection (its secret stays)'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "status" -d 'Keys byok made at providers and old keys waiting to be retired (no network)'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "sweep" -d 'Revoke what finished or killed runs left at the providers; retire old keys now due'
complete -c byok -n "__fish_byok_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -f -a "add" -d 'Declare a store in config.toml (secrets go there with `--store NAME`)'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -f -a "list" -d 'List the stores in resolution order'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -f -a "show" -d 'Show a store\'s type, location and settings'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -f -a "test" -d 'Check that a store can be read (and says why not)'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -f -a "rm" -d 'Remove a store from config.toml (its file or server is left as it is)'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -f -a "diff" -d 'Compare two git versions of an age-file store: refs added, changed, removed (never a value)'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -f -a "login" -d 'Keep a token (or an AppRole secret id) for a store, in the OS keychain'
complete -c byok -n "__fish_byok_using_subcommand store; and not __fish_seen_subcommand_from add list show test rm diff login help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l type -d 'The store type' -r -f -a "age-file\t''
openbao\t''
aws-secrets-manager\t''"
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l path -d 'age-file: the vault file (relative paths are relative to the home directory)' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l identity -d 'age-file: the identity that opens it (default: the home\'s own identity)' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l address -d 'openbao: a node\'s address (repeatable; default: BAO_ADDR, else VAULT_ADDR)' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l mount -d 'openbao: the KV v2 mount [default: secret]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l prefix -d 'openbao: the path under the mount where byok\'s entries live [default: byok/]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l namespace -d 'openbao: the namespace (default: BAO_NAMESPACE, else VAULT_NAMESPACE)' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l ca-cert -d 'openbao: trust only this CA certificate (PEM; default: BAO_CACERT, else VAULT_CACERT)' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l auth -d 'openbao: how byok authenticates (then `byok store login NAME`)' -r -f -a "token\t''
approle\t''"
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l role-id -d 'openbao: the AppRole role id (with --auth approle)' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -l default -d 'Make it the store `secret add` uses when no `--store` is given'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from list" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from list" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from list" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from show" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from show" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from show" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from show" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from test" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from test" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from test" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from test" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from rm" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from rm" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from rm" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from rm" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from diff" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from diff" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from diff" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from diff" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from login" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from login" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from login" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from login" -l stdin -d 'Read the token (or AppRole secret id) from standard input'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from login" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "add" -d 'Declare a store in config.toml (secrets go there with `--store NAME`)'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the stores in resolution order'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a store\'s type, location and settings'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "test" -d 'Check that a store can be read (and says why not)'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a store from config.toml (its file or server is left as it is)'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare two git versions of an age-file store: refs added, changed, removed (never a value)'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "login" -d 'Keep a token (or an AppRole secret id) for a store, in the OS keychain'
complete -c byok -n "__fish_byok_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -f -a "add" -d 'Add a recipient and re-encrypt the store\'s file to everyone'
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -f -a "list" -d 'List the recipients of a store (and whether you accepted the list)'
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -f -a "rm" -d 'Remove a recipient and re-encrypt the file to the others'
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -f -a "accept" -d 'Review a recipients file changed by someone else (a pull) and accept it'
complete -c byok -n "__fish_byok_using_subcommand recipients; and not __fish_seen_subcommand_from add list rm accept help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from add" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from add" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from add" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from add" -l store -d 'The age-file store' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from add" -l name -d 'The member\'s name, written as a comment above the key (default: an SSH key\'s comment)' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from list" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from list" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from list" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from list" -l store -d 'The age-file store' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from rm" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from rm" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from rm" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from rm" -l store -d 'The age-file store' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from accept" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from accept" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from accept" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from accept" -l store -d 'The age-file store' -r
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from accept" -l yes -d 'Accept without asking (required without a terminal)'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from accept" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from accept" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a recipient and re-encrypt the store\'s file to everyone'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the recipients of a store (and whether you accepted the list)'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a recipient and re-encrypt the file to the others'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "accept" -d 'Review a recipients file changed by someone else (a pull) and accept it'
complete -c byok -n "__fish_byok_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand providers" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand providers" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand providers" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand providers" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand providers" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand providers" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand env" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand env" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand env" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand env" -l set -d 'Export one field of a secret as any variable' -r
complete -c byok -n "__fish_byok_using_subcommand env" -l format -d 'The syntax to print (default: powershell on Windows)' -r -f -a "sh\t'POSIX shells: export NAME=\'value\' (bash, zsh, dash, ksh)'
fish\t'fish: set -gx NAME \'value\''
powershell\t'PowerShell: $env:NAME = \'value\''
dotenv\t'A .env file for docker compose and python-dotenv'
json\t'A JSON object of names to values'"
complete -c byok -n "__fish_byok_using_subcommand env" -l default -d 'Only the default connector (the first active one)'
complete -c byok -n "__fish_byok_using_subcommand env" -l force -d 'Print the values even when standard output is a terminal'
complete -c byok -n "__fish_byok_using_subcommand env" -l allow-admin -d 'Export an admin key too (it must be named as a TARGET or in --set)'
complete -c byok -n "__fish_byok_using_subcommand env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c byok -n "__fish_byok_using_subcommand env" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand exec" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand exec" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand exec" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand exec" -l set -d 'Export one field of a secret as any variable' -r
complete -c byok -n "__fish_byok_using_subcommand exec" -l env-file -d 'Load variables from a dotenv file (repeatable); its byok:// references are resolved only when the file is trusted (`byok trust FILE`)' -r -F
complete -c byok -n "__fish_byok_using_subcommand exec" -l listen -d 'With --via-proxy: the proxy on this address (used, or started there)' -r
complete -c byok -n "__fish_byok_using_subcommand exec" -l token -d 'Name of the placeholder minted for this run (default exec-PID; refused when a token of that name exists, as its value cannot be shown again); revoked when CMD exits' -r
complete -c byok -n "__fish_byok_using_subcommand exec" -l ttl -d 'With --ephemeral: the longest the minted key lives at the provider (default 1h)' -r
complete -c byok -n "__fish_byok_using_subcommand exec" -l limit -d 'With --ephemeral: a dollar limit on the minted key (OpenRouter)' -r
complete -c byok -n "__fish_byok_using_subcommand exec" -l admin -d 'With --ephemeral: the admin connection to mint with (default: the one of the connector\'s provider)' -r
complete -c byok -n "__fish_byok_using_subcommand exec" -l api -d 'With --via-proxy: a tool API ([[api]] in config.toml) the command may use through the proxy (repeatable); its variables (e.g. GITHUB_TOKEN, GITHUB_API_URL) are set. Without TARGETs, only the APIs\' variables are set and the placeholder may use no model' -r
complete -c byok -n "__fish_byok_using_subcommand exec" -l default -d 'Only the default connector (the first active one)'
complete -c byok -n "__fish_byok_using_subcommand exec" -l clean-env -d 'Start from an empty environment: only PATH, HOME, TERM and the keys'
complete -c byok -n "__fish_byok_using_subcommand exec" -l redact -d 'Mask the injected values in the command\'s output (byok stays in between)'
complete -c byok -n "__fish_byok_using_subcommand exec" -l allow-admin -d 'Export an admin key too (it must be named: a TARGET, --set or a reference)'
complete -c byok -n "__fish_byok_using_subcommand exec" -l via-proxy -d 'Point the command at this home\'s running byok proxy (or one started for the command) with a placeholder key instead of the real one; TARGETs then name connectors'
complete -c byok -n "__fish_byok_using_subcommand exec" -l keep-proxy -d 'With --via-proxy: leave a proxy started for the command running after it'
complete -c byok -n "__fish_byok_using_subcommand exec" -l ephemeral -d 'Mint a key for this run at the provider of the connector named as TARGET (OpenAI, OpenRouter, through its admin connection); revoked when CMD ends, expiring anyway'
complete -c byok -n "__fish_byok_using_subcommand exec" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand exec" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -l dry-run -d 'Show what would be imported (values masked) and change nothing'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -l force -d 'Replace the key of secrets that exist already (default: skip them)'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -l remove-source -d 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -f -a "dotenv" -d '*_API_KEY entries of a .env file'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -f -a "env" -d '*_API_KEY variables of byok\'s own environment'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -f -a "llm" -d 'Keys of the llm CLI (keys.json; default: where `llm keys path` points)'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -f -a "aichat" -d 'api_key entries of aichat\'s config.yaml (default: aichat\'s config file)'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -f -a "discover" -d 'List plaintext keys in other tools\' files (llm, aichat, opencode, aider, Continue, codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those of one file'
complete -c byok -n "__fish_byok_using_subcommand import; and not __fish_seen_subcommand_from dotenv env llm aichat discover help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from dotenv" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from dotenv" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from dotenv" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from dotenv" -l dry-run -d 'Show what would be imported (values masked) and change nothing'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from dotenv" -l force -d 'Replace the key of secrets that exist already (default: skip them)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from dotenv" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from dotenv" -l remove-source -d 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from dotenv" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from dotenv" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from env" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from env" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from env" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from env" -l dry-run -d 'Show what would be imported (values masked) and change nothing'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from env" -l force -d 'Replace the key of secrets that exist already (default: skip them)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from env" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from env" -l remove-source -d 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from env" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from env" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from llm" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from llm" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from llm" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from llm" -l dry-run -d 'Show what would be imported (values masked) and change nothing'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from llm" -l force -d 'Replace the key of secrets that exist already (default: skip them)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from llm" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from llm" -l remove-source -d 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from llm" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from llm" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from aichat" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from aichat" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from aichat" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from aichat" -l dry-run -d 'Show what would be imported (values masked) and change nothing'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from aichat" -l force -d 'Replace the key of secrets that exist already (default: skip them)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from aichat" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from aichat" -l remove-source -d 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from aichat" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from aichat" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -l path -d 'Import the keys discovery finds in this file (its format from its name)' -r -F
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -l dry-run -d 'Show what would be imported (values masked) and change nothing'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -l force -d 'Replace the key of secrets that exist already (default: skip them)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -l remove-source -d 'After importing, rewrite the source file without the imported lines (atomically, following a symlink, no backup)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -l json -d 'Machine-readable output (the listing)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from discover" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "dotenv" -d '*_API_KEY entries of a .env file'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "env" -d '*_API_KEY variables of byok\'s own environment'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "llm" -d 'Keys of the llm CLI (keys.json; default: where `llm keys path` points)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "aichat" -d 'api_key entries of aichat\'s config.yaml (default: aichat\'s config file)'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "discover" -d 'List plaintext keys in other tools\' files (llm, aichat, opencode, aider, Continue, codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those of one file'
complete -c byok -n "__fish_byok_using_subcommand import; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand unlock" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand unlock" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand unlock" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand unlock" -l for -d 'How long the identity stays cached (e.g. 90s, 15m, 2h)' -r
complete -c byok -n "__fish_byok_using_subcommand unlock" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand unlock" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand lock" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand lock" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand lock" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand lock" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand lock" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand passphrase" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand passphrase" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand passphrase" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand passphrase" -l new-passphrase-file -d 'Read the new passphrase from this file (first line) instead of a prompt' -r -F
complete -c byok -n "__fish_byok_using_subcommand passphrase" -l remove -d 'Remove the passphrase: the identity goes back to an unencrypted identity.txt'
complete -c byok -n "__fish_byok_using_subcommand passphrase" -l weak-passphrase -d 'Accept a new passphrase shorter than the minimum (12 characters)'
complete -c byok -n "__fish_byok_using_subcommand passphrase" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand passphrase" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand keychain; and not __fish_seen_subcommand_from remember forget account help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand keychain; and not __fish_seen_subcommand_from remember forget account help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand keychain; and not __fish_seen_subcommand_from remember forget account help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand keychain; and not __fish_seen_subcommand_from remember forget account help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand keychain; and not __fish_seen_subcommand_from remember forget account help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand keychain; and not __fish_seen_subcommand_from remember forget account help" -f -a "remember" -d 'Store the vault identity in the OS keychain (asks for the passphrase once)'
complete -c byok -n "__fish_byok_using_subcommand keychain; and not __fish_seen_subcommand_from remember forget account help" -f -a "forget" -d 'Remove the vault identity from the OS keychain'
complete -c byok -n "__fish_byok_using_subcommand keychain; and not __fish_seen_subcommand_from remember forget account help" -f -a "account" -d 'Print the keychain account byok uses for a secret\'s field (for secret-tool and co.)'
complete -c byok -n "__fish_byok_using_subcommand keychain; and not __fish_seen_subcommand_from remember forget account help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from remember" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from remember" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from remember" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from remember" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from remember" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from forget" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from forget" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from forget" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from forget" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from forget" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from account" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from account" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from account" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from account" -l field -d 'The field' -r
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from account" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from account" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from help" -f -a "remember" -d 'Store the vault identity in the OS keychain (asks for the passphrase once)'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from help" -f -a "forget" -d 'Remove the vault identity from the OS keychain'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from help" -f -a "account" -d 'Print the keychain account byok uses for a secret\'s field (for secret-tool and co.)'
complete -c byok -n "__fish_byok_using_subcommand keychain; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand doctor" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand doctor" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand doctor" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand doctor" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand inject" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand inject" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand inject" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand inject" -s i -l in -d 'The template (default: standard input)' -r -F
complete -c byok -n "__fish_byok_using_subcommand inject" -s o -l out -d 'Where to write (default: standard output, never a terminal)' -r -F
complete -c byok -n "__fish_byok_using_subcommand inject" -l force -d 'Replace an existing output file'
complete -c byok -n "__fish_byok_using_subcommand inject" -l allow-admin -d 'Render an admin key too'
complete -c byok -n "__fish_byok_using_subcommand inject" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand inject" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand trust" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand trust" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand trust" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand trust" -s y -l yes -d 'Trust the project file without asking (needed without a terminal)'
complete -c byok -n "__fish_byok_using_subcommand trust" -l list -d 'List the trusted files and whether they changed'
complete -c byok -n "__fish_byok_using_subcommand trust" -l json -d 'Machine-readable output (with --list)'
complete -c byok -n "__fish_byok_using_subcommand trust" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand trust" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand untrust" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand untrust" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand untrust" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand untrust" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand untrust" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand scan" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand scan" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand scan" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand scan" -l git -d 'Scan the history: every commit reachable from RANGE (a git revision range; default: all refs)' -r
complete -c byok -n "__fish_byok_using_subcommand scan" -l staged -d 'Scan what is staged for the next commit (the git index)'
complete -c byok -n "__fish_byok_using_subcommand scan" -l json -d 'Machine-readable output: an array of findings'
complete -c byok -n "__fish_byok_using_subcommand scan" -l shapes-only -d 'Only key shapes: do not read the stored values (no unlock needed)'
complete -c byok -n "__fish_byok_using_subcommand scan" -l values-only -d 'Only stored values: no key-shape rules'
complete -c byok -n "__fish_byok_using_subcommand scan" -l no-ignore -d 'Scan files that .gitignore leaves out too (a working tree only: history has no ignored files)'
complete -c byok -n "__fish_byok_using_subcommand scan" -l revoke -d 'On a stored API key found: rotate it through its provider and disable (or delete) the leaked key there at once (`secret rotate --via-provider --grace 0`)'
complete -c byok -n "__fish_byok_using_subcommand scan" -l install-hook -d 'Install (or chain into) the repository\'s pre-commit hook running `byok scan --staged`'
complete -c byok -n "__fish_byok_using_subcommand scan" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand scan" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -l since -d 'Only entries newer than this: a duration (7d, 12h) or a date (2026-11-01)' -r
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -l ref -d 'Only entries about this secret' -r
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -l action -d 'Only this action (e.g. secret.read, secret.rotate, connector.test)' -r
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -l json -d 'Machine-readable output (one array of entries)'
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -f -a "verify" -d 'Check the log\'s MAC chain and the head recorded in the vault (exit 9 on failure)'
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -f -a "reset" -d 'Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify'
complete -c byok -n "__fish_byok_using_subcommand audit; and not __fish_seen_subcommand_from verify reset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from verify" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from verify" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from verify" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from verify" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from reset" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from reset" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from reset" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from reset" -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from reset" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the log\'s MAC chain and the head recorded in the vault (exit 9 on failure)'
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify'
complete -c byok -n "__fish_byok_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand reveal" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand reveal" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand reveal" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand reveal" -l ref -d 'Set it for this secret instead of the whole home' -r
complete -c byok -n "__fish_byok_using_subcommand reveal" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand reveal" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand backup" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand backup" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand backup" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand backup" -l passphrase-file -d 'With --passphrase: read the passphrase from the first line of this file' -r -F
complete -c byok -n "__fish_byok_using_subcommand backup" -l passphrase -d 'Encrypt to a passphrase (age scrypt) typed at a prompt, instead of the vault identity'
complete -c byok -n "__fish_byok_using_subcommand backup" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand backup" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand restore" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand restore" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand restore" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand restore" -l passphrase-file -d 'For a passphrase backup, or a passphrase-protected --identity: read the passphrase from the first line of this file' -r -F
complete -c byok -n "__fish_byok_using_subcommand restore" -l identity -d 'The identity the backup is encrypted to, when it is another home\'s (a new machine): its identity.txt, or its identity.age (the passphrase is asked for)' -r -F
complete -c byok -n "__fish_byok_using_subcommand restore" -l yes -d 'Do not ask for confirmation (required without a terminal)'
complete -c byok -n "__fish_byok_using_subcommand restore" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand restore" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -f -a "add" -d 'Add a workspace with its own age-file store in the home'
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -f -a "list" -d 'List the workspaces'
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -f -a "use" -d 'Make a workspace active when no flag, BYOK_WORKSPACE or project file names one'
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -f -a "rm" -d 'Forget a workspace (its store file is kept)'
complete -c byok -n "__fish_byok_using_subcommand workspace; and not __fish_seen_subcommand_from add list use rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from add" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from add" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from add" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from add" -l path -d 'The store file (default: workspaces/NAME.age in the home)' -r -F
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from add" -l store -d 'Keep the workspace\'s secrets in this named team store (a [[store]] of config.toml)' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from add" -l prefix -d 'Under this prefix of the store\'s own (stores with prefixes: openbao)' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from add" -l no-fallback -d 'Never fall back to your own (global) secrets'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from list" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from list" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from list" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from list" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from use" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from use" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from use" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from use" -l none -d 'No workspace'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from use" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from rm" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from rm" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from rm" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a workspace with its own age-file store in the home'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the workspaces'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make a workspace active when no flag, BYOK_WORKSPACE or project file names one'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Forget a workspace (its store file is kept)'
complete -c byok -n "__fish_byok_using_subcommand workspace; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand hook" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand hook" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand hook" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand hook" -l apply -d 'Print the code for the current directory (what the hook runs on cd)'
complete -c byok -n "__fish_byok_using_subcommand hook" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand hook" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand status" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand status" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand status" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand status" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand status" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand status" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand completions" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand completions" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand completions" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand completions" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand completions" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l listen -d 'Loopback address to listen on [default: `listen` under [proxy], else 127.0.0.1:8787]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l connector -d 'Serve only these connectors (repeatable; default: every active one)' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l timeout -d 'How long to wait for a provider\'s response headers, and between stream chunks' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l cooldown -d 'How long a connector whose key was refused (or out of quota) is skipped' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l unreachable-cooldown -d 'How long a connector that refused the connection or timed out is skipped' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l passphrase-fd -d 'Agent-proof mode: read the vault passphrase once from this open file descriptor (for service managers; default: a prompt on the terminal)' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l background -d 'Detach, and return once the proxy serves'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l agent-proof -d 'Start only if nothing but this proxy can unlock the vault or read a key it serves (also `agent_proof = true` under `[proxy]` in config.toml)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l check -d 'Agent-proof mode: print every start-up condition as met, unmet or cannot verify, with its fix, and exit (0: all met, 8: not) without asking for the passphrase'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -l accept-same-user-ptrace -d 'Agent-proof mode: start although the kernel lets any process of yours trace another (no Yama, or ptrace_scope 0), accepting that an agent could trace the terminal you type the passphrase in'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -f -a "token" -d 'Create, list and revoke placeholder tokens'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -f -a "status" -d 'Show the running proxies, their connectors and cooldowns'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -f -a "stop" -d 'Stop a running proxy (SIGTERM: in-flight requests finish)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -f -a "reload" -d 'Make a running proxy read config.toml and its keys again (an invalid config keeps the old routing); an agent-proof proxy refuses: restart it with the passphrase'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -f -a "pin" -d 'Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -f -a "agent-proof" -d 'Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and not __fish_seen_subcommand_from token status stop reload pin agent-proof help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -f -a "create" -d 'Create a placeholder and print it (the only time it is shown)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -f -a "list" -d 'List tokens (names, expiry, model globs; never values)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -f -a "ls" -d 'List tokens (names, expiry, model globs; never values)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke a token; a running proxy refuses it at once'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from token" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from status" -l listen -d 'Only the proxy on this address' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from status" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from status" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from status" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from status" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from stop" -l listen -d 'The proxy\'s address [default: the home\'s running proxy; with several, the one on `listen` under [proxy], else 127.0.0.1:8787]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from stop" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from stop" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from stop" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from reload" -l listen -d 'The proxy\'s address [default: the home\'s running proxy; with several, the one on `listen` under [proxy], else 127.0.0.1:8787]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from reload" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from reload" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from reload" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from reload" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from reload" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from pin" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from pin" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from pin" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from pin" -s y -l yes -d 'Pin without asking (the changes are still printed)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from pin" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from pin" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from agent-proof" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from agent-proof" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from agent-proof" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from agent-proof" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from agent-proof" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "token" -d 'Create, list and revoke placeholder tokens'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the running proxies, their connectors and cooldowns'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop a running proxy (SIGTERM: in-flight requests finish)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "reload" -d 'Make a running proxy read config.toml and its keys again (an invalid config keeps the old routing); an agent-proof proxy refuses: restart it with the passphrase'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "pin" -d 'Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "agent-proof" -d 'Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)'
complete -c byok -n "__fish_byok_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -l since -d 'Rows since a duration ago (7d, 24h) or a UTC date (2026-11-01) or RFC 3339 time' -r
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -l by -d 'Group by token, connector, provider, model or day' -r -f -a "token\t''
connector\t''
provider\t''
model\t''
day\t''"
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -l html -d 'Write a self-contained HTML report (no network access) to FILE' -r -F
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -l csv -d 'CSV output (a header line, then one line per group)'
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -l check -d 'Exit 9 when today\'s spend of a token or connector exceeds [usage] anomaly_factor × its 7-day daily median, or a connector\'s auth failures today exceed auth_failure_threshold'
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -f -a "reconcile" -d 'Find spend byok never saw: each key\'s usage at its provider against the ledger'
complete -c byok -n "__fish_byok_using_subcommand usage; and not __fish_seen_subcommand_from reconcile help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from reconcile" -l since -d 'Whole UTC days since a duration ago (7d) or a UTC date (2026-11-01)' -r
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from reconcile" -l admin -d 'Only this admin connection (default: every one)' -r
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from reconcile" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from reconcile" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from reconcile" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from reconcile" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from reconcile" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from reconcile" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from help" -f -a "reconcile" -d 'Find spend byok never saw: each key\'s usage at its provider against the ledger'
complete -c byok -n "__fish_byok_using_subcommand usage; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand mcp; and not __fish_seen_subcommand_from policy help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand mcp; and not __fish_seen_subcommand_from policy help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand mcp; and not __fish_seen_subcommand_from policy help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand mcp; and not __fish_seen_subcommand_from policy help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand mcp; and not __fish_seen_subcommand_from policy help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand mcp; and not __fish_seen_subcommand_from policy help" -f -a "policy" -d 'The [[mcp.policy]] rules of config.toml that grant agents\' requests without a person'
complete -c byok -n "__fish_byok_using_subcommand mcp; and not __fish_seen_subcommand_from policy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand mcp; and __fish_seen_subcommand_from policy" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand mcp; and __fish_seen_subcommand_from policy" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand mcp; and __fish_seen_subcommand_from policy" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand mcp; and __fish_seen_subcommand_from policy" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand mcp; and __fish_seen_subcommand_from policy" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand mcp; and __fish_seen_subcommand_from policy" -f -a "pin" -d 'Pin the rules as config.toml has them now (needs the passphrase); unpinned or edited rules grant nothing'
complete -c byok -n "__fish_byok_using_subcommand mcp; and __fish_seen_subcommand_from policy" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "policy" -d 'The [[mcp.policy]] rules of config.toml that grant agents\' requests without a person'
complete -c byok -n "__fish_byok_using_subcommand mcp; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand approve" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand approve" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand approve" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand approve" -l digest -d 'Approve only if the request\'s digest starts with this (at least 16 hex digits, as shown); required without a terminal' -r
complete -c byok -n "__fish_byok_using_subcommand approve" -l deny -d 'Deny the request instead'
complete -c byok -n "__fish_byok_using_subcommand approve" -l policy -d 'Grant every pending request the pinned [[mcp.policy]] rules cover (needs the passphrase); the others stay pending'
complete -c byok -n "__fish_byok_using_subcommand approve" -l watch -d 'With --policy: keep running and grant covered requests as they arrive; stops when config.toml\'s rules no longer match the pin'
complete -c byok -n "__fish_byok_using_subcommand approve" -l json -d 'Machine-readable output'
complete -c byok -n "__fish_byok_using_subcommand approve" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand approve" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand man" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand man" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand man" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand man" -l dir -d 'Write byok.1 and a page for every subcommand (byok-secret-get.1, …) into DIR (created if missing) instead of printing byok(1)' -r -F
complete -c byok -n "__fish_byok_using_subcommand man" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand man" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand __complete" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand __complete" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand __complete" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand __complete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c byok -n "__fish_byok_using_subcommand __complete" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand adopt; and not __fish_seen_subcommand_from mcp help" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand adopt; and not __fish_seen_subcommand_from mcp help" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand adopt; and not __fish_seen_subcommand_from mcp help" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand adopt; and not __fish_seen_subcommand_from mcp help" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand adopt; and not __fish_seen_subcommand_from mcp help" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand adopt; and not __fish_seen_subcommand_from mcp help" -f -a "mcp" -d 'Import an MCP config\'s keys and start each server through `byok exec` with only its own'
complete -c byok -n "__fish_byok_using_subcommand adopt; and not __fish_seen_subcommand_from mcp help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -l home -d 'Home directory holding the vault and config [env: BYOK_HOME]' -r -F
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -l env -d 'The project environment (dev, staging, prod…) whose [env.NAME.vars] apply [env: BYOK_ENV]' -r
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -l workspace -d 'The workspace whose store resolves before your own [env: BYOK_WORKSPACE]' -r
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -l byok -d 'The program the servers start (default: `byok` when that is this byok on PATH, else this byok\'s full path)' -r
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -l dry-run -d 'Show the diff (values masked) and change nothing'
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -s y -l yes -d 'Do not ask for confirmation'
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -l undo -d 'Put back the file as it was before its last adoption'
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -l force -d 'With --undo: restore even though the file changed since (its content is kept as a backup)'
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -s h -l help -d 'Print help'
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from mcp" -s V -l version -d 'Print version'
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from help" -f -a "mcp" -d 'Import an MCP config\'s keys and start each server through `byok exec` with only its own'
complete -c byok -n "__fish_byok_using_subcommand adopt; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "init" -d 'Create the vault and its identity in the home directory'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "secret" -d 'Add, list, read, rotate, rename, move and remove secrets'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "connector" -d 'Connect providers to secrets: add, list, test, order and archive connectors'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "admin" -d 'Admin connections: mint, rotate and retire keys through the providers\' admin APIs'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "store" -d 'Add, list, show, test and remove stores: the places secrets live besides the vault'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "recipients" -d 'Who an age-file store is encrypted to: add, list, remove and accept recipients'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "providers" -d 'List the provider types: default base URLs, auth style, env var names, default model'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "env" -d 'Print shell code that exports keys (for eval, source, .env files)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "exec" -d 'Run a command with keys added to its environment'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "import" -d 'Import keys from a .env file, the environment, llm or aichat'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "unlock" -d 'Cache the unlocked vault identity for a while (Linux kernel keyring), so scripts need no passphrase'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "lock" -d 'Drop the cached vault identity at once'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "passphrase" -d 'Add, change or remove the vault passphrase (re-encrypts the identity only)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "keychain" -d 'Keep the vault identity in the OS keychain, so reading the vault needs no passphrase'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "doctor" -d 'Check the home directory, vault, keychain, session cache and secrets; suggest fixes'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "inject" -d 'Render byok:// placeholders of a template into a config file (0600)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "trust" -d 'Trust a file\'s byok:// references (by path and contents), or list trusted files'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "untrust" -d 'Forget a trusted file (without FILE: every trusted file that changed or is gone)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "scan" -d 'Find leaked keys: stored values and key-shaped strings in files, git history or the index'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "audit" -d 'Show the audit log (who did what, when; never a value), or verify it'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "reveal" -d 'Show or set the reveal policy (never, prompt, pipe) of this home or of one secret'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "backup" -d 'Write an encrypted backup: the vault, config.toml and the keychain\'s values'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "restore" -d 'Restore a backup (keeps the replaced vault and config.toml beside them)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "workspace" -d 'Workspaces: their own secrets, resolved before yours (add, list, use, rm)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "hook" -d 'Print a shell hook that exports a trusted project\'s keys on cd (and restores on cd out)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "status" -d 'Show the project file (trusted or not), environment, and where each variable comes from'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "completions" -d 'Print a shell completion script'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "proxy" -d 'Run a loopback proxy that injects keys: tools get placeholder tokens, byok keeps the keys'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "usage" -d 'Show usage and costs from the ledger: requests, failures, latency, tokens, cost'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "mcp" -d 'Serve byok to an AI agent over MCP (stdio): models, usage, access requests; never a key'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "approve" -d 'List agents\' access requests (from `byok mcp`), approve or deny one (needs the passphrase)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "man" -d 'Print the manual page (roff), or write one page per subcommand into a directory'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "__complete" -d 'Candidates for the completion scripts (connector names, ref names)'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "adopt" -d 'Take the plaintext keys out of other tools\' configs (MCP servers), into byok'
complete -c byok -n "__fish_byok_using_subcommand help; and not __fish_seen_subcommand_from init secret connector admin store recipients providers env exec import unlock lock passphrase keychain doctor inject trust untrust scan audit reveal backup restore workspace hook status completions proxy usage mcp approve man __complete adopt help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "add" -d 'Add a secret, or a field to an existing secret (value from a hidden prompt or --stdin)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "list" -d 'List secrets with masked values'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "show" -d 'Show one secret\'s metadata and masked values'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "get" -d 'Print a raw value (and a newline) on stdout, for $(...) in scripts'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "rotate" -d 'Replace a value and record the rotation time'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "rename" -d 'Rename a secret\'s ref name'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "set" -d 'Change a secret\'s expiry or reveal policy (no value is read)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "move" -d 'Move a secret to another store (vault, keychain, or a [[store]] from config.toml)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "rollback" -d 'Restore the value each field had before it was last replaced'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "rm" -d 'Remove a secret and all its fields'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "add" -d 'Add a connector (lowest priority) after checking its type, secret and base URL'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "list" -d 'List connectors in priority order (archived ones with --all)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "show" -d 'Show one connector'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "edit" -d 'Change a connector\'s type, secret, model, base URL or options'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "test" -d 'Send each connector\'s provider a minimal chat request and report the outcome'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "archive" -d 'Hide a connector from list, test and default (kept in config.toml)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "unarchive" -d 'Bring an archived connector back'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "move" -d 'Change a connector\'s priority; the first active one is the default'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "default" -d 'Show the default connector: the first active one'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "models" -d 'List the models the provider offers, marking the connector\'s'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from connector" -f -a "rm" -d 'Remove a connector (the secret stays in the vault)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "add" -d 'Declare an admin connection: a provider\'s admin key (a secret) and what it manages'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "list" -d 'List the admin connections'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "test" -d 'Check an admin connection with a read-only call; show what its provider allows'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "rm" -d 'Remove an admin connection (its secret stays)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "status" -d 'Keys byok made at providers and old keys waiting to be retired (no network)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "sweep" -d 'Revoke what finished or killed runs left at the providers; retire old keys now due'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "add" -d 'Declare a store in config.toml (secrets go there with `--store NAME`)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "list" -d 'List the stores in resolution order'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "show" -d 'Show a store\'s type, location and settings'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "test" -d 'Check that a store can be read (and says why not)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "rm" -d 'Remove a store from config.toml (its file or server is left as it is)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "diff" -d 'Compare two git versions of an age-file store: refs added, changed, removed (never a value)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "login" -d 'Keep a token (or an AppRole secret id) for a store, in the OS keychain'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "add" -d 'Add a recipient and re-encrypt the store\'s file to everyone'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "list" -d 'List the recipients of a store (and whether you accepted the list)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "rm" -d 'Remove a recipient and re-encrypt the file to the others'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "accept" -d 'Review a recipients file changed by someone else (a pull) and accept it'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "dotenv" -d '*_API_KEY entries of a .env file'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "env" -d '*_API_KEY variables of byok\'s own environment'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "llm" -d 'Keys of the llm CLI (keys.json; default: where `llm keys path` points)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "aichat" -d 'api_key entries of aichat\'s config.yaml (default: aichat\'s config file)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from import" -f -a "discover" -d 'List plaintext keys in other tools\' files (llm, aichat, opencode, aider, Continue, codex, ~/.netrc, .env*, shell rc files, MCP server configs); with --path, import those of one file'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from keychain" -f -a "remember" -d 'Store the vault identity in the OS keychain (asks for the passphrase once)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from keychain" -f -a "forget" -d 'Remove the vault identity from the OS keychain'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from keychain" -f -a "account" -d 'Print the keychain account byok uses for a secret\'s field (for secret-tool and co.)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the log\'s MAC chain and the head recorded in the vault (exit 9 on failure)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "reset" -d 'Start a new log (the old one is kept as audit.jsonl.<time>), e.g. after a failed verify'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from workspace" -f -a "add" -d 'Add a workspace with its own age-file store in the home'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from workspace" -f -a "list" -d 'List the workspaces'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from workspace" -f -a "use" -d 'Make a workspace active when no flag, BYOK_WORKSPACE or project file names one'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from workspace" -f -a "rm" -d 'Forget a workspace (its store file is kept)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "token" -d 'Create, list and revoke placeholder tokens'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "status" -d 'Show the running proxies, their connectors and cooldowns'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "stop" -d 'Stop a running proxy (SIGTERM: in-flight requests finish)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "reload" -d 'Make a running proxy read config.toml and its keys again (an invalid config keeps the old routing); an agent-proof proxy refuses: restart it with the passphrase'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "pin" -d 'Pin where each connector sends its key: an agent-proof proxy serves only pinned routes (needs the passphrase)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "agent-proof" -d 'Whether the vault records this home as agent-proof (`byok unlock` refuses while it does)'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from usage" -f -a "reconcile" -d 'Find spend byok never saw: each key\'s usage at its provider against the ledger'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from mcp" -f -a "policy" -d 'The [[mcp.policy]] rules of config.toml that grant agents\' requests without a person'
complete -c byok -n "__fish_byok_using_subcommand help; and __fish_seen_subcommand_from adopt" -f -a "mcp" -d 'Import an MCP config\'s keys and start each server through `byok exec` with only its own'

# Names (connectors, ref names) from `byok __complete`.
complete -c byok -n "__fish_byok_using_subcommand env; or __fish_byok_using_subcommand exec; and not __fish_seen_subcommand_from --" -f -a "(byok __complete targets (commandline -ct) 2>/dev/null)"
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from show edit test archive unarchive move models rm remove" -f -a "(byok __complete connectors (commandline -ct) 2>/dev/null)"
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from show get rotate rename move rollback rm remove" -f -a "(byok __complete refs (commandline -ct) 2>/dev/null)"
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add edit" -l secret -r -f -a "(byok __complete refs (commandline -ct) 2>/dev/null)"
