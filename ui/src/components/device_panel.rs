//! The manager's serial devices: each pole display and scanner with its port and whether
//! it is connected (live), a switch to turn one off or on, and a form to add one.

use crate::client;
use crate::live::use_live_events;
use crate::pages::report;
use crate::session::use_session;
use app::api::{DeviceKind, EventKind, SerialDevice, SerialDeviceChange};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn DevicePanel(error: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let devices = RwSignal::new(Vec::<SerialDevice>::new());
    let load = move || {
        spawn_local(async move {
            match client::get::<Vec<SerialDevice>>("/devices").await {
                Ok(d) => devices.set(d),
                Err(e) => report(e, error, session),
            }
        })
    };
    load();
    use_live_events(move |event| {
        if event.kind == EventKind::DeviceChanged {
            load();
        }
    });

    let switch = move |id: String, active: bool| {
        spawn_local(async move {
            let change = SerialDeviceChange {
                active: Some(active),
                ..Default::default()
            };
            match client::patch::<_, SerialDevice>(&format!("/devices/{id}"), &change).await {
                Ok(_) => load(),
                Err(e) => report(e, error, session),
            }
        })
    };
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(DeviceKind::PoleDisplay);
    let port = RwSignal::new(String::new());
    let baud = RwSignal::new(9600i64);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = SerialDeviceChange {
            name: Some(name.get_untracked()),
            kind: Some(kind.get_untracked()),
            port: Some(port.get_untracked()),
            baud: Some(baud.get_untracked()),
            active: Some(true),
        };
        spawn_local(async move {
            match client::post::<_, SerialDevice>("/devices", &new).await {
                Ok(_) => {
                    name.set(String::new());
                    port.set(String::new());
                    error.set(None);
                    load();
                }
                Err(e) => report(e, error, session),
            }
        })
    };
    let rows = move || {
        devices
            .get()
            .into_iter()
            .map(|d| {
                let state = match (d.connected, &d.last_error) {
                    (true, _) => "connected".to_owned(),
                    (false, Some(e)) => e.clone(),
                    (false, None) => "not connected".to_owned(),
                };
                let kind = match d.kind {
                    DeviceKind::PoleDisplay => "pole display",
                    DeviceKind::Scanner => "scanner",
                };
                let (id, active) = (d.id.clone(), d.active);
                view! {
                    <li class="device" class:connected=d.connected data-device=d.name.clone()>
                        <strong>{d.name.clone()}</strong>
                        <small>{kind} " · " {d.port.clone()} " · " {d.baud}</small>
                        <span class="device-state">{state}</span>
                        <button on:click=move |_| switch(id.clone(), !active)>
                            {if active { "Switch off" } else { "Switch on" }}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="device-panel">
            <h2>"Serial devices"</h2>
            <ul class="devices">{rows}</ul>
            <form class="add-device" on:submit=add>
                <label class="field">"Name"
                    <input type="text" maxlength="40" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Kind"
                    <select on:change=move |ev| kind.set(if event_target_value(&ev) == "scanner" { DeviceKind::Scanner } else { DeviceKind::PoleDisplay })>
                        <option value="pole_display">"Pole display"</option>
                        <option value="scanner">"Barcode scanner"</option>
                    </select>
                </label>
                <label class="field">"Port"
                    <input type="text" placeholder="/dev/ttyUSB0" prop:value=move || port.get() on:input=move |ev| port.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Baud"
                    <select on:change=move |ev| baud.set(event_target_value(&ev).parse().unwrap_or(9600))>
                        {[9600i64, 19200, 38400, 57600, 115200, 1200, 2400, 4800]
                            .into_iter()
                            .map(|b| view! { <option value=b.to_string()>{b}</option> })
                            .collect_view()}
                    </select>
                </label>
                <button class="primary" type="submit">"Add device"</button>
            </form>
        </section>
    }
}
