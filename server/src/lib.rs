//! Comanda's server as a library, so the binary, the benchmark and the tests share it.

pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod http;
pub mod state;

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
    let app = http::router(AppState::new(db, config));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

fn print_welcome(config: &Config, addr: std::net::SocketAddr, seeded: bool) {
    let host = if addr.ip().is_unspecified() {
        "localhost".to_owned()
    } else {
        addr.ip().to_string()
    };
    let base = format!("http://{host}:{}", addr.port());
    println!(
        "Comanda {} is running, database {}",
        env!("CARGO_PKG_VERSION"),
        config.database_path().display()
    );
    if seeded {
        println!("  (seeded the demo venue into the new database)");
    }
    println!("  waiter:   {base}/");
    println!("  kitchen:  {base}/kitchen/kitchen   bar: {base}/kitchen/bar");
    println!("  manager:  {base}/manager");
    println!("  API docs: {base}/api/v1/openapi.json");
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
