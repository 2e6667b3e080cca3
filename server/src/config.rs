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
    /// Address to serve the app and the API on: HTTPS, unless `--no-tls`.
    #[arg(long, env = "COMANDA_LISTEN", default_value = "0.0.0.0:8443")]
    pub listen: SocketAddr,

    /// Address of the plain-HTTP setup page (the CA for phones to trust, QR codes of the
    /// HTTPS address); every other path there redirects to HTTPS. `off` for none.
    #[arg(long, env = "COMANDA_SETUP_LISTEN", default_value = "0.0.0.0:8080")]
    pub setup_listen: OptionalAddr,

    /// The venue's own certificate (PEM chain) instead of the box's local CA.
    #[arg(long, env = "COMANDA_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The private key (PEM) of `--tls-cert`.
    #[arg(long, env = "COMANDA_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Serve plain HTTP on `--listen`, for running behind a reverse proxy that does TLS.
    /// No setup page then.
    #[arg(long, env = "COMANDA_NO_TLS", default_value_t = false, conflicts_with_all = ["tls_cert", "tls_key"])]
    pub no_tls: bool,

    /// Folder holding the database (`comanda.db`); created if missing.
    #[arg(long, env = "COMANDA_DATA", default_value = "data", global = true)]
    pub data: PathBuf,

    /// Seed the demo venue (menu, floor, staff with PINs) if the database is empty.
    #[arg(long, env = "COMANDA_DEMO", default_value_t = false)]
    pub demo: bool,

    /// With `--demo`, days of past trade the new demo venue starts with (each ended with
    /// its Z report), so its sales reports have something to show; 0 for none.
    #[arg(long, env = "COMANDA_DEMO_PAST_DAYS", default_value_t = 0,
        value_parser = clap::value_parser!(i64).range(0..=400))]
    pub demo_past_days: i64,

    /// Hours a login stays valid.
    #[arg(long, env = "COMANDA_SESSION_HOURS", default_value_t = 16,
        value_parser = clap::value_parser!(i64).range(1..=24 * 31))]
    pub session_hours: i64,

    /// Minutes a session may go unused before it ends (an open screen counts as use).
    #[arg(long, env = "COMANDA_SESSION_IDLE_MINUTES", default_value_t = 480,
        value_parser = clap::value_parser!(i64).range(1..=24 * 60 * 31))]
    pub session_idle_minutes: i64,

    /// Anonymous pickup wall screens (`/pickup/live`) open at once; more are refused.
    #[arg(long, env = "COMANDA_MAX_PICKUP_SCREENS", default_value_t = 32,
        value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_pickup_screens: u32,

    /// Seconds a printer may take to connect, or to take a job and close the connection,
    /// before the job counts as failed (and is retried).
    #[arg(long, env = "COMANDA_PRINTER_TIMEOUT_SECS", default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=300))]
    pub printer_timeout_secs: u64,

    /// A second folder every backup is copied to (a USB stick, a network share), beside
    /// `<data>/backups`.
    #[arg(long, env = "COMANDA_BACKUP_COPY")]
    pub backup_copy: Option<PathBuf>,

    /// Instead of serving: take a backup, or restore one.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Back the database of `--data` up into a file, checked, while a server may be
    /// running on it: `comanda backup --data /srv/comanda --to /media/usb/comanda.db`.
    Backup {
        /// The file to write (it must not exist); its checksum goes beside it.
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup as the database of `--data`, with no server running on it: the
    /// file is checked first, and the current database kept aside.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
}

impl Config {
    pub fn database_path(&self) -> PathBuf {
        self.data.join("comanda.db")
    }

    /// Where scheduled backups go.
    pub fn backups_path(&self) -> PathBuf {
        self.data.join("backups")
    }
}

/// An address, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionalAddr(pub Option<SocketAddr>);

impl std::str::FromStr for OptionalAddr {
    type Err = std::net::AddrParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "off" | "" => Ok(Self(None)),
            addr => addr.parse().map(|a| Self(Some(a))),
        }
    }
}
