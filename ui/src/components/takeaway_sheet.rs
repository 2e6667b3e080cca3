//! The sheet for a new takeaway order: the customer's name, their phone number and whether
//! they want a text when it is ready. The details are checked here with the server's own
//! rules (`domain::takeaway`), so mistakes show before anything is sent.

use crate::client;
use app::api::OpenTakeawayRequest;
use app::domain::orders::Order;
use app::domain::takeaway::{validate_customer, MAX_CUSTOMER_NAME_CHARS};
use app::domain::OrderId;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Languages offered for the text; managers edit each one's template.
const LANGUAGES: [(&str, &str); 5] = [
    ("en", "English"),
    ("it", "Italiano"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
];

#[component]
pub fn TakeawaySheet(
    /// Whether the venue can send texts now; if not, the sheet says they will wait. A
    /// signal, so a live update refreshes the hint without rebuilding the sheet (which
    /// would wipe what the waiter typed).
    #[prop(into)]
    sms_enabled: Signal<bool>,
    /// The venue's country: a phone number typed without a country code is one of its.
    country: Option<String>,
    on_opened: Callback<Order>,
    on_close: Callback<()>,
) -> impl IntoView {
    // A local number where the venue's country is known; else with its country code.
    let placeholder = match country.as_deref() {
        Some(_) => "333 123 4567",
        None => "+39 333 123 4567",
    };
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let language = RwSignal::new("en".to_owned());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // One id per sheet: tapping "Open" twice (or retrying) opens one order.
    let order_id = OrderId::new_v7();

    let open = move |_| {
        let (n, p, c, l) = (
            name.get_untracked(),
            phone.get_untracked(),
            consent.get_untracked(),
            language.get_untracked(),
        );
        if let Err(e) = validate_customer(&n, Some(&p), c, &l, country.as_deref()) {
            problem.set(Some(e.to_string()));
            return;
        }
        problem.set(None);
        busy.set(true);
        let request = OpenTakeawayRequest {
            order_id: Some(order_id),
            customer_name: n,
            phone: Some(p).filter(|p| !p.trim().is_empty()),
            sms_consent: c,
            language: Some(l),
        };
        spawn_local(async move {
            match client::post::<_, Order>("/takeaways", &request).await {
                Ok(order) => on_opened.run(order),
                Err(e) => problem.set(Some(e.message())),
            }
            busy.set(false);
        });
    };

    let languages = LANGUAGES
        .iter()
        .map(|(code, label)| view! { <option value=*code>{*label}</option> })
        .collect_view();
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())></div>
        <div class="sheet takeaway-sheet" role="dialog" aria-label="New takeaway">
            <h2>"New takeaway"</h2>
            <label class="field">
                "Customer name"
                <input
                    type="text"
                    autocomplete="off"
                    maxlength=MAX_CUSTOMER_NAME_CHARS
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </label>
            <label class="field">
                "Phone"
                <input
                    type="tel"
                    inputmode="tel"
                    placeholder=placeholder
                    prop:value=move || phone.get()
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        if value.trim().is_empty() {
                            consent.set(false);
                        }
                        phone.set(value);
                    }
                />
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || consent.get()
                    disabled=move || phone.with(|p| p.trim().is_empty())
                    on:change=move |ev| consent.set(event_target_checked(&ev))
                />
                "Text the customer when it is ready"
            </label>
            <label class="field">
                "Language of the text"
                <select on:change=move |ev| language.set(event_target_value(&ev))>{languages}</select>
            </label>
            {move || (!sms_enabled.get()).then(|| view! {
                <p class="hint">"SMS is off: texts wait until a manager sets up the SMS provider."</p>
            })}
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>
            <div class="sheet-actions">
                <button class="secondary" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button class="primary" disabled=move || busy.get() on:click=open>"Open order"</button>
            </div>
        </div>
    }
}
