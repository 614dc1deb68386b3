//! Tool APIs (`[[api]]`) in agent-proof mode: the agent (the unprivileged user) calls GitHub
//! through the proxy with a placeholder granted the API and never gets the token; an
//! `[[api]]` the agent re-points at its own listener while the proxy is down is not served
//! (it is a route of the pin, `api/NAME`), and its listener never sees the token.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use super::{KEY, Mode, Setup, Upstream, refused};
use crate::harness::{stderr, stdout};
use crate::proxy_api::{Fake, GH_KEY, github};

impl Setup {
    /// Appends `text` to `config.toml`, as the user (as an agent could).
    fn append_config(&self, text: &str) {
        let mut child = self
            .user(
                Path::new("/usr/bin/tee"),
                &["-a", self.home().join("config.toml").to_str().unwrap()],
                &[],
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    }
}

fn api_table(base_url: &str) -> String {
    format!(
        "\n[[api]]\nname = \"github\"\nrecipe = \"github\"\nsecret = \"gh\"\nbase_url = \"{base_url}\"\n"
    )
}

#[test]
fn an_agent_uses_github_through_an_agent_proof_proxy_but_cannot_get_or_re_point_its_token() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let models = Upstream::start("work", Mode::Ok);
    let gh = Fake::start(github);
    let decoy = Fake::start(github);
    setup.init(&format!("{}/v1", models.root()));
    let out = setup.add_secret("gh", GH_KEY);
    assert!(out.status.success(), "secret add: {}", stderr(&out));
    setup.append_config(&api_table(&gh.root()));
    let placeholder = setup.token_with("agent", &["--api", "github"]);
    let proxy = setup.start_proxy();
    let shown = proxy.status["apis"].to_string();
    assert!(shown.contains("\"github\""), "{}", proxy.status);

    // The agent, as the same user, calls the API with its placeholder.
    let url = format!("http://127.0.0.1:{}/api/github/user", proxy.port);
    let out = setup
        .user(
            Path::new("/usr/bin/curl"),
            &[
                "-s",
                "-H",
                &format!("Authorization: Bearer {placeholder}"),
                &url,
            ],
            &[],
        )
        .output()
        .unwrap();
    let body = stdout(&out);
    assert!(
        body.contains("\"login\":\"octocat\""),
        "{body} {}",
        stderr(&out)
    );
    assert_eq!(
        gh.seen()[0].header("authorization"),
        Some(format!("Bearer {GH_KEY}").as_str())
    );
    // An echo of the token comes back concealed.
    let out = setup
        .user(
            Path::new("/usr/bin/curl"),
            &[
                "-s",
                "-i",
                "-H",
                &format!("Authorization: Bearer {placeholder}"),
                &url.replace("/user", "/repos/octo/hello/echo"),
            ],
            &[],
        )
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("concealed by byok"), "{text}");
    assert!(
        !text.contains(GH_KEY) && !text.contains(&GH_KEY[4..24]),
        "{text}"
    );
    // `exec --via-proxy --api github` as the agent: the placeholder from BYOK_PROXY_TOKEN
    // (exec cannot mint one in an agent-proof home) in GITHUB_TOKEN, the proxy's URL in
    // GITHUB_API_URL, and no key anywhere in the command's environment.
    let script = "env | grep -c ghp_test || true; \
                  curl -s -H \"Authorization: Bearer $GITHUB_TOKEN\" \"$GITHUB_API_URL/user\"";
    let out = setup
        .user(
            &setup.bin,
            &[
                "exec",
                "--via-proxy",
                "--api",
                "github",
                "--",
                "sh",
                "-c",
                script,
            ],
            &[("BYOK_PROXY_TOKEN", &placeholder)],
        )
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text} {}", stderr(&out));
    assert!(text.starts_with("0\n"), "a key in the environment: {text}");
    assert!(text.contains("\"login\":\"octocat\""), "{text}");
    assert_eq!(gh.seen().len(), 3, "{:?}", gh.seen());
    drop(proxy);

    // While the proxy is down the agent points the API at its own listener: not served.
    let config = setup.home().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace(&gh.root(), &decoy.root())).unwrap();
    let out = refused(&setup, &setup.bin, &[]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("~ api/github: base_url"), "{err}");
    assert!(err.contains(&decoy.root()), "{err}");
    assert!(!err.contains(GH_KEY) && !err.contains(KEY), "{err}");
    assert!(
        decoy.seen().is_empty(),
        "the agent's listener got {:?}",
        decoy.seen()
    );
}
