//! AWS Signature Version 4 for the Secrets Manager JSON protocol, and the credentials it signs
//! with (found by [`super::chain`]).
//!
//! Hand-written on `hmac` + `sha2` (already in the tree) rather than the AWS SDK: see
//! docs/development.md ("The AWS store") for the figures behind that choice. The secret
//! access key and session token live in [`SecretString`]s; `Debug` prints the key id only.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// One set of credentials and where it came from.
pub struct Credentials {
    pub access_key_id: String,
    secret_access_key: SecretString,
    session_token: Option<SecretString>,
    /// e.g. "environment (AWS_ACCESS_KEY_ID)" or "profile 'team' in ~/.aws/credentials".
    pub source: String,
    /// When they stop working (SSO and IMDS role credentials), if known.
    pub expires: Option<std::time::SystemTime>,
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

impl Credentials {
    pub fn new(
        access_key_id: String,
        secret_access_key: SecretString,
        session_token: Option<SecretString>,
        source: String,
    ) -> Self {
        Credentials {
            access_key_id,
            secret_access_key,
            session_token,
            source,
            expires: None,
        }
    }

    /// The same, expiring at `t`.
    pub fn expiring(mut self, t: Option<std::time::SystemTime>) -> Self {
        self.expires = t;
        self
    }
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
            expires: None,
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
        let with_token = Credentials::new(
            "AKIDEXAMPLE".into(),
            SecretString::from("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            Some(SecretString::from("session-token-0001")),
            "test".into(),
        );
        let debug = format!("{with_token:?}");
        assert!(
            !debug.contains("wJalr") && !debug.contains("session-token"),
            "{debug}"
        );
    }

    #[test]
    fn date_shape() {
        let d = amz_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_440_938_160));
        assert_eq!(d, "20150830T123600Z");
    }
}
