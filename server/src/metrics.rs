//! `/metrics` in Prometheus's text format (`prometheus-client`): requests and their
//! latencies per route, counted as they are answered, and at each scrape the box's
//! gauges (writes waiting, open orders, live streams, printers and their queues, serial
//! devices, texts waiting, backups, free disk).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Request {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Named {
    name: String,
}

/// The request counters, shared by every request.
#[derive(Debug)]
pub struct Metrics {
    requests: Family<Request, Counter>,
    latency: Family<Route, Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            requests: Family::default(),
            latency: Family::new_with_constructor(|| {
                // 1 ms to about 4 s.
                Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
                    0.001, 2.0, 13,
                ))
            }),
        }
    }
}

/// The box as it is at a scrape.
pub struct Gauges {
    pub writes_queued: i64,
    pub orders_open: i64,
    pub live_streams: i64,
    /// Name, online, jobs waiting.
    pub printers: Vec<(String, bool, i64)>,
    /// Name, connected.
    pub devices: Vec<(String, bool)>,
    pub sms_waiting: i64,
    pub backup_last_seconds: Option<i64>,
    pub backup_failing: bool,
    pub disk_free_bytes: u64,
}

impl Metrics {
    /// Counts a request answered: its route as the router matched it (never the raw
    /// path, whose ids would make a series each), its status and how long it took.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let (method, route) = (method.to_owned(), route.to_owned());
        self.requests
            .get_or_create(&Request {
                method: method.clone(),
                route: route.clone(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&Route { method, route })
            .observe(seconds);
    }

    /// The text a Prometheus scrape reads.
    pub fn encode(&self, gauges: &Gauges) -> String {
        let mut registry = Registry::with_prefix("comanda");
        registry.register("http_requests", "Requests answered", self.requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request",
            self.latency.clone(),
        );
        let gauge = |value: i64| {
            let g: Gauge = Gauge::default();
            g.set(value);
            g
        };
        registry.register(
            "writes_queued",
            "Writes waiting for the database's writer",
            gauge(gauges.writes_queued),
        );
        registry.register("orders_open", "Orders open now", gauge(gauges.orders_open));
        registry.register(
            "live_streams",
            "Live event streams open (phones, screens)",
            gauge(gauges.live_streams),
        );
        let online: Family<Named, Gauge> = Family::default();
        let waiting: Family<Named, Gauge> = Family::default();
        for (name, up, queued) in &gauges.printers {
            let label = Named { name: name.clone() };
            online.get_or_create(&label).set(i64::from(*up));
            waiting.get_or_create(&label).set(*queued);
        }
        registry.register("printer_online", "1 while a printer takes its jobs", online);
        registry.register(
            "print_jobs_waiting",
            "Jobs waiting to print, per printer",
            waiting,
        );
        let connected: Family<Named, Gauge> = Family::default();
        for (name, up) in &gauges.devices {
            connected
                .get_or_create(&Named { name: name.clone() })
                .set(i64::from(*up));
        }
        registry.register(
            "serial_device_connected",
            "1 while a serial device is connected",
            connected,
        );
        registry.register(
            "sms_waiting",
            "Texts waiting to be sent",
            gauge(gauges.sms_waiting),
        );
        if let Some(at) = gauges.backup_last_seconds {
            registry.register(
                "backup_last_success_timestamp_seconds",
                "When the last backup was taken",
                gauge(at),
            );
        }
        registry.register(
            "backup_failing",
            "1 when the last backup failed",
            gauge(i64::from(gauges.backup_failing)),
        );
        registry.register(
            "disk_free_bytes",
            "Free space on the data folder's disk",
            gauge(i64::try_from(gauges.disk_free_bytes).unwrap_or(i64::MAX)),
        );
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &registry);
        out
    }
}

/// Free and total bytes on the disk holding `path`.
pub fn disk_space(path: &std::path::Path) -> (u64, u64) {
    match rustix::fs::statvfs(path) {
        Ok(s) => (
            s.f_bavail.saturating_mul(s.f_frsize),
            s.f_blocks.saturating_mul(s.f_frsize),
        ),
        Err(_) => (0, 0),
    }
}
