//! IAM Identity Center (SSO) profiles: the token `aws sso login` left in
//! `~/.aws/sso/cache/<sha1-hex>.json`, exchanged for role credentials at the SSO portal.
//!
//! As botocore does (`SSOProvider`, `SSOTokenLoader`, `SSOCredentialFetcher`):
//! - a profile is an SSO profile when it sets `sso_account_id` or `sso_role_name`; it then
//!   needs both, plus `sso_start_url` and `sso_region`, either in the profile (legacy) or in
//!   the `[sso-session NAME]` its `sso_session` names (values in both must agree);
//! - the cache file is named by the SHA-1 (hex) of the session name, or of the start URL for
//!   a legacy profile, and holds `accessToken` and `expiresAt`;
//! - `GetRoleCredentials` is `GET /federation/credentials?account_id=…&role_name=…` on
//!   `portal.sso.<sso_region>.amazonaws.com` with the token in `x-amz-sso_bearer_token`
//!   (unsigned), answering `{"roleCredentials": {accessKeyId, secretAccessKey, sessionToken,
//!   expiration (epoch ms)}}`.
//!
//! byok does not refresh an expired token with the refresh token (botocore does for
//! `sso_session` profiles): an expired token is an error whose fix is `aws sso login`. Role
//! credentials are kept in memory for the process only; byok writes no cache file.

use std::path::Path;
use std::time::SystemTime;

use secrecy::{ExposeSecret, SecretString};
use sha1::{Digest, Sha1};
use url::Url;

use super::chain::{Answer, ChainError, Http, Request, Section, get, read_bounded, section};
use super::failure::{self, SsoClass};
use super::sigv4::Credentials;
use crate::settings::ParentEnv;

/// The most of a token cache file byok reads (the AWS CLI writes well under 4 KiB).
const CACHE_CAP: usize = 64 << 10;
/// The most of a portal answer byok reads.
const ANSWER_CAP: usize = 64 << 10;
const RETRIES: u32 = 2;

/// An SSO profile's settings, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoProfile {
    pub profile: String,
    /// `sso_session`, or `None` for a legacy profile.
    pub session: Option<String>,
    pub start_url: String,
    pub region: String,
    pub account_id: String,
    pub role_name: String,
}

/// The token of a cache file.
struct Token {
    access: SecretString,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The cache file's name: the SHA-1 (hex) of the session name, or of the start URL for a
/// legacy profile, plus `.json`.
pub fn cache_file_name(session: Option<&str>, start_url: &str) -> String {
    let digest = Sha1::digest(session.unwrap_or(start_url).as_bytes());
    let mut name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    name.push_str(".json");
    name
}

fn failed(message: String, fix: String) -> ChainError {
    ChainError::Failed { message, fix }
}

fn login_fix(profile: &str) -> String {
    format!(
        "`aws sso login --profile {profile}` signs in again (byok reads the token it leaves in ~/.aws/sso/cache; it does not refresh tokens itself)"
    )
}

fn valid_region(r: &str) -> bool {
    !r.is_empty()
        && r.len() <= 32
        && r.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The SSO settings of `profile`'s keys (from the config file at `path`), `None` when it is
/// not an SSO profile; a half-configured one is an error naming what is missing.
pub fn profile(
    profile: &str,
    keys: &[(String, String)],
    sections: &[Section],
    path: &Path,
) -> Result<Option<SsoProfile>, ChainError> {
    if get(keys, "sso_account_id").is_none() && get(keys, "sso_role_name").is_none() {
        return Ok(None);
    }
    let fix = format!(
        "complete the profile in {} (`aws configure sso --profile {profile}` writes it)",
        path.display()
    );
    let mut merged: Vec<(String, String)> = keys.to_vec();
    let session = get(keys, "sso_session");
    if let Some(name) = &session {
        let Some(session_keys) = section(sections, &format!("sso-session {name}")) else {
            return Err(failed(
                format!(
                    "profile '{profile}' names sso_session '{}', which has no [sso-session] section in {}",
                    crate::term::sanitize::line(name),
                    path.display()
                ),
                fix,
            ));
        };
        for (k, v) in session_keys {
            if let Some(mine) = get(keys, k)
                && mine != *v
            {
                return Err(failed(
                    format!(
                        "profile '{profile}' and its sso-session disagree on {k} in {}",
                        path.display()
                    ),
                    fix,
                ));
            }
            merged.push((k.clone(), v.clone()));
        }
    }
    let need = [
        "sso_start_url",
        "sso_region",
        "sso_account_id",
        "sso_role_name",
    ];
    let missing: Vec<&str> = need
        .iter()
        .copied()
        .filter(|k| get(&merged, k).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(failed(
            format!(
                "profile '{profile}' is an SSO profile but lacks {} in {}",
                missing.join(", "),
                path.display()
            ),
            fix,
        ));
    }
    let value = |k: &str| get(&merged, k).unwrap_or_default();
    let sso = SsoProfile {
        profile: profile.to_owned(),
        session,
        start_url: value("sso_start_url"),
        region: value("sso_region"),
        account_id: value("sso_account_id"),
        role_name: value("sso_role_name"),
    };
    if !valid_region(&sso.region) {
        return Err(failed(
            format!(
                "profile '{profile}': sso_region '{}' is not a region name",
                crate::term::sanitize::line(&sso.region)
            ),
            fix,
        ));
    }
    if sso.account_id.len() != 12 || !sso.account_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(failed(
            format!("profile '{profile}': sso_account_id is not a 12-digit account id"),
            fix,
        ));
    }
    if sso.role_name.is_empty()
        || sso.role_name.len() > 64
        || !sso
            .role_name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
    {
        return Err(failed(
            format!("profile '{profile}': sso_role_name is not an IAM role name"),
            fix,
        ));
    }
    Ok(Some(sso))
}

/// The token of the cache file, refused when missing, unreadable, malformed or expired.
fn token(sso: &SsoProfile, parent: &ParentEnv, now: SystemTime) -> Result<Token, ChainError> {
    let name = cache_file_name(sso.session.as_deref(), &sso.start_url);
    let Some(home) = super::chain::env(parent, "HOME") else {
        return Err(failed(
            "HOME is unset: byok cannot find ~/.aws/sso/cache".into(),
            login_fix(&sso.profile),
        ));
    };
    let path = Path::new(&home).join(".aws/sso/cache").join(&name);
    let what = match &sso.session {
        Some(s) => format!("sso-session '{}'", crate::term::sanitize::line(s)),
        None => "its start URL".to_owned(),
    };
    let text = read_bounded(&path, CACHE_CAP).map_err(|why| {
        failed(
            format!(
                "no SSO token for profile '{}' ({what}): {} is {why}",
                sso.profile,
                path.display()
            ),
            login_fix(&sso.profile),
        )
    })?;
    let malformed = |what: &str| {
        failed(
            format!(
                "the SSO token cache {} is malformed ({what})",
                path.display()
            ),
            login_fix(&sso.profile),
        )
    };
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| malformed("not JSON"))?;
    let access = v
        .get("accessToken")
        .and_then(serde_json::Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| malformed("no accessToken"))?;
    let expires = v
        .get("expiresAt")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| malformed("no expiresAt"))?;
    let expires =
        super::chain::parse_time(expires).ok_or_else(|| malformed("expiresAt is not a time"))?;
    if expires <= now {
        return Err(failed(
            format!(
                "the SSO token of profile '{}' has expired ({})",
                sso.profile,
                humantime::format_rfc3339_seconds(expires)
            ),
            login_fix(&sso.profile),
        ));
    }
    Ok(Token {
        access: SecretString::from(access.to_owned()),
    })
}

/// The portal's `GetRoleCredentials` URL for the profile.
pub fn portal_url(sso: &SsoProfile, endpoint: Option<&Url>) -> Url {
    let mut url = match endpoint {
        Some(e) => e.clone(),
        None => Url::parse(&format!("https://portal.sso.{}.amazonaws.com/", sso.region))
            .expect("a valid region makes a URL"),
    };
    url.set_path("/federation/credentials");
    url.query_pairs_mut()
        .append_pair("account_id", &sso.account_id)
        .append_pair("role_name", &sso.role_name);
    url
}

/// The role credentials of an SSO profile: the cached token, exchanged at the portal.
pub fn credentials(
    sso: &SsoProfile,
    parent: &ParentEnv,
    endpoint: Option<&Url>,
    http: &dyn Http,
    now: SystemTime,
) -> Result<Credentials, ChainError> {
    let token = token(sso, parent, now)?;
    let url = portal_url(sso, endpoint);
    let host = url.host_str().unwrap_or_default().to_owned();
    let mut attempt = 0;
    let answer = loop {
        let sent = http.send(Request {
            method: "GET",
            url: url.clone(),
            headers: vec![("x-amz-sso_bearer_token", token.access.expose_secret())],
            cap: ANSWER_CAP,
            short: false,
        });
        let retry = match &sent {
            Err(_) => true,
            Ok(a) => {
                a.status >= 500
                    || (a.status >= 400 && failure::sso_class(&error_code(a)) == SsoClass::Retry)
            }
        };
        if !retry || attempt >= RETRIES {
            break sent;
        }
        attempt += 1;
        std::thread::sleep(std::time::Duration::from_millis(200 << attempt));
    };
    let answer = answer.map_err(|why| {
        failed(
            format!("the SSO portal {host} is unreachable: {why}"),
            "check the network (and `sso_endpoint` if the store sets one)".into(),
        )
    })?;
    if !(200..300).contains(&answer.status) {
        let code = error_code(&answer);
        let message = error_message(&answer, token.access.expose_secret());
        let (message, fix) = failure::describe_sso(
            failure::sso_class(&code),
            &code,
            &message,
            &sso.profile,
            &sso.role_name,
            &sso.account_id,
        );
        return Err(failed(message, fix));
    }
    role_credentials(&answer.body, sso).ok_or_else(|| {
        failed(
            format!(
                "the SSO portal {host} answered GetRoleCredentials with something that is not role credentials"
            ),
            "check `sso_endpoint` if the store sets one".into(),
        )
    })
}

/// The error code of a portal answer: `x-amzn-ErrorType`, else the body's `__type` or
/// `code`, else one from the status.
fn error_code(a: &Answer) -> String {
    let from_body = || {
        let v: serde_json::Value = serde_json::from_slice(&a.body).ok()?;
        ["__type", "code", "Code"]
            .iter()
            .find_map(|k| v.get(*k)?.as_str().map(str::to_owned))
    };
    let raw = a.error_type.clone().or_else(from_body).unwrap_or_else(|| {
        match a.status {
            401 => "UnauthorizedException",
            403 => "ForbiddenException",
            404 => "ResourceNotFoundException",
            429 => "TooManyRequestsException",
            _ => "",
        }
        .to_owned()
    });
    let code = raw.split(':').next().unwrap_or_default();
    let code = code.rsplit('#').next().unwrap_or_default();
    if code.is_empty() {
        format!("HTTP {}", a.status)
    } else {
        crate::term::sanitize::line(code).chars().take(64).collect()
    }
}

/// The answer's `message`, one line, at most 200 characters, with the token cut out should a
/// server echo it.
fn error_message(a: &Answer, token: &str) -> String {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&a.body) else {
        return String::new();
    };
    let m = v
        .get("message")
        .or_else(|| v.get("Message"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let m = m.replace(token, "***");
    let m = m.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::term::sanitize::line(&m).chars().take(200).collect()
}

fn role_credentials(body: &[u8], sso: &SsoProfile) -> Option<Credentials> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let rc = v.get("roleCredentials")?;
    let s = |k: &str| {
        rc.get(k)?
            .as_str()
            .filter(|s| !s.is_empty() && s.len() <= 4096)
            .map(str::to_owned)
    };
    let id = s("accessKeyId")?;
    if id.len() > 128 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    // Epoch milliseconds (the service model's `long`).
    let expires = rc
        .get("expiration")
        .and_then(serde_json::Value::as_u64)
        .map(|ms| std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms));
    Some(
        Credentials::new(
            id,
            SecretString::from(s("secretAccessKey")?),
            s("sessionToken").map(SecretString::from),
            format!(
                "SSO profile '{}' (role {} in account {})",
                sso.profile, sso.role_name, sso.account_id
            ),
        )
        .expiring(expires),
    )
}

#[cfg(test)]
mod tests {
    use super::super::chain::tests::settings;
    use super::super::chain::{self, ChainError, Http, Request};
    use super::*;
    use std::sync::Mutex;

    /// Known answers from botocore's own `SSOTokenLoader._generate_cache_key` (botocore
    /// 1.x in target/py-aws), the same as Python's `hashlib.sha1(…).hexdigest()`.
    #[test]
    fn cache_file_names() {
        assert_eq!(
            cache_file_name(Some("my-sso-session"), "https://ignored"),
            "b755b5ec73400c04400e978208d8559ad1f39053.json"
        );
        assert_eq!(
            cache_file_name(None, "https://d-abc123.awsapps.com/start"),
            "40a89917e3175433e361b710a9d43528d7f1890a.json"
        );
        assert_eq!(
            cache_file_name(Some(""), "x"),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709.json"
        );
    }

    type Headers = Vec<(String, String)>;

    /// A portal that answers once with `answer` and records what it was sent.
    struct Portal {
        answer: (u16, Option<&'static str>, String),
        seen: Mutex<Vec<(String, Headers)>>,
    }

    impl Http for Portal {
        fn send(&self, r: Request<'_>) -> Result<chain::Answer, String> {
            self.seen.lock().unwrap().push((
                r.url.to_string(),
                r.headers
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ));
            Ok(chain::Answer {
                status: self.answer.0,
                error_type: self.answer.1.map(str::to_owned),
                body: self.answer.2.clone().into_bytes(),
            })
        }
    }

    const TOKEN: &str = "aoaAAAAAGtestSSOaccessTOKEN0001";

    fn home_with(expires: &str, legacy: bool) -> (tempfile::TempDir, ParentEnv) {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir_all(aws.join("sso/cache")).unwrap();
        let config = if legacy {
            "[profile team]\nsso_start_url = https://d-abc123.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = Reader\n"
        } else {
            "[profile team]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Reader\n[sso-session corp]\nsso_start_url = https://d-abc123.awsapps.com/start\nsso_region = eu-west-1\n"
        };
        std::fs::write(aws.join("config"), config).unwrap();
        let name = if legacy {
            cache_file_name(None, "https://d-abc123.awsapps.com/start")
        } else {
            cache_file_name(Some("corp"), "")
        };
        std::fs::write(
            aws.join("sso/cache").join(name),
            format!(r#"{{"startUrl":"https://d-abc123.awsapps.com/start","region":"eu-west-1","accessToken":"{TOKEN}","expiresAt":"{expires}"}}"#),
        )
        .unwrap();
        let parent = ParentEnv::from_pairs([("HOME".into(), dir.path().as_os_str().to_owned())]);
        (dir, parent)
    }

    const GOOD: &str = r#"{"roleCredentials":{"accessKeyId":"ASIATESTSSO0001","secretAccessKey":"sso-secret-key-0001","sessionToken":"sso-session-token-0001","expiration":4102444800000}}"#;

    #[test]
    fn an_sso_profile_is_exchanged_at_the_portal() {
        for legacy in [false, true] {
            let (_dir, parent) = home_with("2099-01-01T00:00:00Z", legacy);
            let portal = Portal {
                answer: (200, None, GOOD.into()),
                seen: Mutex::new(Vec::new()),
            };
            let c = chain::resolve(
                &parent,
                &settings(&[("profile", "team")]),
                &portal,
                SystemTime::now(),
            )
            .unwrap();
            assert_eq!(c.access_key_id, "ASIATESTSSO0001");
            assert_eq!(
                c.expires,
                Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(4_102_444_800))
            );
            assert!(c.source.contains("SSO profile 'team'"), "{}", c.source);
            let debug = format!("{c:?}");
            assert!(
                !debug.contains("sso-secret-key") && !debug.contains("sso-session-token"),
                "{debug}"
            );
            let seen = portal.seen.lock().unwrap();
            assert_eq!(
                seen[0].0,
                "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=111122223333&role_name=Reader"
            );
            assert_eq!(
                seen[0].1,
                vec![("x-amz-sso_bearer_token".to_owned(), TOKEN.to_owned())]
            );
        }
    }

    fn failure_of(r: Result<Credentials, ChainError>) -> (String, String) {
        match r {
            Err(ChainError::Failed { message, fix }) => (message, fix),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_token_is_masked_in_debug() {
        let t = Token {
            access: SecretString::from(TOKEN.to_owned()),
        };
        assert_eq!(format!("{t:?}"), "Token(***)");
    }

    #[test]
    fn an_expired_token_says_so_and_sends_nothing() {
        let (_dir, parent) = home_with("2020-01-01T00:00:00Z", false);
        let (message, fix) = failure_of(chain::resolve(
            &parent,
            &settings(&[("profile", "team")]),
            &chain::tests::NoHttp,
            SystemTime::now(),
        ));
        assert!(
            message.contains("SSO token") && message.contains("expired"),
            "{message}"
        );
        assert!(fix.contains("aws sso login --profile team"), "{fix}");
        assert!(!message.contains(TOKEN) && !fix.contains(TOKEN));
    }

    #[test]
    fn portal_errors_are_classified_without_the_token() {
        let cases = [
            (401, Some("UnauthorizedException"), "expired or is invalid"),
            (403, Some("ForbiddenException"), "not assigned"),
            (403, None, "not assigned"),
            (
                404,
                Some("ResourceNotFoundException:http://internal.amazon.com/"),
                "not assigned",
            ),
        ];
        for (status, code, says) in cases {
            let (_dir, parent) = home_with("2099-01-01T00:00:00Z", false);
            // A hostile portal echoes the token in its message.
            let portal = Portal {
                answer: (
                    status,
                    code,
                    format!(r#"{{"message":"bad token {TOKEN}"}}"#),
                ),
                seen: Mutex::new(Vec::new()),
            };
            let (message, fix) = failure_of(chain::resolve(
                &parent,
                &settings(&[("profile", "team")]),
                &portal,
                SystemTime::now(),
            ));
            assert!(message.contains(says), "{status} {code:?}: {message}");
            assert!(
                !message.contains(TOKEN) && !fix.contains(TOKEN),
                "{message} {fix}"
            );
        }
    }

    #[test]
    fn half_configured_profiles_name_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        let sections =
            chain::ini("[profile team]\nsso_account_id = 111122223333\nsso_session = gone\n");
        let keys = section(&sections, "profile team").unwrap();
        let Err(ChainError::Failed { message, .. }) = profile("team", keys, &sections, &path)
        else {
            panic!()
        };
        assert!(message.contains("[sso-session]"), "{message}");
        let sections =
            chain::ini("[profile team]\nsso_account_id = 111122223333\nsso_start_url = u\n");
        let keys = section(&sections, "profile team").unwrap();
        let Err(ChainError::Failed { message, .. }) = profile("team", keys, &sections, &path)
        else {
            panic!()
        };
        assert!(message.contains("sso_region, sso_role_name"), "{message}");
        let sections = chain::ini("[profile team]\nregion = eu-west-1\n");
        let keys = section(&sections, "profile team").unwrap();
        assert!(matches!(profile("team", keys, &sections, &path), Ok(None)));
    }
}
