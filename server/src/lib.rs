//! Comanda's server as a library, so the binary, the benchmark and the tests share it.

pub mod cash_day;
pub mod config;
pub mod db;
pub mod demo;
pub mod discounts;
pub mod error;
pub mod events;
pub mod http;
pub mod ops;
pub mod orders;
pub mod pole_display;
pub mod print_worker;
pub mod printing;
pub mod serial_worker;
pub mod sms_worker;
pub mod state;
pub mod takeaway;

use config::Config;
use db::Db;
use state::AppState;

/// Opens the database, seeds the demo if asked, binds the listener and serves until
/// Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.data)
        .map_err(|e| format!("cannot create data folder {}: {e}", config.data.display()))?;
    let db_path = config.database_path();
    let db = Db::open(&db_path)
        .await
        .map_err(|e| format!("cannot open database {}: {e}", db_path.display()))?;
    let seeded = config.demo && demo::seed_if_empty(&db.writer).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr()?;
    print_welcome(&config, addr, seeded);
    let state = AppState::new(db, config);
    print_worker::start(state.clone()).await?;
    sms_worker::start(state.clone()).await?;
    serial_worker::start(state.clone());
    let app = http::router(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

fn print_welcome(config: &Config, addr: std::net::SocketAddr, seeded: bool) {
    println!(
        "Comanda {} is running, database {}",
        env!("CARGO_PKG_VERSION"),
        config.database_path().display()
    );
    if seeded {
        println!("  (seeded the demo venue into the new database)");
    }
    // Listening on every interface: phones need the box's network address, not localhost.
    let mut hosts = vec![if addr.ip().is_unspecified() {
        "localhost".to_owned()
    } else {
        addr.ip().to_string()
    }];
    if addr.ip().is_unspecified() {
        let lan = if_addrs::get_if_addrs().unwrap_or_default();
        hosts.extend(
            lan.iter()
                .filter(|i| !i.is_loopback() && i.ip().is_ipv4())
                .map(|i| i.ip().to_string()),
        );
    }
    for host in hosts {
        let base = format!("http://{host}:{}", addr.port());
        println!("  waiter:   {base}/");
        println!("  kitchen:  {base}/kitchen/kitchen   bar: {base}/kitchen/bar");
        println!("  counter:  {base}/counter");
        println!("  manager:  {base}/manager");
        println!("  pickup:   {base}/pickup   (wall screen, no sign-in)");
    }
    println!("  API docs: /api/v1/openapi.json on any of these");
    if config.demo {
        println!("  demo PINs:");
        for (name, role, pin) in demo::DEMO_STAFF {
            println!("    {pin}  {name} ({})", role.label());
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
