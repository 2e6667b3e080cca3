//! The waiter's local state and its way to the server. Everything a waiter does becomes an
//! operation (client-made UUID v7 `op_id`) that is written to the outbox in IndexedDB
//! before the screen shows it; the screen shows the last snapshot with the outbox applied
//! (`app::local`). A sync loop sends the outbox in order, in batches, and removes an
//! operation only once the server has answered for it. Offline it retries with backoff
//! (1 s doubling to 30 s), at once when the browser says it is back online.
//!
//! Live events bring the snapshot up to date as deltas (`app::delta`) while nothing of
//! this phone's is on its way; a gap in the stream, or an event that names an order
//! without carrying it, makes the sync loop fetch a full snapshot instead.

use super::client::{self, ClientError};
use super::local_db::{LocalDb, OUTBOX, REJECTED, STATE};
use super::session::{stored_token, SessionState};
use app::api::{LiveEvent, Op, OpAction, OpStatus, OpsRequest, OpsResponse, Snapshot};
use app::delta::Delta;
use app::domain::orders::Order;
use app::domain::{OpId, OrderId};
use app::local::LocalView;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast};

/// Operations sent in one request.
const BATCH: usize = 50;
const MAX_BACKOFF_MS: u32 = 30_000;

pub use app::outbox::{Queued, Unreadable};

/// Where the outbox counter lives: localStorage, shared by this browser's tabs and
/// written at once, so two operations made in quick succession never share a place.
const SEQ_KEY: &str = "comanda.outbox.seq";

/// An operation the server refused, kept until the waiter has read why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    pub op: Op,
    pub reason: String,
}

enum Progress {
    /// The outbox has more to send.
    MoreToSend,
    /// The server asked to send some operations again later.
    Waiting,
    /// Everything is sent and the snapshot is fresh.
    Idle,
}

#[derive(Clone, Copy)]
pub struct Store {
    pub snapshot: RwSignal<Option<Snapshot>>,
    pub outbox: RwSignal<Vec<Queued>>,
    /// Answered operations, still applied on screen until the next snapshot shows them.
    acked: RwSignal<Vec<Op>>,
    pub refused: RwSignal<Vec<Refused>>,
    /// Outbox entries this version could not read: kept, never sent, shown to the waiter.
    pub unreadable: RwSignal<Vec<Unreadable>>,
    pub aliases: RwSignal<HashMap<OrderId, OrderId>>,
    /// The server answered the last call.
    pub online: RwSignal<bool>,
    /// IndexedDB could not be opened: nothing survives a reload.
    pub storage_error: RwSignal<Option<String>>,
    /// Operations being written to IndexedDB, not yet on screen.
    pub recording: RwSignal<usize>,
    db: StoredValue<Option<SendWrapper<Rc<LocalDb>>>>,
    wake: StoredValue<SendWrapper<Rc<Cell<bool>>>>,
}

/// The next outbox position, from the counter in localStorage (see `outbox::next_seq`).
fn take_seq(newest_queued: Option<f64>) -> f64 {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let counter = storage
        .as_ref()
        .and_then(|s| s.get_item(SEQ_KEY).ok().flatten())
        .and_then(|v| v.parse::<f64>().ok());
    let seq = app::outbox::next_seq(counter, newest_queued);
    if let Some(s) = storage {
        let _ = s.set_item(SEQ_KEY, &seq.to_string());
    }
    seq
}

pub fn use_store() -> Store {
    expect_context::<Store>()
}

impl Store {
    /// Loads this device's state and starts syncing; called once by the app.
    pub fn provide(session: SessionState) -> Store {
        let store = Store {
            snapshot: RwSignal::new(None),
            outbox: RwSignal::new(vec![]),
            acked: RwSignal::new(vec![]),
            refused: RwSignal::new(vec![]),
            unreadable: RwSignal::new(vec![]),
            aliases: RwSignal::new(HashMap::new()),
            online: RwSignal::new(true),
            storage_error: RwSignal::new(None),
            recording: RwSignal::new(0),
            db: StoredValue::new(None),
            wake: StoredValue::new(SendWrapper::new(Rc::new(Cell::new(false)))),
        };
        provide_context(store);
        spawn_local(async move {
            match LocalDb::open().await {
                Ok(db) => {
                    store.load(&db).await;
                    store.db.set_value(Some(SendWrapper::new(Rc::new(db))));
                }
                Err(e) => store.storage_error.set(Some(e)),
            }
            store.sync_forever(session).await;
        });
        if let Some(window) = web_sys::window() {
            let on_online = Closure::<dyn FnMut()>::new(move || store.wake());
            let _ = window
                .add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
            on_online.forget(); // the store lives as long as the page
        }
        store
    }

    async fn load(&self, db: &LocalDb) {
        if let Some(s) = db
            .get(STATE, "snapshot")
            .await
            .and_then(|j| serde_json::from_str(&j).ok())
        {
            self.snapshot.set(Some(s));
        }
        if let Some(a) = db
            .get(STATE, "aliases")
            .await
            .and_then(|j| serde_json::from_str(&j).ok())
        {
            self.aliases.set(a);
        }
        let mut outbox = Vec::new();
        let mut unreadable = Vec::new();
        for raw in db.all(OUTBOX).await {
            match app::outbox::read(&raw) {
                app::outbox::Stored::Ready { queued, migrated } => {
                    // An older format is written back as this one, under the same key.
                    if migrated {
                        if let Ok(json) = serde_json::to_string(&queued) {
                            let _ = db.put(OUTBOX, &queued.op.op_id.to_string(), &json).await;
                        }
                    }
                    outbox.push(queued);
                }
                app::outbox::Stored::Unreadable(u) => unreadable.push(u),
            }
        }
        outbox.sort_by(|a, b| a.seq.total_cmp(&b.seq));
        self.outbox.set(outbox);
        self.unreadable.set(unreadable);
        self.refused.set(
            db.all(REJECTED)
                .await
                .iter()
                .filter_map(|j| serde_json::from_str(j).ok())
                .collect(),
        );
    }

    fn db(&self) -> Option<Rc<LocalDb>> {
        self.db.with_value(|d| d.as_ref().map(|d| (**d).clone()))
    }

    /// Makes the sync loop look again now (new operation, back online, live event).
    pub fn wake(&self) {
        self.wake.with_value(|w| w.set(true));
    }

    /// A live event from the server: applied to the snapshot when it can be, else a fresh
    /// snapshot is fetched. While this phone's own operations are being written, queued
    /// or just answered, the sync loop sends them and fetches a snapshot after, as ever.
    pub fn on_live(&self, event: LiveEvent) {
        let settled = self.recording.get_untracked() == 0
            && self.outbox.with_untracked(Vec::is_empty)
            && self.acked.with_untracked(Vec::is_empty);
        if !settled {
            return self.wake();
        }
        let mut delta = Delta::NeedsSnapshot;
        self.snapshot.maybe_update(|s| {
            if let Some(s) = s {
                delta = s.apply(&event);
            }
            delta == Delta::Applied
        });
        match delta {
            Delta::Applied => self.save_snapshot(),
            Delta::AlreadyIn => {}
            Delta::NeedsSnapshot => self.wake(),
        }
    }

    /// Keeps the snapshot for the next start, offline or not.
    fn save_snapshot(&self) {
        let store = *self;
        spawn_local(async move {
            let json = store
                .snapshot
                .with_untracked(|s| s.as_ref().and_then(|s| serde_json::to_string(s).ok()));
            if let (Some(db), Some(json)) = (store.db(), json) {
                let _ = db.put(STATE, "snapshot", &json).await;
            }
        });
    }

    /// Puts an order the server just answered with (an online-only action, such as opening
    /// a takeaway) on screen at once, and asks for a fresh snapshot.
    pub fn adopt_order(&self, order: Order) {
        self.snapshot.update(|s| {
            if let Some(s) = s {
                s.orders.retain(|o| o.id != order.id);
                s.orders.push(order);
            }
        });
        self.wake();
    }

    /// The snapshot with everything in the outbox applied: what the waiter sees.
    pub fn view(&self, session: SessionState) -> LocalView {
        let me = session.0.with(|s| s.as_ref().map(|s| s.staff.clone()));
        self.snapshot.with(|snapshot| {
            let (Some(snapshot), Some(me)) = (snapshot, me) else {
                return LocalView::default();
            };
            let mut pending = self.acked.get();
            self.outbox
                .with(|o| pending.extend(o.iter().map(|q| q.op.clone())));
            self.aliases.with(|aliases| {
                LocalView::build(snapshot, &pending, aliases, &me, js_sys::Date::now() as i64)
            })
        })
    }

    /// Records what the waiter did: in IndexedDB first, then on screen, then to the server.
    pub fn record(&self, action: OpAction) {
        let store = *self;
        let newest = self.outbox.with_untracked(|o| o.last().map(|q| q.seq));
        let queued = Queued {
            v: app::outbox::FORMAT,
            seq: take_seq(newest),
            op: Op {
                op_id: OpId::new_v7(),
                action,
            },
        };
        self.recording.update(|n| *n += 1);
        spawn_local(async move {
            if let (Some(db), Ok(json)) = (store.db(), serde_json::to_string(&queued)) {
                if let Err(e) = db.put(OUTBOX, &queued.op.op_id.to_string(), &json).await {
                    store.storage_error.set(Some(e));
                }
            }
            store.outbox.update(|o| {
                o.push(queued);
                // Writes may finish out of order; the outbox keeps the order they were made in.
                o.sort_by(|a, b| a.seq.total_cmp(&b.seq));
            });
            store.recording.update(|n| *n -= 1);
            store.wake();
        });
    }

    /// The waiter has read why an operation was refused.
    /// Drops an outbox entry that could not be read, once the waiter has seen it.
    pub fn dismiss_unreadable(&self, key: Option<String>) {
        let store = *self;
        spawn_local(async move {
            if let (Some(db), Some(key)) = (store.db(), key.as_deref()) {
                let _ = db.delete(OUTBOX, key).await;
            }
            store.unreadable.update(|u| u.retain(|x| x.key != key));
        });
    }

    pub fn dismiss(&self, op_id: OpId) {
        let store = *self;
        spawn_local(async move {
            if let Some(db) = store.db() {
                let _ = db.delete(REJECTED, &op_id.to_string()).await;
            }
            store.refused.update(|r| r.retain(|x| x.op.op_id != op_id));
        });
    }

    /// Fetches the server's state now.
    pub async fn refresh(&self) -> Result<(), ClientError> {
        let seq = || {
            self.snapshot
                .with_untracked(|s| s.as_ref().map_or(i64::MIN, |s| s.seq))
        };
        let asked_at = seq();
        let snapshot = client::get::<Snapshot>("/snapshot").await?;
        let now = seq();
        if now != asked_at && snapshot.seq < now {
            // Live deltas moved on while it was on its way: keep them, and look again.
            // (Only then: a box whose database started afresh counts from 0 again, and
            // its snapshot must still be taken.)
            self.wake();
            return Ok(());
        }
        if let (Some(db), Ok(json)) = (self.db(), serde_json::to_string(&snapshot)) {
            let _ = db.put(STATE, "snapshot", &json).await;
        }
        self.snapshot.set(Some(snapshot));
        self.acked.set(vec![]);
        Ok(())
    }

    /// Sends the oldest batch of the outbox; true if the server answered for all of it.
    async fn flush(&self) -> Result<bool, ClientError> {
        let batch: Vec<Op> = self
            .outbox
            .with_untracked(|o| o.iter().take(BATCH).map(|q| q.op.clone()).collect());
        if batch.is_empty() {
            return Ok(true);
        }
        let response =
            client::post::<_, OpsResponse>("/ops", &OpsRequest { ops: batch.clone() }).await?;
        let db = self.db();
        let mut all_answered = true;
        for (op, result) in batch.iter().zip(&response.results) {
            if result.status == OpStatus::Retry {
                all_answered = false;
                break;
            }
            let refused =
                result.status == OpStatus::Rejected || result.first == Some(OpStatus::Rejected);
            if refused {
                let refused = Refused {
                    op: op.clone(),
                    reason: result.reason.clone().unwrap_or_default(),
                };
                if let (Some(db), Ok(json)) = (&db, serde_json::to_string(&refused)) {
                    let _ = db.put(REJECTED, &op.op_id.to_string(), &json).await;
                }
                self.refused.update(|r| r.push(refused));
            } else if let Some(real) = result.order_id.filter(|real| *real != op.action.order_id())
            {
                self.aliases.update(|a| {
                    a.insert(op.action.order_id(), real);
                });
                if let (Some(db), Ok(json)) =
                    (&db, serde_json::to_string(&self.aliases.get_untracked()))
                {
                    let _ = db.put(STATE, "aliases", &json).await;
                }
            }
            // Answered: it leaves the outbox, IndexedDB first, so a crash in between
            // means one more duplicate, never a lost operation.
            if let Some(db) = &db {
                let _ = db.delete(OUTBOX, &op.op_id.to_string()).await;
            }
            if !refused {
                self.acked.update(|a| a.push(op.clone()));
            }
            self.outbox.update(|o| o.retain(|q| q.op.op_id != op.op_id));
        }
        Ok(all_answered)
    }

    async fn sync_forever(self, session: SessionState) {
        let mut backoff_ms: u32 = 1_000;
        loop {
            if stored_token().is_none() {
                self.sleep(1_000).await;
                continue;
            }
            match self.sync_once().await {
                Ok(progress) => {
                    self.online.set(true);
                    backoff_ms = 1_000;
                    match progress {
                        Progress::MoreToSend => {}
                        Progress::Waiting => self.sleep(1_000).await,
                        // Look again when woken, and refresh every 20 s anyway.
                        Progress::Idle => self.sleep(20_000).await,
                    }
                }
                Err(e) if e.is_unauthorized() => {
                    session.sign_out();
                    self.sleep(1_000).await;
                }
                Err(_) => {
                    self.online.set(false);
                    self.sleep(backoff_ms).await;
                    backoff_ms = (backoff_ms * 2).min(MAX_BACKOFF_MS);
                }
            }
        }
    }

    /// Sends what is waiting, then (all sent) fetches the server's state.
    async fn sync_once(&self) -> Result<Progress, ClientError> {
        if !self.flush().await? {
            return Ok(Progress::Waiting);
        }
        if !self.outbox.with_untracked(Vec::is_empty) {
            return Ok(Progress::MoreToSend);
        }
        self.refresh().await?;
        Ok(Progress::Idle)
    }

    /// Sleeps up to `ms`, waking early when `wake()` is called.
    async fn sleep(&self, ms: u32) {
        let mut left = ms;
        while left > 0 {
            if self.wake.with_value(|w| w.replace(false)) {
                return;
            }
            let step = left.min(100);
            TimeoutFuture::new(step).await;
            left -= step;
        }
    }
}
