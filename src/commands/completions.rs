//! `byok completions SHELL` and `byok man`: generated from the clap definition, so they
//! never drift from the real command line.
//!
//! The bash, zsh and fish scripts also complete names: they call the hidden
//! `byok __complete connectors|refs|targets PREFIX` ([`complete`]) where a connector name,
//! a ref name or a TARGET goes. Connector names come from `config.toml` and never need an
//! unlock. Ref names are completed only when the vault identity is at hand without a
//! passphrase (`identity.txt`, `BYOK_IDENTITY_FILE`, `byok unlock`'s session cache or
//! `byok keychain remember`): every store keeps its names inside the encrypted vault (the
//! keychain store's index too), so no store lists them without unlocking, and a completion
//! never asks for a passphrase. Remote stores are never contacted.

use crate::cli::{Cli, CompleteArgs, CompleteKind, CompletionsArgs, ManArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::term::output;

/// Prints the completion script for one shell.
pub fn completions(args: &CompletionsArgs) -> Result<()> {
    output::print(&script(args.shell))
}

/// The completion script for `shell`, as `completions/` in the repository ships it.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::full_command(), "byok", &mut buf);
    let script = String::from_utf8(buf).expect("completion scripts are UTF-8");
    match shell {
        clap_complete::Shell::Bash => format!("{script}{BASH_NAMES}"),
        clap_complete::Shell::Zsh => zsh_names(&script),
        clap_complete::Shell::Fish => format!("{script}{FISH_NAMES}"),
        _ => script,
    }
}

/// Wraps clap's `_byok`: where a name goes, the candidates come from `byok __complete`.
const BASH_NAMES: &str = r#"
# Names (connectors, ref names) from `byok __complete`; everything else from _byok above.
_byok_names() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" kind="" i
    local -a home=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
            --) _byok "$@"; return ;;
            --home) home=(--home "${COMP_WORDS[i+1]}") ;;
        esac
    done
    case "$prev" in
        --secret) kind=refs ;;
        -*) case "$prev" in --json|--all|--force|--default|--clean-env|--redact|--allow-admin) ;; *) _byok "$@"; return ;; esac ;;
    esac
    if [[ -z "$kind" && "$cur" != -* ]]; then
        case "${COMP_WORDS[1]}" in
            env|exec) kind=targets ;;
            connector)
                case "${COMP_WORDS[2]}" in
                    show|edit|test|archive|unarchive|move|models|rm|remove) [[ $COMP_CWORD -ge 3 ]] && kind=connectors ;;
                esac ;;
            secret)
                case "${COMP_WORDS[2]}" in
                    show|get|rotate|rename|move|rollback|rm|remove) [[ $COMP_CWORD -eq 3 ]] && kind=refs ;;
                esac ;;
        esac
    fi
    if [[ -n "$kind" ]]; then
        local IFS=$'\n'
        COMPREPLY=($(compgen -W "$(command byok "${home[@]}" __complete "$kind" "$cur" 2>/dev/null)" -- "$cur"))
        [[ ${#COMPREPLY[@]} -gt 0 ]] && return 0
    fi
    _byok "$@"
}
complete -F _byok_names -o bashdefault -o default byok
"#;

/// Points zsh's name arguments at `byok __complete` instead of `_default`.
fn zsh_names(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + 1024);
    for line in script.lines() {
        let line = if line.starts_with("':name:_default'")
            || line.starts_with("'*::names -- Connectors")
        {
            line.replacen(":_default'", ":_byok_connector_names'", 1)
        } else if line.starts_with("'*::targets -- ") {
            line.replacen(":_default'", ":_byok_target_names'", 1)
        } else if line.starts_with("':reference:_default'") || line.starts_with("'--secret=[") {
            line.replacen(":_default'", ":_byok_ref_names'", 1)
        } else {
            line.to_owned()
        };
        if line.starts_with("if [ \"$funcstack[1]\" = \"_byok\" ]; then") {
            out.push_str(ZSH_NAMES);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

const ZSH_NAMES: &str = r#"(( $+functions[_byok_names] )) ||
_byok_names() {
    local -a home candidates
    local i=${words[(I)--home]}
    (( i )) && home=(--home "${words[i+1]}")
    candidates=(${(f)"$(command byok "${home[@]}" __complete "$1" "$PREFIX" 2>/dev/null)"})
    compadd -a candidates
}
_byok_connector_names() { _byok_names connectors }
_byok_ref_names() { _byok_names refs }
_byok_target_names() { _byok_names targets }

"#;

const FISH_NAMES: &str = r#"
# Names (connectors, ref names) from `byok __complete`.
complete -c byok -n "__fish_byok_using_subcommand env; or __fish_byok_using_subcommand exec; and not __fish_seen_subcommand_from --" -f -a "(byok __complete targets (commandline -ct) 2>/dev/null)"
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from show edit test archive unarchive move models rm remove" -f -a "(byok __complete connectors (commandline -ct) 2>/dev/null)"
complete -c byok -n "__fish_byok_using_subcommand secret; and __fish_seen_subcommand_from show get rotate rename move rollback rm remove" -f -a "(byok __complete refs (commandline -ct) 2>/dev/null)"
complete -c byok -n "__fish_byok_using_subcommand connector; and __fish_seen_subcommand_from add edit" -l secret -r -f -a "(byok __complete refs (commandline -ct) 2>/dev/null)"
"#;

/// `byok __complete KIND PREFIX`: one candidate a line, nothing (and exit 0) on any trouble.
pub fn complete(ctx: &Context, args: &CompleteArgs) -> Result<()> {
    let mut names: Vec<String> = Vec::new();
    if matches!(args.kind, CompleteKind::Connectors | CompleteKind::Targets)
        && let Ok(config) = ctx.config()
    {
        names.extend(config.connectors().iter().map(|c| c.name.clone()));
    }
    if matches!(args.kind, CompleteKind::Refs | CompleteKind::Targets) {
        names.extend(ref_names(ctx));
    }
    // Names are printed into a shell's completion list: only well-formed ones.
    names.retain(|n| {
        n.starts_with(&args.prefix)
            && (crate::names::is_valid_connector_name(n) || crate::names::is_valid_ref(n))
    });
    names.sort();
    names.dedup();
    let mut text = names.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    output::print(&text)
}

/// Ref names of the local stores, when the identity is at hand without a passphrase.
fn ref_names(ctx: &Context) -> Vec<String> {
    let mut settings = (*ctx.settings).clone();
    // Never a prompt, never a passphrase: only an identity that needs none.
    settings.stdin_is_terminal = false;
    settings.passphrase = None;
    settings.passphrase_file = None;
    let quiet = Context::new(settings);
    let Ok(registry) = quiet.registry() else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for store in ["vault", "keychain"] {
        if let Ok(store) = registry.store(store)
            && let Ok(metas) = store.list()
        {
            names.extend(metas.into_iter().map(|m| m.reference));
        }
    }
    names
}

/// Prints byok(1) in roff, or writes every page into `--dir`.
pub fn man(args: &ManArgs) -> Result<()> {
    if let Some(dir) = &args.dir {
        return man_pages(dir);
    }
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::full_command())
        .render(&mut buf)
        .map_err(|source| Error::Terminal {
            action: "render the manual page",
            source,
        })?;
    output::print(&String::from_utf8_lossy(&buf))
}

/// Writes byok.1 and one page per visible subcommand (`byok-secret-get.1`: the names `man`
/// finds them by) into `dir`, for packages and `MANPATH`.
fn man_pages(dir: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
    clap_mangen::generate_to(Cli::full_command(), dir)
        .map_err(Error::io("write manual pages in", dir))?;
    let written = std::fs::read_dir(dir)
        .map_err(Error::io("read", dir))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".1"))
        .count();
    output::status(&format!("{written} manual pages in {}", dir.display()));
    Ok(())
}
