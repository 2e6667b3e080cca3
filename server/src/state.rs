//! What every handler and worker shares: the database, the live event channel, the
//! workers' wake-up calls, and the guards of PINs and anonymous streams.

use crate::config::Config;
use crate::db::direct::Conn;
use crate::db::Db;
use crate::live::Published;
use crate::pins::Pins;
use crate::throttle::Throttle;
use app::api::{EventKind, LiveEvent, Scan};
use futures_util::future::BoxFuture;
use sqlx::SqliteConnection;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, watch, Notify, Semaphore};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Committed events, fanned out to every open live stream.
    pub live: broadcast::Sender<Arc<Published>>,
    pub config: Arc<Config>,
    /// Wakes each printer's worker: when jobs were queued (`jobs_queued`), only those
    /// of printers with new jobs; when a printer or one of its jobs changed, that one.
    pub printers: Arc<PrinterWakes>,
    /// Wakes the SMS worker when a text was queued or the provider changed.
    pub sms_wake: Arc<Notify>,
    /// Serial devices' state, kept by their workers.
    pub devices: DeviceStates,
    /// Wakes the serial supervisor when a device's setup changed.
    pub devices_wake: Arc<Notify>,
    /// Codes read by serial scanners, for the counter screens.
    pub scans: broadcast::Sender<Scan>,
    /// PIN lookups and argon2 checks.
    pub pins: Pins,
    /// Counts PIN attempts; too many wrong ones wait.
    pub throttle: Arc<Throttle>,
    /// The token digest of each session that was signed out, so its live streams close.
    pub sessions_ended: broadcast::Sender<String>,
    /// Tickets that open live streams (instead of the session token in the URL).
    pub stream_tickets: Arc<crate::stream_tickets::StreamTickets>,
    /// The last backup and the last failure since it (`workers::backups`).
    pub backups: Arc<Mutex<BackupState>>,
    /// Asks for a backup now (after a Z report).
    pub backup_wake: Arc<Notify>,
    /// Held while a backup is taken: one at a time.
    pub backup_running: Arc<tokio::sync::Mutex<()>>,
    /// Long exports being made, and made files waiting to be downloaded.
    pub exports: Arc<crate::export_jobs::ExportJobs>,
    /// Requests counted for `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Places for anonymous pickup screens; a stream holds one while it is open.
    pub pickup_screens: Arc<Semaphore>,
    /// Known to be set up (someone is on the staff); once true, it stays so.
    set_up: Arc<AtomicBool>,
    /// True once the server is stopping (SIGTERM): live streams end, so the server does
    /// not wait for screens that never hang up.
    stopping: Arc<watch::Sender<bool>>,
}

/// The backups as their worker last found them.
#[derive(Clone, Debug, Default)]
pub struct BackupState {
    pub last: Option<app::api::BackupFile>,
    /// The last failure, if no backup has worked since.
    pub failure: Option<app::api::BackupFailure>,
}

/// Where a serial device stands now, as its worker (`crate::workers::serial`) found it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeviceState {
    pub connected: bool,
    pub last_error: Option<String>,
}

/// Every running device's state, by device id.
pub type DeviceStates = Arc<Mutex<HashMap<String, DeviceState>>>;

impl AppState {
    pub fn new(db: Db, config: Config, pins: Pins) -> Self {
        let (live, _) = broadcast::channel(1024);
        let pickup_screens = Arc::new(Semaphore::new(config.max_pickup_screens as usize));
        Self {
            pins,
            throttle: Arc::default(),
            sessions_ended: broadcast::channel(64).0,
            stream_tickets: Arc::default(),
            pickup_screens,
            db,
            live,
            config: Arc::new(config),
            printers: Arc::default(),
            sms_wake: Arc::new(Notify::new()),
            devices: DeviceStates::default(),
            devices_wake: Arc::new(Notify::new()),
            scans: broadcast::channel(64).0,
            set_up: Arc::default(),
            backups: Arc::default(),
            backup_wake: Arc::new(Notify::new()),
            backup_running: Arc::default(),
            metrics: Arc::default(),
            exports: Arc::default(),
            stopping: Arc::new(watch::channel(false).0),
        }
    }

    /// Ends every live stream: the server is stopping. Clients resume after their last
    /// event (`Last-Event-ID`) from the server that takes over.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// Resolves once the server is stopping (`stop`).
    pub async fn stopping(&self) {
        let mut stopping = self.stopping.subscribe();
        // An error means the sender is gone: nothing will stop the server from here.
        if stopping.wait_for(|s| *s).await.is_err() {
            std::future::pending::<()>().await;
        }
    }

    /// Whether the venue still has to be set up (`services::first_run`). Once it is set
    /// up this reads nothing, so every page load can ask.
    pub async fn needs_setup(&self) -> crate::services::ServiceResult<bool> {
        if self.set_up.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let mut conn = self.db.reader.acquire().await?;
        let needed = crate::services::first_run::needed(&mut conn).await?;
        if !needed {
            self.set_up_done();
        }
        Ok(needed)
    }

    /// The venue was set up: from now on nobody is sent to `/setup`.
    pub fn set_up_done(&self) {
        self.set_up.store(true, Ordering::Relaxed);
    }

    fn announcer(&self) -> Announcer {
        Announcer {
            live: self.live.clone(),
            printers: self.printers.clone(),
            sms_wake: self.sms_wake.clone(),
        }
    }

    /// Runs `work` as one write in the next shared commit (`Db::write`); once that commit
    /// is durable, publishes the events the result carries, in commit order, then answers.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
        T: Announces + Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        let announcer = self.announcer();
        let publish = move |done: &mut T| announcer.publish(done.take_events());
        self.db.write(work, publish).await
    }

    /// `write` for work on the direct path (`crate::db::direct`): the whole write runs as
    /// plain calls on the writer's connection. `work` may run twice (`group_commit`), so it
    /// only talks to the database.
    pub async fn write_direct<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: Fn(&Conn) -> Result<T, E> + Send + 'static,
        T: Announces + Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        let announcer = self.announcer();
        let publish = move |done: &mut T| announcer.publish(done.take_events());
        self.db.write_direct(work, publish).await
    }

    /// Runs `work` as one write in the next shared commit, for changes that tell the live
    /// streams nothing (set-up, shifts, the print queue); answers after the commit.
    pub async fn write_quiet<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        self.db.write(work, |_: &mut T| {}).await
    }
}

/// A write's result that carries events, published once its commit is durable
/// (`AppState::write`).
pub trait Announces {
    /// The events to publish, taken out of the result.
    fn take_events(&mut self) -> Vec<LiveEvent>;
}

impl Announces for Vec<LiveEvent> {
    fn take_events(&mut self) -> Vec<LiveEvent> {
        std::mem::take(self)
    }
}

/// A change and the events announcing it (the back office's changes).
impl<T> Announces for (T, Vec<LiveEvent>) {
    fn take_events(&mut self) -> Vec<LiveEvent> {
        std::mem::take(&mut self.1)
    }
}

/// Tells the live streams and the workers about committed events.
struct Announcer {
    live: broadcast::Sender<Arc<Published>>,
    printers: Arc<PrinterWakes>,
    sms_wake: Arc<Notify>,
}

impl Announcer {
    /// Tells live streams about events committed to the log (nobody listening is fine),
    /// and wakes the workers that have something to do about them.
    fn publish(&self, events: impl IntoIterator<Item = LiveEvent>) {
        for event in Published::commit(events) {
            match event.kind {
                // Each of these queued print jobs (tickets, bills, a drawer pulse).
                EventKind::OrderSent
                | EventKind::LineVoided
                | EventKind::PaymentTaken
                | EventKind::DrawerOpened => self.printers.jobs_queued(),
                EventKind::OrderReady => self.sms_wake.notify_waiters(),
                _ => {}
            }
            let _ = self.live.send(event);
        }
    }
}

/// The printer workers' wake-up calls. Queued jobs wake the dispatcher
/// (`workers::print`), which reads which printers have new jobs and wakes only those;
/// several commits in a row cost it one read. Each call leaves a permit when nobody waits,
/// so a wake that comes while a worker is busy is not lost.
#[derive(Default)]
pub struct PrinterWakes {
    dispatcher: Notify,
    added: std::sync::atomic::AtomicBool,
    workers: std::sync::Mutex<std::collections::HashMap<String, Arc<PrinterWake>>>,
}

/// One printer worker's wake-up call.
#[derive(Default)]
pub struct PrinterWake {
    pub notify: Notify,
    /// Until when (UTC ms) the printer's oldest job waits for a retry (`hold`); 0 if it
    /// waits for nothing.
    held_until: std::sync::atomic::AtomicI64,
}

impl PrinterWakes {
    /// Print jobs were queued: the dispatcher finds for whom.
    pub fn jobs_queued(&self) {
        self.dispatcher.notify_one();
    }

    /// A printer was added: the dispatcher starts its worker.
    pub fn printer_added(&self) {
        self.added.store(true, std::sync::atomic::Ordering::SeqCst);
        self.dispatcher.notify_one();
    }

    /// Waits for `jobs_queued` or `printer_added` (at most `wait`); true if a printer was
    /// added meanwhile, or the wait ran out (a worker may be missing).
    pub async fn queued(&self, wait: std::time::Duration) -> bool {
        let woken = tokio::time::timeout(wait, self.dispatcher.notified()).await;
        woken.is_err() || self.added.swap(false, std::sync::atomic::Ordering::SeqCst)
    }

    /// Wakes this printer's worker: its setup or one of its jobs changed.
    pub fn wake(&self, printer: &str) {
        self.of(printer).notify.notify_one();
    }

    /// The printer has new jobs: wakes its worker, unless its oldest job waits for a
    /// retry (`hold`), which the new ones would only queue behind. An offline printer
    /// then costs nothing per order; the worker still looks once a second.
    pub fn new_jobs(&self, printer: &str) {
        let wake = self.of(printer);
        if wake.held_until.load(std::sync::atomic::Ordering::Relaxed) <= crate::db::now_ms() {
            wake.notify.notify_one();
        }
    }

    /// The printer's oldest job waits until `until` (UTC ms; 0: it waits for nothing).
    pub fn hold(&self, printer: &str, until: i64) {
        let held_until = &self.of(printer).held_until;
        held_until.store(until, std::sync::atomic::Ordering::Relaxed);
    }

    /// Wakes every printer's worker (a job moved from one printer to another).
    pub fn wake_all(&self) {
        let workers = self.workers.lock().unwrap_or_else(|e| e.into_inner());
        for wake in workers.values() {
            wake.notify.notify_one();
        }
    }

    /// The wake-up call of this printer's worker.
    pub fn of(&self, printer: &str) -> Arc<PrinterWake> {
        let mut workers = self.workers.lock().unwrap_or_else(|e| e.into_inner());
        workers.entry(printer.to_owned()).or_default().clone()
    }
}
