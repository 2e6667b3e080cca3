//! Sales reports at `/manager/reports`: pick a range (today, last week, a month, or two
//! dates), and see its figures beside the period before, sales by day and by hour as
//! charts, and one table at a time (products, categories, waiters, payment methods, taxes,
//! voids and refunds). The whole range downloads as a spreadsheet, a table as CSV, and
//! the journal (every order, line, payment, refund and Z) for the accountant.

use super::bar_chart::{Bar, BarChart};
use crate::client;
use crate::pages::report as report_error;
use crate::session::use_session;
use app::api::ExportProgress;
use app::domain::reports::{By, Cell, Kind, Preset, SalesReport, Totals};
use app::domain::Money;
use leptos::prelude::*;
use leptos::task::spawn_local;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// The tables a manager can look through, in the order offered.
const TABLES: [By; 6] = [
    By::Product,
    By::Category,
    By::Waiter,
    By::Method,
    By::Tax,
    By::Voids,
];

/// `2026-11-23` as (year, month, day).
fn parts(day: &str) -> Option<(i64, usize, i64)> {
    let mut it = day.split('-');
    let y = it.next()?.parse().ok()?;
    let m: usize = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m, d))
}

/// `Mon 23 Nov` (Sakamoto's weekday).
fn day_label(day: &str) -> String {
    let Some((y, m, d)) = parts(day) else {
        return day.to_owned();
    };
    const T: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y2 = if m < 3 { y - 1 } else { y };
    let weekday = (y2 + y2 / 4 - y2 / 100 + y2 / 400 + T[m - 1] + d).rem_euclid(7) as usize;
    format!("{} {d} {}", WEEKDAYS[weekday], MONTHS[m - 1])
}

/// `23 Nov – 29 Nov 2026`, or one day.
fn range_label(from: &str, to: &str) -> String {
    let year = to.get(..4).unwrap_or_default();
    if from == to {
        format!("{} {year}", day_label(from))
    } else {
        format!(
            "{} – {} {year}",
            day_label(from).get(4..).unwrap_or(from),
            day_label(to).get(4..).unwrap_or(to)
        )
    }
}

fn money(minor: i64, currency: &str) -> String {
    Money::new(minor, currency).to_string()
}

/// `▲ 12 %` or `▼ 3 %` against the period before (`new` when there was nothing before),
/// and whether that is good news: more sales are, more voids are not.
fn change(now: i64, before: i64, more_is_better: bool) -> (String, &'static str) {
    let news = |up: bool| if up == more_is_better { "good" } else { "bad" };
    if before == 0 {
        return if now == 0 {
            ("no change".into(), "same")
        } else {
            ("new".into(), news(true))
        };
    }
    let Some(difference) = now.checked_sub(before) else {
        return ("—".into(), "same");
    };
    let percent = (difference as f64 / before.unsigned_abs() as f64 * 100.0).round() as i64;
    match percent {
        0 => ("no change".into(), "same"),
        p if p > 0 => (format!("▲ {p} %"), news(true)),
        p => (format!("▼ {} %", -p), news(false)),
    }
}

/// The figures at the top: each with the period before beside it.
fn figures(now: &Totals, before: &Totals, currency: &str, previous: &str) -> impl IntoView {
    let average = |t: &Totals| t.average_ticket_minor();
    // (label, now, before, money or a count, more is better)
    let rows: [(&str, i64, i64, bool, bool); 8] = [
        ("Sales", now.sales_minor, before.sales_minor, true, true),
        ("Orders", now.orders, before.orders, false, true),
        ("Average ticket", average(now), average(before), true, true),
        ("Covers", now.covers, before.covers, false, true),
        ("Tips", now.tips_minor, before.tips_minor, true, true),
        (
            "Discounts",
            now.discounts_minor,
            before.discounts_minor,
            true,
            false,
        ),
        ("Voided", now.voids_minor, before.voids_minor, true, false),
        (
            "Refunded",
            now.refunds_minor,
            before.refunds_minor,
            true,
            false,
        ),
    ];
    let cards = rows
        .into_iter()
        .map(|(label, value, was, is_money, more_is_better)| {
            let shown = |v: i64| {
                if is_money {
                    money(v, currency)
                } else {
                    v.to_string()
                }
            };
            let (delta, direction) = change(value, was, more_is_better);
            view! {
                <li class="kpi">
                    <span class="kpi-label">{label}</span>
                    <strong class="kpi-value">{shown(value)}</strong>
                    <span class=format!("kpi-change {direction}")>{delta}</span>
                    <span class="kpi-before">{format!("{} {previous}", shown(was))}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="kpis" aria-label="Figures">{cards}</ul> }
}

/// A view's sales as a bar chart called `title`, each bar labelled by `label` (under
/// it, and in full on hover) from the view's `key` column.
fn chart(
    report: &SalesReport,
    key: &str,
    title: &'static str,
    label: impl Fn(&str) -> (String, String),
) -> impl IntoView {
    let top = report
        .column("sales_minor")
        .map(|c| {
            report
                .rows
                .iter()
                .filter_map(|row| row[c].number())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0);
    let bars = bars(report, key, label);
    view! {
        <figure class="report-chart">
            <figcaption>{title}</figcaption>
            <BarChart name=title.into() bars=bars top=money(top, &report.currency)/>
        </figure>
    }
}

/// The sales column of a report as bars, labelled by `label`.
fn bars(report: &SalesReport, key: &str, label: impl Fn(&str) -> (String, String)) -> Vec<Bar> {
    let (Some(at), Some(sales)) = (report.column(key), report.column("sales_minor")) else {
        return vec![];
    };
    report
        .rows
        .iter()
        .map(|row| {
            let value = row[sales].number().unwrap_or(0);
            let (short, long) = label(row[at].text());
            Bar {
                title: format!("{long}: {}", money(value, &report.currency)),
                label: short,
                value,
            }
        })
        .collect()
}

fn cell(kind: Kind, cell: &Cell, currency: &str) -> String {
    match (kind, cell) {
        (Kind::Money, Cell::Number(n)) => money(*n, currency),
        (Kind::Date, Cell::Text(t)) => day_label(t),
        (_, Cell::Number(n)) => n.to_string(),
        (_, Cell::Text(t)) => t.clone(),
    }
}

/// A view as a table; `rows` picks which rows.
fn table(report: &SalesReport, caption: &str, rows: &[Vec<Cell>]) -> impl IntoView {
    let heads = report
        .columns
        .iter()
        .map(|c| {
            let numeric = matches!(c.kind, Kind::Money | Kind::Count);
            view! { <th class:num=numeric scope="col">{c.label.clone()}</th> }
        })
        .collect_view();
    let body = rows
        .iter()
        .map(|row| {
            let cells = report
                .columns
                .iter()
                .zip(row)
                .map(|(c, v)| {
                    let numeric = matches!(c.kind, Kind::Money | Kind::Count);
                    view! { <td class:num=numeric>{cell(c.kind, v, &report.currency)}</td> }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="report-table-wrap">
            <table class="report-table">
                <caption>{caption.to_owned()}</caption>
                <thead><tr>{heads}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// The chosen table: products as best and slowest sellers, then all of them.
fn chosen(report: &SalesReport) -> AnyView {
    if report.rows.is_empty() {
        return view! { <p class="empty">"Nothing in this range."</p> }.into_any();
    }
    match report.by {
        By::Product if report.rows.len() > 15 => {
            let n = report.rows.len();
            view! {
                {table(report, "Best sellers", &report.rows[..10])}
                {table(report, "Slowest sellers", &report.rows[n - 5..])}
                <details class="all-rows">
                    <summary>{format!("All {n} products")}</summary>
                    {table(report, "All products", &report.rows)}
                </details>
            }
            .into_any()
        }
        by => table(report, by.title(), &report.rows).into_any(),
    }
}

#[component]
pub fn SalesReports(error: RwSignal<Option<String>>) -> impl IntoView {
    let session = use_session();
    let presets = RwSignal::new(Vec::<Preset>::new());
    let picked = RwSignal::new(String::from("this-week"));
    let range = RwSignal::new(None::<(String, String)>);
    let (from_field, to_field) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let by_day = RwSignal::new(None::<SalesReport>);
    let by_hour = RwSignal::new(None::<SalesReport>);
    let tab = RwSignal::new(By::Product);
    let shown = RwSignal::new(None::<SalesReport>);
    let problem = RwSignal::new(None::<String>);
    let saving = RwSignal::new(None::<&'static str>);

    spawn_local(async move {
        match client::get::<Vec<Preset>>("/reports/ranges").await {
            Ok(list) => {
                if let Some(p) = list.iter().find(|p| p.key == "this-week") {
                    from_field.set(p.from.clone());
                    to_field.set(p.to.clone());
                    range.set(Some((p.from.clone(), p.to.clone())));
                }
                presets.set(list);
            }
            Err(e) => report_error(e, error, session),
        }
    });
    let query = move |by: By| {
        range
            .get_untracked()
            .map(|(from, to)| format!("from={from}&to={to}&by={}", by.as_str()))
    };
    // A range read: its days and hours; a table read when the range or the tab changes.
    // An answer for a range no longer picked is dropped.
    let fetch = move |by: By, into: RwSignal<Option<SalesReport>>| {
        let Some(q) = query(by) else { return };
        let asked = range.get_untracked();
        spawn_local(async move {
            match client::get::<SalesReport>(&format!("/reports/sales?{q}")).await {
                Ok(report) if range.get_untracked() == asked => {
                    problem.set(None);
                    into.set(Some(report));
                }
                Ok(_) => {}
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    Effect::new(move |_| {
        if range.get().is_some() {
            fetch(By::Day, by_day);
            fetch(By::Hour, by_hour);
        }
    });
    Effect::new(move |_| {
        let by = tab.get();
        if range.get().is_some() {
            fetch(by, shown);
        }
    });

    let pick = move |p: Preset| {
        picked.set(p.key.clone());
        from_field.set(p.from.clone());
        to_field.set(p.to.clone());
        range.set(Some((p.from, p.to)));
    };
    let custom = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (from, to) = (from_field.get_untracked(), to_field.get_untracked());
        if from.is_empty() || to.is_empty() {
            return problem.set(Some("Pick the first and the last day.".into()));
        }
        if to < from {
            return problem.set(Some("The last day comes after the first.".into()));
        }
        picked.set("custom".into());
        range.set(Some((from, to)));
    };
    // A file the box makes goes straight to disk (`files::download`).
    let save = move |by: Option<By>, kind: &'static str| {
        let Some((from, to)) = range.get_untracked() else {
            return;
        };
        let path = match by {
            Some(by) => format!(
                "/reports/sales.{kind}?from={from}&to={to}&by={}",
                by.as_str()
            ),
            None => format!("/reports/sales.{kind}?from={from}&to={to}"),
        };
        saving.set(Some(kind));
        spawn_local(async move {
            if let Err(e) = crate::files::download(&path).await {
                problem.set(Some(e));
            }
            saving.set(None);
        });
    };
    // The journal of a long range takes a while: made as a job whose progress shows.
    let progress = RwSignal::new(None::<ExportProgress>);
    let journal = move |_| {
        let Some((from, to)) = range.get_untracked() else {
            return;
        };
        saving.set(Some("journal"));
        spawn_local(async move {
            let made = async {
                let path = format!("/reports/journal/jobs?from={from}&to={to}");
                let mut job: ExportProgress =
                    client::post_empty(&path).await.map_err(|e| e.message())?;
                while !job.ready {
                    if let Some(e) = job.error {
                        return Err(format!("The journal could not be made: {e}"));
                    }
                    progress.set(Some(job.clone()));
                    gloo_timers::future::TimeoutFuture::new(400).await;
                    job = client::get(&format!("/reports/journal/jobs/{}", job.id))
                        .await
                        .map_err(|e| e.message())?;
                }
                progress.set(Some(job.clone()));
                crate::files::download(&format!("/reports/journal/jobs/{}/file", job.id)).await
            };
            if let Err(e) = made.await {
                problem.set(Some(e));
            }
            progress.set(None);
            saving.set(None);
        });
    };
    let chips = move || {
        presets
            .get()
            .into_iter()
            .map(|p| {
                let key = StoredValue::new(p.key.clone());
                let selected = move || key.with_value(|k| picked.with(|p| p == k));
                let label = p.label.clone();
                view! {
                    <button type="button" class="chip" class:selected=selected aria-pressed=move || selected().to_string()
                        on:click=move |_| pick(p.clone())>{label}</button>
                }
            })
            .collect_view()
    };
    let heading = move || {
        by_day.get().map(|r| {
            let (now, before) = (&r.period, &r.previous);
            view! {
                <h3 class="report-range">{range_label(&now.from, &now.to)}</h3>
                {figures(&now.totals, &before.totals, &r.currency, &format!("the {} before", if now.from == now.to { "day" } else { "period" }))}
            }
        })
    };
    // One day is one bar: its hours say more.
    let day_chart = move || {
        by_day.get().filter(|r| r.rows.len() > 1).map(|r| {
            let many = r.rows.len() > 8;
            chart(&r, "day", "Sales by day", move |d| {
                // Under a bar, "Mon 23" for a week, the day of the month for longer
                // ranges; the whole date on hover.
                let long = day_label(d);
                let mut words = long.split(' ');
                let (weekday, day) = (words.next().unwrap_or_default(), words.next().unwrap_or(d));
                let short = if many {
                    day.to_owned()
                } else {
                    format!("{weekday} {day}")
                };
                (short, long)
            })
        })
    };
    let hour_chart = move || {
        by_hour.get().map(|r| {
            chart(&r, "hour", "Sales by hour of the day", |h| {
                (h.get(..2).unwrap_or(h).to_owned(), h.to_owned())
            })
        })
    };
    let tabs = TABLES
        .into_iter()
        .map(|by| {
            let here = move || tab.get() == by;
            view! {
                <button type="button" class="chip" class:selected=here aria-pressed=move || here().to_string()
                    on:click=move |_| tab.set(by)>{by.title()}</button>
            }
        })
        .collect_view();
    let busy = move || saving.get().is_some();
    view! {
        <section class="sales-reports" aria-label="Sales reports">
            <h2>"Sales reports"</h2>
            <div class="chips report-presets" role="group" aria-label="Range">{chips}</div>
            <form class="inline-form report-custom" on:submit=custom>
                <label>"From" <input type="date" prop:value=move || from_field.get()
                    on:input=move |ev| from_field.set(event_target_value(&ev))/></label>
                <label>"To" <input type="date" prop:value=move || to_field.get()
                    on:input=move |ev| to_field.set(event_target_value(&ev))/></label>
                <button type="submit">"Show these days"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {heading}
            <div class="report-charts">{day_chart}{hour_chart}</div>
            <div class="report-files">
                <button type="button" class="primary" disabled=busy on:click=move |_| save(None, "xlsx")>
                    {move || if saving.get() == Some("xlsx") { "Preparing the spreadsheet…" } else { "Download spreadsheet (XLSX)" }}
                </button>
                <button type="button" disabled=busy on:click=journal>
                    {move || match (saving.get(), progress.get()) {
                        (Some("journal"), Some(p)) => format!("Preparing the journal… {} %", p.percent()),
                        (Some("journal"), None) => "Preparing the journal…".to_owned(),
                        _ => "Journal for the accountant (XLSX)".to_owned(),
                    }}
                </button>
                <button type="button" disabled=busy on:click=move |_| save(Some(tab.get_untracked()), "csv")>
                    {move || if saving.get() == Some("csv") { "Preparing the CSV…" } else { "This table as CSV" }}
                </button>
            </div>
            {move || progress.get().map(|p| view! {
                <progress class="export-progress" max="100" value=p.percent() aria-label="The journal being made"></progress>
            })}
            <div class="chips report-tabs" role="group" aria-label="Table">{tabs}</div>
            {move || shown.get().map(|r| chosen(&r))}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_as_people_say_them() {
        assert_eq!(day_label("2026-11-23"), "Mon 23 Nov");
        assert_eq!(day_label("2026-12-04"), "Fri 4 Dec");
        assert_eq!(
            range_label("2026-11-23", "2026-11-29"),
            "23 Nov – 29 Nov 2026"
        );
        assert_eq!(change(112, 100, true), ("▲ 12 %".into(), "good"));
        assert_eq!(
            change(77, 100, false),
            ("▼ 23 %".into(), "good"),
            "fewer voids"
        );
        assert_eq!(
            change(550, 0, false),
            ("new".into(), "bad"),
            "a refund where there was none"
        );
        assert_eq!(change(0, 0, true).1, "same");
    }
}
