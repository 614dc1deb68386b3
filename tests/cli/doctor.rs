//! `byok doctor`: what it reports and the fix it names for each finding.

use crate::harness::{Env, KEY, require_tool, secret_list_json, stdout};

#[test]
fn rotation_days_marks_old_rotations_and_doctor_reports_them() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    // A vault whose record was rotated long ago, as the reference age CLI writes it.
    let Some(age) = require_tool("age") else {
        return;
    };
    let doc = r#"{"byok_vault": 2, "secrets": {"old_key": {"label": "old", "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z", "rotated": "2026-01-01T00:00:00Z",
        "fields": {"api_key": "sk-test-0123456789abcdefghij"}}}}"#;
    crate::harness::age_encrypt(
        &age,
        &env.file("identity.txt"),
        doc.as_bytes(),
        &env.file("vault.age"),
    );
    let stale = secret_list_json(&env, &["--stale"]);
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["due"][0], "rotate");
    let out = env.cmd(["doctor"]).output().unwrap();
    assert!(stdout(&out).contains("old_key"), "{}", stdout(&out));
    std::fs::write(env.file("config.toml"), "rotation_days = 3650\n").unwrap();
    assert!(secret_list_json(&env, &["--stale"]).is_empty());
}
