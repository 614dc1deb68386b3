//! `byok mcp` in an agent-proof home, run by the agent user: its tools give a placeholder
//! that works through the proxy, and never the key, whatever they are asked.

use serde_json::{Value, json};

use super::{KEY, PASSPHRASE, Setup};
use crate::harness::{Mode, Upstream, chat, stderr, stdout};
use crate::mcp_server::{Mcp, request_args};

#[test]
fn an_agent_running_byok_mcp_gets_a_placeholder_and_never_the_key() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let upstream = Upstream::start("work", Mode::Ok);
    setup.init(&format!("{}/v1", upstream.root()));
    let proxy = setup.start_proxy();

    // The agent, as the user, in a session keyring of its own.
    let mut mcp = Mcp::spawn(setup.user_session(&setup.bin, &["mcp"], &[]));
    mcp.initialize();
    let hostile = [
        json!(KEY),
        json!("k"),
        json!("../identity.age"),
        json!("\u{1b}]52;c;aGk=\u{7}"),
        json!("A".repeat(100_000)),
    ];
    for tool in [
        "list_models",
        "test_connector",
        "usage",
        "request_access",
        "check_access",
    ] {
        for field in ["connector", "request_id", "reason", "agent", "models"] {
            for value in &hostile {
                let mut args = request_args();
                args[field] = value.clone();
                let r = mcp.call(tool, args);
                assert!(r["content"].is_array(), "{tool}: {r}");
            }
        }
    }
    let models = mcp.call("list_models", json!({}));
    assert_eq!(
        models["structuredContent"]["connectors"][0]["connector"], "work",
        "{models}"
    );
    let r = mcp.call("request_access", request_args());
    let id = r["structuredContent"]["request_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The person, with the passphrase, approves the digest shown.
    let listed = setup.byok(&["approve", "--json"], &[]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let listed: Vec<Value> = serde_json::from_str(&stdout(&listed)).unwrap();
    let digest = listed
        .iter()
        .find(|r| r["id"] == json!(id))
        .unwrap_or_else(|| panic!("{listed:?}"))["digest"]
        .as_str()
        .unwrap()
        .to_owned();
    // The agent cannot approve: nothing it has unlocks the vault.
    let out = setup.byok(&["approve", &id, "--digest", &digest], &[]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let out = setup.byok(
        &["approve", &id, "--digest", &digest],
        &[("BYOK_PASSPHRASE", PASSPHRASE)],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let r = mcp.call("check_access", json!({"request_id": id}));
    let s = &r["structuredContent"];
    assert_eq!(s["status"], "granted", "{r}");
    assert_eq!(s["base_url"], format!("http://127.0.0.1:{}", proxy.port));
    // The agent-proof proxy serves the new token at once (its token file carries the MAC).
    let token = s["token"].as_str().unwrap();
    let reply = chat(proxy.port, token, "gpt-test", false);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        upstream
            .seen()
            .iter()
            .any(|s| s.header("authorization") == Some(&format!("Bearer {KEY}")))
    );
    let tested = mcp.call(
        "test_connector",
        json!({"connector": "work", "through_proxy": true}),
    );
    assert_eq!(tested["structuredContent"]["status"], 200, "{tested}");
    assert_eq!(
        tested["structuredContent"]["answered_by"], "work",
        "{tested}"
    );
    let usage = mcp.call("usage", json!({}));
    assert_eq!(usage["isError"], false, "{usage}");
    let transcript = mcp.transcript.clone();
    let (code, err) = mcp.finish();
    assert_eq!(code, 0, "{err}");
    for text in [&transcript, &err, &reply.body] {
        assert!(!text.contains(KEY), "the key reached the agent");
        assert!(
            !text.contains(&KEY[5..25]),
            "a piece of the key reached the agent"
        );
    }
    drop(proxy);
}
