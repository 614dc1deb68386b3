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
];

/// An AWS store's settings, resolved.
#[derive(Clone, Debug)]
pub struct AwsSettings {
    pub region: String,
    pub endpoint: Url,
    /// The secret-name prefix (may be empty).
    pub prefix: String,
    pub profile: Option<String>,
    pub recovery_window: u8,
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
        Some(text) => {
            let url = Url::parse(text.trim())
                .map_err(|e| format!("`endpoint` '{text}' is not a URL: {e}"))?;
            match url.scheme() {
                "https" => {}
                "http" if crate::net::is_loopback(&url) => {}
                "http" => {
                    return Err(format!(
                        "`endpoint` '{text}' is plain http off loopback: requests would carry signed credentials in the clear; use https"
                    ));
                }
                other => return Err(format!("`endpoint` scheme '{other}' is not http(s)")),
            }
            if url.path() != "/" || url.query().is_some() {
                return Err(format!("`endpoint` '{text}' must have no path or query"));
            }
            url
        }
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
    let profile = settings.get("profile").map(|p| p.trim().to_owned());
    Ok(AwsSettings {
        region,
        endpoint,
        prefix,
        profile,
        recovery_window,
    })
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
}
