//! Provider knowledge for `byok`: the catalog of supported AI providers, the
//! per-wire-format request builders / response classifiers, and redaction of
//! key material from provider messages.
//!
//! Everything here is pure: requests are returned as data ([`wire::HttpRequest`])
//! and responses are parsed from bytes, so the HTTP client lives elsewhere.

pub mod catalog;
pub mod probe;
pub mod redact;
pub mod wire;

pub use catalog::{AuthStyle, ProviderSpec};
pub use redact::redact;
pub use wire::{
    ChatOutcome, Failure, FailureClass, Header, HeaderValue, HttpRequest, Method, ModelsError,
    RequestContext, WireFormat,
};
