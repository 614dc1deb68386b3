//! AWS Signature Version 4 for the Secrets Manager JSON protocol, and the credential chain
//! byok reads: the environment, then the shared credentials and config files (with a profile).
//!
//! Hand-written on `hmac` + `sha2` (already in the tree) rather than the AWS SDK: see
//! docs/development.md ("The AWS store") for the figures behind that choice. The secret
//! access key and session token live in [`SecretString`]s; `Debug` prints the key id only.

use std::path::PathBuf;

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::settings::ParentEnv;

/// One set of credentials and where it came from.
pub struct Credentials {
    pub access_key_id: String,
    secret_access_key: SecretString,
    session_token: Option<SecretString>,
    /// e.g. "environment (AWS_ACCESS_KEY_ID)" or "profile 'team' in ~/.aws/credentials".
    pub source: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credentials({}, ***, from {})",
            self.access_key_id, self.source
        )
    }
}

fn env(env: &ParentEnv, name: &str) -> Option<String> {
    env.get(name)
        .and_then(|v| v.to_str())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Reads an INI file's sections: `[name]` → key → value.
fn ini(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push((name.trim().to_owned(), Vec::new()));
        } else if let Some((k, v)) = line.split_once('=')
            && let Some(last) = out.last_mut()
        {
            last.1.push((k.trim().to_lowercase(), v.trim().to_owned()));
        }
    }
    out
}

/// The credential chain: environment, then the shared files. `Err` lists what was tried.
pub fn resolve(parent: &ParentEnv, profile: Option<&str>) -> Result<Credentials, String> {
    let mut tried = Vec::new();
    if let (Some(id), Some(secret)) = (
        env(parent, "AWS_ACCESS_KEY_ID"),
        env(parent, "AWS_SECRET_ACCESS_KEY"),
    ) && profile.is_none()
    {
        return Ok(Credentials {
            access_key_id: id,
            secret_access_key: SecretString::from(secret),
            session_token: env(parent, "AWS_SESSION_TOKEN").map(SecretString::from),
            source: "environment (AWS_ACCESS_KEY_ID)".into(),
        });
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
    let home = env(parent, "HOME").map(PathBuf::from);
    let files = [
        (
            env(parent, "AWS_SHARED_CREDENTIALS_FILE")
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(".aws/credentials"))),
            profile.clone(),
        ),
        (
            env(parent, "AWS_CONFIG_FILE")
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(".aws/config"))),
            if profile == "default" {
                profile.clone()
            } else {
                format!("profile {profile}")
            },
        ),
    ];
    for (path, section) in files {
        let Some(path) = path else { continue };
        let Ok(text) = std::fs::read_to_string(&path) else {
            tried.push(format!("{} (not readable)", path.display()));
            continue;
        };
        let sections = ini(&text);
        let Some((_, keys)) = sections.iter().find(|(n, _)| *n == section) else {
            tried.push(format!("{} (no [{section}])", path.display()));
            continue;
        };
        let get = |k: &str| keys.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if let (Some(id), Some(secret)) = (get("aws_access_key_id"), get("aws_secret_access_key")) {
            return Ok(Credentials {
                access_key_id: id,
                secret_access_key: SecretString::from(secret),
                session_token: get("aws_session_token").map(SecretString::from),
                source: format!("profile '{profile}' in {}", path.display()),
            });
        }
        if get("sso_session").is_some() || get("sso_start_url").is_some() {
            tried.push(format!(
                "{} ([{section}] is an SSO profile: byok does not read the SSO cache yet)",
                path.display()
            ));
        } else if get("role_arn").is_some() || get("credential_process").is_some() {
            tried.push(format!(
                "{} ([{section}] uses role_arn/credential_process, which byok does not run yet)",
                path.display()
            ));
        } else {
            tried.push(format!(
                "{} ([{section}] has no static keys)",
                path.display()
            ));
        }
    }
    tried.push("instance metadata (IMDS: not used)".into());
    Err(tried.join("; "))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The headers of one signed `POST /` request: `(name, value)` pairs to add.
pub fn sign(
    creds: &Credentials,
    region: &str,
    host: &str,
    target: &str,
    body: &[u8],
    amz_date: &str,
) -> Vec<(&'static str, String)> {
    let day = &amz_date[..8];
    let token = creds
        .session_token
        .as_ref()
        .map(|t| t.expose_secret().to_owned());
    let mut canonical_headers =
        format!("content-type:application/x-amz-json-1.1\nhost:{host}\nx-amz-date:{amz_date}\n");
    let mut signed = String::from("content-type;host;x-amz-date");
    if let Some(t) = &token {
        canonical_headers.push_str(&format!("x-amz-security-token:{t}\n"));
        signed.push_str(";x-amz-security-token");
    }
    canonical_headers.push_str(&format!("x-amz-target:{target}\n"));
    signed.push_str(";x-amz-target");
    let canonical = format!(
        "POST\n/\n\n{canonical_headers}\n{signed}\n{}",
        hex(&Sha256::digest(body))
    );
    let scope = format!("{day}/{region}/secretsmanager/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let key = format!("AWS4{}", creds.secret_access_key.expose_secret());
    let k = hmac(key.as_bytes(), day.as_bytes());
    let k = hmac(&k, region.as_bytes());
    let k = hmac(&k, b"secretsmanager");
    let k = hmac(&k, b"aws4_request");
    let signature = hex(&hmac(&k, to_sign.as_bytes()));
    let mut out = vec![
        ("x-amz-date", amz_date.to_owned()),
        ("x-amz-target", target.to_owned()),
        (
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
                creds.access_key_id
            ),
        ),
    ];
    if let Some(t) = token {
        out.push(("x-amz-security-token", t));
    }
    out
}

/// `20261206T010515Z` for now.
pub fn amz_date(now: std::time::SystemTime) -> String {
    humantime::format_rfc3339_seconds(now)
        .to_string()
        .replace(['-', ':'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A known answer from botocore 1.x (`SigV4Auth.add_auth` on the same request), so the
    /// signature is checked against AWS's own Python signer, not only against moto.
    #[test]
    fn signs_like_botocore() {
        let creds = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: SecretString::from("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            session_token: None,
            source: "test".into(),
        };
        let h = sign(
            &creds,
            "us-east-1",
            "secretsmanager.us-east-1.amazonaws.com",
            "secretsmanager.ListSecrets",
            b"{}",
            "20261206T011557Z",
        );
        let auth = &h.iter().find(|(n, _)| *n == "authorization").unwrap().1;
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261206/us-east-1/secretsmanager/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
             Signature=b8bf9d05cc0e10426c1e0efa833d1b18130733aefadb702faffc079e75b579ab"
        );
        assert!(!format!("{creds:?}").contains("wJalr"));
    }

    #[test]
    fn date_shape() {
        let d = amz_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_440_938_160));
        assert_eq!(d, "20150830T123600Z");
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
        let parent = ParentEnv::from_pairs([(
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            path.clone().into_os_string(),
        )]);
        let c = resolve(&parent, Some("team")).unwrap();
        assert_eq!(c.access_key_id, "AKIDTEAM");
        let e = resolve(&parent, Some("other")).unwrap_err();
        assert!(e.contains("no [other]"), "{e}");
    }
}
