//! A bar chart drawn as SVG from Rust, no chart library: one bar per value, a label under
//! every few bars, a line at the top value, and each bar's own figure on hover (and read
//! out by screen readers in the chart's description).

use leptos::prelude::*;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
/// Room for the labels under the bars and the figure at the top.
const BOTTOM: f64 = 32.0;
const TOP: f64 = 28.0;
const LEFT: f64 = 4.0;

/// One bar: its label under the bar, its title on hover, its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub title: String,
    pub value: i64,
}

/// `bars` as a chart called `name`; `top` is the top value as people read it (`€1,204.50`).
#[component]
pub fn BarChart(
    name: String,
    bars: Vec<Bar>,
    top: String,
    #[prop(optional)] faint: bool,
) -> impl IntoView {
    let most = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let n = bars.len().max(1);
    let slot = (WIDTH - LEFT) / n as f64;
    let gap = (slot * 0.2).min(6.0);
    // A label under every bar while they fit (labels are large enough to read on a
    // phone, where the chart is half as wide), else under every few.
    let every = n.div_ceil(8).max(1);
    let plot = HEIGHT - BOTTOM - TOP;
    let described = format!(
        "{name}. {}",
        bars.iter()
            .map(|b| b.title.clone())
            .collect::<Vec<_>>()
            .join("; ")
    );
    let drawn = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let h = (bar.value.max(0) as f64 / most as f64 * plot).max(if bar.value > 0 { 1.0 } else { 0.0 });
            let x = LEFT + i as f64 * slot + gap / 2.0;
            let y = TOP + plot - h;
            let label = (i % every == 0).then(|| {
                view! {
                    <text class="chart-label" x=x + (slot - gap) / 2.0 y=HEIGHT - 8.0 text-anchor="middle">
                        {bar.label.clone()}
                    </text>
                }
            });
            view! {
                <g class="chart-bar">
                    <rect x=x y=y width=slot - gap height=h rx="2">
                        <title>{bar.title.clone()}</title>
                    </rect>
                    {label}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" class:faint=faint viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=described
            preserveAspectRatio="xMidYMid meet">
            <line class="chart-top" x1=LEFT y1=TOP x2=WIDTH y2=TOP/>
            <text class="chart-top-label" x=WIDTH y=TOP - 6.0 text-anchor="end">{top}</text>
            <line class="chart-base" x1=LEFT y1=TOP + plot x2=WIDTH y2=TOP + plot/>
            {drawn}
        </svg>
    }
}
