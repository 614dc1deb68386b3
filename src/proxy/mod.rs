//! `byok proxy`: a loopback HTTP server that holds the real keys. Tools get a placeholder
//! token ([`token`]); the proxy checks it, picks a connector for the requested model
//! ([`route`]), injects the connector's key in the provider's own header and forwards the
//! request ([`upstream`]), falls back to the next connector on the connection test's
//! transient classes while nothing has reached the client yet, and conceals any echoed
//! key in what comes back ([`scrub`]).
//!
//! The request/response pipeline, in [`server::respond`]:
//! 1. guard: `Host` must be a loopback name, `Origin` must be absent;
//! 2. [`inbound::endpoint`] and [`inbound::presented`]: wire (OpenAI or Anthropic),
//!    endpoint, token, model, body;
//! 3. [`route::Router::serving`]: the connectors of either wire serving the model, healthy
//!    first, each with a [`translated::Plan`] (as is, or translated across wires);
//! 4. [`upstream::attempt`] for each candidate until one commits (a 2xx, or an error that
//!    another connector would not fix);
//! 5. the reply, buffered and redacted, or streamed event by event through [`scrub`], then
//!    translated back when the plan says and metered ([`translated::deliver`]).
//!
//! Later stages (a usage ledger, an agent-proof mode) hook in at [`upstream::Committed`]
//! (what was answered, by whom, with which status, and its token usage in
//! [`metered::UsageSlot`], complete when the body or stream is).
//!
//! Only `byok proxy` and `byok exec --via-proxy` load this module's server stack.

pub mod agent_proof;
pub mod api;
pub mod build;
pub mod daemon;
pub mod inbound;
pub mod meter;
pub mod metered;
pub mod pin;
pub mod recipes;
pub mod reply;
pub mod route;
pub mod scrub;
pub mod server;
pub mod serving;
pub mod state;
pub mod token;
pub mod translated;
pub mod upstream;

use std::net::SocketAddr;
use std::time::Duration;

/// The two wire formats the proxy speaks (error shapes, stream framing, connector auth).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wire {
    /// OpenAI Chat Completions (`/v1/chat/completions`, `/v1/models`).
    OpenAi,
    /// Anthropic Messages (`/v1/messages`, `/v1/messages/count_tokens`, `/v1/models`).
    Anthropic,
}

impl Wire {
    pub fn name(self) -> &'static str {
        match self {
            Wire::OpenAi => "openai",
            Wire::Anthropic => "anthropic",
        }
    }

    /// The connector wire format that serves this proxy wire.
    pub fn of(format: crate::provider::WireFormat) -> Option<Wire> {
        match format {
            crate::provider::WireFormat::OpenAiChat => Some(Wire::OpenAi),
            crate::provider::WireFormat::AnthropicMessages => Some(Wire::Anthropic),
            _ => None,
        }
    }
}

/// The default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// How a proxy runs.
#[derive(Clone, Debug)]
pub struct Options {
    pub listen: SocketAddr,
    /// Only these connectors (empty: every active one).
    pub connectors: Vec<String>,
    /// How long to wait for an upstream's response headers (and between stream chunks).
    pub timeout: Duration,
    /// How long a connector whose key was refused is skipped, unless `retry-after` says.
    pub cooldown: Duration,
    /// How long a connector that refused the connection or timed out is skipped.
    pub unreachable_cooldown: Duration,
}
