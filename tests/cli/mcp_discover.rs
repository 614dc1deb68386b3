//! `byok import discover` in MCP server definitions: Claude Code (`.mcp.json`,
//! `~/.claude.json` and its per-project servers), Cursor, Claude Desktop, VS Code
//! (`servers`, header tokens) and Codex (`[mcp_servers.*]` in `config.toml`). References
//! (`${VAR}`, `${input:id}`) and ordinary settings are not keys; an MCP file is never
//! edited line by line.

use std::path::Path;

use crate::harness::{Env, exit_code, stderr, stdout};

fn put(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const GITHUB: &str = "ghp_test0123456789abcdefghijklmnopqrstuv";
const BRAVE: &str = "BSAtest0123456789abcdefXYZ";
const OPENAI: &str = "sk-proj-test-0123456789abcdefghij";
const CURSOR: &str = "sk-ant-api03-test-cursor-0123456789abcd";
const LINEAR: &str = "lin_api_test0123456789abcdef";
const TAVILY: &str = "tvly-test-0123456789abcdefgh";

#[test]
fn keys_in_mcp_server_definitions_are_found_and_references_are_not() {
    let env = Env::init();
    let home = env.dir.path();
    let project = home.join("project");
    put(
        &project.join(".mcp.json"),
        &format!(
            r#"{{"mcpServers": {{
  "github": {{"type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
    "env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{GITHUB}", "LOG_LEVEL": "debug"}}}},
  "by-reference": {{"command": "x", "env": {{"OPENAI_API_KEY": "${{OPENAI_API_KEY}}"}}}}
}}}}"#
        ),
    );
    put(
        &home.join(".claude.json"),
        &format!(
            r#"{{"numStartups": 3,
 "mcpServers": {{"brave": {{"command": "npx", "env": {{"BRAVE_API_KEY": "{BRAVE}"}}}}}},
 "projects": {{"/p": {{"mcpServers": {{"oa": {{"command": "x", "env": {{"OPENAI_API_KEY": "{OPENAI}"}}}}}}}}}}}}"#
        ),
    );
    put(
        &home.join(".cursor/mcp.json"),
        &format!(
            r#"{{"mcpServers": {{"claude": {{"command": "x", "env": {{"ANTHROPIC_API_KEY": "{CURSOR}"}}}}}}}}"#
        ),
    );
    put(
        &project.join(".vscode/mcp.json"),
        &format!(
            r#"{{"inputs": [{{"type": "promptString", "id": "k", "password": true}}],
 "servers": {{
  "linear": {{"type": "http", "url": "https://mcp.example.invalid/mcp", "headers": {{"Authorization": "Bearer {LINEAR}"}}}},
  "prompted": {{"type": "stdio", "command": "x", "env": {{"TAVILY_API_KEY": "${{input:k}}"}}}}
 }}}}"#
        ),
    );
    put(
        &home.join(".codex/config.toml"),
        &format!(
            "model = \"o3\"\n[mcp_servers.tavily]\ncommand = \"npx\"\nargs = [\"-y\", \"tavily-mcp\"]\nenv = {{ TAVILY_API_KEY = \"{TAVILY}\" }}\n"
        ),
    );

    let out = env
        .cmd(["import", "discover", "--json"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for key in [GITHUB, BRAVE, OPENAI, CURSOR, LINEAR, TAVILY] {
        assert!(!text.contains(key), "unmasked: {text}");
    }
    let list: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut found: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["tool"].as_str().unwrap().to_owned(),
                r["name"].as_str().unwrap().to_owned(),
            )
        })
        .filter(|(tool, _)| tool.contains("mcp"))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("codex mcp", "tavily.TAVILY_API_KEY"),
            ("mcp config", "brave.BRAVE_API_KEY"),
            ("mcp config", "claude.ANTHROPIC_API_KEY"),
            ("mcp config", "github.GITHUB_PERSONAL_ACCESS_TOKEN"),
            ("mcp config", "oa.OPENAI_API_KEY"),
            ("vs code mcp", "linear.Authorization"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned())),
        "{text}"
    );

    // Imported from one file; never taken out of it line by line.
    let before = std::fs::read_to_string(project.join(".mcp.json")).unwrap();
    let out = env
        .cmd([
            "import",
            "discover",
            "--yes",
            "--remove-source",
            "--path",
            ".mcp.json",
        ])
        .current_dir(&project)
        .output()
        .unwrap();
    assert_eq!(exit_code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("MCP server definition"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(project.join(".mcp.json")).unwrap(),
        before
    );
    env.cmd(["import", "discover", "--yes", "--path", ".mcp.json"])
        .current_dir(&project)
        .assert()
        .success();
    assert_eq!(env.get("github_github_personal_access_token"), GITHUB);
}
