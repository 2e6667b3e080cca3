//! The venue's money rules on the manager page: its name, country and currency (until the
//! first order), taxes, cash rounding, the limits over which
//! voids, discounts and tips need a manager's PIN, the largest single amount, the time zone
//! and the end of the business day; the reasons a line may be voided for; and the rules
//! that discount a category at set hours (a happy hour).

use crate::client;
use crate::pages::report;
use crate::session::use_session;
use app::api::{DiscountRuleChange, VenueSettings, VoidReason, VoidReasonChange};
use app::domain::bill::{parse_rates, rate_label, rates_text, TaxMode, TaxRounding};
use app::domain::discounts::{clock, DiscountRule};
use app::domain::first_run::{COUNTRIES, CURRENCIES};
use app::domain::money::parse_amount;
use app::domain::CategoryId;
use leptos::prelude::*;
use leptos::task::spawn_local;

fn typed(minor: Option<i64>) -> String {
    minor.map_or(String::new(), |m| format!("{}.{:02}", m / 100, m % 100))
}

#[component]
pub fn MoneyRulesPanel(
    error: RwSignal<Option<String>>,
    currency: Signal<String>,
    /// The menu's categories, for discount rules.
    categories: Signal<Vec<(CategoryId, String)>>,
) -> impl IntoView {
    let session = use_session();
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let settings = RwSignal::new(VenueSettings::default());
    let (void_limit, discount_limit) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (tip_limit, ceiling) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (zone, day_ends) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let reasons = RwSignal::new(Vec::<VoidReason>::new());
    let rules = RwSignal::new(Vec::<DiscountRule>::new());
    let (venue_name, rates) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let show = move |s: VenueSettings| {
        venue_name.set(s.name.clone().unwrap_or_default());
        rates.set(rates_text(s.tax_rates_bp.as_deref().unwrap_or_default()));
        void_limit.set(typed(s.void_approval_above_minor));
        discount_limit.set(typed(s.discount_approval_above_minor));
        tip_limit.set(typed(s.tip_approval_above_minor.flatten()));
        ceiling.set(typed(s.max_amount_minor));
        zone.set(s.time_zone.clone().unwrap_or_default());
        day_ends.set(s.business_day_ends.clone().unwrap_or_default());
        settings.set(s);
    };
    let load = move || {
        spawn_local(async move {
            match client::get::<VenueSettings>("/venue/settings").await {
                Ok(s) => show(s),
                Err(e) => report(e, error, session),
            }
            match client::get::<Vec<VoidReason>>("/void-reasons").await {
                Ok(r) => reasons.set(r),
                Err(e) => report(e, error, session),
            }
            match client::get::<Vec<DiscountRule>>("/discount-rules").await {
                Ok(r) => rules.set(r),
                Err(e) => report(e, error, session),
            }
        })
    };
    load();

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let limit = |text: String, what: &str| match parse_amount(&text) {
            Some(m) => Ok(m),
            None => Err(format!("Type the {what} limit, e.g. 10.00")),
        };
        let (void_above, discount_above) = match (
            limit(void_limit.get_untracked(), "void"),
            limit(discount_limit.get_untracked(), "discount"),
        ) {
            (Ok(v), Ok(d)) => (v, d),
            (Err(e), _) | (_, Err(e)) => return problem.set(Some(e)),
        };
        // An empty tip limit means the bill's total.
        let tip_above = match tip_limit.get_untracked().trim() {
            "" => None,
            t => match parse_amount(t) {
                Some(m) => Some(m),
                None => {
                    return problem.set(Some(
                        "Type the tip limit, e.g. 20.00, or leave it empty".into(),
                    ))
                }
            },
        };
        let Some(most) = parse_amount(&ceiling.get_untracked()) else {
            return problem.set(Some(
                "Type the largest single amount, e.g. 100000.00".into(),
            ));
        };
        let tax_rates = match parse_rates(&rates.get_untracked()) {
            Ok(r) => r,
            Err(e) => return problem.set(Some(e)),
        };
        let current = settings.get_untracked();
        let change = VenueSettings {
            name: Some(venue_name.get_untracked()),
            tax_rates_bp: Some(tax_rates),
            void_approval_above_minor: Some(void_above),
            discount_approval_above_minor: Some(discount_above),
            tip_approval_above_minor: Some(tip_above),
            max_amount_minor: Some(most),
            time_zone: Some(zone.get_untracked()),
            business_day_ends: Some(day_ends.get_untracked()),
            ..current
        };
        spawn_local(async move {
            match client::patch::<_, VenueSettings>("/venue/settings", &change).await {
                Ok(s) => {
                    problem.set(None);
                    saved.set(Some(
                        "Saved. Phones use the new rules from their next refresh.".into(),
                    ));
                    show(s);
                }
                Err(e) => {
                    problem.set(Some(e.message()));
                    // What is shown goes back to what the box kept (a refused currency).
                    if let Ok(s) = client::get::<VenueSettings>("/venue/settings").await {
                        show(s);
                    }
                }
            }
        })
    };
    let set_mode = move |mode: TaxMode| settings.update(|s| s.tax_mode = Some(mode));
    let set_rounding = move |r: TaxRounding| settings.update(|s| s.tax_rounding = Some(r));
    let set_cash = move |c: i64| settings.update(|s| s.cash_rounding_minor = Some(c));

    let new_reason = RwSignal::new(String::new());
    let add_reason = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = VoidReasonChange {
            label: Some(new_reason.get_untracked()),
            active: None,
        };
        spawn_local(async move {
            match client::post::<_, VoidReason>("/void-reasons", &change).await {
                Ok(_) => {
                    new_reason.set(String::new());
                    problem.set(None);
                    load();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let switch_reason = move |id: String, active: bool| {
        let change = VoidReasonChange {
            label: None,
            active: Some(active),
        };
        spawn_local(async move {
            match client::patch::<_, VoidReason>(&format!("/void-reasons/{id}"), &change).await {
                Ok(_) => load(),
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let switch_rule = move |id: String, active: bool| {
        let change = DiscountRuleChange {
            active: Some(active),
            ..Default::default()
        };
        spawn_local(async move {
            match client::patch::<_, DiscountRule>(&format!("/discount-rules/{id}"), &change).await
            {
                Ok(_) => load(),
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let (rule_name, rule_category, rule_percent) = (
        RwSignal::new(String::new()),
        RwSignal::new(None::<CategoryId>),
        RwSignal::new(String::new()),
    );
    let (rule_starts, rule_ends) = (
        RwSignal::new(String::from("17:00")),
        RwSignal::new(String::from("19:00")),
    );
    let add_rule = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(percent_bp) = parse_amount(rule_percent.get_untracked().trim_end_matches('%'))
        else {
            return problem.set(Some("Type the discount in percent, e.g. 20".into()));
        };
        let category = rule_category
            .get_untracked()
            .or_else(|| categories.get_untracked().first().map(|(id, _)| *id));
        let change = DiscountRuleChange {
            name: Some(rule_name.get_untracked()),
            category_id: category,
            percent_bp: Some(percent_bp),
            starts: Some(rule_starts.get_untracked()),
            ends: Some(rule_ends.get_untracked()),
            active: Some(true),
        };
        spawn_local(async move {
            match client::post::<_, DiscountRule>("/discount-rules", &change).await {
                Ok(_) => {
                    rule_name.set(String::new());
                    problem.set(None);
                    load();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let category_name = move |id: CategoryId| {
        categories.with(|c| {
            c.iter()
                .find(|(c, _)| *c == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        })
    };
    let chip = move |label: &'static str, on: Signal<bool>, pick: Callback<()>| {
        view! {
            <button type="button" class="option" class:chosen=on aria-pressed=move || on.get().to_string()
                on:click=move |_| pick.run(())>{label}</button>
        }
    };
    let is = move |f: fn(&VenueSettings) -> bool| Signal::derive(move || settings.with(f));
    view! {
        <section class="money-rules" aria-label="Money rules">
            <h2>"Money rules"</h2>
            <form on:submit=save>
                <label class="field">"Venue name (printed on bills)"
                    <input type="text" maxlength="60" prop:value=move || venue_name.get()
                        on:input=move |ev| venue_name.set(event_target_value(&ev))/>
                </label>
                <div class="field-row">
                    <label class="field">"Country"
                        <select on:change=move |ev| {
                            let code = event_target_value(&ev);
                            settings.update(|s| s.country = (!code.is_empty()).then_some(code));
                        }>
                            <option value="" selected=move || settings.with(|s| s.country.is_none())>"Not set"</option>
                            {COUNTRIES.iter().map(|c| view! {
                                <option value=c.code selected=move || settings.with(|s| s.country.as_deref() == Some(c.code))>{c.name}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">"Currency (only before the first order)"
                        <select on:change=move |ev| {
                            let code = event_target_value(&ev);
                            settings.update(|s| s.currency = Some(code));
                        }>
                            {CURRENCIES.iter().map(|c| view! {
                                <option value=*c selected=move || settings.with(|s| s.currency.as_deref() == Some(*c))>{*c}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <label class="field">"Tax rates (%), the usual one first"
                    <input type="text" inputmode="decimal" prop:value=move || rates.get()
                        on:input=move |ev| rates.set(event_target_value(&ev))/>
                </label>
                <div class="options" role="group" aria-label="Prices">
                    {chip("Prices include tax", is(|s| s.tax_mode == Some(TaxMode::Inclusive)), Callback::new(move |_| set_mode(TaxMode::Inclusive)))}
                    {chip("Tax added to prices", is(|s| s.tax_mode == Some(TaxMode::Exclusive)), Callback::new(move |_| set_mode(TaxMode::Exclusive)))}
                </div>
                <div class="options" role="group" aria-label="Tax rounding">
                    {chip("Round tax per bill", is(|s| s.tax_rounding == Some(TaxRounding::PerBill)), Callback::new(move |_| set_rounding(TaxRounding::PerBill)))}
                    {chip("Round tax per line", is(|s| s.tax_rounding == Some(TaxRounding::PerLine)), Callback::new(move |_| set_rounding(TaxRounding::PerLine)))}
                </div>
                <div class="options" role="group" aria-label="Cash rounding">
                    {chip("Cash exact", is(|s| s.cash_rounding_minor == Some(1)), Callback::new(move |_| set_cash(1)))}
                    {chip("Cash to 0.05", is(|s| s.cash_rounding_minor == Some(5)), Callback::new(move |_| set_cash(5)))}
                    {chip("Cash to 0.10", is(|s| s.cash_rounding_minor == Some(10)), Callback::new(move |_| set_cash(10)))}
                </div>
                <label class="field">{move || format!("Voids over this need a manager ({})", currency.get())}
                    <input type="text" inputmode="decimal" prop:value=move || void_limit.get()
                        on:input=move |ev| void_limit.set(event_target_value(&ev))/>
                </label>
                <label class="field">{move || format!("Discounts over this need a manager ({})", currency.get())}
                    <input type="text" inputmode="decimal" prop:value=move || discount_limit.get()
                        on:input=move |ev| discount_limit.set(event_target_value(&ev))/>
                </label>
                <label class="field">{move || format!("Tips over this need a manager ({})", currency.get())}
                    <input type="text" inputmode="decimal" placeholder="The bill's total" prop:value=move || tip_limit.get()
                        on:input=move |ev| tip_limit.set(event_target_value(&ev))/>
                </label>
                <label class="field">{move || format!("Largest single amount ({})", currency.get())}
                    <input type="text" inputmode="decimal" prop:value=move || ceiling.get()
                        on:input=move |ev| ceiling.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Time zone"
                    <input type="text" prop:value=move || zone.get() on:input=move |ev| zone.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Business day ends at"
                    <input type="text" prop:value=move || day_ends.get() on:input=move |ev| day_ends.set(event_target_value(&ev))/>
                </label>
                <button class="primary" type="submit">"Save money rules"</button>
            </form>
            <p class="hint" role="status">{move || saved.get()}</p>
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>

            <h3>"Void reasons"</h3>
            <ul class="void-reasons">
                {move || reasons.get().into_iter().map(|r| {
                    let (id, active) = (r.id.clone(), r.active);
                    view! {
                        <li class="void-reason" class:retired=!active>
                            <span>{r.label.clone()}</span>
                            <button class="secondary" on:click=move |_| switch_reason(id.clone(), !active)>
                                {if active { "Retire" } else { "Offer again" }}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add_reason>
                <label class="field">"New reason"
                    <input type="text" maxlength="60" prop:value=move || new_reason.get()
                        on:input=move |ev| new_reason.set(event_target_value(&ev))/>
                </label>
                <button class="secondary" type="submit">"Add reason"</button>
            </form>

            <h3>"Discount rules"</h3>
            <ul class="discount-rules">
                {move || rules.get().into_iter().map(|r| {
                    let (id, active) = (r.id.clone(), r.active);
                    let text = format!("{}: {} off {} from {} to {}", r.name, rate_label(r.percent_bp),
                        category_name(r.category_id), clock(r.starts_minute), clock(r.ends_minute));
                    view! {
                        <li class="discount-rule" data-rule=r.name.clone()>
                            <span>{text}</span>
                            <button class="secondary" aria-pressed=active.to_string() on:click=move |_| switch_rule(id.clone(), !active)>
                                {if active { "On" } else { "Off" }}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add_rule>
                <label class="field">"Rule name"
                    <input type="text" maxlength="60" prop:value=move || rule_name.get()
                        on:input=move |ev| rule_name.set(event_target_value(&ev))/>
                </label>
                <label class="field">"Category"
                    <select on:change=move |ev| rule_category.set(event_target_value(&ev).parse().ok())
                        prop:value=move || rule_category.get().map(|c| c.to_string()).unwrap_or_default()>
                        {move || categories.get().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">"Percent off"
                    <input type="text" inputmode="decimal" prop:value=move || rule_percent.get()
                        on:input=move |ev| rule_percent.set(event_target_value(&ev))/>
                </label>
                <label class="field">"From"
                    <input type="text" prop:value=move || rule_starts.get() on:input=move |ev| rule_starts.set(event_target_value(&ev))/>
                </label>
                <label class="field">"To"
                    <input type="text" prop:value=move || rule_ends.get() on:input=move |ev| rule_ends.set(event_target_value(&ev))/>
                </label>
                <button class="secondary" type="submit">"Add rule"</button>
            </form>
        </section>
    }
}
