//! The first run: the owner names the venue, says where it is (which fills in currency,
//! time zone and taxes), picks a starting menu or none, and chooses their own PIN. Then
//! they are signed in and land in the back office.

use crate::client;
use crate::components::new_pin_input;
use crate::session::use_session;
use app::api::{LoginResponse, SetupRequest, SetupStatus};
use app::domain::bill::{parse_rates, rates_text, TaxMode};
use app::domain::first_run::{country_preset, VenueTemplate, COUNTRIES, CURRENCIES};
use app::domain::staff::check_new_pin;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The browser's time zone (`Europe/Rome`), the best first guess of the venue's.
fn browser_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(None::<bool>);
    spawn_local(async move {
        // Unreachable counts as "still needed": the form says so when it is sent.
        let needed = client::get::<SetupStatus>("/setup")
            .await
            .map_or(true, |s| s.needed);
        status.set(Some(needed));
    });

    let venue_name = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let currency = RwSignal::new("EUR".to_owned());
    let time_zone = RwSignal::new(browser_time_zone().unwrap_or_else(|| "UTC".into()));
    let tax_mode = RwSignal::new(TaxMode::Inclusive);
    let rates = RwSignal::new(String::new());
    let template = RwSignal::new(Some(VenueTemplate::Restaurant));
    let owner_name = RwSignal::new(String::new());
    let (pin, pin_again) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let pick_country = move |code: String| {
        if let Some(c) = country_preset(&code) {
            currency.set(c.currency.to_owned());
            time_zone.set(c.time_zone.to_owned());
            tax_mode.set(c.tax_mode);
            rates.set(rates_text(c.tax_rates_bp));
        }
        country.set(code);
    };
    // The browser's time zone names the country, when one of ours keeps it.
    if let Some(c) = COUNTRIES
        .iter()
        .find(|c| c.time_zone == time_zone.get_untracked())
    {
        pick_country(c.code.to_owned());
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (first, second) = (pin.get_untracked(), pin_again.get_untracked());
        if let Err(why) = check_new_pin(&first) {
            return problem.set(Some(format!("Your PIN: {why}.")));
        }
        if first != second {
            return problem.set(Some("The two PINs differ; type the same PIN twice.".into()));
        }
        let tax_rates_bp = match parse_rates(&rates.get_untracked()) {
            Ok(r) if r.is_empty() => {
                return problem.set(Some(
                    "Type your tax rates, e.g. 10, 22 (or 0 if you charge no tax).".into(),
                ))
            }
            Ok(r) => r,
            Err(e) => return problem.set(Some(e)),
        };
        let country = Some(country.get_untracked()).filter(|c| !c.is_empty());
        let req = SetupRequest {
            venue_name: venue_name.get_untracked(),
            currency: currency.get_untracked(),
            time_zone: time_zone.get_untracked(),
            tax_mode: tax_mode.get_untracked(),
            owner_name: owner_name.get_untracked(),
            owner_pin: first,
            template: template.get_untracked(),
            country,
            tax_rates_bp,
        };
        busy.set(true);
        spawn_local(async move {
            match client::post::<_, LoginResponse>("/setup", &req).await {
                Ok(login) => {
                    session.sign_in(login);
                    // The back office is a page of this shell; load it afresh so every
                    // screen starts from the venue as it now is.
                    let _ = window().location().assign("/manager");
                }
                Err(e) => {
                    busy.set(false);
                    problem.set(Some(e.message()));
                }
            }
        });
    };

    let text_field = move |label: &'static str, value: RwSignal<String>, hint: &'static str| {
        view! {
            <div>
                <label class="field">{label}
                    <input type="text" maxlength="60" required=true prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                </label>
                <p class="hint field-hint">{hint}</p>
            </div>
        }
    };
    let pin_field = move |label: &'static str, value: RwSignal<String>| {
        view! { <label class="field">{label} {new_pin_input(value)}</label> }
    };
    let template_card = move |choice: Option<VenueTemplate>| {
        let (label, summary) = match choice {
            Some(t) => (t.label(), t.summary()),
            None => ("Empty", "No menu and no tables: add your own"),
        };
        let chosen = move || template.get() == choice;
        view! {
            <button type="button" class="template" class:chosen=chosen
                aria-pressed=move || chosen().to_string() on:click=move |_| template.set(choice)>
                <strong>{label}</strong><span>{summary}</span>
            </button>
        }
    };
    let mode_chip = move |label: &'static str, mode: TaxMode| {
        let on = move || tax_mode.get() == mode;
        view! {
            <button type="button" class="option" class:chosen=on aria-pressed=move || on().to_string()
                on:click=move |_| tax_mode.set(mode)>{label}</button>
        }
    };

    let form = move || {
        view! {
            <form class="setup-form" on:submit=submit>
                <fieldset>
                    <legend>"Your venue"</legend>
                    {text_field("Name", venue_name, "As guests know it; it is printed on bills.")}
                    <label class="field">"Country"
                        <select on:change=move |ev| pick_country(event_target_value(&ev))>
                            {COUNTRIES.iter().map(|c| view! {
                                <option value=c.code selected=move || country.get() == c.code>{c.name}</option>
                            }).collect_view()}
                            <option value="" selected=move || country.get().is_empty()>"Another country"</option>
                        </select>
                    </label>
                    <p class="hint field-hint">"Fills in the currency, time zone and taxes below."</p>
                    <div class="field-row">
                        <label class="field">"Currency"
                            <select on:change=move |ev| currency.set(event_target_value(&ev))>
                                {CURRENCIES.iter().map(|c| view! {
                                    <option value=*c selected=move || currency.get() == *c>{*c}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="field">"Time zone"
                            <input type="text" maxlength="64" prop:value=move || time_zone.get()
                                on:input=move |ev| time_zone.set(event_target_value(&ev))/>
                        </label>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Taxes"</legend>
                    <div class="options" role="group" aria-label="Prices">
                        {mode_chip("Prices include tax", TaxMode::Inclusive)}
                        {mode_chip("Tax added to prices", TaxMode::Exclusive)}
                    </div>
                    <label class="field">"Tax rates (%)"
                        <input type="text" inputmode="decimal" placeholder="10, 22" prop:value=move || rates.get()
                            on:input=move |ev| rates.set(event_target_value(&ev))/>
                    </label>
                    <p class="hint field-hint">"The usual rate first; the second, if any, is for alcohol. Each product can have its own later."</p>
                </fieldset>
                <fieldset>
                    <legend>"Start with"</legend>
                    <div class="templates" role="group" aria-label="Start with">
                        {VenueTemplate::ALL.into_iter().map(|t| template_card(Some(t))).collect_view()}
                        {template_card(None)}
                    </div>
                    <p class="hint">"Every dish, price and table can be changed afterwards."</p>
                </fieldset>
                <fieldset>
                    <legend>"You, the owner"</legend>
                    {text_field("Your name", owner_name, "Shown on orders you take and in the audit log.")}
                    <div class="field-row">
                        {pin_field("Your PIN (4 to 8 digits)", pin)}
                        {pin_field("The same PIN again", pin_again)}
                    </div>
                    <p class="hint">"You sign in with it. Easy ones such as 1234 or 0000 are refused."</p>
                </fieldset>
                <p class="login-error" role="alert">{move || problem.get()}</p>
                <button type="submit" class="primary wide" disabled=move || busy.get()>
                    {move || if busy.get() { "Setting up…" } else { "Open my venue" }}
                </button>
            </form>
        }
    };

    view! {
        <main class="page setup">
            <h1>"Welcome to Comanda"</h1>
            {move || match status.get() {
                None => view! { <p class="hint">"One moment…"</p> }.into_any(),
                Some(false) => view! {
                    <p>"This venue is set up already."</p>
                    <a class="button" href="/">"Sign in"</a>
                }.into_any(),
                Some(true) => view! {
                    <p class="lead">"A few questions, once. The menu, tables and staff can all be changed later in the back office."</p>
                    {form()}
                }.into_any(),
            }}
        </main>
    }
}
