//! The `comanda` binary: parse the configuration, set up logging, serve.

use clap::Parser;
use server::config::{Command, Config};
use server::db::{backup, latest_migration};
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's malloc for the server's own allocations: `perf` on
/// `make bench` put about an eighth of the server's time per order in glibc's malloc and
/// free, shared by the runtime's threads; with mimalloc the server's CPU per order fell
/// by about a quarter. (SQLite allocates through the C library still: handed to mimalloc
/// as well, with `SQLITE_CONFIG_MALLOC`, the CPU per order rose by about 15 %.) It is built to
/// turn transparent huge pages off and commit its arenas as it uses them
/// (`.cargo/config.toml`), or the server's peak memory would be 63 MiB instead of 37 to 39.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option, by its place in mimalloc 3's C enum (the Rust bindings
/// do not name it; the test below checks it is the one): how long freed memory stays
/// mapped before it goes back to the OS, 1 s by default. At 0 the server's peak memory
/// was 1.5 MiB lower (`make bench`), at no cost in speed there.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

#[tokio::main]
async fn main() {
    // SAFETY: sets one of mimalloc's options, which it reads whenever it purges.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("COMANDA_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = Config::parse();
    let done: Result<(), Box<dyn std::error::Error>> = match &config.command {
        Some(Command::Backup { to }) => {
            backup::take(&config.database_path(), to, latest_migration())
                .map(|b| {
                    println!(
                        "backed up to {} ({} bytes, SHA-256 {}), checked",
                        to.display(),
                        b.bytes,
                        b.sha256
                    )
                })
                .map_err(Into::into)
        }
        Some(Command::Restore { file }) => {
            backup::restore(file, &config.data, latest_migration(), &mut |step| {
                println!("{step}…")
            })
            .map(|aside| {
                println!("restored {} into {}", file.display(), config.data.display());
                if let Some(aside) = aside {
                    println!("the database it replaced is kept as {}", aside.display());
                }
            })
            .map_err(Into::into)
        }
        None => server::serve(config).await,
    };
    if let Err(e) = done {
        eprintln!("comanda: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    /// Option 15 is `purge_delay`: the only one whose default is 1000 (ms).
    #[test]
    fn option_15_is_mimallocs_purge_delay() {
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
    }

    /// mimalloc was built to turn transparent huge pages off for the process
    /// (`.cargo/config.toml`), which it does when it starts.
    #[test]
    fn the_server_runs_without_transparent_huge_pages() {
        let _warm = Box::new(1u8);
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let thp = status.lines().find(|l| l.starts_with("THP_enabled:"));
        // Kernels before 5.0 do not say; there is nothing to check then.
        if let Some(line) = thp {
            assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
        }
    }
}
