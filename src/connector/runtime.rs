//! The connection-test runner and the model-list call, shared by every command that talks to
//! providers (`connector test`, `connector add --test`, `connector models`).
//!
//! Input: connectors plus the keys their secrets resolved to (a map built by whoever owns the
//! stores). Each connector becomes a [`Target`] — its base URL re-checked right here, so a
//! hand-edited `config.toml` cannot send a key over plain http — and the targets are tested
//! concurrently on one current-thread runtime ([`crate::net::runtime`]). Results are printed
//! (text or JSON) and appended to the usage log. Everything shown was already redacted by
//! [`crate::provider::probe`].

use std::collections::HashMap;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::json;

use super::validate;
use crate::config::Connector;
use crate::error::{Error, Result};
use crate::ledger::probes::{self, UsageRecord};
use crate::net::{self, ProxySettings};
use crate::provider::catalog::{self, ProviderSpec};
use crate::provider::probe::{self, Probe, Target};
use crate::provider::{ChatOutcome, Failure, FailureClass};
use crate::settings::Settings;
use crate::term::output;

/// A connector's key, or why it cannot be had (never a value).
pub type KeyLookup = std::result::Result<SecretString, String>;

/// How long `connector models` waits.
pub const MODELS_TIMEOUT: Duration = Duration::from_secs(20);

/// The model a connector asks for: its own, else the type's default (may be empty).
pub fn effective_model<'a>(c: &'a Connector, spec: Option<&'static ProviderSpec>) -> &'a str {
    c.model
        .as_deref()
        .or_else(|| spec.map(|s| s.default_model))
        .unwrap_or("")
}

/// A target for a connector, or the failure that prevents testing it at all (nothing is
/// sent then). The base URL is checked again here: `config.toml` may have been edited by
/// hand, and an `http://` remote URL would carry the key in cleartext.
pub fn target_for(
    connector: &Connector,
    keys: &HashMap<String, KeyLookup>,
) -> std::result::Result<Target, Failure> {
    let pre = |message: String| Failure {
        class: FailureClass::NotReady,
        status: None,
        message,
        retry_after: None,
    };
    let spec = catalog::lookup(&connector.kind)
        .ok_or_else(|| pre(format!("unknown type '{}'", connector.kind)))?;
    let base_url = connector
        .base_url
        .clone()
        .or_else(|| spec.default_base_url.map(str::to_owned))
        .ok_or_else(|| pre("no base URL configured".into()))?;
    if let Err(e) = validate::check_base_url(&base_url, connector.allow_insecure_http) {
        let accept = if matches!(e, Error::InsecureBaseUrl { .. }) {
            format!(
                " (to accept it: `byok connector edit {} --base-url URL --allow-insecure-http`)",
                connector.name
            )
        } else {
            String::new()
        };
        return Err(pre(format!(
            "connector '{}': {e}; nothing was sent{accept}",
            connector.name
        )));
    }
    let key = match &connector.secret {
        None => None,
        Some(reference) => match keys.get(reference) {
            // An admin key cannot make model requests: say so rather than send one.
            Some(Ok(key))
                if catalog::key_kind(secrecy::ExposeSecret::expose_secret(key))
                    .is_some_and(catalog::KeyKind::is_admin) =>
            {
                return Err(pre(format!(
                    "secret '{reference}' is an admin key: it manages the organisation (users, \
                     keys, billing) and cannot make model requests; nothing was sent (give the \
                     connector a project key)"
                )));
            }
            Some(Ok(key)) => Some(key.clone()),
            // Not the provider's verdict: the key could not be read here at all.
            Some(Err(reason)) => return Err(pre(reason.clone())),
            None => return Err(pre(format!("secret '{reference}' was not read"))),
        },
    };
    Ok(Target {
        spec,
        base_url,
        model: effective_model(connector, Some(spec)).to_owned(),
        options: spec.options_with(&connector.options),
        key,
    })
}

/// The shared client for these settings (proxy variables from the start-up snapshot).
fn client(settings: &Settings, timeout: Duration) -> Result<reqwest::Client> {
    net::client(timeout, &ProxySettings::from_env(&settings.parent_env))
        .map_err(|e| Error::Http(e.to_string()))
}

/// The client for one target: the shared one, or — when a key goes to a plain-http
/// loopback address — one that checks who holds the port before sending (`net::owner`).
fn client_for(
    settings: &Settings,
    timeout: Duration,
    shared: &reqwest::Client,
    connector: &Connector,
    target: &Target,
) -> Result<reqwest::Client> {
    let local_http = url::Url::parse(&target.base_url)
        .is_ok_and(|url| url.scheme() == "http" && net::is_loopback(&url));
    if target.key.is_none() || !local_http {
        return Ok(shared.clone());
    }
    let policy = net::owner::OwnerPolicy {
        own_uid: true,
        services: connector
            .service_user
            .as_deref()
            .and_then(net::owner::resolve_user)
            .into_iter()
            .collect(),
    };
    net::owner_checked_client(
        timeout,
        &ProxySettings::from_env(&settings.parent_env),
        policy,
    )
    .map_err(|e| Error::Http(e.to_string()))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    net::runtime().map_err(|e| Error::Http(e.to_string()))
}

/// One finished test, for printing and logging.
pub struct Report {
    pub connector: Connector,
    /// The catalog id, empty when the type is unknown.
    pub provider: &'static str,
    pub probe: Probe,
}

/// Tests the connectors concurrently; prints, logs, and fails with exit 6 if any failed.
pub fn run_tests(
    settings: &Settings,
    home_config: &crate::config::Config,
    connectors: Vec<Connector>,
    keys: HashMap<String, KeyLookup>,
    timeout: Duration,
    prompt: &str,
    json: bool,
) -> Result<()> {
    let reports = test_all(settings, connectors, keys, timeout, prompt)?;
    let now = output::now_rfc3339();
    let records: Vec<UsageRecord> = reports.iter().map(|r| usage_record(r, &now)).collect();
    if let Err(e) = probes::append(settings, home_config, &records) {
        output::warn(settings, &format!("could not write the usage log: {e}"));
    }
    let failed = reports
        .iter()
        .filter(|r| matches!(r.probe.outcome, ChatOutcome::Failure(_)))
        .count();
    if json {
        let list: Vec<_> = reports.iter().map(report_json).collect();
        output::print_json(&list)?;
    } else {
        let text: String = reports.iter().map(|r| report_text(settings, r)).collect();
        output::print_text(&text)?;
    }
    if failed > 0 {
        return Err(Error::TestsFailed {
            failed,
            total: reports.len(),
        });
    }
    Ok(())
}

/// Runs the tests and returns their reports in the connectors' order (the keys are dropped
/// as soon as the targets hold what they need).
pub fn test_all(
    settings: &Settings,
    connectors: Vec<Connector>,
    keys: HashMap<String, KeyLookup>,
    timeout: Duration,
    prompt: &str,
) -> Result<Vec<Report>> {
    let targets: Vec<_> = connectors
        .into_iter()
        .map(|c| {
            let target = target_for(&c, &keys);
            (c, target)
        })
        .collect();
    drop(keys);
    let client = client(settings, timeout)?;
    let spinner = spinner(settings, targets.len());
    let reports = runtime()?.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for (index, (connector, target)) in targets.into_iter().enumerate() {
            let client = match &target {
                Ok(target) => client_for(settings, timeout, &client, &connector, target),
                Err(_) => Ok(client.clone()),
            };
            let prompt = prompt.to_owned();
            set.spawn(async move {
                let (provider, probe) = match (target, client) {
                    (Ok(target), Ok(client)) => {
                        (target.spec.id, probe::test(&client, &target, &prompt).await)
                    }
                    (Ok(target), Err(e)) => (
                        target.spec.id,
                        Probe {
                            model: target.model.clone(),
                            outcome: ChatOutcome::Failure(probe::transport_failure(
                                net::TransportError {
                                    class: net::TransportClass::Connect,
                                    status: None,
                                    detail: e.to_string(),
                                },
                                None,
                            )),
                            latency: Duration::ZERO,
                        },
                    ),
                    (Err(failure), _) => (
                        "",
                        Probe {
                            model: String::new(),
                            outcome: ChatOutcome::Failure(failure),
                            latency: Duration::ZERO,
                        },
                    ),
                };
                (
                    index,
                    Report {
                        connector,
                        provider,
                        probe,
                    },
                )
            });
        }
        let mut reports = Vec::new();
        while let Some(done) = set.join_next().await {
            // A panic in one test is a bug; surface it rather than hide a result.
            let (index, report) = done.expect("connection test task");
            if let Some(bar) = &spinner {
                bar.inc(1);
            }
            reports.push((index, report));
        }
        reports.sort_by_key(|(i, _)| *i);
        reports.into_iter().map(|(_, r)| r).collect::<Vec<_>>()
    });
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    Ok(reports)
}

/// A connector's model list, as `connector models` shows it.
#[derive(Debug)]
pub struct ModelList {
    /// The connector's effective model (from `config.toml` or the catalog).
    pub current: String,
    /// The provider's ids, redacted and stripped of control characters.
    pub models: Vec<String>,
}

/// Fetches a connector's model list. A failure (including a refused base URL) is an
/// [`Error::ProviderFailed`] naming the connector.
pub fn models(
    settings: &Settings,
    connector: &Connector,
    keys: HashMap<String, KeyLookup>,
) -> Result<ModelList> {
    let provider_failed = |f: Failure| {
        // A model list asks for no model: its 404 is a missing endpoint, whatever it says.
        let class = match f.class {
            FailureClass::ModelNotFound => FailureClass::EndpointNotFound,
            other => other,
        };
        Error::ProviderFailed {
            connector: connector.name.clone(),
            label: class.label().to_owned(),
            message: failure_detail(&f).trim_start_matches(": ").to_owned(),
            fix: class.hint().to_owned(),
        }
    };
    let target = target_for(connector, &keys).map_err(provider_failed)?;
    drop(keys);
    let shared = client(settings, MODELS_TIMEOUT)?;
    let client = client_for(settings, MODELS_TIMEOUT, &shared, connector, &target)?;
    let models = runtime()?
        .block_on(probe::models(&client, &target))
        .map_err(provider_failed)?;
    Ok(ModelList {
        current: target.model.clone(),
        models,
    })
}

/// A spinner on stderr, only on a terminal.
fn spinner(settings: &Settings, total: usize) -> Option<indicatif::ProgressBar> {
    if !settings.stderr_is_terminal {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} testing {pos}/{len} connector(s)…")
            .expect("static template"),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    Some(bar)
}

fn usage_record(report: &Report, now: &str) -> UsageRecord {
    let (ok, cause, status, input, output) = match &report.probe.outcome {
        ChatOutcome::Success {
            input_tokens,
            output_tokens,
            ..
        } => (true, None, None, *input_tokens, *output_tokens),
        ChatOutcome::Failure(f) => (
            false,
            Some(f.class.label().to_owned()),
            f.status,
            None,
            None,
        ),
    };
    UsageRecord {
        time: now.to_owned(),
        kind: "test".into(),
        connector: report.connector.name.clone(),
        provider: report.provider.to_owned(),
        // Already redacted by the probe (it may come from the server's model list).
        model: report.probe.model.clone(),
        ok,
        cause,
        status,
        latency_ms: report.probe.latency.as_millis() as u64,
        input_tokens: input,
        output_tokens: output,
    }
}

/// A reply trimmed to one short line.
fn trim_reply(reply: &str) -> String {
    let one_line = reply.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
}

fn failure_text(f: &Failure) -> String {
    format!("{}{}", f.class.label(), failure_detail(f))
}

/// The status, the redacted provider message and the retry-after value of a failure.
pub fn failure_detail(f: &Failure) -> String {
    let mut text = String::new();
    if let Some(status) = f.status {
        text.push_str(&format!(" (HTTP {status})"));
    }
    if !f.message.is_empty() {
        text.push_str(&format!(": {}", f.message));
    }
    if let Some(after) = &f.retry_after {
        text.push_str(&format!("; retry after {after}"));
        if after.chars().all(|c| c.is_ascii_digit()) {
            text.push_str(" s");
        }
    }
    text
}

/// One report as the text lines `connector test` prints.
pub fn report_text(settings: &Settings, r: &Report) -> String {
    let ms = r.probe.latency.as_millis();
    match &r.probe.outcome {
        ChatOutcome::Success {
            reply,
            input_tokens,
            output_tokens,
        } => {
            let mut line = format!(
                "{} {}  {}  {ms} ms  \"{}\"",
                output::paint_stdout(settings, "32", "✓"),
                r.connector.name,
                r.probe.model,
                trim_reply(reply)
            );
            if input_tokens.is_some() || output_tokens.is_some() {
                let n = |t: &Option<u64>| t.map_or("?".to_owned(), |t| t.to_string());
                line.push_str(&format!(
                    "  {} in / {} out tokens",
                    n(input_tokens),
                    n(output_tokens)
                ));
            }
            line.push('\n');
            line
        }
        ChatOutcome::Failure(f) => {
            let model = if r.probe.model.is_empty() {
                String::new()
            } else {
                format!("  {}", r.probe.model)
            };
            format!(
                "{} {}{model}  {}\n    fix: {}\n",
                output::paint_stdout(settings, "31", "✗"),
                r.connector.name,
                failure_text(f),
                f.class.hint()
            )
        }
    }
}

/// One report as `connector test --json` prints it.
pub fn report_json(r: &Report) -> serde_json::Value {
    let ms = r.probe.latency.as_millis() as u64;
    match &r.probe.outcome {
        ChatOutcome::Success {
            reply,
            input_tokens,
            output_tokens,
        } => json!({
            "connector": r.connector.name, "provider": r.provider, "model": r.probe.model,
            "ok": true, "latency_ms": ms, "reply": reply,
            "input_tokens": input_tokens, "output_tokens": output_tokens,
        }),
        ChatOutcome::Failure(f) => json!({
            "connector": r.connector.name, "provider": r.provider, "model": r.probe.model,
            "ok": false, "latency_ms": ms, "cause": f.class.label(), "status": f.status,
            "message": f.message, "retry_after": f.retry_after, "fix": f.class.hint(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector(base_url: &str, allow_insecure_http: bool) -> Connector {
        Connector {
            name: "c".into(),
            kind: "openai-compatible".into(),
            secret: Some("k".into()),
            model: Some("m".into()),
            base_url: Some(base_url.into()),
            options: Default::default(),
            archived: false,
            allow_insecure_http,
            service_user: None,
        }
    }

    fn keys() -> HashMap<String, KeyLookup> {
        HashMap::from([(
            "k".to_owned(),
            Ok(SecretString::from("sk-test-runtime-0000000".to_owned())),
        )])
    }

    #[test]
    fn a_remote_plain_http_url_is_refused_before_sending() {
        let failure =
            target_for(&connector("http://byok-test.invalid/v1", false), &keys()).unwrap_err();
        assert_eq!(failure.class, FailureClass::NotReady);
        assert!(
            failure.message.contains("connector 'c'"),
            "{}",
            failure.message
        );
        assert!(
            failure.message.contains("refusing plain-http"),
            "{}",
            failure.message
        );
        assert!(!failure.message.contains("runtime-0000"));
        assert!(target_for(&connector("http://byok-test.invalid/v1", true), &keys()).is_ok());
        assert!(target_for(&connector("http://127.0.0.1:9/v1", false), &keys()).is_ok());
    }

    #[test]
    fn credentials_in_a_hand_written_url_are_refused_and_not_shown() {
        let failure =
            target_for(&connector("https://me:hunter2@x.test/v1", false), &keys()).unwrap_err();
        assert!(!failure.message.contains("hunter2"), "{}", failure.message);
    }

    #[test]
    fn replies_are_trimmed_to_one_line() {
        assert_eq!(trim_reply("  ok\n"), "ok");
        assert_eq!(trim_reply(&"x ".repeat(100)).chars().count(), 61);
    }
}
