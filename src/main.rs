use std::process::ExitCode;

/// The build allocates many small strings from several threads; mimalloc
/// is markedly faster at that than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    partnersite::run(std::env::args_os())
}
