//! The credential chain byok reads, first hit wins:
//!
//! 1. the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`),
//!    unless the store names a `profile`;
//! 2. the profile (the store's `profile`, else `AWS_PROFILE`, else `default`): an SSO profile
//!    in the config file (`sso_account_id` + `sso_role_name`, with `sso_session` or the legacy
//!    `sso_start_url`/`sso_region`) is exchanged for role credentials from the token the AWS
//!    CLI left in `~/.aws/sso/cache` ([`super::sso`]), as the AWS CLI does before static keys;
//!    then static keys in the shared credentials file, then in the config file;
//! 3. EC2 instance metadata (IMDSv2, [`super::imds`]) only when the store says `imds = "true"`.
//!
//! Every file is read within a cap and only if it is a regular file: they are treated as
//! hostile (a FIFO, a huge file, garbage). Credentials live in [`SecretString`]s inside
//! [`Credentials`]; errors name sources, never a key or a token.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use secrecy::SecretString;
use url::Url;

use super::config::AwsSettings;
use super::sigv4::Credentials;
use crate::settings::ParentEnv;

/// The most of a shared config or credentials file byok reads.
pub const FILE_CAP: usize = 1 << 20;

/// An HTTP request of the chain (SSO portal, metadata service).
pub struct Request<'a> {
    pub method: &'static str,
    pub url: Url,
    pub headers: Vec<(&'static str, &'a str)>,
    /// The most of the answer read.
    pub cap: usize,
    /// Short timeouts (1 s to connect): the metadata service answers at once or not at all.
    pub short: bool,
}

/// An answer within its cap.
pub struct Answer {
    pub status: u16,
    /// `x-amzn-ErrorType`, when the server sent one.
    pub error_type: Option<String>,
    pub body: Vec<u8>,
}

/// What sends the chain's requests: reqwest in the store, a fake in unit tests. `Err` is a
/// transport failure described without URL or headers.
pub trait Http {
    fn send(&self, request: Request<'_>) -> Result<Answer, String>;
}

/// Why the chain gave no credentials.
#[derive(Debug)]
pub enum ChainError {
    /// No source had any: what was tried, in order.
    NotFound(Vec<String>),
    /// A source was found and failed (an expired SSO token, a role not assigned, …): the
    /// message and the fix.
    Failed { message: String, fix: String },
}

pub(super) fn env(env: &ParentEnv, name: &str) -> Option<String> {
    env.get(name)
        .and_then(|v| v.to_str())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// One INI section: its header as written (`profile team`, `sso-session corp`, `default`)
/// and its keys (lower case) in order.
pub type Section = (String, Vec<(String, String)>);

/// Reads an INI file's sections: `[name]` → key → value.
pub fn ini(text: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            // `[profile   team]` is `profile team`, as botocore splits it.
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push((name, Vec::new()));
        } else if let Some((k, v)) = line.split_once('=')
            && let Some(last) = out.last_mut()
        {
            last.1.push((k.trim().to_lowercase(), v.trim().to_owned()));
        }
    }
    out
}

/// The keys of the section named `header` (the last one wins, as in botocore).
pub fn section<'a>(sections: &'a [Section], header: &str) -> Option<&'a [(String, String)]> {
    sections
        .iter()
        .rev()
        .find(|(n, _)| n == header)
        .map(|(_, k)| k.as_slice())
}

pub fn get(keys: &[(String, String)], name: &str) -> Option<String> {
    keys.iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

/// A file's text, read within `cap`, only if it is a regular file. `Err` says why not, in
/// words fit for the "tried" list.
pub fn read_bounded(path: &Path, cap: usize) -> Result<String, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "missing".to_owned()
        } else {
            "not readable".to_owned()
        }
    })?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let file = std::fs::File::open(path).map_err(|_| "not readable".to_owned())?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    file.take(cap as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| "not readable".to_owned())?;
    if bytes.len() > cap {
        return Err(format!("larger than {} KiB", cap >> 10));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".into())
}

/// An ISO 8601 time as AWS tools write it: `2026-12-06T03:00:00Z`, with optional fractions
/// of a second, and `Z`, `UTC` or a `+hh:mm` offset.
pub fn parse_time(text: &str) -> Option<SystemTime> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = t.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = &t[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" | "UTC" | "" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hm = rest[1..].replace(':', "");
            if hm.len() != 4 || !hm.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            sign * (hm[..2].parse::<i64>().ok()? * 3600 + hm[2..].parse::<i64>().ok()? * 60)
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset;
    u64::try_from(secs)
        .ok()
        .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s))
}

/// The shared credentials file and the config file, from the environment or `~/.aws`.
fn shared_files(parent: &ParentEnv) -> (Option<PathBuf>, Option<PathBuf>) {
    let home = env(parent, "HOME").map(PathBuf::from);
    (
        env(parent, "AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws/credentials"))),
        env(parent, "AWS_CONFIG_FILE")
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws/config"))),
    )
}

fn static_keys(keys: &[(String, String)], source: String) -> Option<Credentials> {
    match (
        get(keys, "aws_access_key_id"),
        get(keys, "aws_secret_access_key"),
    ) {
        (Some(id), Some(secret)) => Some(Credentials::new(
            id,
            SecretString::from(secret),
            get(keys, "aws_session_token").map(SecretString::from),
            source,
        )),
        _ => None,
    }
}

/// The credential chain (module docs). `now` decides whether an SSO token has expired.
pub fn resolve(
    parent: &ParentEnv,
    aws: &AwsSettings,
    http: &dyn Http,
    now: SystemTime,
) -> Result<Credentials, ChainError> {
    let mut tried = Vec::new();
    let profile = aws.profile.as_deref();
    if let (Some(id), Some(secret)) = (
        env(parent, "AWS_ACCESS_KEY_ID"),
        env(parent, "AWS_SECRET_ACCESS_KEY"),
    ) && profile.is_none()
    {
        return Ok(Credentials::new(
            id,
            SecretString::from(secret),
            env(parent, "AWS_SESSION_TOKEN").map(SecretString::from),
            "environment (AWS_ACCESS_KEY_ID)".into(),
        ));
    }
    if profile.is_some() {
        tried.push("environment (skipped: the store names a profile)".to_owned());
    } else {
        tried.push("environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY unset)".to_owned());
    }
    let profile = profile
        .map(str::to_owned)
        .or_else(|| env(parent, "AWS_PROFILE"))
        .unwrap_or_else(|| "default".into());
    let (credentials_file, config_file) = shared_files(parent);
    // The config file first: an SSO profile there wins over static keys, as in the AWS CLI.
    let config = config_file
        .as_ref()
        .map(|path| (path, read_bounded(path, FILE_CAP).map(|t| ini(&t))));
    let config_keys = config.as_ref().and_then(|(_, sections)| {
        let sections = sections.as_ref().ok()?;
        let keys = section(sections, &format!("profile {profile}")).or_else(|| {
            (profile == "default")
                .then(|| section(sections, "default"))
                .flatten()
        })?;
        Some((sections, keys))
    });
    if let (Some((path, _)), Some((sections, keys))) = (&config, &config_keys)
        && let Some(sso) = super::sso::profile(&profile, keys, sections, path)?
    {
        return super::sso::credentials(&sso, parent, aws.sso_endpoint.as_ref(), http, now);
    }
    if let Some(path) = &credentials_file {
        match read_bounded(path, FILE_CAP) {
            Err(why) => tried.push(format!("{} ({why})", path.display())),
            Ok(text) => {
                let sections = ini(&text);
                match section(&sections, &profile) {
                    None => tried.push(format!("{} (no [{profile}])", path.display())),
                    Some(keys) => {
                        if let Some(c) =
                            static_keys(keys, format!("profile '{profile}' in {}", path.display()))
                        {
                            return Ok(c);
                        }
                        tried.push(format!(
                            "{} ([{profile}] has no static keys)",
                            path.display()
                        ));
                    }
                }
            }
        }
    }
    if let Some((path, sections)) = &config {
        let header = if profile == "default" {
            "default".to_owned()
        } else {
            format!("profile {profile}")
        };
        match (sections, &config_keys) {
            (Err(why), _) => tried.push(format!("{} ({why})", path.display())),
            (Ok(_), None) => tried.push(format!("{} (no [{header}])", path.display())),
            (Ok(_), Some((_, keys))) => {
                if let Some(c) =
                    static_keys(keys, format!("profile '{profile}' in {}", path.display()))
                {
                    return Ok(c);
                }
                if get(keys, "role_arn").is_some() || get(keys, "credential_process").is_some() {
                    tried.push(format!(
                        "{} ([{header}] uses role_arn/credential_process, which byok does not run yet)",
                        path.display()
                    ));
                } else if get(keys, "sso_session").is_some() {
                    tried.push(format!(
                        "{} ([{header}] names an sso_session but no sso_account_id/sso_role_name)",
                        path.display()
                    ));
                } else {
                    tried.push(format!(
                        "{} ([{header}] has no static keys and no SSO settings)",
                        path.display()
                    ));
                }
            }
        }
    }
    if aws.imds {
        let base = aws
            .imds_endpoint
            .clone()
            .unwrap_or_else(|| Url::parse("http://169.254.169.254/").expect("a URL"));
        match super::imds::credentials(http, &base) {
            Ok(c) => return Ok(c),
            Err(why) => tried.push(format!("instance metadata (IMDSv2 at {base}: {why})")),
        }
    } else {
        tried.push(
            "instance metadata (IMDS: not asked; imds = \"true\" in the store turns it on)".into(),
        );
    }
    Err(ChainError::NotFound(tried))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An [`Http`] that must not be called.
    pub struct NoHttp;

    impl Http for NoHttp {
        fn send(&self, request: Request<'_>) -> Result<Answer, String> {
            panic!("unexpected request to {}", request.url);
        }
    }

    pub fn settings(pairs: &[(&str, &str)]) -> AwsSettings {
        let mut map: std::collections::BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        map.insert("region".into(), "us-east-1".into());
        super::super::config::resolve(&map).unwrap()
    }

    #[test]
    fn profile_from_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        std::fs::write(
            &path,
            "[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = s3cr3t\n",
        )
        .unwrap();
        let parent = ParentEnv::from_pairs([
            (
                "AWS_SHARED_CREDENTIALS_FILE".into(),
                path.clone().into_os_string(),
            ),
            (
                "AWS_CONFIG_FILE".into(),
                dir.path().join("none").into_os_string(),
            ),
        ]);
        let now = SystemTime::now();
        let c = resolve(&parent, &settings(&[("profile", "team")]), &NoHttp, now).unwrap();
        assert_eq!(c.access_key_id, "AKIDTEAM");
        let Err(ChainError::NotFound(tried)) =
            resolve(&parent, &settings(&[("profile", "other")]), &NoHttp, now)
        else {
            panic!("found credentials for [other]");
        };
        let tried = tried.join("; ");
        assert!(tried.contains("no [other]"), "{tried}");
        // IMDS is never asked unless the store says so (NoHttp panics if it is).
        assert!(tried.contains("IMDS: not asked"), "{tried}");
    }

    #[test]
    fn sso_session_sections() {
        let text = "[default]\nregion = eu-west-1\n\n[profile   team]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Reader\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n# a comment\nsso_registration_scopes = sso:account:access\n";
        let sections = ini(text);
        let names: Vec<&str> = sections.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["default", "profile team", "sso-session corp"]);
        let corp = section(&sections, "sso-session corp").unwrap();
        assert_eq!(
            get(corp, "sso_start_url").as_deref(),
            Some("https://corp.awsapps.com/start")
        );
        assert_eq!(get(corp, "sso_region").as_deref(), Some("eu-west-1"));
        let team = section(&sections, "profile team").unwrap();
        assert_eq!(get(team, "sso_session").as_deref(), Some("corp"));
    }

    #[test]
    fn hostile_files_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'a'; FILE_CAP + 1]).unwrap();
        assert!(read_bounded(&big, FILE_CAP).unwrap_err().contains("larger"));
        assert_eq!(
            read_bounded(dir.path(), FILE_CAP).unwrap_err(),
            "not a regular file"
        );
        assert_eq!(
            read_bounded(&dir.path().join("none"), FILE_CAP).unwrap_err(),
            "missing"
        );
        // A FIFO would block a plain read forever.
        let fifo = dir.path().join("fifo");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            assert_eq!(
                read_bounded(&fifo, FILE_CAP).unwrap_err(),
                "not a regular file"
            );
        }
        let bin = dir.path().join("bin");
        std::fs::write(&bin, [0xff, 0xfe]).unwrap();
        assert!(read_bounded(&bin, FILE_CAP).is_err());
    }

    #[test]
    fn times() {
        let at = |s: &str| {
            parse_time(s).map(|t| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs())
        };
        assert_eq!(at("2015-08-30T12:36:00Z"), Some(1_440_938_160));
        assert_eq!(at("2015-08-30T12:36:00UTC"), Some(1_440_938_160));
        assert_eq!(at("2015-08-30T12:36:00.123456Z"), Some(1_440_938_160));
        assert_eq!(at("2015-08-30T14:36:00+02:00"), Some(1_440_938_160));
        assert_eq!(at("2015-08-30T12:36:00"), Some(1_440_938_160));
        assert_eq!(at("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(at("not a time"), None);
        assert_eq!(at("2015-13-30T12:36:00Z"), None);
        assert_eq!(at("2015-08-30T12:36:00Zjunk"), None);
    }
}
