//! Typed configuration: defaults, overridden by `COMANDA_*` environment variables,
//! overridden by command-line flags. Every key is documented here and in `--help`.

use clap::Parser;
use std::{net::SocketAddr, path::PathBuf};

#[derive(Clone, Debug, Parser)]
#[command(
    name = "comanda",
    version,
    about = "Comanda: local-first restaurant point of sale"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "COMANDA_LISTEN", default_value = "0.0.0.0:8080")]
    pub listen: SocketAddr,

    /// Folder holding the database (`comanda.db`); created if missing.
    #[arg(long, env = "COMANDA_DATA", default_value = "data")]
    pub data: PathBuf,

    /// Seed the demo venue (menu, floor, staff with PINs) if the database is empty.
    #[arg(long, env = "COMANDA_DEMO", default_value_t = false)]
    pub demo: bool,

    /// Hours a login stays valid.
    #[arg(long, env = "COMANDA_SESSION_HOURS", default_value_t = 16)]
    pub session_hours: i64,

    /// Seconds a printer may take to connect, or to take a job and close the connection,
    /// before the job counts as failed (and is retried).
    #[arg(long, env = "COMANDA_PRINTER_TIMEOUT_SECS", default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=300))]
    pub printer_timeout_secs: u64,
}

impl Config {
    pub fn database_path(&self) -> PathBuf {
        self.data.join("comanda.db")
    }
}
