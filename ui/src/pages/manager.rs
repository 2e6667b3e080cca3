//! The back office at `/manager/<area>`: a bar of areas (floor, menu, staff, stations
//! and printers, devices and texts, money rules, the cash day, sales reports, the box and
//! its backups), each on its own address
//! so a reload keeps the manager's place. Every area follows the venue live.

use super::report;
use crate::client;
use crate::components::{
    BoxPanel, DevicePanel, ErrorBanner, FloorEditor, FloorPlan, MenuEditor, MoneyRulesPanel,
    PrintPanel, RefundPanel, ReportsPanel, RolesEditor, SalesReports, ShiftPanel, SignInFirst,
    SmsPanel, StaffEditor, StationsEditor, TileFacts, TopBar, UpkeepWarnings,
};
use crate::live::use_live_events;
use crate::session::use_session;
use app::api::{Snapshot, WrongPins};
use app::domain::CategoryId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

/// The back office's areas: (address under `/manager/`, label). The first is `/manager`.
const AREAS: [(&str, &str); 9] = [
    ("floor", "Floor"),
    ("menu", "Menu"),
    ("staff", "Staff"),
    ("stations", "Stations & printers"),
    ("devices", "Devices & texts"),
    ("money", "Money rules"),
    ("cash-day", "Cash day"),
    ("reports", "Reports"),
    ("box", "The box"),
];

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

/// The venue straight from the server, read again whenever an event names a table or
/// changes the venue; `changed` counts the venue's changes, for the editors to read again.
fn live_venue(
    error: RwSignal<Option<String>>,
) -> (RwSignal<Option<Snapshot>>, ReadSignal<bool>, RwSignal<u64>) {
    let session = use_session();
    let snapshot = RwSignal::new(None::<Snapshot>);
    let changed = RwSignal::new(0_u64);
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
        if event.kind.changes_the_venue() {
            changed.update(|n| *n += 1);
        }
        if event.table_id.is_some() || event.kind.changes_the_venue() {
            reload();
        }
    });
    (snapshot, live, changed)
}

#[component]
fn Dashboard() -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let (snapshot, live, changed) = live_venue(error);
    let params = use_params_map();
    let area = Memo::new(move |_| {
        let asked = params.with(|p| p.get("area")).unwrap_or_default();
        AREAS
            .iter()
            .find(|(slug, _)| *slug == asked)
            .map_or(AREAS[0].0, |(slug, _)| slug)
    });
    let title = Signal::derive(move || {
        snapshot.with(|s| {
            s.as_ref()
                .map(|s| format!("{} · back office", s.venue.name))
                .unwrap_or_else(|| "Back office".into())
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
    let tax_rates: Signal<Vec<i64>> = Memo::new(move |_| {
        snapshot.with(|s| {
            s.as_ref()
                .map(|s| s.venue.tax_rates_bp.clone())
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
    let changed: Signal<u64> = changed.into();
    let now = crate::components::minute_clock();
    let nav = AREAS
        .iter()
        .map(|(slug, label)| {
            let href = if *slug == AREAS[0].0 {
                "/manager".to_owned()
            } else {
                format!("/manager/{slug}")
            };
            let here = move || area.get() == *slug;
            view! {
                <a href=href class:active=here aria-current=move || here().then_some("page")>{*label}</a>
            }
        })
        .collect_view();
    let content = move || {
        match area.get() {
        "menu" => view! { <MenuEditor error=error changed=changed currency=currency tax_rates=tax_rates/> }.into_any(),
        "staff" => view! {
            <section class="staff" aria-label="Staff">
                <h2>"Staff"</h2>
                <WrongPinNotice/>
                <StaffEditor error=error/>
                <RolesEditor error=error currency=currency/>
            </section>
        }
        .into_any(),
        "stations" => view! {
            <StationsEditor error=error changed=changed/>
            <PrintPanel error=error/>
        }
        .into_any(),
        "devices" => view! {
            <DevicePanel error=error/>
            <SmsPanel error=error/>
        }
        .into_any(),
        "reports" => view! { <SalesReports error=error/> }.into_any(),
        "box" => view! { <BoxPanel error=error/> }.into_any(),
        "money" => view! { <MoneyRulesPanel error=error currency=currency categories=categories/> }.into_any(),
        "cash-day" => view! {
            <ShiftPanel error=error currency=currency/>
            <ReportsPanel error=error/>
            <RefundPanel error=error currency=currency/>
        }
        .into_any(),
        _ => view! {
            <section>
                <h2>"Live floor"</h2>
                {move || snapshot.get().map(|s| {
                    let facts = TileFacts::of(&s, now.get());
                    // A tile opens its table's order, as on a waiter's floor; a free one,
                    // the floor to seat it.
                    let open: Vec<_> = s.orders.iter().filter_map(|o| Some((o.table_id?, o.id))).collect();
                    let go = leptos_router::hooks::use_navigate();
                    let on_table = Callback::new(move |table| {
                        match open.iter().find(|(t, _)| *t == table) {
                            Some((_, order)) => go(&format!("/order/{order}"), Default::default()),
                            None => go("/floor", Default::default()),
                        }
                    });
                    view! { <FloorPlan floor=s.floor orders=s.orders facts=facts on_table=on_table/> }
                })}
            </section>
            <FloorEditor error=error changed=changed/>
        }
        .into_any(),
    }
    };
    // On a phone the bar scrolls sideways: keep the area shown in view.
    Effect::new(move |_| {
        area.track();
        gloo_timers::callback::Timeout::new(0, || {
            if let Ok(Some(tab)) = document().query_selector(".back-office-nav a.active") {
                crate::bring_into_view(&tab);
            }
        })
        .forget();
    });
    view! {
        <TopBar title=title live=live/>
        <nav class="back-office-nav" aria-label="Back office">{nav}</nav>
        <ErrorBanner error=error/>
        <UpkeepWarnings/>
        <main class="page manager">{content}</main>
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
