//! What a station screen shows beside its tickets: the "all day" counts of what is still
//! to make, the sound switch (a tone for each new ticket and each one turning late), and
//! the "N more below" marker for tickets past the bottom of the screen.

use crate::sound::Beeper;
use app::domain::kitchen::StationTickets;
use app::domain::{StationId, TicketId};
use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsCast;

/// Each item still to make, summed over the open tickets, most first. Hidden when there
/// is nothing to make.
#[component]
pub fn AllDay(tickets: RwSignal<StationTickets>) -> impl IntoView {
    let counts = Memo::new(move |_| tickets.with(StationTickets::all_day));
    move || {
        let counts = counts.get();
        (!counts.is_empty()).then(|| {
            let rows = counts
                .into_iter()
                .map(|(item, n)| {
                    view! { <li><span class="all-day-count">{n}</span><span class="all-day-item">{item}</span></li> }
                })
                .collect_view();
            view! {
                <section class="all-day" aria-label="All day">
                    <h2>"All day"</h2>
                    <ul>{rows}</ul>
                </section>
            }
        })
    }
}

/// The sound switch: off until a cook turns it on (the browser needs that tap to play
/// anything), remembered on this screen for the station. It plays a tone for every new
/// ticket and for every ticket that turns late; `data-new-tones` and `data-late-tones`
/// count them.
#[component]
pub fn SoundSwitch(
    station: StationId,
    tickets: RwSignal<StationTickets>,
    /// Whether `tickets` were read from the box yet.
    loaded: RwSignal<bool>,
    now_ms: ReadSignal<i64>,
    /// The station's late threshold, in seconds, once the station is read.
    late_after_secs: Signal<Option<i64>>,
) -> impl IntoView {
    let key = format!("comanda.sound.{station}");
    let storage = || web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let remembered = storage()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .is_some_and(|v| v == "on");
    let beeper = StoredValue::new_local(None::<Beeper>);
    let on = RwSignal::new(false);
    let (new_tones, late_tones) = (RwSignal::new(0u32), RwSignal::new(0u32));
    let switch = move |wanted: bool| {
        if wanted && beeper.with_value(Option::is_none) {
            beeper.set_value(Beeper::new());
        }
        on.set(wanted && beeper.with_value(Option::is_some));
    };
    // Remembered on: the context is made now, and plays from the first tap on the page.
    switch(remembered);
    let toggle = move |_| {
        let wanted = !on.get_untracked();
        switch(wanted);
        if let Some(s) = storage() {
            let _ = s.set_item(&key, if wanted { "on" } else { "off" });
        }
    };
    let play = move |tone: fn(&Beeper), count: RwSignal<u32>| {
        if on.get_untracked() {
            beeper.with_value(|b| b.as_ref().map(tone));
            count.update(|n| *n += 1);
        }
    };
    // The tickets on screen (open or recently done) when last looked: only one that was
    // not is news, so a recalled ticket makes no sound. None until the first read, which
    // is not news either.
    let seen = StoredValue::new(None::<HashSet<TicketId>>);
    Effect::new(move |_| {
        if !loaded.get() {
            return;
        }
        let shown: HashSet<TicketId> =
            tickets.with(|t| t.active.iter().chain(&t.done).map(|t| t.id).collect());
        let new = tickets.with(|t| {
            let before = seen.get_value();
            before.is_some_and(|b| t.active.iter().any(|t| !b.contains(&t.id)))
        });
        seen.set_value(Some(shown));
        if new {
            play(Beeper::new_ticket, new_tones);
        }
    });
    // The open tickets late when last looked: one that turned late since makes a sound;
    // those late already when the screen opened do not.
    let late = StoredValue::new(None::<HashSet<TicketId>>);
    Effect::new(move |_| {
        let (now, limit) = (now_ms.get(), late_after_secs.get());
        let Some(limit) = limit.filter(|_| loaded.get()) else {
            return;
        };
        let late_now: HashSet<TicketId> = tickets.with(|t| {
            let is_late = |created: i64| (now - created) / 1000 >= limit;
            t.active
                .iter()
                .filter(|t| is_late(t.created_at_ms))
                .map(|t| t.id)
                .collect()
        });
        let turned = late
            .get_value()
            .is_some_and(|before| late_now.iter().any(|id| !before.contains(id)));
        late.set_value(Some(late_now));
        if turned {
            play(Beeper::late, late_tones);
        }
    });
    view! {
        <button class="secondary sound-switch" aria-pressed=move || on.get().to_string()
            data-new-tones=move || new_tones.get().to_string()
            data-late-tones=move || late_tones.get().to_string() on:click=toggle>
            {move || if on.get() { "Sound on" } else { "Sound off" }}
        </button>
    }
}

/// "3 more below": the open tickets that end past the bottom of the screen (cut or not
/// seen at all), looked at every second (the screen's clock) and whenever the tickets
/// change; a tap scrolls down.
#[component]
pub fn MoreBelow(tickets: RwSignal<StationTickets>, now_ms: ReadSignal<i64>) -> impl IntoView {
    let below = RwSignal::new(0usize);
    Effect::new(move |_| {
        now_ms.track();
        tickets.track();
        below.set(tickets_below());
    });
    let scroll = move |_| {
        if let Some(w) = web_sys::window() {
            let height = w
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(600.0);
            let options = web_sys::ScrollToOptions::new();
            options.set_top(height * 0.8);
            options.set_behavior(web_sys::ScrollBehavior::Smooth);
            w.scroll_by_with_scroll_to_options(&options);
        }
    };
    move || {
        let n = below.get();
        (n > 0).then(|| {
            view! {
                <button class="more-below" on:click=scroll>
                    {format!("{n} more below ↓")}
                </button>
            }
        })
    }
}

/// How many open tickets end below the bottom of the window.
fn tickets_below() -> usize {
    let Some(window) = web_sys::window() else {
        return 0;
    };
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(f64::MAX);
    let Some(list) = window
        .document()
        .and_then(|d| d.query_selector_all(".tickets .ticket").ok())
    else {
        return 0;
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .filter(|t| t.get_bounding_client_rect().bottom() > height)
        .count()
}
