//! The token session of an OpenBao store: where the token comes from (a `byok store login`
//! record in the keychain, `BAO_TOKEN`/`VAULT_TOKEN`, `~/.vault-token`), AppRole login,
//! renewal of a token past half its TTL, `lookup-self`, and `store login`/`logout`.
//! [`super::auth`] holds the record and the environment rules; this is their use.

use super::auth::{self, LoginRecord, TokenSource};
use super::client::{Body, Method};
use super::config::AuthKind;
use super::kv::{self, Envelope, TokenInfo};
use super::{IfEmpty, Inner, OpenBaoStore, SERVICE, lock};
use crate::error::{Error, Result};
use crate::secret::SecretValue;

impl OpenBaoStore {
    pub(super) fn account(&self) -> Result<String> {
        let store = self.login_of.as_deref().unwrap_or(&self.name);
        Ok(auth::account(self.home_id.get()?, store))
    }

    /// Chooses the token on first use (login record, environment, `~/.vault-token`),
    /// renewing or re-logging-in a stored login that is due.
    pub(super) fn ensure_token(&self, inner: &Inner) -> Result<()> {
        if lock(&inner.source).is_some() {
            return Ok(());
        }
        if inner.bao.logged_in {
            let account = self.account()?;
            let record = crate::os::keychain::get(SERVICE, &account)?
                .and_then(|s| LoginRecord::parse(secrecy::ExposeSecret::expose_secret(&s)));
            if let Some(mut record) = record {
                let now = auth::now();
                let remaining = record.remaining(now);
                if remaining.is_some_and(|r| r <= 5) {
                    // Expired: log in again when we can.
                    match (&inner.bao.auth, record.secret_id.clone()) {
                        (AuthKind::AppRole { role_id }, Some(secret_id)) => {
                            record = self.approle_login(inner, role_id, &secret_id)?;
                            self.save_login(&record)?;
                        }
                        _ => {
                            return Err(self.fail(
                                "the token kept by `byok store login` has expired",
                                format!("log in again: `byok store login {}`", self.name),
                            ));
                        }
                    }
                } else if record.renewable
                    && remaining.is_some_and(|r| record.ttl > 0 && (r as u64) < record.ttl / 2)
                {
                    inner.client.set_token(Some(record.token.clone()));
                    if let Ok((ttl, renewable)) = self.renew(inner, record.ttl) {
                        record.expires = Some(auth::now() + ttl);
                        record.renewable = renewable;
                        let _ = self.save_login(&record);
                    }
                }
                inner.client.set_token(Some(record.token.clone()));
                *lock(&inner.source) = Some(TokenSource::Login);
                *lock(&inner.login) = Some(record);
                return Ok(());
            }
        }
        if let Some((token, source)) = auth::from_environment(&inner.bao, &self.settings.parent_env)
        {
            if !auth::is_header_safe(token.expose()) {
                return Err(self.fail(
                    format!("{source} is not a valid token (it must be printable ASCII)"),
                    "set it again, or use `byok store login`",
                ));
            }
            inner.client.set_token(Some(token));
            *lock(&inner.source) = Some(source);
            return Ok(());
        }
        Err(self.fail(
            "no token for this store",
            format!(
                "log in with `byok store login {}`, or set BAO_ADDR to one of its addresses ({}) and BAO_TOKEN",
                self.name,
                inner
                    .bao
                    .nodes
                    .iter()
                    .map(|n| n.display())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }

    pub(super) fn save_login(&self, record: &LoginRecord) -> Result<()> {
        crate::os::keychain::set(SERVICE, &self.account()?, &record.to_secret())?;
        Ok(())
    }

    pub(super) fn approle_login(
        &self,
        inner: &Inner,
        role_id: &str,
        secret_id: &SecretValue,
    ) -> Result<LoginRecord> {
        #[derive(serde::Serialize)]
        struct LoginBody<'a> {
            role_id: &'a str,
            secret_id: &'a str,
        }
        let body: Body = zeroize::Zeroizing::new(
            serde_json::to_vec(&LoginBody {
                role_id,
                secret_id: secret_id.expose(),
            })
            .unwrap_or_default(),
        );
        let reply = self.raw_call(
            inner,
            Method::Post,
            &["auth", "approle", "login"],
            &[],
            Some(&body),
        )?;
        if reply.status == 400 || reply.status == 403 {
            return Err(self.fail(
                format!(
                    "AppRole login refused: {}",
                    reply.errors().join("; ").if_empty("invalid role or secret id")
                ),
                format!(
                    "check role_id in config.toml and log in again with a fresh secret id: `byok store login {}`",
                    self.name
                ),
            ));
        }
        self.expect_ok(
            &reply,
            "log in with AppRole",
            "auth/approle/login",
            Method::Post,
        )?;
        let auth = serde_json::from_slice::<Envelope<serde_json::Value>>(&reply.body)
            .ok()
            .and_then(|e| e.auth)
            .ok_or_else(|| {
                self.fail("the AppRole login answer has no token", "check the server")
            })?;
        if !auth::is_header_safe(auth.client_token.expose()) {
            return Err(self.fail("the server returned an unusable token", "check the server"));
        }
        Ok(LoginRecord {
            token: auth.client_token,
            secret_id: Some(secret_id.clone()),
            expires: (auth.lease_duration > 0).then(|| auth::now() + auth.lease_duration),
            renewable: auth.renewable,
            ttl: auth.lease_duration,
        })
    }

    /// `auth/token/renew-self` by `increment` seconds; returns the new TTL.
    pub(super) fn renew(&self, inner: &Inner, increment: u64) -> Result<(u64, bool)> {
        let body = kv::json_body(&serde_json::json!({ "increment": format!("{increment}s") }));
        let reply = self.raw_call(
            inner,
            Method::Post,
            &["auth", "token", "renew-self"],
            &[],
            Some(&body),
        )?;
        self.expect_ok(
            &reply,
            "renew the token",
            "auth/token/renew-self",
            Method::Post,
        )?;
        let auth = serde_json::from_slice::<Envelope<serde_json::Value>>(&reply.body)
            .ok()
            .and_then(|e| e.auth)
            .ok_or_else(|| self.fail("the renewal answer has no lease", "check the server"))?;
        Ok((auth.lease_duration, auth.renewable))
    }

    /// `auth/token/lookup-self`: `Some` when the token is valid.
    pub(super) fn lookup_self(&self, inner: &Inner) -> Result<Option<TokenInfo>> {
        let reply = self.raw_call(
            inner,
            Method::Get,
            &["auth", "token", "lookup-self"],
            &[],
            None,
        )?;
        match reply.status {
            200 => Ok(serde_json::from_slice::<Envelope<TokenInfo>>(&reply.body)
                .ok()
                .and_then(|e| e.data)),
            403 | 401 => Ok(None),
            _ => {
                self.expect_ok(
                    &reply,
                    "look up the token",
                    "auth/token/lookup-self",
                    Method::Get,
                )?;
                Ok(None)
            }
        }
    }

    /// `byok store login`: keeps a token (or an AppRole secret id and the token it gets)
    /// in the keychain, after checking it with the server. Returns a description.
    pub fn login(&self, credential: SecretValue) -> Result<String> {
        let inner = self.inner()?;
        if !auth::is_header_safe(credential.expose()) {
            return Err(Error::Usage(
                "the value must be printable ASCII without spaces".into(),
            ));
        }
        let record = match &inner.bao.auth {
            AuthKind::AppRole { role_id } => self.approle_login(inner, role_id, &credential)?,
            AuthKind::Token => LoginRecord {
                token: credential,
                secret_id: None,
                expires: None,
                renewable: false,
                ttl: 0,
            },
        };
        inner.client.set_token(Some(record.token.clone()));
        let info = self.lookup_self(inner)?.ok_or_else(|| {
            self.fail(
                "the server refused the token (auth/token/lookup-self: permission denied)",
                "check that it is a valid token for this server (and namespace)",
            )
        })?;
        let mut record = record;
        if info.ttl > 0 {
            record.expires = Some(auth::now() + info.ttl as u64);
            record.ttl = if info.creation_ttl > 0 {
                info.creation_ttl as u64
            } else {
                info.ttl as u64
            };
        }
        record.renewable = info.renewable;
        self.save_login(&record)?;
        *lock(&inner.source) = Some(TokenSource::Login);
        let policies = info
            .policies
            .iter()
            .map(|p| crate::term::sanitize::line(p).into_owned())
            .collect::<Vec<_>>()
            .join(", ");
        let expiry = if info.ttl > 0 {
            format!(
                "expires in {}{}",
                humantime::format_duration(std::time::Duration::from_secs(info.ttl as u64)),
                if info.renewable {
                    ", renewed by byok as it is used"
                } else {
                    ""
                }
            )
        } else {
            "does not expire".to_owned()
        };
        Ok(format!("policies {policies}; {expiry}"))
    }

    /// Forgets the login kept for this store (for `store rm`).
    pub fn logout(&self) -> Result<bool> {
        Ok(crate::os::keychain::delete(SERVICE, &self.account()?)?)
    }
}
