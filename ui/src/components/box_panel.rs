//! The box itself, for managers (`/manager/box`): how it is (disk, database, printers,
//! devices, texts) and its backups (each with its size and checksum, to download), with
//! a backup on the spot. `UpkeepWarnings` puts what needs a manager's eye (a disk nearly
//! full, a backup failed or old) above every back-office page.

use crate::client;
use crate::pages::report as report_error;
use crate::session::use_session;
use app::api::{bytes_label, BackupFile, Backups, Health};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How often the warnings are read again.
const WARNINGS_EVERY_MS: u32 = 60_000;

/// `4 Dec 2026, 12:00`, in the browser's time zone (the venue's).
fn when(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let options = js_sys::Object::new();
    for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string("en-GB", &options).into()
}

/// What needs a manager's eye about the box, above every back-office page, read now and
/// every minute.
#[component]
pub fn UpkeepWarnings() -> impl IntoView {
    let warnings = RwSignal::new(Vec::<String>::new());
    let read = move || {
        spawn_local(async move {
            if let Ok(health) = client::get::<Health>("/health").await {
                warnings.set(health.detail.map(|d| d.warnings).unwrap_or_default());
            }
        })
    };
    read();
    let timer = send_wrapper::SendWrapper::new(gloo_timers::callback::Interval::new(
        WARNINGS_EVERY_MS,
        read,
    ));
    on_cleanup(move || drop(timer));
    let location = leptos_router::hooks::use_location();
    move || {
        let list = warnings.get();
        // No link to the page the manager is on.
        let elsewhere = location.pathname.get() != "/manager/box";
        (!list.is_empty()).then(|| {
            view! {
                <div class="upkeep-warnings" role="alert">
                    <ul>{list.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                    {elsewhere.then(|| view! { <a class="button" href="/manager/box">"See the box"</a> })}
                </div>
            }
        })
    }
}

#[component]
pub fn BoxPanel(error: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let health = RwSignal::new(None::<Health>);
    let backups = RwSignal::new(None::<Backups>);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match client::get::<Health>("/health").await {
                Ok(h) => health.set(Some(h)),
                Err(e) => report_error(e, error, session),
            }
            match client::get::<Backups>("/backups").await {
                Ok(b) => backups.set(Some(b)),
                Err(e) => report_error(e, error, session),
            }
        })
    };
    load();
    let back_up = move |_| {
        busy.set(true);
        spawn_local(async move {
            match client::post_empty::<BackupFile>("/backups").await {
                Ok(_) => problem.set(None),
                Err(e) => problem.set(Some(e.message())),
            }
            busy.set(false);
            load();
        })
    };
    let download = move |name: String| {
        spawn_local(async move {
            if let Err(e) = crate::files::download(&format!("/backups/{name}")).await {
                problem.set(Some(e));
            }
        })
    };
    let state = move || {
        health.get().map(|h| {
            let Some(d) = h.detail else {
                return view! { <p class="hint">"The box answers."</p> }.into_any();
            };
            let printers = if d.printers.is_empty() {
                "none".to_owned()
            } else {
                d.printers
                    .iter()
                    .map(|p| {
                        let state = if p.online { "ready" } else { "offline" };
                        match p.queued {
                            0 => format!("{} {state}", p.name),
                            n => format!("{} {state}, {n} to print", p.name),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            let devices = if d.devices.is_empty() {
                "none".to_owned()
            } else {
                d.devices
                    .iter()
                    .map(|x| format!("{} {}", x.name, if x.connected { "connected" } else { "not connected" }))
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            let rows = [
                ("Database", if h.database == "ok" { "answering".to_owned() } else { h.database.clone() }),
                ("Disk", format!("{} free of {}", bytes_label(d.disk_free_bytes), bytes_label(d.disk_total_bytes))),
                ("Printers", printers),
                ("Scanners and displays", devices),
                ("Texts", format!("{} waiting, {} failed", d.sms_waiting, d.sms_failed)),
                ("Version", h.version.clone()),
            ];
            view! {
                <table class="figures box-figures">
                    {rows.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view()}
                </table>
            }
            .into_any()
        })
    };
    let list = move || {
        backups.get().map(|b| {
            let failure = b.last_failure.map(|f| {
                view! { <p class="error" role="alert">{format!("A backup at {} went wrong: {}", when(f.at_ms), f.message)}</p> }
            });
            let copy = b.copy_folder.map(|c| view! { <p class="hint">{format!("Each backup is copied to {c} as well.")}</p> });
            let items = if b.backups.is_empty() {
                view! { <p class="empty">"No backup yet: the first is taken within a minute of the box starting."</p> }.into_any()
            } else {
                b.backups
                    .into_iter()
                    .map(|f| {
                        let name = f.name.clone();
                        view! {
                            <li class="backup">
                                <span class="backup-when">{when(f.taken_at_ms)}</span>
                                <span class="backup-size">{bytes_label(f.bytes)}</span>
                                <code class="backup-sum" title=f.sha256.clone()>{f.sha256.chars().take(12).collect::<String>()}</code>
                                <button type="button" on:click=move |_| download(name.clone())>"Download"</button>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            };
            view! {
                {failure}
                {copy}
                <ul class="backups">{items}</ul>
            }
        })
    };
    view! {
        <section class="box-panel" aria-label="The box">
            <h2>"The box"</h2>
            {state}
        </section>
        <section class="backups-panel" aria-label="Backups">
            <h2>"Backups"</h2>
            <p class="hint">"Every hour while the venue trades and after each Z report, each one checked. Kept: the last 48 hours, a day for 30 days, a month for a year."</p>
            <button type="button" class="primary" disabled=move || busy.get() on:click=back_up>
                {move || if busy.get() { "Backing up…" } else { "Back up now" }}
            </button>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {list}
        </section>
    }
}
