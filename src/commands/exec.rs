//! `byok exec TARGET… -- CMD`: runs a command with the keys of the targets in its environment.

use crate::cli::ExecArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::export::child::{self, ChildSpec};

/// `exec` without `--via-proxy` (which [`super::dispatch`] sends to the proxy's commands).
pub fn run(ctx: &Context, args: ExecArgs) -> Result<()> {
    let settings = &ctx.settings;
    let mut command = args.command.into_iter();
    let program = command.next().expect("clap requires CMD");
    let mut spec = ChildSpec {
        program,
        args: command.collect(),
        env: child::environment(&settings.parent_env, args.clean_env, []),
    };
    child::strip_store_credentials(ctx.config()?, &mut spec.env);
    // Fail before unlocking anything when the command cannot run.
    spec.check_program()?;

    // `--env-file` variables (a later file wins), then every byok:// reference resolved.
    for file in &args.env_files {
        for (name, value) in crate::export::env_refs::read_env_file(ctx, file)? {
            spec.env.retain(|(n, _)| *n != name);
            spec.env.push((name, value));
        }
    }
    let uses_references =
        !args.env_files.is_empty() || crate::export::env_refs::any_reference(&spec.env);
    let referenced = crate::export::env_refs::resolve_in_place(ctx, &mut spec.env)?;
    for export in &referenced {
        crate::export::admin::check_value(&export.value, &export.origin, args.allow_admin)?;
    }

    // Named targets as before; with references or env files and nothing named, nothing
    // else is added (the references say which keys the command gets, as with `op run`).
    let explicit = !args.targets.is_empty() || !args.set.is_empty() || args.default;
    // No TARGET inside a project: exactly what the (trusted) project file declares.
    let project = if explicit || uses_references {
        None
    } else {
        crate::export::plan::project(ctx)?
    };
    let (exports, reads) = if let Some((exports, reads)) = project {
        for export in &exports {
            crate::export::admin::check_value(&export.value, &export.origin, args.allow_admin)?;
        }
        (exports, reads)
    } else if explicit || !uses_references {
        // One resolution gives the values and the secrets they came from.
        let (exports, reads) =
            crate::export::plan::targets(ctx, &args.targets, &args.set, args.default)?;
        let (exports, warnings) =
            crate::export::admin::filter_exports(exports, explicit, args.allow_admin)?;
        for warning in &warnings {
            crate::term::output::warn(settings, warning);
        }
        (exports, reads)
    } else {
        (Vec::new(), Vec::new())
    };
    // Logged before the command runs: on Unix byok becomes the command. (`exec` is the way
    // to use a key that may not be revealed, so no reveal policy applies here.)
    crate::export::reads::audit(ctx, &reads)?;
    let exports: Vec<_> = referenced.into_iter().chain(exports).collect();
    for export in &exports {
        spec.env.retain(|(name, _)| name != export.var.as_str());
        spec.env
            .push((export.var.clone().into(), export.value.expose().into()));
    }

    let code = if args.redact {
        let values: Vec<&str> = exports.iter().map(|e| e.value.expose()).collect();
        child::supervise(&spec, Some(&values))?
    } else {
        drop(exports);
        replace_or_supervise(&spec)?
    };
    match code {
        0 => Ok(()),
        code => Err(Error::ChildExit { code }),
    }
}

/// On Unix byok becomes the command; elsewhere it waits for it.
#[cfg(unix)]
fn replace_or_supervise(spec: &ChildSpec) -> Result<u8> {
    Err(child::replace(spec))
}

#[cfg(not(unix))]
fn replace_or_supervise(spec: &ChildSpec) -> Result<u8> {
    child::supervise(spec, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::ParentEnv;

    fn parent() -> ParentEnv {
        ParentEnv::from_pairs(
            [
                ("PATH", "/bin"),
                ("HOME", "/h"),
                ("EDITOR", "vi"),
                ("BYOK_PASSPHRASE", "pp"),
            ]
            .map(|(k, v)| (k.into(), v.into())),
        )
    }

    #[test]
    fn the_passphrase_is_never_inherited() {
        let names: Vec<_> = child::environment(&parent(), false, [])
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(names, ["PATH", "HOME", "EDITOR"]);
    }

    #[test]
    fn clean_env_keeps_only_the_promised_names() {
        let names: Vec<_> = child::environment(&parent(), true, [])
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(names, ["PATH", "HOME"]);
    }
}
