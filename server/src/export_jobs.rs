//! Long exports as jobs the manager watches: a year's journal takes seconds to make, so
//! the browser starts it (`POST /reports/journal/jobs`), reads its progress (a business
//! day of a sheet at a time) and downloads the file once it is ready. One job runs at a
//! time; a finished one waits in its temporary file until it is downloaded, or ten
//! minutes.

use app::api::ExportProgress;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A finished job's file waits this long to be downloaded.
const KEPT_MS: i64 = 10 * 60_000;

/// Jobs kept at once, finished or not.
const MAX_JOBS: usize = 4;

type Outcome = Arc<Mutex<Option<Result<std::fs::File, String>>>>;

struct Job {
    id: String,
    /// The file's name and type, for the download.
    name: String,
    mime: &'static str,
    done: Arc<AtomicU64>,
    total: u64,
    outcome: Outcome,
    started_ms: i64,
}

impl Job {
    fn progress(&self) -> ExportProgress {
        let outcome = self.outcome.lock().unwrap_or_else(|e| e.into_inner());
        ExportProgress {
            id: self.id.clone(),
            done: self.done.load(Ordering::Relaxed),
            total: self.total,
            ready: matches!(*outcome, Some(Ok(_))),
            error: match &*outcome {
                Some(Err(e)) => Some(e.clone()),
                _ => None,
            },
        }
    }

    fn running(&self) -> bool {
        self.outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }
}

#[derive(Default)]
pub struct ExportJobs {
    jobs: Mutex<Vec<Job>>,
}

impl ExportJobs {
    /// Starts `work` on a blocking thread, `total` steps long; `work` calls the function
    /// it is given after each step. Refused while another job runs.
    pub fn start(
        &self,
        name: String,
        mime: &'static str,
        total: u64,
        work: impl FnOnce(&dyn Fn()) -> Result<std::fs::File, String> + Send + 'static,
    ) -> Result<ExportProgress, String> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        let now = crate::db::now_ms();
        jobs.retain(|j| j.running() || now - j.started_ms < KEPT_MS);
        if jobs.iter().any(Job::running) {
            return Err("an export is being made already: wait for it to finish".into());
        }
        if jobs.len() >= MAX_JOBS {
            jobs.remove(0);
        }
        let (done, outcome): (Arc<AtomicU64>, Outcome) = (Arc::default(), Arc::default());
        let job = Job {
            id: uuid::Uuid::now_v7().to_string(),
            name,
            mime,
            done: done.clone(),
            total,
            outcome: outcome.clone(),
            started_ms: now,
        };
        let progress = job.progress();
        jobs.push(job);
        tokio::task::spawn_blocking(move || {
            let step = || {
                done.fetch_add(1, Ordering::Relaxed);
            };
            let made = work(&step);
            *outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(made);
        });
        Ok(progress)
    }

    pub fn progress(&self, id: &str) -> Option<ExportProgress> {
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.iter().find(|j| j.id == id).map(Job::progress)
    }

    /// The finished job's file (its name and type with it), taken out of the list; None
    /// if there is no such job or it is not ready.
    pub fn take(&self, id: &str) -> Option<(std::fs::File, String, &'static str)> {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        let at = jobs.iter().position(|j| j.id == id && j.progress().ready)?;
        let job = jobs.remove(at);
        let file = job
            .outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()?
            .ok()?;
        Some((file, job.name, job.mime))
    }
}
