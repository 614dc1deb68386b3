//! `byok hook bash|zsh|fish`: shell code that exports a trusted project's variables on `cd`
//! into the project and, on `cd` out, restores the values they had shadowed (or unsets them).
//!
//! The printed hook calls `byok hook SHELL --apply` when the directory changes. That prints
//! the code to run: restore what the previous project shadowed (the names are in the
//! exported `_BYOK_VARS`, the project in `_BYOK_PROJECT`; values never leave the shell),
//! then save what the new project shadows and export its variables. An untrusted project
//! or one whose keys do not resolve exports nothing and says why on stderr.

use secrecy::SecretString;

use crate::cli::{HookArgs, HookShell};
use crate::context::Context;
use crate::error::Result;
use crate::export::shell::{self, ShellFormat};
use crate::hygiene::reveal::{self, Reveal};
use crate::term::output;

const BASH: &str = r#"_byok_hook() {
  local status=$?
  if [ "${_BYOK_PWD-}" != "$PWD" ]; then
    _BYOK_PWD=$PWD
    eval "$(command byok hook bash --apply)"
  fi
  return $status
}
case ";${PROMPT_COMMAND-};" in
  *";_byok_hook;"*) ;;
  *) PROMPT_COMMAND="_byok_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
"#;

const ZSH: &str = r#"_byok_hook() {
  if [[ "${_BYOK_PWD-}" != "$PWD" ]]; then
    _BYOK_PWD=$PWD
    eval "$(command byok hook zsh --apply)"
  fi
}
autoload -Uz add-zsh-hook
add-zsh-hook chpwd _byok_hook
add-zsh-hook precmd _byok_hook
"#;

const FISH: &str = r#"function _byok_hook --on-variable PWD
  if test "$_BYOK_PWD" != "$PWD"
    set -g _BYOK_PWD $PWD
    command byok hook fish --apply | source
  end
end
"#;

pub fn run(ctx: &Context, args: &HookArgs) -> Result<()> {
    if !args.apply {
        let code = match args.shell {
            HookShell::Bash => BASH,
            HookShell::Zsh => ZSH,
            HookShell::Fish => FISH,
        };
        // The hook also runs once now, for the directory the shell starts in.
        return output::print(&format!("{code}_byok_hook\n"));
    }
    let fish = args.shell == HookShell::Fish;
    let parent = &ctx.settings.parent_env;
    let loaded = parent
        .get("_BYOK_PROJECT")
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| !p.is_empty());
    let previous: Vec<String> = parent
        .get("_BYOK_VARS")
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_default()
        .split_whitespace()
        .filter(|n| shell::valid_var_name(n))
        .map(str::to_owned)
        .collect();
    let here = ctx.project().ok().flatten();
    let here_path = here.map(|p| p.file.path.display().to_string());
    if loaded.is_some() && loaded == here_path {
        return Ok(());
    }
    let mut code = String::new();
    for name in &previous {
        code.push_str(&restore(name, fish));
    }
    if loaded.is_some() || !previous.is_empty() {
        code.push_str(&set_state(None, &[], fish));
    }
    let exports = match here {
        None => None,
        Some(project) if !project.trusted() => {
            eprintln!(
                "byok: {} is {}; run `byok trust` there to use it",
                project.file.path.display(),
                project.verdict.as_str()
            );
            None
        }
        Some(_) => match reveal::check(ctx, Reveal::Env { forced: false }, &[])
            .and_then(|()| crate::export::plan::project(ctx))
            .and_then(|found| checked(ctx, found))
        {
            Ok(exports) => exports,
            Err(e) => {
                eprintln!("byok: the project's variables were not exported: {e}");
                None
            }
        },
    };
    let Some(exports) = exports else {
        return output::print(&code);
    };
    let names: Vec<String> = exports.iter().map(|e| e.var.clone()).collect();
    for name in &names {
        code.push_str(&save(name, fish));
    }
    let vars: Vec<(String, SecretString)> = exports
        .into_iter()
        .map(|e| (e.var, SecretString::from(e.value.expose())))
        .collect();
    let format = if fish {
        ShellFormat::Fish
    } else {
        ShellFormat::Sh
    };
    let values = shell::render(format, &vars)?;
    code.push_str(&set_state(here_path.as_deref(), &names, fish));
    // The values last, from the zeroized buffer.
    let mut out = zeroize::Zeroizing::new(code);
    out.push_str(&values);
    output::print(&out)
}

/// Remembers whether NAME was set, and its value, before the project shadows it.
fn save(name: &str, fish: bool) -> String {
    if fish {
        format!(
            "set -e _BYOK_HAD_{name}; set -e _BYOK_OLD_{name}\n\
             if set -q {name}; set -g _BYOK_HAD_{name} 1; set -g _BYOK_OLD_{name} ${name}; end\n"
        )
    } else {
        format!(
            "unset _BYOK_HAD_{name} _BYOK_OLD_{name}\n\
             if [ -n \"${{{name}+x}}\" ]; then _BYOK_HAD_{name}=1; _BYOK_OLD_{name}=\"${name}\"; fi\n"
        )
    }
}

/// Puts back what [`save`] remembered (or unsets NAME).
fn restore(name: &str, fish: bool) -> String {
    if fish {
        format!(
            "if set -q _BYOK_HAD_{name}; set -gx {name} $_BYOK_OLD_{name}; else; set -e {name}; end\n\
             set -e _BYOK_HAD_{name}; set -e _BYOK_OLD_{name}\n"
        )
    } else {
        format!(
            "if [ -n \"${{_BYOK_HAD_{name}+x}}\" ]; then export {name}=\"$_BYOK_OLD_{name}\"; else unset {name}; fi\n\
             unset _BYOK_HAD_{name} _BYOK_OLD_{name}\n"
        )
    }
}

/// The exported state the next `--apply` reads: the project loaded and its variables' names.
fn set_state(project: Option<&str>, names: &[String], fish: bool) -> String {
    let Some(project) = project else {
        return if fish {
            "set -e _BYOK_PROJECT; set -e _BYOK_VARS\n".into()
        } else {
            "unset _BYOK_PROJECT _BYOK_VARS\n".into()
        };
    };
    let quoted = single_quote(project, fish);
    let names = names.join(" ");
    if fish {
        format!("set -gx _BYOK_PROJECT {quoted}; set -gx _BYOK_VARS '{names}'\n")
    } else {
        format!("export _BYOK_PROJECT={quoted} _BYOK_VARS='{names}'\n")
    }
}

/// `'…'`: in sh and zsh each `'` closed, escaped and reopened; fish escapes `\\` and `\'`.
fn single_quote(text: &str, fish: bool) -> String {
    let text = crate::term::sanitize::line(text).into_owned();
    let escaped = if fish {
        text.replace('\\', r"\\").replace('\'', r"\'")
    } else {
        text.replace('\'', r"'\''")
    };
    format!("'{escaped}'")
}

/// Each secret read for the project's variables passes its own reveal policy and is
/// audited, as with `byok env`.
fn checked(
    ctx: &Context,
    found: Option<(
        Vec<crate::export::target::Export>,
        Vec<crate::export::reads::Read>,
    )>,
) -> Result<Option<Vec<crate::export::target::Export>>> {
    let Some((exports, reads)) = found else {
        return Ok(None);
    };
    let home = reveal::home_policy(ctx)?;
    let metas: Vec<&crate::store::Meta> = reads.iter().map(|r| &r.meta).collect();
    crate::export::reads::audit_after(ctx, &reads, || {
        reveal::check_with(&ctx.settings, home, Reveal::Env { forced: false }, &metas)
    })?;
    Ok(Some(exports))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_a_path_survives_quotes() {
        assert_eq!(single_quote("/a'b", false), r"'/a'\''b'");
        assert_eq!(single_quote("/a'b", true), r"'/a\'b'");
    }
}
