//! [`Store`] for [`OpenBaoStore`]: listing, reads, writes, removal, versions, rollback and
//! health, on top of the requests and the entry codec of the parent module.

use super::client::Method;
use super::entry::{self, Entry};
use super::{Inner, OpenBaoStore, gone, kv, lock};
use crate::error::{Error, Result};
use crate::secret::SecretValue;
use crate::store::{Health, Meta, Put, Store, Version};

impl Store for OpenBaoStore {
    fn agent_proof_safe(&self) -> std::result::Result<(), String> {
        Err("any process of yours can use its token (the keychain login, BAO_TOKEN or ~/.vault-token) to read it".into())
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn describe(&self) -> String {
        let address = self.raw.get("address").cloned().unwrap_or_default();
        let mount = self.raw.get("mount").map_or("secret", String::as_str);
        let prefix = self.raw.get("prefix").map_or("byok/", String::as_str);
        format!("OpenBao KV v2 {mount}/{prefix} at {address}")
    }

    fn list(&self) -> Result<Vec<Meta>> {
        let (entries, skipped) = self.list_entries()?;
        let mut out = Vec::new();
        let mut cache = lock(&self.cache);
        for (name, entry) in entries {
            if let Entry::Present(c) = &entry {
                out.push(entry::meta_of(&name, c));
            }
            cache.insert(name, entry);
        }
        drop(cache);
        let [folders, names, data] = skipped;
        if folders + names + data > 0 {
            let mut why = Vec::new();
            if folders > 0 {
                why.push(format!("{folders} nested folder(s)"));
            }
            if names > 0 {
                why.push(format!("{names} name(s) that are not ref names"));
            }
            if data > 0 {
                why.push(format!("{data} entr(ies) with non-string data"));
            }
            crate::term::output::warn(
                &self.settings,
                &format!(
                    "{} store: skipped {} under the prefix: {}",
                    self.name,
                    folders + names + data,
                    why.join(", ")
                ),
            );
        }
        out.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(out)
    }

    fn find(&self, reference: &str) -> Result<Option<Meta>> {
        Ok(match self.entry(reference)? {
            Entry::Present(c) if c.other == 0 => Some(entry::meta_of(reference, &c)),
            _ => None,
        })
    }

    fn get_many(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        Ok(match self.entry(reference)? {
            Entry::Present(c) => fields.iter().map(|f| c.fields.get(*f).cloned()).collect(),
            _ => vec![None; fields.len()],
        })
    }

    fn get_previous(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        let Entry::Present(c) = self.entry(reference)? else {
            return Ok(vec![None; fields.len()]);
        };
        if c.version <= 1 {
            return Ok(vec![None; fields.len()]);
        }
        Ok(match self.read(reference, Some(c.version - 1))? {
            Entry::Present(p) => fields
                .iter()
                .map(|f| {
                    p.fields
                        .get(*f)
                        .filter(|v| {
                            c.fields
                                .get(*f)
                                .is_none_or(|cur| cur.expose() != v.expose())
                        })
                        .cloned()
                })
                .collect(),
            _ => vec![None; fields.len()],
        })
    }

    fn put(&self, puts: Vec<Put>) -> Result<Vec<bool>> {
        puts.iter().map(|p| self.put_one(p)).collect()
    }

    fn delete(&self, reference: &str) -> Result<bool> {
        self.remove(reference, false)
    }

    fn destroy(&self, reference: &str) -> Result<bool> {
        self.remove(reference, true)
    }

    fn rollback(
        &self,
        reference: &str,
        fields: &[String],
        version: Option<u64>,
        now: &str,
    ) -> Result<Vec<String>> {
        lock(&self.cache).remove(reference);
        let Entry::Present(cur) = self.read(reference, None)? else {
            return Err(Error::SecretNotFound {
                name: reference.to_owned(),
                suggestion: None,
            });
        };
        let target_version = match version {
            Some(v) if v == 0 || v >= cur.version => {
                return Err(Error::Usage(format!(
                    "secret '{reference}' has no earlier version {v} in the {} store (its current version is {}; `byok secret show {reference}` lists them)",
                    self.name, cur.version
                )));
            }
            Some(v) => v,
            None if cur.version <= 1 => {
                return Err(Error::NothingToRollBack {
                    reference: reference.to_owned(),
                    field: None,
                });
            }
            None => cur.version - 1,
        };
        let target = match self.read(reference, Some(target_version))? {
            Entry::Present(t) => t,
            Entry::Removed { destroyed, .. } if version.is_some() => {
                return Err(self.fail(
                    format!(
                        "version {target_version} of '{reference}' was {}",
                        if destroyed { "destroyed" } else { "deleted" }
                    ),
                    if destroyed {
                        "a destroyed version cannot come back; pick another with --version"
                            .to_owned()
                    } else {
                        format!("`bao kv undelete -versions={target_version}` restores it first")
                    },
                ));
            }
            _ if version.is_some() => {
                return Err(Error::Usage(format!(
                    "version {target_version} of '{reference}' is no longer kept by the server"
                )));
            }
            _ => {
                return Err(Error::NothingToRollBack {
                    reference: reference.to_owned(),
                    field: None,
                });
            }
        };
        let differs = |f: &str| match (cur.fields.get(f), target.fields.get(f)) {
            (Some(a), Some(b)) => a.expose() != b.expose(),
            _ => false,
        };
        let chosen: Vec<String> = if fields.is_empty() {
            let chosen: Vec<String> = cur.fields.keys().filter(|f| differs(f)).cloned().collect();
            if chosen.is_empty() {
                return Err(Error::NothingToRollBack {
                    reference: reference.to_owned(),
                    field: None,
                });
            }
            chosen
        } else {
            for field in fields {
                if !cur.fields.contains_key(field) {
                    return Err(Error::FieldNotFound {
                        reference: reference.to_owned(),
                        field: field.clone(),
                        fields: cur.fields.keys().cloned().collect(),
                    });
                }
                if !target.fields.contains_key(field) {
                    return Err(Error::NothingToRollBack {
                        reference: reference.to_owned(),
                        field: Some(field.clone()),
                    });
                }
            }
            fields.to_vec()
        };
        let mut data = cur.fields.clone();
        for field in &chosen {
            data.insert(field.clone(), target.fields[field].clone());
        }
        self.write(reference, &data, cur.version, &cur.created_time)?;
        let mut custom = cur.custom.clone();
        custom.insert(kv::ROTATED.to_owned(), now.to_owned());
        self.write_custom(reference, &custom)?;
        lock(&self.cache).remove(reference);
        Ok(chosen)
    }

    fn versions(&self, reference: &str) -> Result<Vec<Version>> {
        let Some(meta) = self.key_meta(reference)? else {
            return Ok(Vec::new());
        };
        let mut out: Vec<Version> = meta
            .versions
            .iter()
            .filter_map(|(n, v)| {
                Some(Version {
                    number: n.parse().ok()?,
                    created: crate::term::sanitize::line(&v.created_time).into_owned(),
                    deleted: (!v.deletion_time.is_empty())
                        .then(|| crate::term::sanitize::line(&v.deletion_time).into_owned()),
                    destroyed: v.destroyed,
                    current: n.parse::<u64>().ok() == Some(meta.current_version),
                })
            })
            .collect();
        out.sort_by_key(|v| v.number);
        Ok(out)
    }

    fn health(&self) -> Health {
        let inner = match self.inner() {
            Ok(inner) => inner,
            Err(e) => {
                return Health {
                    ok: false,
                    detail: e.to_string(),
                };
            }
        };
        let nodes = inner.runtime.block_on(inner.client.health());
        let mut parts = Vec::new();
        let mut up = 0;
        for (node, result) in &nodes {
            let state = match result {
                Ok((200, v)) => {
                    up += 1;
                    format!("active, {v}")
                }
                Ok((429, v)) => {
                    up += 1;
                    format!("standby, {v}")
                }
                Ok((503, _)) => "sealed".to_owned(),
                Ok((501, _)) => "not initialised".to_owned(),
                Ok((code, _)) => format!("HTTP {code}"),
                Err(e) => format!("unreachable ({e})"),
            };
            parts.push(format!("{node}: {state}"));
        }
        if up == 0 {
            return Health {
                ok: false,
                detail: parts.join("; "),
            };
        }
        let token = self
            .ensure_token(inner)
            .and_then(|()| self.lookup_self(inner));
        match token {
            Ok(Some(info)) => {
                let source = lock(&inner.source)
                    .clone()
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                match self.list_entries_probe(inner) {
                    Ok(()) => Health {
                        ok: true,
                        detail: format!(
                            "{}; {source} is valid (policies {})",
                            parts.join("; "),
                            info.policies
                                .iter()
                                .map(|p| crate::term::sanitize::line(p).into_owned())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    },
                    Err(e) => Health {
                        ok: false,
                        detail: format!("{}; {e}", parts.join("; ")),
                    },
                }
            }
            Ok(None) => Health {
                ok: false,
                detail: format!(
                    "{}; the token was refused (expired, revoked or not valid here): run `byok store login {}`",
                    parts.join("; "),
                    self.name
                ),
            },
            Err(e) => Health {
                ok: false,
                detail: format!("{}; {e}", parts.join("; ")),
            },
        }
    }

    fn refresh(&self) {
        lock(&self.cache).clear();
    }

    fn not_here(&self, reference: &str, field: &str) -> Error {
        match lock(&self.cache).get(reference) {
            Some(Entry::Removed {
                version,
                deleted,
                destroyed,
            }) => gone(
                &self.name,
                if *destroyed {
                    format!("'{reference}' was destroyed (version {version}); its values are gone")
                } else {
                    format!("'{reference}' was deleted (version {version}, at {deleted})")
                },
                if *destroyed {
                    "add it again with `byok secret add`".to_owned()
                } else {
                    format!("`bao kv undelete -versions={version}` brings it back")
                },
            ),
            Some(Entry::Present(c)) if !c.fields.contains_key(field) => Error::FieldNotFound {
                reference: reference.to_owned(),
                field: field.to_owned(),
                fields: c.fields.keys().cloned().collect(),
            },
            _ => Error::SecretNotFound {
                name: reference.to_owned(),
                suggestion: None,
            },
        }
    }

    fn login_kind(&self) -> Option<&'static str> {
        Some(match self.raw.get("auth").map(String::as_str) {
            Some("approle") => "AppRole secret id",
            _ => "OpenBao token",
        })
    }

    fn login(&self, credential: SecretValue) -> Result<String> {
        OpenBaoStore::login(self, credential)
    }

    fn logout(&self) -> Result<bool> {
        OpenBaoStore::logout(self)
    }
}

impl OpenBaoStore {
    /// One LIST of the prefix (a 404 means empty), for `store test`.
    fn list_entries_probe(&self, inner: &Inner) -> Result<()> {
        let segments = inner.bao.segments("metadata", "");
        let reply = self.call(Method::List, &segments, &[], None)?;
        if reply.status == 404 && reply.errors().is_empty() {
            return Ok(());
        }
        self.expect_ok(
            &reply,
            "list the secrets",
            &inner.bao.path_text("metadata", ""),
            Method::List,
        )
    }
}
