//! Guided forms on a terminal, like the seeds' web forms: `byok connector add` with its
//! name or type missing asks for everything not given as a flag. Without a terminal a
//! missing argument stays a usage error (exit 2), and every question has its flag.

use crate::cli::ConnectorAddArgs;
use crate::config::Connector;
use crate::connector::validate;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::names;
use crate::prompt;
use crate::provider::catalog::{self, ProviderSpec};
use crate::secret::SecretValue;
use crate::store::{DEFAULT_FIELD, Put, PutMode};
use crate::term::output;

/// The connector name `connector add`'s audit entries carry until the form asked for it.
pub const ASKED: &str = "(asked)";

/// Whether `connector add` needs the form (its name or type is missing).
pub fn connector_add_needed(args: &ConnectorAddArgs) -> bool {
    args.name.is_none() || args.kind.is_none()
}

/// Fills what `args` lacks by asking; a new secret typed here is stored before returning
/// (after the connector's cheap checks passed, so a typo costs nothing).
pub fn connector_add(ctx: &Context, args: &mut ConnectorAddArgs) -> Result<()> {
    let settings = &ctx.settings;
    if !settings.interactive() {
        let missing: Vec<&str> = [
            args.name.is_none().then_some("<NAME>"),
            args.kind.is_none().then_some("--type <TYPE>"),
        ]
        .into_iter()
        .flatten()
        .collect();
        return Err(Error::Usage(format!(
            "the following required arguments were not provided: {} (no terminal to ask on)",
            missing.join(" ")
        )));
    }
    // The file the connector goes to: a workspace connector may shadow one of your own.
    let config = super::scope::current(ctx, args.global)?;
    if args.name.is_none() {
        let name = ask_until("Connector name", None, |name| {
            if !names::is_valid_connector_name(name) {
                Some(format!(
                    "a connector name is {}",
                    names::CONNECTOR_NAME_RULE
                ))
            } else if config.get(name).is_ok() {
                Some(format!("a connector named '{name}' exists already"))
            } else {
                None
            }
        })?;
        // The command's audit entries were staged before the name was known.
        ctx.audit().name_staged_connector(ASKED, &name);
        args.name = Some(name);
    }
    let spec: &ProviderSpec = match &args.kind {
        Some(kind) => catalog::lookup(kind).ok_or_else(|| Error::UnknownConnectorType {
            name: kind.clone(),
            known: catalog::ids().collect::<Vec<_>>().join(", "),
        })?,
        None => {
            let items: Vec<String> = catalog::all()
                .iter()
                .map(|p| format!("{:<18} {}", p.id, p.display_name))
                .collect();
            let index = prompt::select("Provider type", &items, 0)?;
            let spec = &catalog::all()[index];
            args.kind = Some(spec.id.to_owned());
            spec
        }
    };
    let name = args.name.clone().unwrap_or_default();

    let mut new_secret: Option<(String, SecretValue)> = None;
    if args.secret.is_none() {
        let registry = ctx.registry()?;
        let (found, _) = registry.list_all();
        let mut existing: Vec<(String, Option<String>)> = found
            .into_iter()
            .filter(|(_, _, shadowed)| !shadowed)
            .map(|(_, meta, _)| (meta.reference, meta.provider))
            .collect();
        // This provider's secrets first.
        existing.sort_by_key(|(r, p)| (p.as_deref() != Some(spec.id), r.clone()));
        let mut items: Vec<String> = existing
            .iter()
            .map(|(r, p)| match p {
                Some(p) => format!("{r} ({p})"),
                None => r.clone(),
            })
            .collect();
        let add_new = items.len();
        items.push("add a new secret".to_owned());
        if spec.local {
            items.push("no key (a local server without authentication)".to_owned());
        }
        let default = if existing
            .first()
            .is_some_and(|(_, p)| p.as_deref() == Some(spec.id))
        {
            0
        } else {
            add_new
        };
        let index = prompt::select("Secret with the key", &items, default)?;
        if index < add_new {
            args.secret = Some(existing[index].0.clone());
        } else if index == add_new {
            let suggested = format!("{}_key", name.replace('-', "_"));
            let suggested = names::is_valid_ref(&suggested).then_some(suggested);
            let reference = ask_until("Ref name for the new secret", suggested.as_deref(), |r| {
                if !names::is_valid_ref(r) {
                    Some(format!("a ref name is {}", names::REF_NAME_RULE))
                } else if registry.locate(r).ok().flatten().is_some() {
                    Some(format!("a secret named '{r}' exists already"))
                } else {
                    None
                }
            })?;
            let value = SecretValue::from(prompt::password(&format!(
                "{} key for {reference} (input hidden)",
                spec.display_name
            ))?);
            if value.expose().is_empty() {
                return Err(Error::EmptyValue);
            }
            if let Some(warning) = catalog::key_shape_warning(spec, value.expose()) {
                output::warn(settings, &format!("{warning}; storing it anyway"));
            }
            args.secret = Some(reference.clone());
            new_secret = Some((reference, value));
        }
    }
    if args.base_url.is_none() {
        let url = match spec.default_base_url {
            Some(default) => prompt::input("Base URL", Some(default), false)?,
            None => ask_until("Base URL (required for this type)", None, |u| {
                u.trim()
                    .is_empty()
                    .then(|| "this type has no default host".to_owned())
            })?,
        };
        // The default is not written to config.toml: the connector follows the catalog.
        args.base_url = Some(url).filter(|u| Some(u.as_str()) != spec.default_base_url);
    }
    if args.model.is_none() {
        let default = Some(spec.default_model).filter(|m| !m.is_empty());
        let model = prompt::input("Model", default, true)?;
        args.model = Some(model).filter(|m| !m.is_empty() && Some(m.as_str()) != default);
    }
    if !args.test {
        args.test = prompt::confirm_yes("Test the connector now?")?;
    }

    if let Some((reference, value)) = new_secret {
        // The connector's own checks first: nothing is stored for a connector that fails.
        let preview = Connector {
            name: name.clone(),
            kind: spec.id.to_owned(),
            secret: Some(reference.clone()),
            model: args.model.clone(),
            base_url: args.base_url.clone(),
            options: Default::default(),
            archived: false,
            allow_insecure_http: args.allow_insecure_http,
            service_user: None,
        };
        validate::check(&preview, args.allow_insecure_http, |_| Ok(true))?;
        let store = ctx.registry()?.default_store();
        let mut put = Put::new(&reference, PutMode::Create, &output::now_rfc3339());
        put.provider = Some(spec.id.to_owned());
        put.values = vec![(DEFAULT_FIELD.to_owned(), value)];
        store.put(vec![put])?;
        output::status(&format!(
            "Added secret '{reference}' (in the {}).",
            store.name()
        ));
    }
    Ok(())
}

/// Asks until `problem` finds nothing wrong with the (trimmed) answer.
fn ask_until(
    question: &str,
    default: Option<&str>,
    problem: impl Fn(&str) -> Option<String>,
) -> Result<String> {
    loop {
        let answer = prompt::input(question, default, false)?;
        let answer = answer.trim().to_owned();
        match problem(&answer) {
            None => return Ok(answer),
            Some(why) => eprintln!("  {why}"),
        }
    }
}
