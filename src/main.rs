use std::process::ExitCode;

/// The build allocates many small strings from several threads; mimalloc
/// is markedly faster at that than the system allocator. The count lets
/// the template sandbox stop a render whose output grows without bound.
#[global_allocator]
static GLOBAL: partnersite::memory::Counting<mimalloc::MiMalloc> =
    partnersite::memory::Counting(mimalloc::MiMalloc);

fn main() -> ExitCode {
    partnersite::run(std::env::args_os())
}
