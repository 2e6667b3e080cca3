//! What the bench reads off the machine and the server: SQLite's durable commit rate,
//! fsyncs (perf), CPU, context switches and peak RSS (from `/proc`), and latencies.

use crate::Sent;
use futures_util::StreamExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Single-row inserts, each its own durable commit, on one connection in WAL with
/// synchronous=FULL: what SQLite itself allows on this disk, one commit at a time. A
/// disk's fsync time wanders (one run here gave a quarter of the next), so this is the
/// median of several short rounds. On rusqlite, as the server's writer is: through sqlx,
/// each insert would also wait for two thread hand-offs, and the rate be SQLite's and
/// sqlx's together.
pub(crate) fn durable_commit_rate(
    dir: &std::path::Path,
) -> Result<f64, Box<dyn std::error::Error>> {
    let conn = durable_table(&dir.join("commit-rate.db"))?;
    let mut insert = conn.prepare("INSERT INTO t (at) VALUES (?)")?;
    const ROUNDS: usize = 7;
    const COMMITS: u32 = 150;
    let mut rates = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for i in 0..COMMITS {
            insert.execute([i])?;
        }
        rates.push(f64::from(COMMITS) / started.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    Ok(rates[ROUNDS / 2])
}

/// A database at `path` in WAL with synchronous=FULL, with a table `t` to insert rows
/// into, one durable commit each: the yardstick of `durable_commit_rate` and `DiskProbe`.
fn durable_table(path: &std::path::Path) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)",
    )?;
    Ok(conn)
}

/// SQLite's own durable commits beside a run: a single-row commit every `every`, on a
/// database of its own in the same directory and a thread of its own, until `finish`. A
/// write path that answers after a durable commit cannot answer while the disk stalls,
/// and this box's disk now and then holds an fsync for 20 to 300 ms; the probe shows how
/// long it did so during the run, beside the server's own latencies. Its commits share
/// the disk and the file system's journal with the server's, so it times the disk as the
/// run loads it.
pub(crate) struct DiskProbe {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<Result<ProbeRun, String>>>,
}

/// The probe's commits, and the time from its first to the end of its last.
struct ProbeRun {
    commits: Vec<Duration>,
    window: Duration,
}

/// What SQLite's own commits took beside a run (`DiskProbe`).
pub(crate) struct DiskCommits {
    pub(crate) p50: Duration,
    pub(crate) max: Duration,
    /// The time they spent past `over`, as a share of the probe's window: about the share
    /// of a paced run's orders that a disk stall made later than `over`. A lower bound,
    /// since the probe joins a stall up to `every` after it began.
    pub(crate) share_over: f64,
}

impl DiskProbe {
    pub(crate) fn start(dir: &std::path::Path, every: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (path, stopped) = (dir.join("disk-probe.db"), stop.clone());
        let thread = std::thread::spawn(move || {
            let conn = durable_table(&path).map_err(|e| e.to_string())?;
            let mut insert = conn
                .prepare("INSERT INTO t (at) VALUES (?)")
                .map_err(|e| e.to_string())?;
            let (mut commits, began) = (Vec::new(), Instant::now());
            let mut window = Duration::ZERO;
            for i in 0_i64.. {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                let started = Instant::now();
                insert.execute([i]).map_err(|e| e.to_string())?;
                let took = started.elapsed();
                commits.push(took);
                window = began.elapsed();
                std::thread::sleep(every.saturating_sub(took));
            }
            Ok(ProbeRun { commits, window })
        });
        Self {
            stop,
            thread: Some(thread),
        }
    }

    /// Stops the probe (waiting for its commit under way, if any); its commits' median,
    /// longest, and the share of its time they spent past `over`.
    pub(crate) fn finish(mut self, over: Duration) -> Result<DiskCommits, String> {
        self.stop.store(true, Ordering::Relaxed);
        let thread = self.thread.take().ok_or("the disk probe was stopped")?;
        let ProbeRun {
            mut commits,
            window,
        } = tokio::task::block_in_place(|| thread.join())
            .map_err(|_| "the disk probe panicked".to_owned())??;
        let stalled: Duration = commits.iter().map(|c| c.saturating_sub(over)).sum();
        Ok(DiskCommits {
            p50: percentile(&mut commits, 50.0),
            max: commits.iter().copied().max().unwrap_or_default(),
            share_over: stalled.as_secs_f64() / window.as_secs_f64().max(f64::EPSILON),
        })
    }
}

impl Drop for DiskProbe {
    /// A run that fails before `finish` still stops the probe's commits.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Counts the server's fsync and fdatasync calls with `perf stat` on their tracepoints,
/// from `start` to `finish`.
pub(crate) struct FsyncCount(Result<std::process::Child, String>);

impl FsyncCount {
    pub(crate) fn start(pid: u32) -> Self {
        let child = Command::new("perf")
            .args([
                "stat",
                "-x",
                ",",
                "-e",
                "syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync",
                "-p",
            ])
            .arg(pid.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("perf: {e}"));
        // perf needs a moment to attach to every thread.
        std::thread::sleep(Duration::from_millis(500));
        Self(child)
    }

    pub(crate) fn finish(self) -> Result<u64, String> {
        let child = self.0?;
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .map_err(|e| format!("kill: {e}"))?;
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&output.stderr);
        let counts: Vec<u64> = text
            .lines()
            .filter(|l| l.contains("sys_enter_f"))
            .filter_map(|l| l.split(',').next()?.trim().parse().ok())
            .collect();
        match counts.len() {
            2 => Ok(counts.iter().sum()),
            _ => Err(text
                .lines()
                .next()
                .unwrap_or("perf printed nothing")
                .to_owned()),
        }
    }
}

/// The server's user + system CPU time so far, all threads, in seconds.
pub(crate) fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at its closing ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat, so 11 and 12 after the ')'; 100 Hz.
    (ticks(11) + ticks(12)) / 100.0
}

/// Voluntary and involuntary context switches of all the server's threads so far.
pub(crate) fn context_switches(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok())
        .flat_map(|s| {
            s.lines()
                .filter(|l| l.contains("ctxt_switches:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .collect::<Vec<_>>()
        })
        .sum()
}

/// How long each send took to reach the kitchen's stream.
pub(crate) type Arrivals = Arc<Mutex<Vec<Duration>>>;

/// The kitchen screen's stream, watched on a thread of its own until `stop`.
pub(crate) struct KitchenWatch {
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl KitchenWatch {
    pub(crate) fn stop(self) {
        let _ = self.stop.send(());
        if self.thread.join().is_err() {
            eprintln!("the kitchen's listener panicked: its arrivals may be incomplete");
        }
    }
}

/// Opens the kitchen screen's live stream as `token` and notes, for each order put in the
/// returned `Sent` when it is sent, when its send arrives (in `Arrivals`) until the
/// watch is stopped.
///
/// A kitchen screen is a device of its own, so it listens on its own thread, runtime and
/// connection: on the bench's runtime, each event's arrival waited its turn behind the
/// waiters' tasks (`CLIENTS`), which added the bench's own queueing to the latency it
/// measures.
pub(crate) async fn watch_kitchen(
    base: &str,
    token: &str,
) -> Result<(Sent, Arrivals, KitchenWatch), String> {
    let (sent, arrivals): (Sent, Arrivals) = Default::default();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (opened, open) = tokio::sync::oneshot::channel::<Result<(), String>>();
    let url = format!("{base}/api/v1/events");
    let (token, sent_here, arrivals_here) = (token.to_owned(), sent.clone(), arrivals.clone());
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let runtime = match runtime {
            Ok(runtime) => runtime,
            Err(e) => {
                let _ = opened.send(Err(e.to_string()));
                return;
            }
        };
        runtime.block_on(async move {
            let request = reqwest::Client::new().get(url).bearer_auth(token).send();
            match request.await {
                Ok(stream) => {
                    let _ = opened.send(Ok(()));
                    tokio::select! {
                        _ = listen(stream, sent_here, arrivals_here) => {}
                        _ = stopped => {}
                    }
                }
                Err(e) => {
                    let _ = opened.send(Err(e.to_string()));
                }
            }
        });
    });
    open.await.map_err(|e| e.to_string())??;
    Ok((sent, arrivals, KitchenWatch { stop, thread }))
}

async fn listen(resp: reqwest::Response, sent: Sent, arrivals: Arrivals) {
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    while let Some(Ok(chunk)) = stream.next().await {
        let now = Instant::now();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) else {
                continue;
            };
            // Only the two fields the timing needs. Every event carries its order, and
            // building each one as a `Value` (five per whole order) kept this task busy
            // enough to add 1 to 2.5 ms to the kitchen's median arrival in alternating
            // runs: a delay of the bench, not of the server.
            let Ok(event) = serde_json::from_str::<Head>(data.trim()) else {
                continue;
            };
            if event.kind == "order_sent" {
                if let Some(t) = event
                    .order_id
                    .and_then(|id| sent.lock().unwrap().remove(id))
                {
                    arrivals.lock().unwrap().push(now - t);
                }
            }
        }
    }
}

/// What the kitchen's listener reads of an event; serde skips the rest unread.
#[derive(serde::Deserialize)]
struct Head<'a> {
    kind: &'a str,
    order_id: Option<&'a str>,
}

pub(crate) fn percentile(v: &mut [Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort();
    v[((v.len() - 1) as f64 * p / 100.0).round() as usize]
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// VmHWM: the most resident memory the process ever had.
pub(crate) fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
