//! The printer workers: one task per printer (a switched-off one idles), taking that
//! printer's jobs from the durable queue (`print_jobs`) strictly in order, rendering them
//! (`crate::printing`) and sending them over TCP or a serial port. Orders never wait for
//! them: a send only writes jobs. A dispatcher wakes them: after a commit that queued
//! jobs it reads which printers got new ones and wakes only those (`state::PrinterWakes`),
//! unless a printer's oldest job waits for its retry (new jobs queue behind it); each
//! worker also looks once a second, for retries that fall due.
//!
//! Exactly once, as far as the wire allows:
//! - A job is marked `sending` (in the database) before its first byte goes out, and
//!   `done` once all bytes were written and the printer acknowledged them by closing the
//!   connection in turn (our write side is shut first; a raw port-9100 printer closes when
//!   it has taken the whole job). A done job is never sent again, restart or not.
//! - A job found in `sending` (the server stopped mid-send), whose connection broke after
//!   it was opened, or whose printer stalled without closing may have printed partly: it
//!   is sent again with a REPRINT header, never dropped.
//! - A job cancelled while it was being sent stays cancelled (the worker's updates only
//!   apply to a job still `sending`), and one cancelled or moved to another printer after
//!   the worker read it is not sent: the worker claims it for its own printer first, and
//!   looks again once it is rendered, right before the first byte.
//! - A serial printer (its connection is a port path) cannot acknowledge: its job is done
//!   once every byte was written and drained to the port; a port that fails mid-write
//!   gets the job again as a REPRINT.
//! - A printer that refuses or does not answer keeps its job `queued` with the error, and
//!   is retried with backoff (1 s doubling to 60 s); later jobs wait behind it, so tickets
//!   come out in the order they were sent.

use crate::db::now_ms;
use crate::printing::{self, PaperSetup};
use crate::services::kitchen::load_ticket;
use crate::services::orders;
use crate::services::venue::load_venue_async;
use crate::services::{print_delivery, print_queue, printers, ServiceResult};
use crate::state::AppState;
use app::domain::{OrderId, TicketId};
use sqlx::SqliteConnection;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_serial::SerialPortBuilderExt;
use tracing::{info, instrument, warn};

/// Retries back off to this, so a printer switched back on prints within 15 s (a refused
/// connection costs next to nothing).
const MAX_BACKOFF_MS: i64 = 15_000;

/// Starts a worker for every printer, and the dispatcher: on each `printer_added` it starts
/// workers for printers added since, and on each `jobs_queued` it wakes the workers of
/// printers with new jobs. A worker reads its printer's setup for every job, so changes
/// need no restart; a switched-off printer's worker idles.
pub async fn start(state: AppState) -> Result<(), sqlx::Error> {
    let mut running = std::collections::HashSet::new();
    spawn_new(&state, &mut running).await?;
    // Jobs queued before this start are found by each worker's first look.
    let seen = print_queue::newest_job(&state.db.reader).await?;
    tokio::spawn(dispatch(state, running, seen));
    Ok(())
}

/// On each `jobs_queued` (or every 2 s) wakes the workers of printers with jobs newer
/// than `seen`; when a printer was added (or every 2 s) first starts workers for new
/// printers.
#[instrument(skip_all)]
async fn dispatch(state: AppState, mut running: std::collections::HashSet<String>, mut seen: i64) {
    loop {
        let look_for_printers = state.printers.queued(Duration::from_secs(2)).await;
        if look_for_printers {
            if let Err(e) = spawn_new(&state, &mut running).await {
                warn!(error = %e, "cannot read the printers");
            }
        }
        match state
            .db
            .read(|c| print_queue::printers_with_jobs_after(c, seen))
        {
            Ok((printers, newest)) => {
                for printer in printers {
                    state.printers.new_jobs(&printer);
                }
                seen = newest;
            }
            Err(e) => warn!(error = %e, "cannot read the print queue"),
        }
    }
}

async fn spawn_new(
    state: &AppState,
    running: &mut std::collections::HashSet<String>,
) -> Result<(), sqlx::Error> {
    for printer in printers::all_ids(&state.db.reader).await? {
        if running.insert(printer.clone()) {
            tokio::spawn(run(state.clone(), printer));
        }
    }
    Ok(())
}

/// Why a send failed, and whether the paper may hold part of the job.
struct SendFailure {
    message: String,
    maybe_printed: bool,
}

#[instrument(skip(state))]
async fn run(state: AppState, printer: String) {
    let wake = state.printers.of(&printer);
    let mut was_failing = false;
    loop {
        let outcome = work_once(&state, &printer).await;
        let failing = match &outcome {
            Ok(Some(printed)) => !printed,
            Ok(None) => was_failing,
            Err(e) => {
                warn!(error = %e, "print queue");
                was_failing
            }
        };
        if failing != was_failing {
            if failing {
                warn!("printer is not printing; jobs wait in the queue");
            } else {
                info!("printer is back");
            }
            announce(&state, &printer).await;
            was_failing = failing;
        }
        // Straight on after a print; otherwise wait for a job of this printer, or a
        // second (retries fall due by time).
        if !matches!(outcome, Ok(Some(true))) {
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.notify.notified()).await;
        }
    }
}

/// Tells every screen that the printer went offline or came back.
async fn announce(state: &AppState, printer: &str) {
    let printer = printer.to_owned();
    let announced = state
        .write(move |conn| Box::pin(async move { printers::announce(conn, &printer).await }))
        .await;
    if let Err(e) = announced {
        warn!(error = %e, "could not announce the printer's state");
    }
}

/// Takes the printer's oldest job if it is due; Some(true) if it printed, Some(false) if
/// it failed, None if there was nothing to do.
async fn work_once(state: &AppState, printer: &str) -> ServiceResult<Option<bool>> {
    let now = now_ms();
    let mut conn = state.db.reader.acquire().await?;
    let Some(job) = print_delivery::next_job(&mut conn, printer).await? else {
        state.printers.hold(printer, 0);
        return Ok(None);
    };
    drop(conn);
    if job.next_attempt_at > now || !job.active {
        // New jobs wait behind this one: until it is due, only a change wakes the worker.
        let due = if job.active {
            job.next_attempt_at
        } else {
            i64::MAX
        };
        state.printers.hold(printer, due);
        return Ok(None);
    }
    // Found mid-send: it may have printed partly, so it goes out again marked.
    let reprint = job.reprint || job.status == "sending";
    let (id, on) = (job.id.clone(), printer.to_owned());
    let claimed = state
        .write_quiet(move |c| {
            Box::pin(async move { print_delivery::claim(c, &id, &on, reprint).await })
        })
        .await?;
    if !claimed {
        // Cancelled or moved to another printer since it was read: look again.
        return Ok(None);
    }

    let mut conn = state.db.reader.acquire().await?;
    let rendered = match (
        job.kind.as_str(),
        PaperSetup::of(&job.code_page, job.columns),
    ) {
        ("drawer_pulse", _) => printing::drawer_pulse(),
        (_, Err(e)) => Err(e),
        ("bill", Ok(setup)) => {
            let with_qr = job.supports_qr;
            render_bill(&mut conn, &setup, with_qr, job.order_id, reprint).await
        }
        ("report", Ok(setup)) => job
            .report_json
            .as_deref()
            .ok_or_else(|| "a report job without its report".to_owned())
            .and_then(|json| serde_json::from_str(json).map_err(|e| e.to_string()))
            .and_then(|report| printing::report(&setup, &report, reprint)),
        (_, Ok(setup)) => render_ticket(&mut conn, &setup, job.ticket_id, reprint).await,
    };
    // Not held while the printer takes its time.
    drop(conn);
    // Cancelled (or moved) while it was being rendered: it must not print.
    if !state
        .db
        .read(|c| print_delivery::still_claimed(c, &job.id))?
    {
        return Ok(None);
    }
    let result = match rendered {
        Ok(bytes) => {
            let timeout = Duration::from_secs(state.config.printer_timeout_secs);
            match job.connection.strip_prefix("tcp://") {
                Some(addr) => send(addr, &bytes, timeout).await,
                None => send_serial(&job.connection, job.baud, &bytes, timeout).await,
            }
        }
        Err(message) => Err(SendFailure {
            message,
            maybe_printed: false,
        }),
    };
    let now = now_ms();
    match result {
        Ok(()) => {
            let id = job.id;
            state
                .write_quiet(move |c| {
                    Box::pin(async move { print_delivery::mark_done(c, &id, now).await })
                })
                .await?;
            state.printers.hold(printer, 0);
            Ok(Some(true))
        }
        Err(failure) => {
            let backoff = (1_000i64 << job.attempts.clamp(0, 6)).min(MAX_BACKOFF_MS);
            let (next, reprint) = (now + backoff, reprint || failure.maybe_printed);
            let (id, error) = (job.id, failure.message);
            state
                .write_quiet(move |c| {
                    Box::pin(async move {
                        print_delivery::mark_failed(c, &id, reprint, &error, next).await
                    })
                })
                .await?;
            state.printers.hold(printer, next);
            Ok(Some(false))
        }
    }
}

async fn render_bill(
    conn: &mut SqliteConnection,
    setup: &PaperSetup,
    with_qr: bool,
    order: Option<OrderId>,
    reprint: bool,
) -> Result<Vec<u8>, String> {
    let order = order.ok_or("a bill job without its order")?;
    let order = orders::load_order_async(conn, order)
        .await
        .map_err(|e| e.to_string())?;
    let venue = load_venue_async(conn).await.map_err(|e| e.to_string())?;
    let (waiter, destination) = print_delivery::bill_heading(conn, order.id)
        .await
        .map_err(|e| e.to_string())?;
    let header = printing::BillHeader {
        venue: &venue.name,
        currency: &venue.currency,
        destination: &destination,
        waiter: &waiter,
        at_ms: now_ms(),
        tax_mode: venue.tax_mode,
        totals: order.totals(venue.tax_mode, venue.tax_rounding),
        cash_rounding_minor: venue.cash_rounding_minor,
    };
    printing::bill(setup, &header, &order, reprint, with_qr)
}

async fn render_ticket(
    conn: &mut SqliteConnection,
    setup: &PaperSetup,
    ticket: Option<TicketId>,
    reprint: bool,
) -> Result<Vec<u8>, String> {
    let ticket = ticket.ok_or("a kitchen ticket job without its ticket")?;
    let ticket = load_ticket(conn, ticket).await.map_err(|e| e.to_string())?;
    let (station, follow_up) = print_delivery::ticket_heading(conn, &ticket)
        .await
        .map_err(|e| e.to_string())?;
    printing::kitchen_ticket(setup, &station, &ticket, follow_up, reprint)
}

/// Sends one job to a serial printer: open, write, drain.
async fn send_serial(
    port: &str,
    baud: Option<i64>,
    bytes: &[u8],
    timeout: Duration,
) -> Result<(), SendFailure> {
    let baud = baud.unwrap_or(9600) as u32;
    let mut serial = tokio_serial::new(port, baud)
        .open_native_async()
        .map_err(|e| SendFailure {
            message: format!("{port}: {e}"),
            maybe_printed: false,
        })?;
    let written = async {
        serial.write_all(bytes).await?;
        serial.flush().await
    };
    match tokio::time::timeout(timeout, written).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(SendFailure {
            message: format!("{port}: {e}"),
            maybe_printed: true,
        }),
        Err(_) => Err(SendFailure {
            message: format!("{port}: stalled while printing"),
            maybe_printed: true,
        }),
    }
}

/// Sends one job on its own connection to `addr` and waits for the printer to close it.
async fn send(addr: &str, bytes: &[u8], timeout: Duration) -> Result<(), SendFailure> {
    let fail = |message: String, maybe_printed| SendFailure {
        message,
        maybe_printed,
    };
    let mut stream = match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(fail(format!("{addr}: {e}"), false)),
        Err(_) => return Err(fail(format!("{addr}: no answer in {timeout:?}"), false)),
    };
    let acknowledged = async {
        stream.write_all(bytes).await?;
        stream.flush().await?;
        stream.shutdown().await?;
        // Whatever the printer says back (status bytes) is not needed; its close is.
        let mut answer = [0u8; 64];
        while stream.read(&mut answer).await? > 0 {}
        Ok::<_, std::io::Error>(())
    };
    match tokio::time::timeout(timeout, acknowledged).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(fail(format!("{addr}: {e}"), true)),
        Err(_) => Err(fail(format!("{addr}: stalled while printing"), true)),
    }
}
