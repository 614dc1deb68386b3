//! The export path: what a program gets from byok. `env` prints it, `exec` runs a child with
//! it, `hook` loads it into a shell, `inject` renders it into a file; the proxy's
//! `exec --via-proxy` hands placeholders instead of keys through the same path.
//!
//! [`target`] resolves connector and secret names to variables, [`reference`] and
//! [`env_refs`] read `byok://` references, [`template`] renders `{{ byok://… }}` files,
//! [`reads`] records what was read (for the reveal gate and the audit log), [`admin`]
//! keeps admin keys out, [`shell`] renders for shells, and [`child`] builds the child's
//! environment — the one place that decides what a child never inherits.

pub mod admin;
pub mod child;
pub mod env_refs;
pub mod plan;
pub mod reads;
pub mod reference;
pub mod shell;
pub mod stream_redact;
pub mod target;
pub mod template;
