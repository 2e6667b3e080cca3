//! The manager's printing panel: every printer with its state and waiting jobs (add one,
//! change its setup, switch it off or on, open its cash drawer), and the print queue:
//! retry, cancel or move a waiting job to another printer, and reprint a ticket that
//! already came out.

use crate::client::{self, ClientError};
use crate::components::printer_editor::PrinterForm;
use crate::live::use_live_events;
use crate::pages::report;
use crate::session::use_session;
use app::api::{EventKind, PrintJob, PrinterChange, PrinterStatus, RerouteRequest};
use app::domain::menu::Station;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn PrintPanel(error: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let printers = RwSignal::new(Vec::<PrinterStatus>::new());
    let jobs = RwSignal::new(Vec::<PrintJob>::new());
    let stations = RwSignal::new(Vec::<Station>::new());
    // The form open: None closed, Some(None) adding, Some(Some(p)) changing p.
    let editing = RwSignal::new(None::<Option<PrinterStatus>>);
    let message = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match client::get::<Vec<Station>>("/stations").await {
                Ok(s) => stations.set(s),
                Err(e) => report(e, error, session),
            }
            match client::get::<Vec<PrinterStatus>>("/printers").await {
                Ok(p) => printers.set(p),
                Err(e) => report(e, error, session),
            }
            match client::get::<Vec<PrintJob>>("/print-jobs").await {
                Ok(j) => jobs.set(j),
                Err(e) => report(e, error, session),
            }
        })
    };
    load();
    use_live_events(move |event| {
        if matches!(
            event.kind,
            EventKind::PrinterChanged | EventKind::OrderSent | EventKind::DrawerOpened
        ) {
            load();
        }
    });
    // Runs a call, then reloads the panel (or shows why the call failed).
    let act = move |call: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), ClientError>>>,
    >| {
        spawn_local(async move {
            match call.await {
                Ok(()) => {
                    error.set(None);
                    load();
                }
                Err(e) => report(e, error, session),
            }
        })
    };

    let printer_rows = move || {
        printers
            .get()
            .into_iter()
            .map(|p| {
                // Online only once it has printed: a new printer is not known to work.
                let state = match (&p.last_error, p.active, p.printed_before) {
                    (_, false, _) => "switched off".to_owned(),
                    (Some(e), true, _) => format!("offline: {e}"),
                    (None, true, true) => "online".to_owned(),
                    (None, true, false) => "nothing printed yet".to_owned(),
                };
                let station_names: Vec<String> = stations.with(|all| {
                    p.station_ids
                        .iter()
                        .map(|id| all.iter().find(|s| &s.id == id).map_or(id.0.clone(), |s| s.name.clone()))
                        .collect()
                });
                let prints = match (station_names.is_empty(), p.prints_bills) {
                    (true, false) => "no tickets or bills".to_owned(),
                    (true, true) => "bills".to_owned(),
                    (false, bills) => format!("{}{}", station_names.join(", "), if bills { ", bills" } else { "" }),
                };
                let edit = p.clone();
                let (id, id2, active) = (p.id.clone(), p.id.clone(), p.active);
                let switch = move |_| {
                    let (id, change) = (
                        id.clone(),
                        PrinterChange {
                            active: Some(!active),
                            ..Default::default()
                        },
                    );
                    act(Box::pin(async move {
                        client::patch::<_, PrinterStatus>(&format!("/printers/{id}"), &change)
                            .await
                            .map(|_| ())
                    }))
                };
                let drawer = move |_| {
                    let id = id2.clone();
                    act(Box::pin(async move {
                        client::post_empty::<serde_json::Value>(&format!("/printers/{id}/drawer"))
                            .await
                            .map(|_| ())
                    }))
                };
                view! {
                    <li class="printer" class:offline=p.last_error.is_some() data-printer=p.name.clone()>
                        <strong>{p.name.clone()}</strong>
                        <small>{p.connection.clone()} " · " {if p.columns == 32 { "58 mm" } else { "80 mm" }} " · prints " {prints}</small>
                        <span class="printer-state" class:untested={p.active && p.last_error.is_none() && !p.printed_before}>{state}</span>
                        <span class="printer-waiting">{format!("{} waiting", p.waiting)}</span>
                        <button on:click=switch>{if active { "Switch off" } else { "Switch on" }}</button>
                        {p.has_drawer.then(|| view! { <button on:click=drawer>"Open drawer"</button> })}
                        <button class="secondary" on:click=move |_| editing.set(Some(Some(edit.clone())))>"Change"</button>
                    </li>
                }
            })
            .collect_view()
    };

    let job_rows = move || {
        let all = printers.get();
        jobs.get()
            .into_iter()
            .rev() // newest first
            .map(|j| {
                let what = match (&j.destination, j.order_number) {
                    (Some(d), Some(n)) if j.kind == "bill" => format!("Bill · {d} · #{n}"),
                    (Some(d), Some(n)) => format!("{d} · #{n}"),
                    _ if j.kind == "drawer_pulse" => "cash drawer".to_owned(),
                    _ => j.kind.clone(),
                };
                let waiting = matches!(j.status.as_str(), "queued" | "sending");
                let others: Vec<(String, String)> = all
                    .iter()
                    .filter(|p| p.id != j.printer_id && p.active)
                    .map(|p| (p.id.clone(), p.name.clone()))
                    .collect();
                let (retry_id, cancel_id, move_id) = (j.id.clone(), j.id.clone(), j.id.clone());
                let retry = move |_| {
                    let id = retry_id.clone();
                    act(Box::pin(async move {
                        client::post_empty::<PrintJob>(&format!("/print-jobs/{id}/retry")).await.map(|_| ())
                    }))
                };
                let cancel = move |_| {
                    let id = cancel_id.clone();
                    act(Box::pin(async move {
                        client::post_empty::<PrintJob>(&format!("/print-jobs/{id}/cancel")).await.map(|_| ())
                    }))
                };
                let reroute = move |ev: leptos::ev::Event| {
                    let (id, printer_id) = (move_id.clone(), event_target_value(&ev));
                    if printer_id.is_empty() {
                        return;
                    }
                    act(Box::pin(async move {
                        let body = RerouteRequest { printer_id };
                        client::post::<_, PrintJob>(&format!("/print-jobs/{id}/reroute"), &body).await.map(|_| ())
                    }))
                };
                // A ticket is reprinted on its station's printers, a bill where it printed.
                let (ticket, job_id) = (j.ticket_id, j.id.clone());
                let reprintable = !waiting && j.status == "done" && j.kind != "drawer_pulse";
                let reprint = reprintable.then_some(move |_| {
                    let path = match ticket {
                        Some(ticket) => format!("/tickets/{ticket}/reprint"),
                        None => format!("/print-jobs/{job_id}/reprint"),
                    };
                    act(Box::pin(async move {
                        client::post_empty::<serde_json::Value>(&path).await.map(|_| ())
                    }))
                });
                view! {
                    <li class=format!("print-job {}", j.status) data-job=j.id.clone() data-kind=j.kind.clone()>
                        <strong>{what}</strong>
                        <small>{j.printer_name.clone()}</small>
                        <span class="job-status">{j.status.clone()} {j.reprint.then_some(" · reprint")}</span>
                        <small class="job-error">{j.last_error.clone().unwrap_or_default()}</small>
                        {waiting.then(|| view! {
                            <button on:click=retry>"Retry now"</button>
                            <button on:click=cancel>"Cancel"</button>
                            <select aria-label="Print on another printer" on:change=reroute>
                                <option value="">"Print on…"</option>
                                {others.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                            </select>
                        })}
                        {reprint.map(|reprint| view! { <button on:click=reprint>"Reprint"</button> })}
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <section class="print-panel">
            <h2>"Printers"</h2>
            <ul class="printers">{printer_rows}</ul>
            {move || match editing.get() {
                None => view! {
                    <button class="secondary" on:click=move |_| { message.set(None); editing.set(Some(None)); }>"Add a printer"</button>
                }.into_any(),
                Some(printer) => view! {
                    <PrinterForm printer=printer stations=stations.into()
                        done=Callback::new(move |(said, saved): (String, bool)| {
                            message.set(Some(said));
                            if saved {
                                editing.set(None);
                                load();
                            }
                        })
                        cancel=Callback::new(move |_| editing.set(None))/>
                }.into_any(),
            }}
            <p class="form-status" role="status">{move || message.get().map(|m| view! { <span class="toast">{m}</span> })}</p>
            <h3>"Print queue " <button class="secondary" on:click=move |_| load()>"Refresh"</button></h3>
            <ul class="print-jobs">{job_rows}</ul>
        </section>
    }
}
