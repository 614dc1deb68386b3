//! End-to-end tests of the real `byok` binary, each in a temporary `BYOK_HOME`.

mod bao_server;
mod fake_provider;
mod harness;

mod coding_tools;
mod completions;
mod connector;
mod crash;
mod env;
mod exec;
mod guided;
mod hardening;
mod hygiene;
mod import;
mod import_parse;
mod init;
mod interop;
mod keychain;
mod net;
mod openbao;
mod project;
mod proxy;
mod proxy_connectors;
mod recipients;
mod references;
mod scan;
mod secret;
mod shell_render;
mod store_cmd;
mod store_contract;
mod store_regressions;
mod targets;
mod terminal;
mod vault;
mod workspace;
