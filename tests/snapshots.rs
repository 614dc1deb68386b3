//! Help and error texts, snapshotted with trycmd so wording changes are deliberate.
//! Update after an intended change with `TRYCMD=overwrite cargo test --test snapshots`.

#[test]
fn cli_texts() {
    trycmd::TestCases::new()
        .env("BYOK_HOME", "/nonexistent/byok-home")
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
