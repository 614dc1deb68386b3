//! `byok recipients add|list|rm|accept --store NAME`: who an age-file store is encrypted to.
//! Thin: the work is in [`crate::store::age_file`].

use serde::Serialize;

use crate::cli::{
    RecipientsAcceptArgs, RecipientsAddArgs, RecipientsCommand, RecipientsListArgs,
    RecipientsRmArgs,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::age_file::accepted::Change;
use crate::store::age_file::recipients::{Member, short_key};
use crate::term::output;

pub fn run(ctx: &Context, command: RecipientsCommand) -> Result<()> {
    match command {
        RecipientsCommand::Add(args) => add(ctx, &args),
        RecipientsCommand::List(args) => list(ctx, &args),
        RecipientsCommand::Rm(args) => rm(ctx, &args),
        RecipientsCommand::Accept(args) => accept(ctx, &args),
    }
}

fn shown(member: &Member) -> String {
    crate::term::sanitize::line(&member.display()).into_owned()
}

fn add(ctx: &Context, args: &RecipientsAddArgs) -> Result<()> {
    let store = ctx.registry()?.age_file(&args.store)?;
    let member = store.add(&args.key, args.name.as_deref())?;
    let encrypted = if store.file.exists() {
        " and re-encrypted the file to every recipient"
    } else {
        ""
    };
    output::status(&format!(
        "Added {} ({}) to the {} store{encrypted}. Commit {} with it.",
        shown(&member),
        short_key(&member.key),
        args.store,
        store.keys_path().display()
    ));
    Ok(())
}

#[derive(Serialize)]
struct Row {
    name: Option<String>,
    #[serde(rename = "type")]
    kind: &'static str,
    key: String,
    you: bool,
}

#[derive(Serialize)]
struct Listing {
    store: String,
    recipients_file: String,
    accepted: bool,
    recipients: Vec<Row>,
}

fn list(ctx: &Context, args: &RecipientsListArgs) -> Result<()> {
    let store = ctx.registry()?.age_file(&args.store)?;
    let pending = store.pending()?;
    // Marking "(you)" needs this member's public key: the identity is unlocked as for a
    // read; when it cannot be, the listing goes on without the mark.
    let own = store.keys.own_public().ok();
    let rows: Vec<Row> = pending
        .members
        .iter()
        .map(|m| Row {
            name: m.name.clone(),
            kind: m.kind(),
            key: m.key.clone(),
            you: own.as_deref() == Some(m.key.as_str()),
        })
        .collect();
    if args.json {
        return output::print_json(&Listing {
            store: args.store.clone(),
            recipients_file: store.keys_path().display().to_string(),
            accepted: pending.accepted,
            recipients: rows,
        });
    }
    let mut table = output::table(&ctx.settings, &["NAME", "TYPE", "KEY", ""]);
    for row in &rows {
        table.add_row(vec![
            crate::term::sanitize::line(row.name.as_deref().unwrap_or("-")).into_owned(),
            row.kind.to_owned(),
            crate::term::sanitize::line(&row.key).into_owned(),
            if row.you {
                "(you)".into()
            } else {
                String::new()
            },
        ]);
    }
    output::print_table(&table)?;
    if rows.is_empty() {
        output::status(&format!(
            "The {} store has no recipients file yet; its first write makes you its first member.",
            args.store
        ));
    } else if !pending.accepted {
        output::warn(
            &ctx.settings,
            &format!(
                "you have not accepted this list: writes to the {} store are refused until \
                 `byok recipients accept --store {}`",
                args.store, args.store
            ),
        );
    }
    Ok(())
}

fn rm(ctx: &Context, args: &RecipientsRmArgs) -> Result<()> {
    let store = ctx.registry()?.age_file(&args.store)?;
    let (member, readable) = store.remove(&args.member)?;
    output::status(&format!(
        "Removed {} from the {} store and re-encrypted the file to the {} other recipient(s).",
        shown(&member),
        args.store,
        store.members()?.len()
    ));
    if readable.is_empty() {
        return Ok(());
    }
    let mut text = format!(
        "{} keeps whatever they could already decrypt — their clone, older commits, backups. \
         They could read these {} secret(s):\n",
        shown(&member),
        readable.len()
    );
    for reference in &readable {
        text.push_str(&format!(
            "  {}\n",
            crate::term::sanitize::line(reference).into_owned()
        ));
    }
    text.push_str(&format!(
        "Rotate each one at its provider, then store the new value:\n  \
         byok secret rotate REF --store {}\n",
        args.store
    ));
    eprint!("{text}");
    Ok(())
}

fn describe(change: &Change) -> String {
    let mut text = String::new();
    for m in &change.added {
        text.push_str(&format!(
            "  + {}  {}\n",
            shown(m),
            crate::term::sanitize::line(&m.key).into_owned()
        ));
    }
    for m in &change.removed {
        text.push_str(&format!(
            "  - {}  {}\n",
            shown(m),
            crate::term::sanitize::line(&m.key).into_owned()
        ));
    }
    for (old, new) in &change.renamed {
        text.push_str(&format!(
            "  ~ {} is now named {}  {}\n",
            shown(old),
            shown(new),
            crate::term::sanitize::line(&new.key).into_owned()
        ));
    }
    text
}

fn accept(ctx: &Context, args: &RecipientsAcceptArgs) -> Result<()> {
    let store = ctx.registry()?.age_file(&args.store)?;
    let pending = store.pending()?;
    if pending.accepted {
        output::status(&format!(
            "You have accepted the recipients of the {} store as they are; nothing to do.",
            args.store
        ));
        return Ok(());
    }
    let heading = if pending.first {
        format!(
            "You have not accepted any recipients list of the {} store yet. It lists:",
            args.store
        )
    } else {
        format!(
            "{} changed since you accepted it:",
            store.keys_path().display()
        )
    };
    let body = if pending.change.is_empty() {
        "  (no member changed: only comments or layout)\n".to_owned()
    } else {
        describe(&pending.change)
    };
    eprint!("{heading}\n{body}");
    if !args.yes {
        if !ctx.settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: "accept the recipients".into(),
            });
        }
        let question = format!(
            "Encrypt future writes of the {} store to these {} recipient(s)?",
            args.store,
            pending.members.len()
        );
        if !crate::prompt::confirm(&question)? {
            return Err(Error::Cancelled);
        }
    }
    let members = store.accept()?;
    output::status(&format!(
        "Accepted {} recipient(s) for the {} store; writes go to them from now on.",
        members.len(),
        args.store
    ));
    Ok(())
}
