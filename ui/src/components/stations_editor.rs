//! The stations in the back office: where items are made, each with its screen's
//! address and the minutes after which a ticket shows yellow and red. Which printers
//! print a station's tickets is set with the printers, below it.

use crate::client;
use crate::pages::report;
use crate::session::use_session;
use app::api::StationChange;
use app::domain::menu::Station;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Minutes as typed ("7", "2.5") in seconds.
fn seconds(typed: &str) -> Option<i64> {
    let minutes: f64 = typed.trim().replace(',', ".").parse().ok()?;
    (minutes > 0.0 && minutes <= 1440.0).then(|| (minutes * 60.0).round() as i64)
}

fn minutes(secs: i64) -> String {
    if secs % 60 == 0 {
        (secs / 60).to_string()
    } else {
        format!("{:.1}", secs as f64 / 60.0)
    }
}

/// The new-station form's heading (the others show their name in their first field).
fn new_station_heading(new: bool) -> Option<impl IntoView> {
    new.then(|| view! { <h3>"Add a station"</h3> })
}

#[component]
pub fn StationsEditor(
    error: RwSignal<Option<String>>,
    /// Counts the venue's changes (another manager's too): read the stations again.
    changed: Signal<u64>,
) -> impl IntoView {
    let session = use_session();
    let stations = RwSignal::new(Vec::<Station>::new());
    let problem = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match client::get::<Vec<Station>>("/stations").await {
                Ok(s) => stations.set(s),
                Err(e) => report(e, error, session),
            }
        })
    };
    Effect::new(move |_| {
        changed.track();
        load();
    });
    // `saved` runs once the box took it (the new-station form empties itself).
    let save =
        move |id: Option<String>, name: String, warn: String, late: String, saved: Callback<()>| {
            let (Some(warn), Some(late)) = (seconds(&warn), seconds(&late)) else {
                return problem.set(Some("Type the minutes, e.g. 7".into()));
            };
            let change = StationChange {
                id: None,
                name: Some(name),
                warn_after_secs: Some(warn),
                late_after_secs: Some(late),
                sort_order: None,
            };
            spawn_local(async move {
                let done = match &id {
                    Some(id) => {
                        client::patch::<_, Station>(&format!("/stations/{id}"), &change).await
                    }
                    None => client::post::<_, Station>("/stations", &change).await,
                };
                match done {
                    Ok(s) => {
                        problem.set(Some(format!(
                            "Saved {}. Its screen is at /kitchen/{}.",
                            s.name, s.id
                        )));
                        saved.run(());
                        load();
                    }
                    Err(e) => problem.set(Some(e.message())),
                }
            })
        };
    let row = move |station: Option<Station>| {
        let id = station.as_ref().map(|s| s.id.0.clone());
        let (name, warn, late) = (
            RwSignal::new(station.as_ref().map(|s| s.name.clone()).unwrap_or_default()),
            RwSignal::new(
                station
                    .as_ref()
                    .map_or("7".into(), |s| minutes(s.warn_after_secs)),
            ),
            RwSignal::new(
                station
                    .as_ref()
                    .map_or("15".into(), |s| minutes(s.late_after_secs)),
            ),
        );
        let label = if id.is_some() { "Save" } else { "Add station" };
        let screen = id.clone().map(|id| {
            view! { <a class="station-screen" href=format!("/kitchen/{id}")>{format!("Open this station's screen (/kitchen/{id})")}</a> }
        });
        let heading = new_station_heading(id.is_none());
        let form_name = match &station {
            Some(s) => s.name.clone(),
            None => "Add a station".to_owned(),
        };
        let is_new = id.is_none();
        let saved = Callback::new(move |_| {
            if is_new {
                name.set(String::new());
            }
        });
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            save(
                id.clone(),
                name.get_untracked(),
                warn.get_untracked(),
                late.get_untracked(),
                saved,
            );
        };
        view! {
            {heading}
            <form class="station-row" on:submit=submit aria-label=form_name>
                <label class="field">"Name"
                    <input type="text" maxlength="40" required=true prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Yellow after (min)"
                    <input type="text" inputmode="decimal" prop:value=move || warn.get()
                        on:input=move |ev| warn.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Red after (min)"
                    <input type="text" inputmode="decimal" prop:value=move || late.get()
                        on:input=move |ev| late.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="primary">{label}</button>
                {screen}
            </form>
        }
    };
    view! {
        <section class="stations-editor" aria-label="Stations">
            <h2>"Stations"</h2>
            <p class="hint">"Each station has a screen of its own; products say which station makes them."</p>
            {move || stations.get().into_iter().map(|s| row(Some(s))).collect_view()}
            {row(None)}
            <p class="form-status" role="status">{move || problem.get().map(|m| view! { <span class="toast">{m}</span> })}</p>
        </section>
    }
}
