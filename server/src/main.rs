//! The `comanda` binary: parse the configuration, set up logging, serve.

use clap::Parser;
use server::config::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("COMANDA_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    if let Err(e) = server::serve(Config::parse()).await {
        eprintln!("comanda: {e}");
        std::process::exit(1);
    }
}
