//! The `byok` binary: everything lives in the library so it can be tested.

// The proxy allocates and frees per request; with glibc malloc that was a fifth of its CPU,
// with mimalloc a fraction of it (scripts/bench-proxy, CPU per request).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    byok::run(std::env::args_os())
}
