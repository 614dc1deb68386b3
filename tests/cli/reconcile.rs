//! `byok usage reconcile` against the admin fakes: silent when the provider and the ledger
//! agree (requests sent through a running `byok proxy`), exit 9 on spend planted at the
//! provider on a key used only through byok (`exclusive`), a note for other keys, and
//! Anthropic's last 24 hours pending.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::admin_fake::{self, AdminFake, Flavor, PROJECT};
use crate::harness::{
    Env, audit_lines, chat, exit_code, messages, start_proxy, start_proxy_with, stderr, stdout,
    token,
};

const DAY: u64 = 86_400;

fn admin_key(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::OpenAi => "sk-admin-test-0123456789abcdefABCDEF",
        Flavor::OpenRouter => {
            "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"
        }
        Flavor::Anthropic => "sk-ant-admin01-test-0123456789abcdefABCDEF",
    }
}

fn provider(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::OpenAi => "openai",
        Flavor::OpenRouter => "openrouter",
        Flavor::Anthropic => "anthropic",
    }
}

/// The stored key of connector `work` (its secret is `work_key`).
fn key_value(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::OpenAi => "sk-proj-test-reconcile-0123456789abcdWXYZ",
        Flavor::OpenRouter => {
            "sk-or-v1-0000000000000000000000000000000000000000000000000000000000rec1"
        }
        Flavor::Anthropic => "sk-ant-api03-test-reconcile-0123456789abcdef",
    }
}

fn model(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::Anthropic => "claude-haiku-4-5",
        _ => "gpt-test-mini",
    }
}

/// A home with an admin connection `main` to a fake (`--exclusive` for each of
/// `exclusive`), and a connector `work` whose secret `work_key` holds a key the provider
/// knows. Returns the key's id at the provider.
fn home(flavor: Flavor, exclusive: &[&str]) -> (Env, AdminFake, String) {
    let fake = AdminFake::start(flavor, admin_key(flavor));
    let env = Env::init();
    env.add("admin_key", admin_key(flavor), &[]);
    let base = fake.api_base();
    let mut args = vec![
        "admin",
        "add",
        "main",
        "--provider",
        provider(flavor),
        "--secret",
        "admin_key",
        "--base-url",
        &base,
    ];
    if flavor == Flavor::OpenAi {
        args.extend(["--project", PROJECT]);
    }
    for reference in exclusive {
        args.extend(["--exclusive", reference]);
    }
    env.cmd(&args).assert().success();
    let id = fake.seed_key("made by a person", key_value(flavor));
    env.add("work_key", key_value(flavor), &[]);
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        provider(flavor),
        "--model",
        model(flavor),
        "--base-url",
        &base,
        "--secret",
        "work_key",
    ])
    .assert()
    .success();
    (env, fake, id)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The start of the UTC day `n` days ago.
fn days_ago(n: u64) -> u64 {
    now() / DAY * DAY - n * DAY
}

fn date(day: u64) -> String {
    admin_fake::rfc3339(day)[..10].to_owned()
}

fn reconcile(env: &Env, extra: &[&str]) -> std::process::Output {
    env.cmd(["usage", "reconcile"])
        .args(extra)
        .output()
        .unwrap()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}\n{}", stdout(out), stderr(out)))
}

/// The report's row for `day`.
fn row(report: &Value, day: u64) -> &Value {
    let day = date(day);
    report["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["day"] == day.as_str())
        .unwrap_or_else(|| panic!("no row for {day} in {report}"))
}

/// Sends `n` requests through a running proxy (`vars`: its environment, e.g. a shifted
/// clock) and waits until the ledger holds them.
fn through_proxy(env: &Env, flavor: Flavor, n: usize, vars: &[(&str, &str)]) {
    let proxy = if vars.is_empty() {
        start_proxy(env, &[])
    } else {
        start_proxy_with(env, &[], vars)
    };
    let placeholder = token(env, "agent", &[]);
    for _ in 0..n {
        let answer = match flavor {
            Flavor::Anthropic => messages(proxy.port, &placeholder, model(flavor), false),
            _ => chat(proxy.port, &placeholder, model(flavor), false),
        };
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = env
            .cmd(["usage", "--json", "--since", "3650d"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        if v["total"]["requests"] == n as u64 {
            break;
        }
        assert!(Instant::now() < deadline, "the ledger has {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn no_key_in(out: &std::process::Output, flavor: Flavor) {
    for text in [stdout(out), stderr(out)] {
        assert!(!text.contains(key_value(flavor)), "{text}");
        assert!(!text.contains(admin_key(flavor)), "{text}");
    }
}

/// (a) OpenAI: requests through the proxy today, the same usage at the provider: exit 0,
/// no finding, today's row `ok` with both sides' tokens; each provider call is audited.
#[test]
fn openai_agreement_with_the_ledger_is_silent() {
    let (env, fake, _) = home(Flavor::OpenAi, &["work_key"]);
    through_proxy(&env, Flavor::OpenAi, 3, &[]);
    assert_eq!(fake.inference_count(key_value(Flavor::OpenAi)), 3);

    let out = reconcile(&env, &["--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    let today = row(&report, days_ago(0));
    assert_eq!(today["status"], "ok", "{today}");
    assert_eq!(today["provider_tokens"], 33);
    assert_eq!(today["byok_tokens"], 33);
    assert_eq!(today["provider_requests"], 3);
    assert_eq!(today["byok_requests"], 3);
    assert_eq!(today["provider_cost_usd"], 0.0003);
    assert_eq!(today["secrets"], serde_json::json!(["work_key"]));
    assert_eq!(today["connectors"], serde_json::json!(["work"]));
    assert_eq!(today["exclusive"], true);
    assert!(
        report["days"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "ok" && r["provider_requests"].is_u64()),
        "{report}"
    );

    let out = reconcile(&env, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains(&date(days_ago(0))), "{table}");
    assert!(
        table.contains("work_key") && table.contains(" ok"),
        "{table}"
    );
    assert!(stderr(&out).contains("no unseen spend"), "{}", stderr(&out));
    no_key_in(&out, Flavor::OpenAi);

    // find, usage and costs: one audit entry each, per run.
    let audited = audit_lines(&env)
        .iter()
        .filter(|l| l["action"] == "admin.usage")
        .count();
    assert_eq!(audited, 6);
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// (b) OpenAI: spend planted at the provider yesterday on an exclusive secret's key is
/// unseen spend: exit 9 naming the secret, its connector, the day and the amounts.
#[test]
fn openai_unseen_spend_on_an_exclusive_key_exits_9() {
    let (env, fake, id) = home(Flavor::OpenAi, &["work_key"]);
    let yesterday = days_ago(1);
    fake.add_usage(&id, yesterday, 5_000, 500, 3, 0.5);

    let out = reconcile(&env, &[]);
    assert_eq!(exit_code(&out), 9, "{}", stderr(&out));
    let text = stderr(&out);
    for part in [
        "unseen spend",
        "'work_key'",
        "connector work",
        &date(yesterday),
        "5,500 tokens",
        "$0.5000",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert!(stdout(&out).contains("unseen"), "{}", stdout(&out));
    no_key_in(&out, Flavor::OpenAi);

    let out = reconcile(&env, &["--json"]);
    assert_eq!(exit_code(&out), 9, "{}", stderr(&out));
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["day"], date(yesterday).as_str());
    assert_eq!(findings[0]["provider_tokens"], 5_500);
    assert_eq!(findings[0]["byok_tokens"], 0);
    assert_eq!(findings[0]["unseen_tokens"], 5_500);
    assert_eq!(findings[0]["exclusive"], true);

    // Below the tolerance (100 tokens) a day stays ok.
    let before = days_ago(2);
    fake.add_usage(&id, before, 90, 10, 1, 0.001);
    let report = json(&reconcile(&env, &["--json"]));
    assert_eq!(row(&report, before)["status"], "ok", "{report}");
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// (c) The same planted spend on a key not declared exclusive: a note, exit 0.
#[test]
fn unseen_spend_on_a_shared_key_is_a_note() {
    let (env, fake, id) = home(Flavor::OpenAi, &[]);
    let yesterday = days_ago(1);
    fake.add_usage(&id, yesterday, 5_000, 500, 3, 0.5);
    let out = reconcile(&env, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("note: unseen spend on secret 'work_key'"),
        "{text}"
    );
    assert!(text.contains(&date(yesterday)), "{text}");
    assert!(text.contains("may be used outside byok"), "{text}");
    let report = json(&reconcile(&env, &["--json"]));
    assert_eq!(report["findings"][0]["exclusive"], false, "{report}");
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// (a) and (b) for Anthropic: requests through a proxy whose clock is three days back
/// agree with the same usage at the provider that day; unseen spend two days back (a
/// final day) exits 9; today's real requests are pending.
#[test]
fn anthropic_agreement_and_unseen_spend() {
    let (env, fake, id) = home(Flavor::Anthropic, &["work_key"]);
    let three = days_ago(3);
    let noon = admin_fake::rfc3339(three + DAY / 2);
    through_proxy(&env, Flavor::Anthropic, 2, &[("BYOK_TEST_NOW", &noon)]);
    // The fake counted them today; the provider's view of that day is planted.
    fake.add_usage(&id, three + 3600, 20, 2, 2, 0.0002);

    let out = reconcile(&env, &["--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    let agreed = row(&report, three);
    assert_eq!(agreed["status"], "ok", "{agreed}");
    assert_eq!(agreed["provider_tokens"], 22);
    assert_eq!(agreed["byok_tokens"], 22);
    // Anthropic's usage report counts no requests and has no cost per key.
    assert_eq!(agreed["provider_requests"], Value::Null);
    assert_eq!(agreed["provider_cost_usd"], Value::Null);
    let today = row(&report, days_ago(0));
    assert_eq!(today["status"], "pending", "{today}");
    assert_eq!(today["provider_tokens"], 22);
    assert_eq!(today["byok_tokens"], 0);
    assert!(
        stderr(&out).contains("lags up to 24 hours"),
        "{}",
        stderr(&out)
    );

    let two = days_ago(2);
    fake.add_usage(&id, two, 9_000, 900, 4, 1.0);
    let out = reconcile(&env, &[]);
    assert_eq!(exit_code(&out), 9, "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("'work_key'"), "{text}");
    assert!(text.contains(&date(two)), "{text}");
    assert!(text.contains("9,900 tokens"), "{text}");
    no_key_in(&out, Flavor::Anthropic);
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// (d) Anthropic spend in the last 24 hours (today, and yesterday which ended less than 24
/// hours ago) is pending, never a finding, even on an exclusive key.
#[test]
fn anthropic_spend_in_the_last_24_hours_is_pending() {
    let (env, fake, id) = home(Flavor::Anthropic, &["work_key"]);
    fake.add_usage(&id, days_ago(0), 50_000, 5_000, 10, 2.0);
    fake.add_usage(&id, days_ago(1), 50_000, 5_000, 10, 2.0);
    let out = reconcile(&env, &["--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    for n in [0, 1] {
        let pending = row(&report, days_ago(n));
        assert_eq!(pending["status"], "pending", "{pending}");
        assert_eq!(pending["provider_tokens"], 55_000);
        assert_eq!(pending["unseen_tokens"], 0);
    }
    assert_eq!(row(&report, days_ago(2))["status"], "ok");
    let out = reconcile(&env, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("pending"), "{}", stdout(&out));
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// OpenRouter: the activity per key (completed days): agreement yesterday through a proxy
/// whose clock is a day back, unseen spend two days back, today pending.
#[test]
fn openrouter_agreement_and_unseen_spend() {
    let (env, fake, id) = home(Flavor::OpenRouter, &["work_key"]);
    let yesterday = days_ago(1);
    let noon = admin_fake::rfc3339(yesterday + DAY / 2);
    through_proxy(&env, Flavor::OpenRouter, 2, &[("BYOK_TEST_NOW", &noon)]);
    fake.add_usage(&id, yesterday + 7200, 20, 2, 2, 0.0002);

    let out = reconcile(&env, &["--json", "--admin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    let agreed = row(&report, yesterday);
    assert_eq!(agreed["status"], "ok", "{agreed}");
    assert_eq!(agreed["provider_tokens"], 22);
    assert_eq!(agreed["byok_tokens"], 22);
    assert_eq!(agreed["provider_requests"], 2);
    assert_eq!(agreed["provider_cost_usd"], 0.0002);
    assert_eq!(row(&report, days_ago(0))["status"], "pending");

    let two = days_ago(2);
    fake.add_usage(&id, two, 3_000, 300, 2, 0.02);
    let out = reconcile(&env, &[]);
    assert_eq!(exit_code(&out), 9, "{}", stderr(&out));
    assert!(stderr(&out).contains(&date(two)), "{}", stderr(&out));
    assert!(stderr(&out).contains("3,300 tokens"), "{}", stderr(&out));
    no_key_in(&out, Flavor::OpenRouter);
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// `exclusive` is written by `admin add --exclusive`, read back, and checked; a secret no
/// connector uses is a note; without an admin connection there is nothing to read.
#[test]
fn exclusive_is_configured_and_checked() {
    let (env, fake, _) = home(Flavor::OpenAi, &["work_key", "spare_key"]);
    let config = std::fs::read_to_string(env.home().join("config.toml")).unwrap();
    assert!(
        config.contains(r#"exclusive = ["work_key", "spare_key"]"#),
        "{config}"
    );
    let out = reconcile(&env, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("'spare_key' is used by no active OpenAI connector"),
        "{}",
        stderr(&out)
    );
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
    // A hand-edited value that is not a list of refs is refused, naming the key.
    let path = env.home().join("config.toml");
    std::fs::write(
        &path,
        config.replace(r#"["work_key", "spare_key"]"#, r#""work_key""#),
    )
    .unwrap();
    let out = env.cmd(["admin", "list"]).output().unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("`exclusive` must be an array"),
        "{}",
        stderr(&out)
    );

    let env = Env::init();
    env.add("admin_key", admin_key(Flavor::OpenAi), &[]);
    let out = env
        .cmd([
            "admin",
            "add",
            "main",
            "--provider",
            "openai",
            "--secret",
            "admin_key",
            "--project",
            PROJECT,
            "--exclusive",
            "Not A Ref",
        ])
        .output()
        .unwrap();
    assert_eq!(exit_code(&out), 2, "{}", stderr(&out));
    let out = reconcile(&env, &[]);
    assert_eq!(exit_code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no admin connection"),
        "{}",
        stderr(&out)
    );
    // The usage flags still work, and do not mix with the subcommand.
    env.cmd(["usage", "--json", "--since", "1d"])
        .assert()
        .success();
    let out = env.cmd(["usage", "--json", "reconcile"]).output().unwrap();
    assert_eq!(exit_code(&out), 2, "{}", stderr(&out));
}
