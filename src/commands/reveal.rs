//! `byok reveal [POLICY] [--ref REF]`: show or set the reveal policy (see [`crate::hygiene::reveal`]).

use crate::cli::RevealArgs;
use crate::context::Context;
use crate::error::Result;
use crate::hygiene::audit::Entry;
use crate::hygiene::reveal::{self, Policy};
use crate::names;
use crate::store::{Put, PutMode};
use crate::term::output;

pub fn run(ctx: &Context, args: &RevealArgs) -> Result<()> {
    let Some(policy) = &args.policy else {
        return show(ctx, args);
    };
    let to: Policy = policy.parse()?;
    if to == Policy::Never && !ctx.settings.paths.identity_age().exists() {
        // Loosening needs the passphrase typed at a terminal: without one, `never` stays.
        output::warn(
            &ctx.settings,
            "this home has no passphrase: `never` cannot be loosened until you add one with \
             `byok passphrase`, and it does not stop a program running as you from reading \
             identity.txt",
        );
    }
    if let Some(reference) = &args.reference {
        names::check_ref(reference)?;
        let found = ctx.registry()?.resolve(reference, None)?;
        let from = Policy::from_stored(found.meta.reveal.as_deref()).unwrap_or_default();
        if reveal::loosens(from, to) {
            crate::hygiene::reveal::confirm_loosening(ctx, "to loosen the reveal policy")?;
        }
        let mut put = Put::new(reference, PutMode::Update, &output::now_rfc3339());
        put.reveal = Some(to.as_str().to_owned());
        ctx.audited(
            vec![Entry::secret(
                "secret.set",
                reference,
                Some(found.store.name()),
            )],
            || found.store.put(vec![put]),
        )?;
        output::status(&format!(
            "The reveal policy of '{reference}' is now {}.",
            to.as_str()
        ));
        return Ok(());
    }
    let from = reveal::recorded_policy(ctx)?;
    if reveal::loosens(from, to) {
        crate::hygiene::reveal::confirm_loosening(ctx, "to loosen the reveal policy")?;
    }
    let vault = ctx.registry()?.home_vault();
    ctx.audited(vec![Entry::new("reveal.set")], || {
        vault.modify(|doc| {
            doc.policy.entry("home".to_owned()).or_default().reveal = Some(to.as_str().to_owned());
            Ok(())
        })?;
        crate::config::modify(&ctx.settings, |config| {
            config.set_reveal(to.as_str());
            Ok(())
        })
    })?;
    output::status(&format!(
        "The reveal policy of this home is now {} (config.toml and the vault).",
        to.as_str()
    ));
    if let Some(env) = reveal::env_policy(&ctx.settings)
        && env > to
    {
        output::warn(
            &ctx.settings,
            &format!(
                "BYOK_REVEAL={} is stricter and still applies here",
                env.as_str()
            ),
        );
    }
    Ok(())
}

fn show(ctx: &Context, args: &RevealArgs) -> Result<()> {
    let home = reveal::home_policy(ctx)?;
    match &args.reference {
        None => output::print(&format!("{}\n", home.as_str())),
        Some(reference) => {
            names::check_ref(reference)?;
            let found = ctx.registry()?.resolve(reference, None)?;
            output::print(&format!(
                "{}\n",
                reveal::effective(home, &found.meta).as_str()
            ))
        }
    }
}
