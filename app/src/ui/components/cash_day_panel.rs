//! The cash day on screen. `ShiftPanel` (cashiers and managers): open the shift with a
//! float, see the cash the drawer should hold, and close it with a count by coin and note.
//! `ReportsPanel` (managers): the X report so far, printing it, taking the Z report, and
//! the Z reports taken. `ReportView` shows one report's figures.

use crate::api::{CloseShiftRequest, OpenShiftRequest};
use crate::domain::bill::rate_label;
use crate::domain::cash_day::{Report, ReportKind, Shift, DENOMINATIONS};
use crate::domain::money::parse_amount;
use crate::domain::Money;
use crate::ui::client;
use crate::ui::pages::report as report_error;
use crate::ui::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;

fn money(minor: i64, currency: &str) -> String {
    Money::new(minor, currency).to_string()
}

#[component]
pub fn ShiftPanel(error: RwSignal<Option<String>>, currency: Signal<String>) -> impl IntoView {
    let session = use_session();
    // None while loading; Some(None) when no shift is open.
    let shift = RwSignal::new(None::<Option<Shift>>);
    let closed = RwSignal::new(None::<Shift>);
    let load = move || {
        spawn_local(async move {
            match client::get::<Option<Shift>>("/shifts/current").await {
                Ok(s) => shift.set(Some(s)),
                Err(e) => report_error(e, error, session),
            }
        })
    };
    load();
    let float = RwSignal::new(String::from("100.00"));
    let problem = RwSignal::new(None::<String>);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(float_minor) = parse_amount(&float.get_untracked()) else {
            return problem.set(Some("Type the float, e.g. 100.00".into()));
        };
        spawn_local(async move {
            match client::post::<_, Shift>("/shifts", &OpenShiftRequest { float_minor }).await {
                Ok(s) => {
                    problem.set(None);
                    closed.set(None);
                    shift.set(Some(Some(s)));
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let counts: Vec<(i64, RwSignal<String>)> = DENOMINATIONS
        .iter()
        .map(|&d| (d, RwSignal::new(String::new())))
        .collect();
    let counted = {
        let counts = counts.clone();
        move || -> Result<BTreeMap<i64, i64>, String> {
            let mut map = BTreeMap::new();
            for (d, n) in &counts {
                match n.get().trim() {
                    "" => {}
                    t => {
                        let n: i64 =
                            t.parse().ok().filter(|n| *n >= 0).ok_or_else(|| {
                                format!("{t:?} is not a number of coins or notes")
                            })?;
                        map.insert(*d, n);
                    }
                }
            }
            Ok(map)
        }
    };
    let total = {
        let counted = counted.clone();
        move || {
            counted()
                .ok()
                .and_then(|c| crate::domain::cash_day::count_total(&c))
        }
    };
    let close = {
        let counted = counted.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let counts = match counted() {
                Ok(c) => c,
                Err(e) => return problem.set(Some(e)),
            };
            let request = CloseShiftRequest {
                counts: Some(counts),
                counted_minor: None,
            };
            spawn_local(async move {
                match client::post::<_, Shift>("/shifts/current/close", &request).await {
                    Ok(s) => {
                        problem.set(None);
                        closed.set(Some(s));
                        shift.set(Some(None));
                    }
                    Err(e) => problem.set(Some(e.message())),
                }
            })
        }
    };
    let count_inputs = counts
        .into_iter()
        .map(|(d, n)| {
            let label = move || money(d, &currency.get());
            view! {
                <label class="count-field">
                    <span>{label}</span>
                    <input type="text" inputmode="numeric" size="3" prop:value=move || n.get()
                        on:input=move |ev| n.set(event_target_value(&ev))/>
                </label>
            }
        })
        .collect_view();
    let summary = move |s: &Shift, c: &str| {
        let mut rows = vec![
            ("Float", s.float_minor),
            ("Cash expected", s.expected_minor),
        ];
        if let (Some(counted), Some(gap)) = (s.counted_minor, s.discrepancy_minor) {
            rows.push(("Cash counted", counted));
            rows.push(("Discrepancy", gap));
        }
        rows.into_iter()
            .map(|(label, m)| view! { <tr><th>{label}</th><td>{money(m, c)}</td></tr> })
            .collect_view()
    };
    view! {
        <section class="shift-panel" aria-label="Shift">
            <h2>"Shift"</h2>
            {move || closed.get().map(|s| view! {
                <div class="shift-closed" role="status">
                    <p>{format!("Shift closed by {}.", s.closed_by.clone().unwrap_or_default())}</p>
                    <table class="figures">{summary(&s, &currency.get())}</table>
                </div>
            })}
            {move || match shift.get() {
                None => view! { <p class="hint">"Loading…"</p> }.into_any(),
                Some(None) => view! {
                    <form class="open-shift" on:submit=open>
                        <label class="field">"Float in the drawer"
                            <input type="text" inputmode="decimal" prop:value=move || float.get()
                                on:input=move |ev| float.set(event_target_value(&ev))/>
                        </label>
                        <button class="primary" type="submit">"Open shift"</button>
                    </form>
                }.into_any(),
                Some(Some(s)) => view! {
                    <p>{format!("Open, opened by {}.", s.opened_by)}</p>
                    <table class="figures">{summary(&s, &currency.get())}</table>
                }.into_any(),
            }}
            <Show when=move || matches!(shift.get(), Some(Some(_)))>
                <form class="close-shift" on:submit=close.clone()>
                    <h3>"Count the cash"</h3>
                    <div class="counts">{count_inputs.clone()}</div>
                    <p class="hint">{let total = total.clone(); move || total().map(|t| format!("Counted {}", money(t, &currency.get())))}</p>
                    <button class="primary" type="submit">"Close shift"</button>
                </form>
            </Show>
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>
        </section>
    }
}

#[component]
pub fn ReportsPanel(error: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let shown = RwSignal::new(None::<Report>);
    let z_list = RwSignal::new(Vec::<Report>::new());
    let problem = RwSignal::new(None::<String>);
    let load_z = move || {
        spawn_local(async move {
            match client::get::<Vec<Report>>("/reports/z").await {
                Ok(z) => z_list.set(z),
                Err(e) => report_error(e, error, session),
            }
        })
    };
    load_z();
    let x = move |_| {
        spawn_local(async move {
            match client::get::<Report>("/reports/x").await {
                Ok(r) => shown.set(Some(r)),
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let print_x = move |_| {
        spawn_local(async move {
            match client::post_empty::<Report>("/reports/x/print").await {
                Ok(r) => shown.set(Some(r)),
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let take_z = move |_| {
        spawn_local(async move {
            match client::post_empty::<Report>("/reports/z").await {
                Ok(r) => {
                    problem.set(None);
                    shown.set(Some(r));
                    load_z();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    view! {
        <section class="reports-panel" aria-label="Reports">
            <h2>"Reports"</h2>
            <div class="sheet-actions">
                <button class="secondary" on:click=x>"X report"</button>
                <button class="secondary" on:click=print_x>"Print X report"</button>
                <button class="primary" on:click=take_z>"Take Z report"</button>
            </div>
            <p class="sheet-problem" role="alert">{move || problem.get()}</p>
            {move || shown.get().map(|r| view! { <ReportView report=r/> })}
            <h3>"Z reports"</h3>
            <ul class="z-reports">
                {move || z_list.get().into_iter().map(|r| {
                    let label = format!("Z #{} · {} · {}", r.number.unwrap_or_default(), r.business_day,
                        money(r.sales_minor, &r.currency));
                    view! { <li><button class="link" on:click=move |_| shown.set(Some(r.clone()))>{label}</button></li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// One report's figures, as they print.
#[component]
pub fn ReportView(report: Report) -> impl IntoView {
    let c = report.currency.clone();
    let m = move |minor: i64| money(minor, &c);
    let title = match (report.kind, report.number) {
        (ReportKind::Z, Some(n)) => format!("Z report #{n} · business day {}", report.business_day),
        _ => format!("X report · business day {} so far", report.business_day),
    };
    let mut rows: Vec<(String, String)> = vec![
        ("Orders".into(), report.orders.to_string()),
        ("Covers".into(), report.covers.to_string()),
        ("Gross sales".into(), m(report.gross_sales_minor)),
        ("Discounts".into(), m(-report.discounts_minor)),
        ("Sales".into(), m(report.sales_minor)),
        ("Net of tax".into(), m(report.net_sales_minor)),
    ];
    for t in &report.taxes {
        rows.push((
            format!("Tax {} on {}", rate_label(t.rate_bp), m(t.net_minor)),
            m(t.tax_minor),
        ));
    }
    rows.push(("Average ticket".into(), m(report.average_ticket_minor)));
    rows.push((format!("Voids ({})", report.voids), m(report.voids_minor)));
    rows.push((
        format!("Refunds ({})", report.refunds),
        m(report.refunds_minor),
    ));
    rows.push(("Written off".into(), m(report.write_offs_minor)));
    rows.push(("Cash rounding".into(), m(report.cash_rounding_minor)));
    for p in &report.payments {
        rows.push((
            format!("{} ({})", p.method.label(), p.count),
            m(p.amount_minor),
        ));
        if p.tip_minor > 0 {
            rows.push((format!("{} tips", p.method.label()), m(p.tip_minor)));
        }
        if p.refunded_minor > 0 {
            rows.push((
                format!("{} refunded", p.method.label()),
                m(-p.refunded_minor),
            ));
        }
    }
    for t in &report.tips {
        rows.push((format!("Tips {}", t.name), m(t.tip_minor)));
    }
    for s in &report.shifts {
        rows.push(("Cash expected".into(), m(s.expected_minor)));
        if let (Some(counted), Some(gap)) = (s.counted_minor, s.discrepancy_minor) {
            rows.push(("Cash counted".into(), m(counted)));
            rows.push(("Discrepancy".into(), m(gap)));
        }
    }
    let kind = if report.kind == ReportKind::Z {
        "z"
    } else {
        "x"
    };
    view! {
        <article class="report" data-kind=kind aria-label=title.clone()>
            <h3>{title.clone()}</h3>
            <table class="figures">
                {rows.into_iter().map(|(label, value)| {
                    let key = label.clone();
                    view! { <tr data-figure=key><th>{label}</th><td>{value}</td></tr> }
                }).collect_view()}
            </table>
        </article>
    }
}
