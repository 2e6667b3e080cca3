//! The cash day on screen. `ShiftPanel` (cashiers and managers): open the shift with a
//! float, see the cash the drawer should hold, and close it with a count by coin and note
//! (and a reason when the count differs). `ReportsPanel` (managers): the X report so far,
//! printing it, taking the Z report after a confirmation that says what still stops it,
//! and the Z reports taken. `ReportView` shows one report's figures.

use crate::client;
use crate::pages::report as report_error;
use crate::session::use_session;
use app::api::{CloseShiftRequest, OpenShiftRequest, ZBlockers};
use app::domain::bill::rate_label;
use app::domain::cash_day::{Report, ReportKind, Shift, DENOMINATIONS};
use app::domain::money::parse_amount;
use app::domain::Money;
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
    let reason = RwSignal::new(String::new());
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
                .and_then(|c| app::domain::cash_day::count_total(&c))
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
                reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
            };
            spawn_local(async move {
                match client::post::<_, Shift>("/shifts/current/close", &request).await {
                    Ok(s) => {
                        problem.set(None);
                        reason.set(String::new());
                        closed.set(Some(s));
                        shift.set(Some(None));
                    }
                    Err(e) => problem.set(Some(e.message())),
                }
            })
        }
    };
    // Built afresh each time the form shows: a built view cannot be cloned.
    let count_inputs = move || {
        counts
            .iter()
            .map(|&(d, n)| {
                let label = move || money(d, &currency.get());
                view! {
                    <label class="count-field">
                        <span>{label}</span>
                        <input type="text" inputmode="numeric" size="3" prop:value=move || n.get()
                            on:input=move |ev| n.set(event_target_value(&ev))/>
                    </label>
                }
            })
            .collect_view()
    };
    // What the count is off by, once something is counted: a reason is asked for then.
    let gap = {
        let total = total.clone();
        Memo::new(move |_| {
            let expected = shift.with(|s| s.as_ref()?.as_ref().map(|s| s.expected_minor))?;
            total().map(|t| t - expected).filter(|g| *g != 0)
        })
    };
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
                    <Show when=move || gap.get().is_some()>
                        <label class="field">
                            {move || gap.get().map(|g| format!(
                                "The count is {} {}: why?",
                                money(g.abs(), &currency.get()),
                                if g < 0 { "short" } else { "over" }
                            ))}
                            <input type="text" maxlength="200" placeholder="e.g. change given wrong"
                                prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target_value(&ev))/>
                        </label>
                    </Show>
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
    // "Take Z report" first asks the server what still stops it, and asks to confirm.
    let confirming = RwSignal::new(None::<ZBlockers>);
    let ask_z = move |_| {
        spawn_local(async move {
            match client::get::<ZBlockers>("/reports/z/blockers").await {
                Ok(b) => {
                    problem.set(None);
                    confirming.set(Some(b));
                }
                Err(e) => problem.set(Some(e.message())),
            }
        })
    };
    let take_z = move |_| {
        confirming.set(None);
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
                <button class="primary" on:click=ask_z>"Take Z report"</button>
            </div>
            {move || confirming.get().map(|b| view! {
                <ZConfirmation blockers=b on_take=Callback::new(take_z)
                    on_cancel=Callback::new(move |_| confirming.set(None))/>
            })}
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

/// Before the Z report: what still stops it (the open shift, open orders, nothing to
/// report), or what taking it means, with the button that takes it.
#[component]
fn ZConfirmation(
    blockers: ZBlockers,
    on_take: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let mut stops = Vec::new();
    if let Some(by) = &blockers.open_shift_by {
        stops.push(format!(
            "The shift {by} opened is still open: close it with a cash count first."
        ));
    }
    if !blockers.open_orders.is_empty() {
        stops.push(format!(
            "Still open: {}. Have them paid and closed, or written off, first.",
            blockers.open_orders.join(", ")
        ));
    }
    if !blockers.anything_to_report && stops.is_empty() {
        stops.push("Nothing has happened since the last Z report.".to_owned());
    }
    let ready = stops.is_empty();
    view! {
        <div class="z-confirm" role="alertdialog" aria-label="Take the Z report">
            {if ready {
                view! {
                    <p>"The Z report ends the business day. Its figures are kept for good and print on the receipt printer."</p>
                    <div class="sheet-actions">
                        <button class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                        <button class="primary" on:click=move |_| on_take.run(())>"Take Z report now"</button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p>"Not yet:"</p>
                    <ul>{stops.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    <div class="sheet-actions">
                        <button class="secondary" on:click=move |_| on_cancel.run(())>"Close"</button>
                    </div>
                }.into_any()
            }}
        </div>
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
