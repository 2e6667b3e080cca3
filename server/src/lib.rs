//! Comanda's server as a library, so the binary, the benchmark and the tests share it.

pub mod config;
pub mod db;
pub mod export_jobs;
pub mod exports;
pub mod http;
pub mod live;
pub mod metrics;
pub mod pins;
pub mod pole_display;
pub mod printing;
pub mod secret_files;
pub mod services;
pub mod state;
pub mod stream_tickets;
pub mod systemd;
pub mod throttle;
pub mod tls;
pub mod workers;

use axum_server::accept::NoDelayAcceptor;
use axum_server::tls_rustls::RustlsAcceptor;
use axum_server::Handle;
use config::Config;
use db::Db;
use state::AppState;
use std::net::SocketAddr;
use std::time::Duration;

/// A client that has not sent its request headers by then is dropped, so slow clients
/// cannot hold connections open.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Likewise for the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long requests in flight may take to finish once the server is stopping; systemd
/// and upgrades wait for the exit, and every screen waits with them.
const STOP_WITHIN: Duration = Duration::from_millis(1500);

/// Opens the database, seeds the demo if asked, makes or loads the HTTPS certificate,
/// binds the listeners and serves until Ctrl-C or SIGTERM. Then it stops accepting, ends
/// the live streams (screens resume after their last event), lets the requests in flight
/// finish and exits within `STOP_WITHIN`: a write is answered only once committed, so
/// nothing acknowledged is lost, and a worker's job cut off is retried at the next start.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.data)
        .map_err(|e| format!("cannot create data folder {}: {e}", config.data.display()))?;
    let db_path = config.database_path();
    // Held while serving: `comanda restore` refuses to replace a database in use.
    let _lock = db::backup::lock(&config.data)
        .map_err(|e| format!("cannot lock {}: {e}", config.data.display()))?
        .ok_or_else(|| {
            format!(
                "another Comanda server is running on {}",
                config.data.display()
            )
        })?;
    // The database holds PIN hashes and the SMS token: for the box's user only.
    secret_files::restrict(&config.data, 0o700)
        .and_then(|()| secret_files::private_file(&db_path))
        .map_err(|e| format!("cannot protect {}: {e}", db_path.display()))?;
    let db = Db::open(&db_path)
        .await
        .map_err(|e| format!("cannot open database {}: {e}", db_path.display()))?;
    let pins = pins::Pins::open(&config.data)
        .map_err(|e| format!("cannot read the PIN key in {}: {e}", config.data.display()))?;
    let seeded = config.demo && services::demo::seed_if_empty(&db.writer, &pins).await?;
    if seeded && config.demo_past_days > 0 {
        services::demo::past_trade(&db.writer, &db_path, config.demo_past_days).await?;
    }
    let tls = tls::prepare(&config)
        .await
        .map_err(|e| format!("cannot set up HTTPS: {e}"))?;
    let listener = bind(config.listen, "--listen")?;
    let addr = listener.local_addr()?;
    let setup = match (&tls, config.setup_listen.0) {
        (Some(tls), Some(setup_addr)) => {
            let listener = bind(setup_addr, "--setup-listen")?;
            let host = tls::host_name();
            let mut names: Vec<String> =
                tls::lan_addresses().iter().map(|a| a.to_string()).collect();
            names.extend([format!("{host}.local"), host]);
            let site = http::setup::SetupSite {
                https_port: addr.port(),
                setup_port: listener.local_addr()?.port(),
                ca_pem: tls.ca_pem.clone(),
                names,
            };
            Some((listener, site))
        }
        _ => None,
    };
    print_welcome(
        &config,
        addr,
        tls.is_some(),
        setup.as_ref().map(|(l, _)| l.local_addr()).transpose()?,
        seeded,
    );
    let state = AppState::new(db, config, pins);
    workers::print::start(state.clone()).await?;
    workers::sms::start(state.clone()).await?;
    workers::serial::start(state.clone());
    workers::sessions::start(state.clone());
    workers::reports::start(state.clone());
    workers::backups::start(state.clone());
    systemd::watch(state.clone());

    let handle = Handle::new();
    tokio::spawn({
        let (handle, state) = (handle.clone(), state.clone());
        async move {
            shutdown_signal().await;
            tracing::info!("stopping: ending live streams, finishing requests in flight");
            systemd::stopping();
            state.stop();
            handle.graceful_shutdown(Some(STOP_WITHIN));
        }
    });
    if let Some((listener, site)) = setup {
        let server = with_timeouts(axum_server::from_tcp(listener)?.handle(handle.clone()));
        let app = http::setup::router(site);
        tokio::spawn(async move {
            if let Err(e) = server.serve(app.into_make_service()).await {
                tracing::error!(error = %e, "the setup page stopped");
            }
        });
    }
    let app =
        http::router(state, tls.is_some()).into_make_service_with_connect_info::<SocketAddr>();
    let server = axum_server::from_tcp(listener)?.handle(handle);
    // Listening already (the socket is bound): connections wait for the accept loop.
    systemd::ready();
    // TCP_NODELAY: a live event is one small write, and with Nagle's algorithm it waits
    // for the phone's delayed acknowledgement of the one before (up to 40 ms on Linux),
    // so tickets reached a kitchen screen late (`make bench`, paced orders).
    match tls {
        Some(tls) => {
            let acceptor = RustlsAcceptor::new(tls.rustls)
                .handshake_timeout(HANDSHAKE_TIMEOUT)
                .acceptor(NoDelayAcceptor::new());
            with_timeouts(server.acceptor(acceptor)).serve(app).await?
        }
        None => {
            with_timeouts(server.acceptor(NoDelayAcceptor::new()))
                .serve(app)
                .await?
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// A listening socket for axum-server, or an error naming the flag that asked for it.
fn bind(addr: SocketAddr, flag: &str) -> Result<std::net::TcpListener, String> {
    std::net::TcpListener::bind(addr)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| format!("cannot listen on {addr} ({flag}): {e}"))
}

/// Drops clients that do not send their request headers within `HEADER_READ_TIMEOUT`.
fn with_timeouts<A: axum_server::Address, Acc>(
    mut server: axum_server::Server<A, Acc>,
) -> axum_server::Server<A, Acc> {
    server
        .http_builder()
        .http1()
        .header_read_timeout(HEADER_READ_TIMEOUT);
    server
}

fn print_welcome(
    config: &Config,
    addr: SocketAddr,
    https: bool,
    setup: Option<SocketAddr>,
    seeded: bool,
) {
    println!(
        "Comanda {} is running, database {}",
        env!("CARGO_PKG_VERSION"),
        config.database_path().display()
    );
    if seeded {
        println!("  (seeded the demo venue into the new database)");
    }
    // Listening on every interface: phones need the box's network address, not localhost.
    let hosts_of = |addr: SocketAddr| -> Vec<String> {
        if addr.ip().is_unspecified() {
            let mut hosts: Vec<String> =
                tls::lan_addresses().iter().map(|a| a.to_string()).collect();
            hosts.push("localhost".to_owned());
            hosts
        } else {
            vec![addr.ip().to_string()]
        }
    };
    let scheme = if https { "https" } else { "http" };
    for host in hosts_of(addr) {
        let base = format!("{scheme}://{host}:{}", addr.port());
        println!("  waiter:   {base}/");
        println!("  kitchen:  {base}/kitchen/kitchen   bar: {base}/kitchen/bar");
        println!("  counter:  {base}/counter");
        println!("  manager:  {base}/manager");
        println!("  pickup:   {base}/pickup   (wall screen, no sign-in)");
    }
    if let Some(setup) = setup {
        println!("  set up a phone (once, to trust this box):");
        for host in hosts_of(setup) {
            println!("    http://{host}:{}/", setup.port());
        }
    }
    println!("  API docs: /api/v1/openapi.json on any of these");
    if config.demo {
        println!("  demo PINs:");
        for (name, role, pin) in services::demo::DEMO_STAFF {
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
