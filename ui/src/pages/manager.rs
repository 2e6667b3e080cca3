//! The manager's page. For now: the live floor, the staff list, the shift and its cash
//! count, X and Z reports, closed orders to refund, printers and their queue, text
//! messages and serial devices; the full dashboard (menu, stations, charts) grows here.

use super::report;
use crate::client;
use crate::components::{
    DevicePanel, ErrorBanner, FloorPlan, MoneyRulesPanel, PrintPanel, RefundPanel, ReportsPanel,
    ShiftPanel, SignInFirst, SmsPanel, TopBar,
};
use crate::live::use_live_events;
use crate::session::use_session;
use app::api::{Snapshot, WrongPins};
use app::domain::staff::StaffMember;
use app::domain::CategoryId;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ManagerPage() -> impl IntoView {
    let session = use_session();
    move || match session.role() {
        Some(role) if role.manages() => view! { <Dashboard/> }.into_any(),
        Some(_) => view! { <SignInFirst message="This page is for managers only."/> }.into_any(),
        None => {
            view! { <SignInFirst message="Sign in as a manager to see this page."/> }.into_any()
        }
    }
}

/// The floor straight from the server, reloaded whenever an event names a table.
fn live_floor(error: RwSignal<Option<String>>) -> (RwSignal<Option<Snapshot>>, ReadSignal<bool>) {
    let session = use_session();
    let snapshot = RwSignal::new(None::<Snapshot>);
    let reload = move || {
        spawn_local(async move {
            match client::get::<Snapshot>("/snapshot").await {
                Ok(s) => snapshot.set(Some(s)),
                Err(e) => report(e, error, session),
            }
        })
    };
    reload();
    let live = use_live_events(move |event| {
        if event.table_id.is_some() {
            reload();
        }
    });
    (snapshot, live)
}

#[component]
fn Dashboard() -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let (snapshot, live) = live_floor(error);
    let staff = RwSignal::new(Vec::<StaffMember>::new());
    spawn_local(async move {
        match client::get::<Vec<StaffMember>>("/staff").await {
            Ok(s) => staff.set(s),
            Err(e) => report(e, error, session),
        }
    });
    let title = Signal::derive(move || {
        snapshot.with(|s| {
            s.as_ref()
                .map(|s| format!("{} · manager", s.venue.name))
                .unwrap_or_else(|| "Manager".into())
        })
    });
    // Memos: a live update that leaves them as they were rebuilds nothing made from them,
    // so a category chosen in a form stays chosen while the floor refreshes.
    let currency: Signal<String> = Memo::new(move |_| {
        snapshot.with(|s| {
            s.as_ref()
                .map(|s| s.venue.currency.clone())
                .unwrap_or_default()
        })
    })
    .into();
    let categories: Signal<Vec<(CategoryId, String)>> = Memo::new(move |_| {
        snapshot.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.menu
                        .categories
                        .iter()
                        .map(|c| (c.id, c.name.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    })
    .into();
    view! {
        <TopBar title=title live=live/>
        <ErrorBanner error=error/>
        <main class="page manager">
            <section>
                <h2>"Live floor"</h2>
                {move || snapshot.get().map(|s| view! { <FloorPlan floor=s.floor orders=s.orders on_table=Callback::new(|_| {})/> })}
            </section>
            <section class="staff">
                <h2>"Staff"</h2>
                <WrongPinNotice/>
                <ul>
                    {move || staff.get().into_iter().map(|m| view! {
                        <li><span>{m.name}</span> <small>{m.role.label()}</small></li>
                    }).collect_view()}
                </ul>
            </section>
            <ShiftPanel error=error currency=currency/>
            <ReportsPanel error=error/>
            <RefundPanel error=error currency=currency/>
            <MoneyRulesPanel error=error currency=currency categories=categories/>
            <PrintPanel error=error/>
            <SmsPanel error=error/>
            <DevicePanel error=error/>
        </main>
    }
}

/// "N failed sign-ins in the last 24 hours, from 1 address, the last at 14:32": someone
/// guessing PINs shows here, with what the manager can do about it.
#[component]
fn WrongPinNotice() -> impl IntoView {
    let counts = LocalResource::new(|| client::get::<WrongPins>("/staff/wrong-pins"));
    move || {
        counts.get().and_then(Result::ok).map(|c| {
            let plural = |n: i64, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            let what = match (c.sign_in, c.approval) {
                (0, 0) => {
                    return view! {
                        <p class="wrong-pins" role="status">"No wrong PINs in the last 24 hours."</p>
                    }
                    .into_any()
                }
                (s, 0) => plural(s, "failed sign-in", "failed sign-ins"),
                (0, a) => plural(a, "wrong manager PIN", "wrong manager PINs"),
                (s, a) => format!(
                    "{} and {}",
                    plural(s, "failed sign-in", "failed sign-ins"),
                    plural(a, "wrong manager PIN", "wrong manager PINs")
                ),
            };
            let last = c
                .last_at_ms
                .map(|ms| {
                    let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
                    format!(", the last at {:02}:{:02}", at.get_hours(), at.get_minutes())
                })
                .unwrap_or_default();
            let text = format!(
                "{what} in the last 24 hours, from {}{last}.",
                plural(c.addresses, "device", "devices")
            );
            view! {
                <div class="wrong-pins warn" role="status">
                    <p>{text}</p>
                    <p class="hint">"A few are typos. Many from a device your staff do not use mean someone may be guessing PINs: the box makes each guess wait longer."</p>
                </div>
            }
            .into_any()
        })
    }
}
