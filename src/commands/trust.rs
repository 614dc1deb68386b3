//! `byok trust FILE`, `byok trust --list`, `byok untrust [FILE]`: the trust record
//! ([`crate::scope::trust`]) from the command line.

use serde::Serialize;

use crate::cli::{TrustArgs, UntrustArgs};
use crate::context::Context;
use crate::error::Result;
use crate::scope::trust::{self, TrustFile};
use crate::term::output;

#[derive(Serialize)]
struct View {
    path: String,
    sha256: String,
    trusted: String,
    state: &'static str,
}

pub fn trust(ctx: &Context, args: &TrustArgs) -> Result<()> {
    let settings = &ctx.settings;
    if args.file.is_none() && !args.list {
        return super::project::trust(ctx, args.yes);
    }
    let Some(file) = &args.file else {
        let views: Vec<View> = trust::list(&settings.paths)?
            .into_iter()
            .map(|(entry, state)| View {
                path: entry.path.display().to_string(),
                sha256: entry.sha256,
                trusted: entry.trusted,
                state: state.as_str(),
            })
            .collect();
        if args.json {
            return output::print_json(&views);
        }
        if views.is_empty() {
            output::status("No trusted files. Trust one with `byok trust FILE`.");
            return Ok(());
        }
        let mut table = output::table(settings, &["FILE", "STATE", "TRUSTED", "SHA-256"]);
        for view in views {
            table.add_row(vec![
                view.path,
                view.state.to_owned(),
                view.trusted,
                view.sha256[..16].to_owned(),
            ]);
        }
        return output::print_table(&table);
    };
    let file = TrustFile::read(file)?;
    let entry = trust::trust(&settings.paths, &file, &output::now_rfc3339())?;
    output::status(&format!(
        "Trusted {} (sha256 {}…); a change to it untrusts it again.",
        entry.path.display(),
        &entry.sha256[..16]
    ));
    Ok(())
}

pub fn untrust(ctx: &Context, args: &UntrustArgs) -> Result<()> {
    let paths = &ctx.settings.paths;
    match &args.file {
        Some(file) => {
            if trust::untrust(paths, file)? {
                output::status(&format!("{} is no longer trusted.", file.display()));
            } else {
                output::status(&format!("{} was not trusted.", file.display()));
            }
        }
        None => {
            let gone = trust::prune(paths)?;
            if gone.is_empty() {
                output::status("Every trusted file is unchanged; nothing to forget.");
            }
            for path in gone {
                output::status(&format!("Forgot {} (changed or gone).", path.display()));
            }
        }
    }
    Ok(())
}
