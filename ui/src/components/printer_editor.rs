//! Adding a printer, or changing the one being edited: its name, where it is on the
//! network (or which serial port), its paper, its code page, whether the cash drawer hangs
//! off it and bills print on it, and the stations whose tickets it prints.

use crate::client;
use app::api::{PrinterChange, PrinterStatus};
use app::domain::menu::Station;
use app::domain::StationId;
use leptos::prelude::*;
use leptos::task::spawn_local;

const CODE_PAGES: [(&str, &str); 5] = [
    ("CP858", "Western Europe, with €"),
    ("CP1252", "Western Europe (Windows)"),
    ("CP437", "USA"),
    ("CP737", "Greek"),
    ("CP866", "Cyrillic"),
];

/// The address as the box takes it: a network printer's IP (or name) alone is on the usual
/// raw port, 9100; a serial port's path stays as it is.
fn address(typed: &str) -> String {
    let typed = typed.trim();
    if typed.starts_with("tcp://") || typed.starts_with('/') {
        typed.to_owned()
    } else if typed.contains(':') {
        format!("tcp://{typed}")
    } else {
        format!("tcp://{typed}:9100")
    }
}

#[component]
pub(crate) fn PrinterForm(
    /// The printer being changed; None adds one.
    printer: Option<PrinterStatus>,
    stations: Signal<Vec<Station>>,
    /// Told the outcome: what to show, and whether it saved.
    done: Callback<(String, bool)>,
    cancel: Callback<()>,
) -> impl IntoView {
    let id = printer.as_ref().map(|p| p.id.clone());
    let field = |f: fn(&PrinterStatus) -> String, or: &str| {
        RwSignal::new(printer.as_ref().map(f).unwrap_or_else(|| or.to_owned()))
    };
    let name = field(|p| p.name.clone(), "");
    let connection = field(|p| p.connection.clone(), "");
    let code_page = field(|p| p.code_page.clone(), "CP858");
    let columns = RwSignal::new(printer.as_ref().map_or(48, |p| p.columns));
    let flag = |f: fn(&PrinterStatus) -> bool| RwSignal::new(printer.as_ref().is_some_and(f));
    let (drawer, bills) = (flag(|p| p.has_drawer), flag(|p| p.prints_bills));
    let chosen = RwSignal::new(
        printer
            .as_ref()
            .map(|p| p.station_ids.clone())
            .unwrap_or_default(),
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = PrinterChange {
            name: Some(name.get_untracked().trim().to_owned()),
            connection: Some(address(&connection.get_untracked())),
            columns: Some(columns.get_untracked()),
            code_page: Some(code_page.get_untracked()),
            has_drawer: Some(drawer.get_untracked()),
            prints_bills: Some(bills.get_untracked()),
            station_ids: Some(chosen.get_untracked()),
            ..Default::default()
        };
        let id = id.clone();
        spawn_local(async move {
            let saved = match id {
                Some(id) => {
                    client::patch::<_, PrinterStatus>(&format!("/printers/{id}"), &change).await
                }
                None => client::post::<_, PrinterStatus>("/printers", &change).await,
            };
            match saved {
                Ok(p) => done.run((format!("Saved the printer {}.", p.name), true)),
                Err(e) => done.run((e.message(), false)),
            }
        })
    };
    let toggle = move |station: StationId, on: bool| {
        chosen.update(|list| {
            list.retain(|s| *s != station);
            if on {
                list.push(station);
            }
        })
    };
    let title = if printer.is_some() {
        "Change printer"
    } else {
        "Add a printer"
    };
    view! {
        <form id="printer-form" class="back-office-form" on:submit=save aria-label=title>
            <h3>{title}</h3>
            <div class="field-row">
                <label class="field">"Printer name"
                    <input type="text" maxlength="40" required=true placeholder="Kitchen" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Address (network printer) or serial port"
                    <input type="text" required=true placeholder="192.168.1.50 or /dev/ttyUSB0" prop:value=move || connection.get()
                        on:input=move |ev| connection.set(event_target_value(&ev))/>
                </label>
            </div>
            <div class="field-row">
                <label class="field">"Paper"
                    <select on:change=move |ev| columns.set(if event_target_value(&ev) == "32" { 32 } else { 48 })>
                        <option value="48" selected=move || columns.get() == 48>"80 mm"</option>
                        <option value="32" selected=move || columns.get() == 32>"58 mm"</option>
                    </select>
                </label>
                <label class="field">"Characters"
                    <select on:change=move |ev| code_page.set(event_target_value(&ev))>
                        {CODE_PAGES.iter().map(|(code, label)| view! {
                            <option value=*code selected=move || code_page.get() == *code>{format!("{label} ({code})")}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=move || bills.get() on:change=move |ev| bills.set(event_target_checked(&ev))/>
                "Prints the bills"
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || drawer.get() on:change=move |ev| drawer.set(event_target_checked(&ev))/>
                "The cash drawer is plugged into it"
            </label>
            <fieldset class="group-picks">
                <legend>"Prints the tickets of"</legend>
                {move || stations.get().into_iter().map(|s| {
                    let sid = s.id.clone();
                    let on = sid.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || chosen.get().contains(&on)
                                on:change=move |ev| toggle(sid.clone(), event_target_checked(&ev))/>
                            {s.name}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| cancel.run(())>"Cancel"</button>
                <button type="submit" class="primary">{if printer.is_some() { "Save printer" } else { "Add printer" }}</button>
            </div>
        </form>
    }
}
