//! EC2 instance metadata (IMDSv2), asked only when the store says `imds = "true"`:
//!
//! 1. `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds: 21600` → a token;
//! 2. `GET /latest/meta-data/iam/security-credentials/` with `X-aws-ec2-metadata-token` →
//!    the instance role's name (first line);
//! 3. `GET /latest/meta-data/iam/security-credentials/<role>` → JSON `AccessKeyId`,
//!    `SecretAccessKey`, `Token`, `Expiration` (and `Code: Success`).
//!
//! As botocore's `InstanceMetadataFetcher`, with 1-second connect timeouts. byok does not fall
//! back to IMDSv1 (unauthenticated GETs) when the token request fails.

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::chain::{Http, Request};
use super::sigv4::Credentials;

const CAP: usize = 64 << 10;
const ROLES: &str = "latest/meta-data/iam/security-credentials/";

fn get(http: &dyn Http, url: Url, token: &SecretString, what: &str) -> Result<Vec<u8>, String> {
    let a = http.send(Request {
        method: "GET",
        url,
        headers: vec![("x-aws-ec2-metadata-token", token.expose_secret())],
        cap: CAP,
        short: true,
    })?;
    if a.status != 200 {
        return Err(format!("{what}: HTTP {}", a.status));
    }
    Ok(a.body)
}

/// The instance role's credentials; `Err` says which step failed (never a token or key).
pub fn credentials(http: &dyn Http, base: &Url) -> Result<Credentials, String> {
    let join = |path: &str| base.join(path).map_err(|e| e.to_string());
    let a = http.send(Request {
        method: "PUT",
        url: join("latest/api/token")?,
        headers: vec![("x-aws-ec2-metadata-token-ttl-seconds", "21600")],
        cap: 4096,
        short: true,
    })?;
    if a.status != 200 {
        return Err(format!("token request: HTTP {}", a.status));
    }
    let token = String::from_utf8(a.body)
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or("token request: no token in the answer")?;
    let token = SecretString::from(token);
    let roles = get(http, join(ROLES)?, &token, "role list")?;
    let role = String::from_utf8_lossy(&roles)
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    if role.is_empty()
        || role.len() > 64
        || !role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
    {
        return Err("the instance has no IAM role (or its name is not one)".into());
    }
    let body = get(
        http,
        join(&format!("{ROLES}{role}"))?,
        &token,
        "role credentials",
    )?;
    let v: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| "role credentials: not JSON".to_owned())?;
    if let Some(code) = v.get("Code").and_then(serde_json::Value::as_str)
        && code != "Success"
    {
        return Err(format!(
            "role credentials: Code {}",
            crate::term::sanitize::line(code)
                .chars()
                .take(64)
                .collect::<String>()
        ));
    }
    let s = |k: &str| {
        v.get(k)?
            .as_str()
            .filter(|s| !s.is_empty() && s.len() <= 4096)
            .map(str::to_owned)
    };
    let id = s("AccessKeyId")
        .filter(|id| id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric()))
        .ok_or("role credentials: no AccessKeyId")?;
    let secret = s("SecretAccessKey").ok_or("role credentials: no SecretAccessKey")?;
    Ok(Credentials::new(
        id,
        SecretString::from(secret),
        s("Token").map(SecretString::from),
        format!("instance metadata (IMDSv2, role {role})"),
    )
    .expiring(
        s("Expiration")
            .as_deref()
            .and_then(super::chain::parse_time),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::chain::{self, Answer, ChainError};
    use super::*;
    use std::sync::Mutex;

    type Headers = Vec<(String, String)>;

    /// A metadata service: the token, one role, its credentials.
    struct Fake {
        seen: Mutex<Vec<(String, String, Headers)>>,
    }

    impl Http for Fake {
        fn send(&self, r: Request<'_>) -> Result<Answer, String> {
            assert!(r.short, "IMDS requests use the short timeouts");
            let path = r.url.path().to_owned();
            self.seen.lock().unwrap().push((
                r.method.to_owned(),
                path.clone(),
                r.headers
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ));
            let body = match (r.method, path.as_str()) {
                ("PUT", "/latest/api/token") => "imds-token-0001".to_owned(),
                ("GET", "/latest/meta-data/iam/security-credentials/") => "web-role\n".to_owned(),
                ("GET", "/latest/meta-data/iam/security-credentials/web-role") => r#"{"Code":"Success","AccessKeyId":"ASIAIMDS0001","SecretAccessKey":"imds-secret-0001","Token":"imds-session-0001","Expiration":"2099-01-01T00:00:00Z"}"#.to_owned(),
                _ => return Ok(Answer { status: 404, error_type: None, body: Vec::new() }),
            };
            Ok(Answer {
                status: 200,
                error_type: None,
                body: body.into_bytes(),
            })
        }
    }

    #[test]
    fn imdsv2_only_when_asked() {
        let parent = crate::settings::ParentEnv::from_pairs([]);
        let fake = Fake {
            seen: Mutex::new(Vec::new()),
        };
        let now = std::time::SystemTime::now();
        // Not asked: never contacted.
        let off = chain::tests::settings(&[]);
        let Err(ChainError::NotFound(tried)) = chain::resolve(&parent, &off, &fake, now) else {
            panic!()
        };
        assert!(tried.join("; ").contains("not asked"));
        assert!(fake.seen.lock().unwrap().is_empty());
        // Asked: the IMDSv2 dance.
        let on =
            chain::tests::settings(&[("imds", "true"), ("imds_endpoint", "http://127.0.0.1:9")]);
        let c = chain::resolve(&parent, &on, &fake, now).unwrap();
        assert_eq!(c.access_key_id, "ASIAIMDS0001");
        assert_eq!(
            c.expires,
            super::super::chain::parse_time("2099-01-01T00:00:00Z")
        );
        assert!(c.source.contains("role web-role"));
        let debug = format!("{c:?}");
        assert!(!debug.contains("imds-secret") && !debug.contains("imds-session"));
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen.len(), 3);
        assert_eq!(
            seen[0].2,
            vec![(
                "x-aws-ec2-metadata-token-ttl-seconds".to_owned(),
                "21600".to_owned()
            )]
        );
        assert_eq!(
            seen[2].2,
            vec![(
                "x-aws-ec2-metadata-token".to_owned(),
                "imds-token-0001".to_owned()
            )]
        );
    }
}
