//! The settings of an `aws-secrets-manager` `[[store]]`, checked when `config.toml` is read
//! and resolved against the environment for credentials only (never for the endpoint:
//! `AWS_ENDPOINT_URL*` is ignored, the endpoint comes from the declaration alone).
//!
//! ```toml
//! [[store]]
//! name = "team"
//! type = "aws-secrets-manager"
//! region = "eu-west-1"
//! prefix = "byok/"                  # default byok/; one secret per ref, named <prefix><ref>
//! endpoint = "http://127.0.0.1:5000"  # optional (moto, a VPC endpoint); http only on loopback
//! profile = "team"                  # optional: the shared config/credentials profile
//! recovery_window = "30"            # optional: days (7–30) before `rm` is final
//! pass_credentials = "true"         # optional: let `exec` children keep AWS_* credentials
//! imds = "true"                     # optional: try EC2 instance metadata (IMDSv2) last; default off
//! sso_endpoint = "http://127.0.0.1:9" # optional: the SSO portal (tests, private endpoints)
//! imds_endpoint = "http://127.0.0.1:9" # optional: the metadata service (tests); needs imds
//! ```

use std::collections::BTreeMap;

use url::Url;

/// The keys an aws-secrets-manager store may set.
pub const KEYS: &[&str] = &[
    "region",
    "endpoint",
    "prefix",
    "profile",
    "recovery_window",
    "pass_credentials",
    "imds",
    "sso_endpoint",
    "imds_endpoint",
];

/// The metadata service's addresses (IPv4 and IPv6), plain http by design.
const IMDS_HOSTS: &[&str] = &["169.254.169.254", "[fd00:ec2::254]"];

/// An AWS store's settings, resolved.
#[derive(Clone, Debug)]
pub struct AwsSettings {
    pub region: String,
    pub endpoint: Url,
    /// The secret-name prefix (may be empty).
    pub prefix: String,
    pub profile: Option<String>,
    pub recovery_window: u8,
    /// Whether the credential chain may ask the EC2 instance metadata service (off unless
    /// `imds = "true"`).
    pub imds: bool,
    /// The SSO portal instead of `https://portal.sso.<sso_region>.amazonaws.com`.
    pub sso_endpoint: Option<Url>,
    /// The metadata service instead of `http://169.254.169.254`.
    pub imds_endpoint: Option<Url>,
}

fn valid_region(r: &str) -> bool {
    !r.is_empty()
        && r.len() <= 32
        && r.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks a declaration; the message says what is wrong.
pub fn check(settings: &BTreeMap<String, String>) -> Result<(), String> {
    resolve(settings).map(|_| ())
}

impl AwsSettings {
    /// The secret name of a ref.
    pub fn secret_name(&self, reference: &str) -> String {
        format!("{}{reference}", self.prefix)
    }
}

/// The settings of a declaration.
pub fn resolve(settings: &BTreeMap<String, String>) -> Result<AwsSettings, String> {
    let region = settings
        .get("region")
        .ok_or("`region` is missing (e.g. region = \"eu-west-1\")")?
        .trim()
        .to_owned();
    if !valid_region(&region) {
        return Err(format!("`region` '{region}' is not a region name"));
    }
    let endpoint = match settings.get("endpoint") {
        Some(text) => endpoint_url("endpoint", text, "signed credentials")?,
        None => Url::parse(&format!("https://secretsmanager.{region}.amazonaws.com/"))
            .map_err(|e| e.to_string())?,
    };
    let prefix = settings
        .get("prefix")
        .map_or("byok/", String::as_str)
        .to_owned();
    if prefix.len() > 256
        || !prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_+=.@-".contains(&b))
    {
        return Err(format!(
            "`prefix` '{prefix}' may hold only ASCII letters, digits and /_+=.@- (AWS secret names)"
        ));
    }
    let recovery_window = match settings.get("recovery_window") {
        Some(t) => match t.trim().parse::<u8>() {
            Ok(n) if (7..=30).contains(&n) => n,
            _ => {
                return Err(format!(
                    "`recovery_window` '{t}' must be a number of days from 7 to 30"
                ));
            }
        },
        None => 30,
    };
    if let Some(v) = settings.get("pass_credentials")
        && v != "true"
        && v != "false"
    {
        return Err(format!(
            "`pass_credentials` is \"true\" or \"false\", not '{v}'"
        ));
    }
    let imds = match settings.get("imds").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(v) => return Err(format!("`imds` is \"true\" or \"false\", not '{v}'")),
    };
    let sso_endpoint = settings
        .get("sso_endpoint")
        .map(|t| endpoint_url("sso_endpoint", t, "the SSO token"))
        .transpose()?;
    let imds_endpoint = match settings.get("imds_endpoint") {
        None => None,
        Some(_) if !imds => {
            return Err(
                "`imds_endpoint` is set but `imds` is not \"true\": byok never asks the metadata service unless told to".into(),
            );
        }
        Some(text) => {
            let url = Url::parse(text.trim())
                .map_err(|e| format!("`imds_endpoint` '{text}' is not a URL: {e}"))?;
            let metadata_host = url.host_str().is_some_and(|h| IMDS_HOSTS.contains(&h));
            if url.scheme() != "http" || !(crate::net::is_loopback(&url) || metadata_host) {
                return Err(format!(
                    "`imds_endpoint` '{text}' must be http on loopback or the metadata address (http://169.254.169.254)"
                ));
            }
            if url.path() != "/" || url.query().is_some() {
                return Err(format!(
                    "`imds_endpoint` '{text}' must have no path or query"
                ));
            }
            Some(url)
        }
    };
    let profile = settings.get("profile").map(|p| p.trim().to_owned());
    Ok(AwsSettings {
        region,
        endpoint,
        prefix,
        profile,
        recovery_window,
        imds,
        sso_endpoint,
        imds_endpoint,
    })
}

/// An endpoint setting: https, or http on loopback only (`carries` says what would travel in
/// the clear), with no path or query.
fn endpoint_url(key: &str, text: &str, carries: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("`{key}` '{text}' is not a URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if crate::net::is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "`{key}` '{text}' is plain http off loopback: requests would carry {carries} in the clear; use https"
            ));
        }
        other => return Err(format!("`{key}` scheme '{other}' is not http(s)")),
    }
    if url.path() != "/" || url.query().is_some() {
        return Err(format!("`{key}` '{text}' must have no path or query"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn checks() {
        assert!(check(&map(&[("region", "eu-west-1")])).is_ok());
        assert!(check(&map(&[])).is_err());
        assert!(
            check(&map(&[
                ("region", "eu-west-1"),
                ("endpoint", "http://example.com")
            ]))
            .is_err()
        );
        assert!(
            check(&map(&[
                ("region", "eu-west-1"),
                ("endpoint", "http://127.0.0.1:5000")
            ]))
            .is_ok()
        );
        assert!(check(&map(&[("region", "eu-west-1"), ("recovery_window", "3")])).is_err());
        assert!(check(&map(&[("region", "eu-west-1"), ("prefix", "a b/")])).is_err());
    }

    #[test]
    fn sso_and_imds_keys() {
        let r = |pairs: &[(&str, &str)]| {
            let mut all = vec![("region", "eu-west-1")];
            all.extend_from_slice(pairs);
            resolve(&map(&all))
        };
        let plain = r(&[]).unwrap();
        assert!(!plain.imds && plain.sso_endpoint.is_none() && plain.imds_endpoint.is_none());
        assert!(r(&[("imds", "yes")]).is_err());
        assert!(r(&[("imds", "true")]).unwrap().imds);
        assert!(r(&[("sso_endpoint", "http://127.0.0.1:9")]).is_ok());
        assert!(r(&[("sso_endpoint", "http://sso.example.com")]).is_err());
        assert!(r(&[("sso_endpoint", "https://sso.example.com/x")]).is_err());
        // imds_endpoint only with imds, and only loopback or the metadata address.
        assert!(r(&[("imds_endpoint", "http://127.0.0.1:9")]).is_err());
        assert!(r(&[("imds", "true"), ("imds_endpoint", "http://127.0.0.1:9")]).is_ok());
        assert!(
            r(&[
                ("imds", "true"),
                ("imds_endpoint", "http://169.254.169.254")
            ])
            .is_ok()
        );
        assert!(r(&[("imds", "true"), ("imds_endpoint", "http://10.0.0.1")]).is_err());
        assert!(r(&[("imds", "true"), ("imds_endpoint", "https://127.0.0.1")]).is_err());
        for k in ["imds", "sso_endpoint", "imds_endpoint"] {
            assert!(KEYS.contains(&k), "{k}");
        }
    }
}
