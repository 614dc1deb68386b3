//! Tool APIs through the proxy (`[[api]]`, `/api/NAME/…`): the real binary between a client
//! and local fakes of GitHub's REST API (JSON, `Link` pagination, its 401 body), Brave
//! Search (a key header) and SerpApi (a key query parameter). The fakes record what reached
//! them; the tests check that the real key arrived, that the client never sees it (echoed
//! in a body, a header, a chunked or a gzip-encoded answer), and what is refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::{Env, gzip, http, start_proxy, stderr, stdout, token};

pub(crate) const GH_KEY: &str = "ghp_test0123456789abcdefghijklmnopqrstuv";
const GH_WRONG: &str = "ghp_testWRONGWRONGWRONGWRONGWRONGWRONGWR";
const BRAVE_KEY: &str = "BSAtest0123456789abcdefghijklmn";
const SERP_KEY: &str = "sk-test-serpapi-0123456789abcdef0123456789";

// ---- fakes ---------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub(crate) struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The answer of a fake: status, extra headers, body bytes.
pub(crate) type Answer = (u16, Vec<(String, String)>, Vec<u8>);
pub(crate) type Handler = fn(&str, &Seen) -> Answer;

pub(crate) struct Fake {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    pub(crate) fn start(handler: Handler) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = Arc::clone(&seen);
        let root = format!("http://127.0.0.1:{port}");
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (s, root) = (Arc::clone(&s), root.clone());
                thread::spawn(move || serve(stream, &s, handler, &root));
            }
        });
        Fake { port, seen }
    }

    pub(crate) fn root(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, seen: &Mutex<Vec<Seen>>, handler: Handler, root: &str) {
    let mut out = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return;
    };
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        if reader.read_line(&mut l).is_err() {
            return;
        }
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    let entry = Seen {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    seen.lock().unwrap().push(entry.clone());
    let (status, extra, body) = handler(root, &entry);
    let chunked = extra.iter().any(|(k, _)| k == "transfer-encoding");
    let mut head = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n");
    for (k, v) in &extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if chunked {
        let _ = write!(out, "{head}\r\n");
        // The body in small pieces, so a key is split across chunks.
        for piece in body.chunks(7) {
            let _ = write!(out, "{:x}\r\n", piece.len());
            let _ = out.write_all(piece);
            let _ = write!(out, "\r\n");
            let _ = out.flush();
            thread::sleep(Duration::from_millis(2));
        }
        let _ = write!(out, "0\r\n\r\n");
    } else {
        let _ = write!(out, "{head}content-length: {}\r\n\r\n", body.len());
        let _ = out.write_all(&body);
    }
}

fn json_answer(status: u16, value: &Value) -> Answer {
    (
        status,
        vec![(
            "content-type".into(),
            "application/json; charset=utf-8".into(),
        )],
        value.to_string().into_bytes(),
    )
}

/// GitHub's REST API as it answers (api.github.com): `Authorization: Bearer` or `token`,
/// 401 `Bad credentials`, JSON bodies, `Link` pagination pointing at itself.
pub(crate) fn github(root: &str, req: &Seen) -> Answer {
    let auth = req.header("authorization").unwrap_or_default();
    let token = auth
        .strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("token "))
        .unwrap_or_default();
    if token != GH_KEY {
        return json_answer(
            401,
            &json!({"message": "Bad credentials",
                "documentation_url": "https://docs.github.com/rest", "status": "401"}),
        );
    }
    let path = req.target.split('?').next().unwrap_or_default();
    match (req.method.as_str(), path) {
        ("GET", "/user") => {
            let (s, mut h, b) = json_answer(
                200,
                &json!({"login": "octocat", "id": 1, "type": "User", "site_admin": false}),
            );
            h.push(("x-ratelimit-remaining".into(), "4999".into()));
            h.push((
                "x-github-media-type".into(),
                "github.v3; format=json".into(),
            ));
            (s, h, b)
        }
        ("GET", "/repos/octo/hello/issues") => {
            let (s, mut h, b) = json_answer(
                200,
                &json!([{"number": 2, "title": "second", "state": "open"}]),
            );
            h.push((
                "link".into(),
                format!(
                    "<{root}/repositories/1/issues?per_page=1&page=2>; rel=\"next\", \
                     <{root}/repositories/1/issues?per_page=1&page=3>; rel=\"last\""
                ),
            ));
            (s, h, b)
        }
        ("POST", "/repos/octo/hello/issues") => {
            let sent: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
            json_answer(
                201,
                &json!({"number": 3, "title": sent["title"], "state": "open"}),
            )
        }
        // A hostile or buggy upstream that repeats the credential it got.
        ("GET", "/repos/octo/hello/echo") => {
            let (s, mut h, b) = json_answer(
                200,
                &json!({"you_sent": auth, "escaped": "\\u0067hp", "nested": {"k": [token]}}),
            );
            h.push(("x-echo".into(), auth.to_owned()));
            (s, h, b)
        }
        ("GET", "/repos/octo/hello/chunked") => (
            200,
            vec![
                ("content-type".into(), "text/plain".into()),
                ("transfer-encoding".into(), "chunked".into()),
            ],
            format!("your token is {token}, thanks").into_bytes(),
        ),
        ("GET", "/repos/octo/hello/gzip") => (
            200,
            vec![
                ("content-type".into(), "application/json".into()),
                ("content-encoding".into(), "gzip".into()),
            ],
            gzip(&json!({"token": token}).to_string()),
        ),
        // Encodings the fake only labels (the bytes are the key as is): never passed on.
        ("GET", p) if p.starts_with("/repos/octo/hello/encoded/") => (
            200,
            vec![
                ("content-type".into(), "application/json".into()),
                (
                    "content-encoding".into(),
                    p.rsplit('/').next().unwrap().replace('+', ", "),
                ),
            ],
            json!({"token": token}).to_string().into_bytes(),
        ),
        ("GET", "/repos/octo/hello/moved") => (
            301,
            vec![("location".into(), "https://evil.example/steal".into())],
            Vec::new(),
        ),
        _ => json_answer(
            404,
            &json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest",
                "status": "404"}),
        ),
    }
}

/// Brave Search (api.search.brave.com/res/v1): `X-Subscription-Token`, GET `/web/search`.
fn brave(_: &str, req: &Seen) -> Answer {
    if req.header("x-subscription-token") != Some(BRAVE_KEY) {
        return json_answer(
            422,
            &json!({"type": "ErrorResponse", "error": {"code": "SUBSCRIPTION_TOKEN_INVALID",
                "detail": "The provided subscription token is invalid.", "status": 422}}),
        );
    }
    json_answer(
        200,
        &json!({"type": "search", "query": {"original": "rust"},
            "web": {"type": "search", "results": [{"title": "Rust", "url": "https://www.rust-lang.org/"}]}}),
    )
}

/// SerpApi (serpapi.com): the key as `api_key` in the query; the answer repeats the query
/// (`search_parameters`), here with the key, as a careless upstream would.
fn serpapi(_: &str, req: &Seen) -> Answer {
    let query = req
        .target
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or_default();
    let key = query
        .split('&')
        .find_map(|p| p.strip_prefix("api_key="))
        .unwrap_or_default();
    if key != SERP_KEY {
        return json_answer(401, &json!({"error": "Invalid API key."}));
    }
    json_answer(
        200,
        &json!({"search_metadata": {"status": "Success"},
            "search_parameters": {"q": "rust", "raw": query},
            "organic_results": [{"position": 1, "title": "Rust"}]}),
    )
}

// ---- helpers -------------------------------------------------------------------------------

fn api_home(gh: &Fake, more: &str) -> Env {
    let env = Env::init();
    env.add("gh_token", GH_KEY, &[]);
    env.add("gh_wrong", GH_WRONG, &[]);
    std::fs::write(
        env.file("config.toml"),
        format!(
            "[[api]]\nname = \"github\"\nrecipe = \"github\"\nsecret = \"gh_token\"\nbase_url = \"{root}\"\n\n\
             [[api]]\nname = \"gh-wrong\"\nrecipe = \"github\"\nsecret = \"gh_wrong\"\nbase_url = \"{root}\"\n\n{more}",
            root = gh.root()
        ),
    )
    .unwrap();
    env
}

fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> crate::harness::Resp {
    http(port, "GET", path, headers, None)
}

fn no_key(resp: &crate::harness::Resp, keys: &[&str]) {
    for key in keys {
        assert!(!resp.body.contains(key), "key in body: {}", resp.body);
        for (k, v) in &resp.headers {
            assert!(!v.contains(key), "key in header {k}: {v}");
        }
    }
}

/// Waits until the ledger holds `n` requests; returns `usage --json --by connector`.
fn ledger(env: &Env, n: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = env
            .cmd(["usage", "--json", "--by", "connector", "--since", "3650d"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        if v["total"]["requests"] == json!(n) {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "the ledger has {v}, expected {n}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

// ---- tests ---------------------------------------------------------------------------------

#[test]
fn github_through_the_proxy_gets_the_real_token_and_the_client_never_sees_it() {
    let gh = Fake::start(github);
    let env = api_home(&gh, "");
    let t = token(&env, "agent", &["--api", "github", "--api", "gh-wrong"]);
    let proxy = start_proxy(&env, &[]);
    let port = proxy.port;
    let bearer = format!("Bearer {t}");

    // A GET with the placeholder as `Authorization: Bearer`: the fake got the real token.
    let r = get(
        port,
        "/api/github/user",
        &[("authorization", &bearer), ("user-agent", "octokit.js/5")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["login"], "octocat");
    assert_eq!(r.header("x-ratelimit-remaining"), Some("4999"));
    assert_eq!(r.header("x-byok-api"), Some("github"));
    let first = &gh.seen()[0];
    assert_eq!(
        (first.method.as_str(), first.target.as_str()),
        ("GET", "/user")
    );
    assert_eq!(
        first.header("authorization"),
        Some(format!("Bearer {GH_KEY}").as_str())
    );
    assert_eq!(first.header("x-github-api-version"), Some("2022-11-28"));
    assert_eq!(first.header("user-agent"), Some("octokit.js/5"));
    assert_eq!(first.header("accept-encoding"), Some("identity"));

    // `token P` (GitHub's classic scheme) works too; pagination links point at the proxy.
    let r = get(
        port,
        "/api/github/repos/octo/hello/issues?per_page=1",
        &[("authorization", &format!("token {t}"))],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()[0]["number"], 2);
    let link = r.header("link").unwrap();
    assert!(
        link.contains(&format!("<http://127.0.0.1:{port}/api/github/repositories/1/issues?per_page=1&page=2>; rel=\"next\"")),
        "{link}"
    );
    assert!(!link.contains(&gh.root()), "{link}");
    assert_eq!(gh.seen()[1].target, "/repos/octo/hello/issues?per_page=1");

    // A POST with a JSON body goes through as is.
    let r = http(
        port,
        "POST",
        "/api/github/repos/octo/hello/issues",
        &[("authorization", &bearer)],
        Some(&json!({"title": "from an agent"})),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["title"], "from an agent");

    // The upstream echoes the token: in a JSON body, a header, a chunked text body.
    let r = get(
        port,
        "/api/github/repos/octo/hello/echo",
        &[("authorization", &bearer)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    no_key(&r, &[GH_KEY, &GH_KEY[4..30]]);
    assert!(r.body.contains("concealed by byok"), "{}", r.body);
    assert!(r.header("x-echo").unwrap().contains("concealed by byok"));
    let r = get(
        port,
        "/api/github/repos/octo/hello/chunked",
        &[("authorization", &bearer)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    no_key(&r, &[GH_KEY]);
    assert!(r.body.starts_with("your token is "), "{}", r.body);
    // gzip-encoded (byok asked for identity): not passed on at all, and said why.
    let r = get(
        port,
        "/api/github/repos/octo/hello/gzip",
        &[("authorization", &bearer)],
    );
    assert_eq!(r.status, 502, "{}", r.body);
    assert!(r.body.contains("content-encoding `gzip`"), "{}", r.body);
    no_key(&r, &[GH_KEY]);
    for encoding in ["br", "deflate", "GZIP", "identity+br", "zstd"] {
        let r = get(
            port,
            &format!("/api/github/repos/octo/hello/encoded/{encoding}"),
            &[("authorization", &bearer)],
        );
        assert_eq!(r.status, 502, "{encoding}: {}", r.body);
        assert!(r.body.contains("content-encoding"), "{}", r.body);
        no_key(&r, &[GH_KEY]);
    }
    // A redirect is neither followed nor passed on.
    let seen_before = gh.seen().len();
    let r = get(
        port,
        "/api/github/repos/octo/hello/moved",
        &[("authorization", &bearer)],
    );
    assert_eq!(r.status, 502, "{}", r.body);
    assert!(r.header("location").is_none());
    assert!(r.body.contains("redirect"), "{}", r.body);
    assert_eq!(
        gh.seen().len(),
        seen_before + 1,
        "nothing followed the redirect"
    );

    // The upstream's own 401 (a wrong stored token) comes back unchanged but for the key.
    let r = get(port, "/api/gh-wrong/user", &[("authorization", &bearer)]);
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.json()["message"], "Bad credentials");
    no_key(&r, &[GH_WRONG]);

    // The placeholder never reached the upstream; the real token never reached the client.
    for seen in gh.seen() {
        for (k, v) in &seen.headers {
            assert!(!v.contains(&t), "placeholder forwarded in {k}");
        }
        assert!(!seen.target.contains(&t));
    }

    // Ledger rows: requests and status per API, no token value anywhere.
    let v = ledger(&env, 13);
    let groups = v["groups"].as_array().unwrap();
    let github_row = groups
        .iter()
        .find(|g| g["key"] == "github")
        .expect("github row");
    assert_eq!(github_row["requests"], 12, "{v}");
    assert_eq!(github_row["failures"], 7, "{v}");
    let wrong = groups
        .iter()
        .find(|g| g["key"] == "gh-wrong")
        .expect("gh-wrong row");
    assert_eq!(wrong["failures"], 1, "{v}");
    drop(proxy);
    for name in ["usage.db", "usage.db-wal"] {
        if let Ok(bytes) = std::fs::read(env.file(name)) {
            for needle in [GH_KEY, t.as_str(), "octocat"] {
                assert!(
                    memchr::memmem::find(&bytes, needle.as_bytes()).is_none(),
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn unlisted_methods_paths_and_hostile_targets_are_refused_before_the_upstream() {
    let gh = Fake::start(github);
    let env = api_home(&gh, "");
    let t = token(&env, "agent", &["--api", "github"]);
    let proxy = start_proxy(&env, &[]);
    let port = proxy.port;
    let bearer = format!("Bearer {t}");
    let auth = [("authorization", bearer.as_str())];

    // DELETE is not among the recipe's methods: 405 with `Allow`.
    let r = http(port, "DELETE", "/api/github/repos/octo/hello", &auth, None);
    assert_eq!(r.status, 405, "{}", r.body);
    assert_eq!(r.header("allow"), Some("GET, HEAD, POST, PATCH, PUT"));
    assert!(
        r.body.contains("allows only GET, HEAD, POST, PATCH, PUT"),
        "{}",
        r.body
    );
    // A path under no allowed prefix: 403 naming the prefixes.
    for path in [
        "/api/github/admin/users",
        "/api/github/authorizations",
        "/api/github/usersx",
        // Not in the recipe: a GraphQL mutation would undo the missing DELETE.
        "/api/github/graphql",
    ] {
        let r = get(port, path, &auth);
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(r.body.contains("does not allow this path"), "{}", r.body);
    }
    // Traversal and encoding tricks: 400 on the raw target, whatever the prefix.
    for path in [
        "/api/github/repos/../admin",
        "/api/github/repos/%2e%2e/admin",
        "/api/github/repos/%2E%2E/admin",
        "/api/github/repos%2f..%2fadmin",
        "/api/github/repos/a%2Fb",
        "/api/github/repos//evil.example/x",
        "/api/github//evil.example/repos/x",
        "/api/github/repos/a%5c..%5cadmin",
        "/api/github/repos/a%252e%252e/x",
        "/api/github/repos/..;/admin",
        "/api/github/repos/%0d%0ax:y",
        "/api/github/repos/a%3b/../admin",
        "/api/github/repos/a%3B/x",
        "/api/github/repos/a%3fx=1",
        "/api/github/repos/a%3F",
        "/api/github/repos/a%23x",
        &format!("/api/github/repos/{}", "a".repeat(3000)),
    ] {
        let r = get(port, path, &auth);
        assert_eq!(r.status, 400, "{path}: {}", r.body);
    }
    // An absolute-form target (a proxy request for another host).
    let r = get(port, "http://evil.example/api/github/user", &auth);
    assert!(
        r.status == 400 || r.status == 404,
        "{}: {}",
        r.status,
        r.body
    );
    // A raw CR/LF in the target never gets that far (hyper refuses the request line).
    // No placeholder, a wrong one, one not granted this API.
    let r = get(port, "/api/github/user", &[]);
    assert_eq!(r.status, 401, "{}", r.body);
    let r = get(
        port,
        "/api/github/user",
        &[("authorization", &format!("Bearer {GH_KEY}"))],
    );
    assert_eq!(r.status, 401, "a real key is not a placeholder: {}", r.body);
    let models_only = token(&env, "models-only", &[]);
    let r = get(
        port,
        "/api/github/user",
        &[("authorization", &format!("Bearer {models_only}"))],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body.contains("may not use the API 'github'"),
        "{}",
        r.body
    );
    let other = token(&env, "other-api", &["--api", "gh-wrong"]);
    let r = get(
        port,
        "/api/github/user",
        &[("authorization", &format!("Bearer {other}"))],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // An API-only token may use no model.
    let r = crate::harness::chat(port, &t, "gpt-test", false);
    assert_eq!(r.status, 403, "{}", r.body);
    // An unknown API name.
    let r = get(port, "/api/gitlab/user", &auth);
    assert_eq!(r.status, 404, "{}", r.body);
    // Nothing above reached the upstream.
    assert!(gh.seen().is_empty(), "{:?}", gh.seen());
    // The proper request still works, without the method and path overrides a client sent.
    let overrides = [
        "x-http-method-override",
        "x-http-method",
        "x-method-override",
        "x-original-url",
        "x-rewrite-url",
        "x-forwarded-prefix",
        "x-forwarded-host",
        "forwarded",
    ];
    let mut headers = auth.to_vec();
    for name in overrides {
        let value = if name.contains("method") {
            "DELETE"
        } else {
            "/admin"
        };
        headers.push((name, value));
    }
    let r = get(port, "/api/github/user", &headers);
    assert_eq!(r.status, 200, "{}", r.body);
    let seen = &gh.seen()[0];
    for name in overrides {
        assert_eq!(seen.header(name), None, "{name} reached the upstream");
    }
}

#[test]
fn a_header_recipe_and_a_query_recipe_carry_the_key_their_way() {
    let gh = Fake::start(github);
    let b = Fake::start(brave);
    let s = Fake::start(serpapi);
    let env = api_home(
        &gh,
        &format!(
            "[[api]]\nname = \"brave\"\nrecipe = \"brave-search\"\nsecret = \"brave_key\"\nbase_url = \"{}\"\n\n\
             [[api]]\nname = \"serp\"\nrecipe = \"serpapi\"\nsecret = \"serp_key\"\nbase_url = \"{}\"\n\n\
             [[api]]\nname = \"serp-down\"\nrecipe = \"serpapi\"\nsecret = \"serp_key\"\nbase_url = \"http://127.0.0.1:1\"\n",
            b.root(),
            s.root()
        ),
    );
    env.add("brave_key", BRAVE_KEY, &[]);
    env.add("serp_key", SERP_KEY, &[]);
    let t = token(
        &env,
        "search",
        &["--api", "brave", "--api", "serp", "--api", "serp-down"],
    );
    let proxy = start_proxy(&env, &[]);
    let port = proxy.port;

    // Brave: the placeholder in its own header, as its clients send the key.
    let r = get(
        port,
        "/api/brave/web/search?q=rust",
        &[("x-subscription-token", &t)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["web"]["results"][0]["title"], "Rust");
    let seen = &b.seen()[0];
    assert_eq!(seen.target, "/web/search?q=rust");
    assert_eq!(seen.header("x-subscription-token"), Some(BRAVE_KEY));
    // POST is not a Brave method here.
    let r = http(
        port,
        "POST",
        "/api/brave/web/search",
        &[("x-subscription-token", &t)],
        Some(&json!({})),
    );
    assert_eq!(r.status, 405, "{}", r.body);

    // SerpApi: the placeholder as `api_key=`; the upstream gets the key there instead, and
    // its echo of the query is concealed.
    let r = get(
        port,
        &format!("/api/serp/search.json?engine=google&q=rust&api_key={t}"),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["organic_results"][0]["title"], "Rust");
    no_key(&r, &[SERP_KEY]);
    let seen = &s.seen()[0];
    assert_eq!(
        seen.target,
        format!("/search.json?engine=google&q=rust&api_key={SERP_KEY}")
    );
    assert!(!seen.target.contains(&t));
    // Bearer works for SerpApi too (the key still goes in the query).
    let r = get(
        port,
        "/api/serp/search.json?q=x",
        &[("authorization", &format!("Bearer {t}"))],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        s.seen()[1].target,
        format!("/search.json?q=x&api_key={SERP_KEY}")
    );
    // An unreachable upstream: 502, and the error quotes no key (the query holds one).
    let r = get(
        port,
        "/api/serp-down/search.json?q=x",
        &[("authorization", &format!("Bearer {t}"))],
    );
    assert_eq!(r.status, 502, "{}", r.body);
    no_key(&r, &[SERP_KEY]);
    // The search token was not granted GitHub.
    let r = get(
        port,
        "/api/github/user",
        &[("authorization", &format!("Bearer {t}"))],
    );
    assert_eq!(r.status, 403, "{}", r.body);
}

#[test]
fn exec_via_proxy_hands_a_command_the_apis_placeholder_and_url_and_nothing_else() {
    let gh = Fake::start(github);
    let env = api_home(&gh, "");
    let proxy = start_proxy(&env, &[]);
    let port = proxy.port;
    // The status lists the APIs.
    let out = env.cmd(["proxy", "status"]).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "api github  {}  at http://127.0.0.1:{port}/api/github  (recipe github)",
            gh.root()
        )),
        "{text}"
    );
    let script = "printf 'TOKEN=%s\\nURL=%s\\nOPENAI=%s\\n' \"$GITHUB_TOKEN\" \"$GITHUB_API_URL\" \"${OPENAI_API_KEY:-none}\"; \
                  curl -s -H \"Authorization: Bearer $GH_TOKEN\" \"$GITHUB_API_URL/user\"";
    let out = env
        .cmd([
            "exec",
            "--via-proxy",
            "--api",
            "github",
            "--",
            "sh",
            "-c",
            script,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let placeholder = text
        .lines()
        .find_map(|l| l.strip_prefix("TOKEN="))
        .unwrap()
        .to_owned();
    assert!(placeholder.starts_with("sk-ant-byok01-"), "{text}");
    assert!(
        text.contains(&format!("URL=http://127.0.0.1:{port}/api/github\n")),
        "{text}"
    );
    assert!(
        text.contains("OPENAI=none"),
        "no model variables with --api alone: {text}"
    );
    assert!(text.contains("\"login\":\"octocat\""), "{text}");
    assert!(!text.contains(GH_KEY), "{text}");
    assert_eq!(
        gh.seen()[0].header("authorization"),
        Some(format!("Bearer {GH_KEY}").as_str())
    );
    // The run's placeholder is revoked when the command ends.
    let r = get(
        port,
        "/api/github/user",
        &[("authorization", &format!("Bearer {placeholder}"))],
    );
    assert_eq!(r.status, 401, "{}", r.body);

    // Two APIs that set the same variables cannot go to one command.
    let out = env
        .cmd([
            "exec",
            "--via-proxy",
            "--api",
            "github",
            "--api",
            "gh-wrong",
            "--",
            "true",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the APIs 'github' and 'gh-wrong' both set GITHUB_TOKEN"),
        "{}",
        stderr(&out)
    );

    // `token create --api --json` gives a program's variables.
    let out = env
        .cmd([
            "proxy", "token", "create", "mcp", "--api", "github", "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["apis"], json!(["github"]));
    assert_eq!(v["env"]["GITHUB_TOKEN"], v["token"]);
    assert_eq!(
        v["env"]["GITHUB_API_URL"],
        "http://127.0.0.1:8787/api/github"
    );
    // An API that is not declared is refused, naming the known ones.
    let out = env
        .cmd(["proxy", "token", "create", "x", "--api", "gitlab"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("no [[api]] in config.toml is named 'gitlab' (known: github, gh-wrong)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_hostile_api_table_is_refused_with_its_position_and_no_value() {
    let env = Env::init();
    std::fs::write(
        env.file("config.toml"),
        "[[api]]\nname = \"ok\"\nrecipe = \"github\"\nsecret = \"k\"\n\n\
         [[api]]\nname = \"evil\"\nsecret = \"k\"\nkey_header = \"Authorization\"\nkey_format = \"Bearer {key}\"\n\
         paths = [\"/\"]\nbase_url = \"http://evil.example/?leak=sk-test-pasted-0123456789\"\n",
    )
    .unwrap();
    let out = env.cmd(["connector", "list"]).output().unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("api #2 'evil': `base_url`"), "{err}");
    assert!(!err.contains("sk-test-pasted"), "{err}");
    std::fs::write(
        env.file("config.toml"),
        "[[api]]\nname = \"ok\"\nrecipe = \"github\"\nsecret = \"k\"\nkey_headr = \"X\"\n",
    )
    .unwrap();
    let out = env.cmd(["connector", "list"]).output().unwrap();
    let err = stderr(&out);
    assert!(
        err.contains("unknown key `key_headr` in [[api]] #1 'ok'"),
        "{err}"
    );
}

#[test]
fn a_reload_serves_an_api_added_to_config_toml_and_the_start_up_lists_them() {
    let gh = Fake::start(github);
    let b = Fake::start(brave);
    let env = api_home(&gh, "");
    env.add("brave_key", BRAVE_KEY, &[]);
    let mut proxy = start_proxy(&env, &[]);
    let port = proxy.port;
    let mut config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    config.push_str(&format!(
        "\n[[api]]\nname = \"brave\"\nrecipe = \"brave-search\"\nsecret = \"brave_key\"\nbase_url = \"{}\"\n",
        b.root()
    ));
    std::fs::write(env.file("config.toml"), config).unwrap();
    let t = token(&env, "agent", &["--api", "github", "--api", "brave"]);
    let search = |port: u16| {
        get(
            port,
            "/api/brave/web/search?q=rust",
            &[("x-subscription-token", &t)],
        )
    };
    assert_eq!(search(port).status, 404, "not served before the reload");
    let out = env.cmd(["proxy", "reload"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let r = search(port);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(b.seen()[0].header("x-subscription-token"), Some(BRAVE_KEY));
    proxy.sigterm();
    let out = proxy.wait();
    let log = stderr(&out);
    assert!(
        log.contains(&format!(
            "byok proxy: API 'github' at http://127.0.0.1:{port}/api/github"
        )),
        "{log}"
    );
    assert!(log.contains("byok proxy: API 'gh-wrong' at"), "{log}");
    assert!(!log.contains(GH_KEY) && !log.contains(BRAVE_KEY), "{log}");
}

/// Review finding: `proxy status` printed the status file's names and URLs as they were, and
/// that file is writable by anything running as the user (an agent, in agent-proof mode).
#[test]
fn proxy_status_escapes_what_a_planted_status_file_says() {
    let gh = Fake::start(github);
    let env = api_home(&gh, "");
    let _proxy = start_proxy(&env, &[]);
    let file = std::fs::read_dir(env.home().join("proxy"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("a status file");
    let mut status: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let evil = "gh\u{1b}]0;owned\u{7}\u{1b}[2Jx\nfake line";
    status["apis"][0]["name"] = json!(evil);
    status["apis"][0]["base_url"] = json!(evil);
    status["apis"][0]["recipe"] = json!(evil);
    status["connectors"] = json!([{"name": evil, "wire": evil, "models": [evil]}]);
    std::fs::write(&file, serde_json::to_vec(&status).unwrap()).unwrap();
    let out = env.cmd(["proxy", "status"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("owned"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(!text.lines().any(|l| l.starts_with("fake line")), "{text}");
}
