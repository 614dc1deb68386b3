//! The `byok` binary: everything lives in the library so it can be tested.

// The proxy allocates and frees per request on several threads; mimalloc's thread-local
// free lists cost a fraction of glibc malloc there (scripts/bench-proxy, CPU per request).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    byok::run(std::env::args_os())
}
