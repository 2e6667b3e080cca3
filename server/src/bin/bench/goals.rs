//! The goals the bench is read against (issue 12), each next to the figure it is read
//! from and the run that figure came from, printed last in one table. The bench prints
//! figures, not a verdict on the code: a figure of this box's slow phase can miss a goal
//! its fast phase meets, so the table says where each goal stands in this run only.
//!
//! Which run a goal is read from is a choice, written down in `docs/architecture.md`
//! ("What `make bench` measures"): send → kitchen p99 is read from the paced run, where
//! the 16 waiters load the box as a venue can, not from the back-to-back run, whose
//! latency is the box's limit (16 orders in flight over its rate); the rate, fsyncs and
//! CPU per order from the back-to-back run, where the box does nothing but orders.

use crate::busy::Load;
use crate::orders::{Figures, STALL};

/// A goal's bound: its figure must be at least or at most its limit.
enum Bound {
    AtLeast,
    AtMost,
}

struct Goal {
    what: &'static str,
    bound: Bound,
    limit: f64,
    unit: &'static str,
    /// None when the bench could not measure it (no perf, no Playwright, a stream that
    /// missed events).
    figure: Option<f64>,
    /// A short name for the run the figure is read from.
    from: String,
}

/// The goals noted so far, in the order they are printed.
#[derive(Default)]
pub(crate) struct Goals(Vec<Goal>);

impl Goals {
    /// The goals read from whole orders: the rate, fsyncs and CPU per order back to
    /// back, send → kitchen p99 paced (with the disk's stalls and the back-to-back p99
    /// beside it).
    pub(crate) fn orders(&mut self, back_to_back: &Figures, paced: &Figures) {
        let from = "whole orders, back to back";
        let ratio = Some(back_to_back.ratio);
        self.note(
            "orders/s over durable commits/s",
            Bound::AtLeast,
            0.5,
            "x",
            ratio,
            from,
        );
        let fsyncs = back_to_back.fsyncs_per_order;
        self.note("fsyncs per order", Bound::AtMost, 1.0, "", fsyncs, from);
        let cpu = back_to_back.cpu_ms_per_order;
        self.note("server CPU per order", Bound::AtMost, 0.5, "ms", cpu, from);
        let disk = paced.disk_stalled.map_or("not measured".to_owned(), |d| {
            format!("{:.1} % of the run", d * 100.0)
        });
        let beside = back_to_back
            .kitchen_p99_ms
            .map_or("not measured".to_owned(), |p| format!("{p:.2} ms"));
        let from = format!(
            "whole orders, paced (disk stalled past {} ms: {disk}; back to back p99: {beside})",
            STALL.as_millis()
        );
        let p99 = paced.kitchen_p99_ms;
        self.note("send -> kitchen p99", Bound::AtMost, 10.0, "ms", p99, from);
    }

    /// The goals read from the busy venue with live deltas.
    pub(crate) fn busy(&mut self, load: &Load) {
        let from = "a busy venue, live deltas";
        let cpu = load.cpu_percent;
        self.note(
            "busy venue's CPU",
            Bound::AtMost,
            25.0,
            "% of a core",
            cpu,
            from,
        );
        let p99 = load.p99_ms;
        self.note(
            "busy venue's send -> every screen p99",
            Bound::AtMost,
            50.0,
            "ms",
            p99,
            from,
        );
    }

    /// The server's peak RSS (`measure::peak_rss_kib`, 0 if unread), in MB of 10^6 bytes.
    pub(crate) fn memory(&mut self, peak_kib: u64) {
        let mb = (peak_kib > 0).then(|| (peak_kib * 1024) as f64 / 1e6);
        self.note(
            "server peak RSS",
            Bound::AtMost,
            40.0,
            "MB",
            mb,
            "every run before the downloads",
        );
    }

    /// The waiter's first download in brotli, in KB of 1,000 bytes.
    pub(crate) fn download(&mut self, bytes: usize) {
        let kb = Some(bytes as f64 / 1e3);
        self.note(
            "waiter's first download",
            Bound::AtMost,
            250.0,
            "KB",
            kb,
            "brotli",
        );
    }

    /// A cached start's median over its reloads, None if it could not be measured.
    pub(crate) fn cached_start(&mut self, median_ms: Option<f64>) {
        let from = "cached start, 40 open tables";
        self.note(
            "cached start to the floor, p50",
            Bound::AtMost,
            200.0,
            "ms",
            median_ms,
            from,
        );
    }

    /// Notes the goal "`what` at least or at most `limit` `unit`", and its figure in this
    /// run, read from `from`.
    fn note(
        &mut self,
        what: &'static str,
        bound: Bound,
        limit: f64,
        unit: &'static str,
        figure: Option<f64>,
        from: impl Into<String>,
    ) {
        let from = from.into();
        self.0.push(Goal {
            what,
            bound,
            limit,
            unit,
            figure,
            from,
        });
    }

    /// The table: each goal, its figure in this run, whether the figure meets it, and
    /// where it was read.
    pub(crate) fn print(&self) {
        println!("Goals (issue 12), each read from the run named, in this run:");
        let rows: Vec<[String; 4]> = self.0.iter().map(Goal::row).collect();
        let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
        let (wanted, figure, verdict) = (width(0), width(1), width(2));
        for [a, b, c, d] in &rows {
            println!("  {a:<wanted$}  {b:>figure$}  {c:<verdict$}  {d}");
        }
    }
}

impl Goal {
    /// The goal, its figure, whether the figure meets it, and where it was read.
    fn row(&self) -> [String; 4] {
        let (sign, met) = match self.bound {
            Bound::AtLeast => (">=", self.figure.map(|f| f >= self.limit)),
            Bound::AtMost => ("<=", self.figure.map(|f| f <= self.limit)),
        };
        let unit = |n: String| format!("{n} {}", self.unit).trim_end().to_owned();
        let (figure, verdict) = match (self.figure, met) {
            (Some(f), Some(true)) => (unit(format!("{f:.2}")), "met"),
            (Some(f), _) => (unit(format!("{f:.2}")), "MISSED"),
            (None, _) => ("-".to_owned(), "not measured"),
        };
        [
            unit(format!("{} {sign} {}", self.what, self.limit)),
            figure,
            verdict.to_owned(),
            self.from.clone(),
        ]
    }
}
