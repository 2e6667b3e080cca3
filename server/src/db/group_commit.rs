//! Group commit: the server's writes share commits.
//!
//! With `synchronous = FULL` every commit waits for an fsync of the WAL, and that wait,
//! not SQLite's work, is what a write costs. So writes are not committed one by one:
//! each is a job sent to one writer thread, which takes every job waiting, runs them in one
//! transaction, each in a savepoint of its own (a refused job rolls back alone, the others
//! keep their changes), commits once, and only then answers each job, in the order they
//! ran. A lone job runs without a savepoint. Under load one fsync carries many writes;
//! idle, a write that is not refused costs what it would alone.
//!
//! Jobs come in two kinds: work on sqlx (`write`), and work on the direct path
//! (`write_direct`, see `direct`), which runs on the writer's own connection, every
//! statement a plain call. Jobs of one kind in a row share a commit.
//!
//! A group of direct jobs first runs with no savepoints at all, since nearly every write
//! keeps all its work and a savepoint makes SQLite copy each page the write touches. Only
//! if one is refused, panics or needs a savepoint inside (`direct::optimistically`) is
//! that run rolled back and the group run again the careful way above (a lone job that
//! was refused without needing a savepoint is answered at once: it would run alike). So a
//! direct job may run twice, and only what its last run gave is answered.
//!
//! Nothing is answered before the commit it belongs to is durable, so an acknowledged
//! write survives a power cut exactly as before. If the commit fails, every job of the
//! group is answered with that failure, and none of their changes stays.
//!
//! A job only talks to the database: it must not wait for anything else (a PIN check, the
//! network), since every other write waits behind it, nor change anything outside it,
//! since it may run twice. Nor may it use `Db::writer` or start another write: the
//! writer's one connection is already its own, so either would wait for ever.

use super::direct::{self, Conn, Savepoint};
use super::kept::Kept;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::panic::AssertUnwindSafe;
use tokio::sync::{mpsc, oneshot};

/// Most jobs in one commit: enough to carry a busy venue's burst, few enough that the
/// first job of a group never waits long for the last.
const MAX_GROUP: usize = 64;
/// Jobs waiting for the writer before senders wait in turn.
const QUEUE: usize = 1024;

/// Told how the commit went, after it; answers the job's caller.
type Answer = Box<dyn FnOnce(Result<(), String>) + Send>;
/// A write on sqlx: runs the job's work; says whether its changes stay, and how to
/// answer it.
type AsyncJob =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, (bool, Answer)> + Send>;

/// A write on the direct path (`direct`), as plain calls. It may run twice
/// (`run_direct`), so it keeps what its last run gave until it is answered.
trait DirectJob: Send {
    /// Runs the write, in place of any earlier run; true if its changes stay.
    fn run(&mut self, db: &Conn) -> bool;
    /// Answers with what the last run gave, once the commit is known. If that run
    /// panicked it gave nothing, and dropping the answer tells the caller so.
    fn answer(self: Box<Self>, commit: Result<(), String>);
}

enum Job {
    Async(AsyncJob),
    Direct(Box<dyn DirectJob>),
}

/// A `write_direct` waiting for the writer: its work, and what its last run gave.
struct Pending<F, T, E, A> {
    work: F,
    ran: Option<Result<T, E>>,
    after_commit: A,
    answer: oneshot::Sender<Result<T, E>>,
}

impl<F, T, E, A> DirectJob for Pending<F, T, E, A>
where
    F: Fn(&Conn) -> Result<T, E> + Send,
    A: FnOnce(&mut T) + Send,
    T: Send,
    E: From<sqlx::Error> + Send,
{
    fn run(&mut self, db: &Conn) -> bool {
        // A panic below leaves nothing to answer with.
        self.ran = None;
        let ran = (self.work)(db);
        let keep = ran.is_ok();
        self.ran = Some(ran);
        keep
    }

    fn answer(self: Box<Self>, commit: Result<(), String>) {
        let Pending {
            ran,
            after_commit,
            answer,
            ..
        } = *self;
        if let Some(ran) = ran {
            let _ = answer.send(settle(commit, ran, after_commit));
        }
    }
}

/// The way to the writer thread; cheap to clone.
#[derive(Clone, Debug)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the writer thread over `pool` (one connection: SQLite has one writer) and
    /// `direct`, the writer's own connection for direct jobs (`direct::open_writer`). The
    /// thread takes the pool's connection for each group of sqlx work and gives it back
    /// after, so the few writes that do not come through here (migrations, start-up, PIN
    /// bookkeeping, tests) still can; they wait for the file's write lock like any other.
    ///
    /// The thread ends when the last `GroupCommit` is dropped, once every job sent has
    /// been answered; it is not waited for, so at exit it may end with its connection
    /// open, which SQLite recovers from on the next open like any crash.
    pub fn start(pool: SqlitePool, direct: rusqlite::Connection) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let runtime = tokio::runtime::Handle::current();
        std::thread::Builder::new()
            .name("writer".into())
            .spawn(move || run(&runtime, &pool, &direct, queue))?;
        Ok(Self { jobs })
    }

    /// Writes waiting for the writer now (for the health check and `/metrics`).
    pub fn queued(&self) -> usize {
        self.jobs.max_capacity() - self.jobs.capacity()
    }

    /// Runs `work` in the next group's transaction and answers once that transaction is
    /// committed. An `Err` from `work` undoes its changes alone. `after_commit` runs in the
    /// writer thread right after the commit, in commit order (publishing events there keeps
    /// them in the order of their sequence numbers).
    pub async fn write<T, E, F, A>(&self, work: F, after_commit: A) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
        A: FnOnce(&mut T) + Send + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel::<Result<T, E>>();
        let job = Job::Async(Box::new(move |conn| {
            Box::pin(async move {
                let result = work(conn).await;
                answering(result, after_commit, answer)
            })
        }));
        self.send(job, answered).await
    }

    /// `write` for work on the direct path: the whole write runs as plain calls on the
    /// writer's connection, with no round trip per statement. `work` may run twice (see
    /// the module's doc); only its last run's result is answered.
    pub async fn write_direct<T, E, F, A>(&self, work: F, after_commit: A) -> Result<T, E>
    where
        F: Fn(&Conn) -> Result<T, E> + Send + 'static,
        A: FnOnce(&mut T) + Send + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel::<Result<T, E>>();
        let job = Job::Direct(Box::new(Pending {
            work,
            ran: None,
            after_commit,
            answer,
        }));
        self.send(job, answered).await
    }

    async fn send<T, E: From<sqlx::Error>>(
        &self,
        job: Job,
        answered: oneshot::Receiver<Result<T, E>>,
    ) -> Result<T, E> {
        self.jobs
            .send(job)
            .await
            .map_err(|_| E::from(sqlx::Error::PoolClosed))?;
        // A dropped answer means the writer could not run the job (no connection, or the
        // job or its group panicked): nothing of it was kept.
        answered
            .await
            .unwrap_or_else(|_| Err(E::from(sqlx::Error::WorkerCrashed)))
    }
}

/// Whether a job's changes stay, and how to answer it once the commit is known.
fn answering<T, E, A>(
    result: Result<T, E>,
    after_commit: A,
    answer: oneshot::Sender<Result<T, E>>,
) -> (bool, Answer)
where
    A: FnOnce(&mut T) + Send + 'static,
    T: Send + 'static,
    E: From<sqlx::Error> + Send + 'static,
{
    let keep = result.is_ok();
    let answer: Answer = Box::new(move |commit| {
        let _ = answer.send(settle(commit, result, after_commit));
    });
    (keep, answer)
}

/// A job's answer, once its commit is known.
fn settle<T, E, A>(
    commit: Result<(), String>,
    result: Result<T, E>,
    after_commit: A,
) -> Result<T, E>
where
    A: FnOnce(&mut T),
    E: From<sqlx::Error>,
{
    match (commit, result) {
        (Ok(()), Ok(mut value)) => {
            after_commit(&mut value);
            Ok(value)
        }
        // A refused write kept nothing, so it is answered with its refusal whatever
        // became of the commit.
        (_, Err(refusal)) => Err(refusal),
        (Err(e), Ok(_)) => Err(E::from(sqlx::Error::Protocol(format!(
            "the commit failed: {e}"
        )))),
    }
}

/// The writer: a thread of its own, which holds the writer's connection and the statements
/// it keeps prepared (`Kept`) for as long as jobs can come, and runs each group on them.
///
/// Why a thread, not a task: a kept statement borrows the connection, which is not `Sync`,
/// so a task holding both across an `await` would not be `Send`, and `tokio::spawn`
/// refuses such a task. A thread holds them on its stack. And a direct group is blocking
/// work, which on a task's thread needed `block_in_place` for every group. Work on sqlx
/// still awaits, here in `block_on` on the server's runtime (on a test's one-thread
/// runtime that works while the test's thread waits in the runtime, for an answer).
fn run(
    runtime: &tokio::runtime::Handle,
    pool: &SqlitePool,
    direct: &rusqlite::Connection,
    mut queue: mpsc::Receiver<Job>,
) {
    // Code run after a commit (publishing events) may use the runtime, as it could on a
    // task. Entering it does not make this thread one of the runtime's, so it may still
    // block.
    let _runtime = runtime.enter();
    let kept = Kept::new(direct);
    let db = Conn::writer(&kept);
    let mut group = Vec::with_capacity(MAX_GROUP);
    while queue.blocking_recv_many(&mut group, MAX_GROUP) > 0 {
        // Jobs of one kind in a row share a commit; the order of jobs is kept.
        for run in runs(std::mem::take(&mut group)) {
            // A panic outside the jobs (which catch their own) must not end the writer:
            // every later write would fail.
            let committed = std::panic::catch_unwind(AssertUnwindSafe(|| match run {
                Run::Direct(jobs) => commit_direct(&db, jobs),
                Run::Async(jobs) => runtime.block_on(commit_group(pool, jobs)),
            }));
            // The jobs not yet answered were dropped, which answers them with an error.
            match committed {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::error!("a group of writes failed: {e}"),
                Err(panic) => {
                    let why = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    tracing::error!("a group of writes panicked: {why}");
                    // Its transaction, if open, would hold the file's write lock from the
                    // sqlx writer pool until the next direct group began.
                    if !db.is_autocommit() {
                        if let Err(e) = direct::run(&db, "ROLLBACK") {
                            tracing::error!("a panicked group could not be rolled back: {e}");
                        }
                    }
                }
            }
        }
    }
}

/// Jobs of one kind in a row.
enum Run {
    Async(Vec<AsyncJob>),
    Direct(Vec<Box<dyn DirectJob>>),
}

fn runs(jobs: Vec<Job>) -> Vec<Run> {
    let mut runs = Vec::new();
    for job in jobs {
        match (runs.last_mut(), job) {
            (Some(Run::Async(run)), Job::Async(job)) => run.push(job),
            (Some(Run::Direct(run)), Job::Direct(job)) => run.push(job),
            (_, Job::Async(job)) => runs.push(Run::Async(vec![job])),
            (_, Job::Direct(job)) => runs.push(Run::Direct(vec![job])),
        }
    }
    runs
}

async fn commit_group(pool: &SqlitePool, group: Vec<AsyncJob>) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let alone = group.len() == 1;
    let mut answers = Vec::with_capacity(group.len());
    for job in group {
        if alone {
            match AssertUnwindSafe(job(&mut tx)).catch_unwind().await {
                Ok((true, answer)) => answers.push(answer),
                Ok((false, answer)) => {
                    tx.rollback().await?;
                    answer(Ok(()));
                    return Ok(());
                }
                Err(_) => {
                    tracing::error!("a write panicked; its changes were rolled back");
                    return Ok(());
                }
            }
            break;
        }
        let mut savepoint = tx.begin().await?;
        match AssertUnwindSafe(job(&mut savepoint)).catch_unwind().await {
            Ok((keep, answer)) => {
                if keep {
                    savepoint.commit().await?;
                } else {
                    savepoint.rollback().await?;
                }
                answers.push(answer);
            }
            Err(_) => {
                tracing::error!("a write panicked; its changes were rolled back");
                savepoint.rollback().await?;
            }
        }
    }
    let committed = tx.commit().await.map_err(|e| e.to_string());
    answer_all(answers, committed);
    Ok(())
}

/// A group of direct jobs on the writer's own connection: the transaction, its runs
/// (`run_direct`) and the commit, all as plain calls.
fn commit_direct(db: &Conn, mut group: Vec<Box<dyn DirectJob>>) -> Result<(), sqlx::Error> {
    let ran = run_direct(db, &mut group);
    // Whatever failed, no transaction is left open for the next group.
    if !db.is_autocommit() {
        if let Err(e) = direct::run(db, "ROLLBACK") {
            tracing::error!("a failed group could not be rolled back: {e}");
        }
    }
    let committed = ran.map_err(|e| sqlx::Error::Protocol(format!("the direct path: {e}")))?;
    let answers = group
        .into_iter()
        .map(|job| move |commit| job.answer(commit));
    answer_all(answers, committed);
    Ok(())
}

/// Runs the jobs in one transaction and commits it: how the commit went (`Err` when the
/// transaction could not be run at all). First with no savepoints; if that run is not
/// kept whole, it is rolled back and the group runs again with a savepoint per job.
fn run_direct(db: &Conn, group: &mut [Box<dyn DirectJob>]) -> rusqlite::Result<Result<(), String>> {
    begin(db)?;
    match run_optimistically(db, group) {
        FirstRun::Kept => return Ok(commit(db)),
        FirstRun::LoneRefused => {
            direct::run(db, "ROLLBACK")?;
            return Ok(Ok(()));
        }
        FirstRun::Again => {}
    }
    begin(db)?;
    Ok(match run_jobs(db, group)? {
        true => commit(db),
        false => Ok(()),
    })
}

/// Begins the group's transaction, rolling back any left open (an earlier run, or a
/// rollback that failed).
fn begin(db: &Conn) -> rusqlite::Result<()> {
    if !db.is_autocommit() {
        direct::run(db, "ROLLBACK")?;
    }
    direct::run(db, "BEGIN IMMEDIATE")
}

fn commit(db: &Conn) -> Result<(), String> {
    direct::run(db, "COMMIT").map_err(|e| e.to_string())
}

/// How a group's first run, with no savepoints, went.
enum FirstRun {
    /// Every job kept all its work: the transaction can be committed.
    Kept,
    /// A lone job was refused (or panicked) without needing a savepoint. Run again, it
    /// would run alike (a lone job has no savepoint of its own), so its answer stands and
    /// the transaction is rolled back.
    LoneRefused,
    /// The group must run again with savepoints (`run_jobs`).
    Again,
}

/// Runs every job with no savepoint (`direct::optimistically`), stopping at the first that
/// did not keep all its work.
fn run_optimistically(db: &Conn, group: &mut [Box<dyn DirectJob>]) -> FirstRun {
    let alone = group.len() == 1;
    for job in group.iter_mut() {
        let (ran, needed_a_savepoint) =
            direct::optimistically(|| std::panic::catch_unwind(AssertUnwindSafe(|| job.run(db))));
        if needed_a_savepoint || db.is_autocommit() {
            return FirstRun::Again;
        }
        match ran {
            Ok(true) => {}
            Ok(false) if alone => return FirstRun::LoneRefused,
            Err(_) if alone => {
                tracing::error!("a write panicked; its changes were rolled back");
                return FirstRun::LoneRefused;
            }
            Ok(false) | Err(_) => return FirstRun::Again,
        }
    }
    FirstRun::Kept
}

/// Runs the jobs inside the transaction begun, each in a savepoint of its own (none for a
/// lone one); false if the transaction was rolled back (a lone job that was refused or
/// panicked), so there is nothing to commit.
fn run_jobs(db: &Conn, group: &mut [Box<dyn DirectJob>]) -> rusqlite::Result<bool> {
    let alone = group.len() == 1;
    for job in group.iter_mut() {
        let part = (!alone).then(|| Savepoint::start(db)).transpose()?;
        let ran = std::panic::catch_unwind(AssertUnwindSafe(|| job.run(db)));
        let keep = ran.unwrap_or_else(|_| {
            tracing::error!("a write panicked; its changes were rolled back");
            false
        });
        if db.is_autocommit() {
            // SQLite rolled the whole transaction back itself (a full disk, an I/O error).
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT),
                Some("the transaction was rolled back by SQLite".into()),
            ));
        }
        match (part, keep) {
            (None, true) => {}
            (None, false) => {
                direct::run(db, "ROLLBACK")?;
                return Ok(false);
            }
            (Some(part), true) => part.release()?,
            (Some(part), false) => part.undo()?,
        }
    }
    Ok(true)
}

fn answer_all(
    answers: impl IntoIterator<Item = impl FnOnce(Result<(), String>)>,
    committed: Result<(), String>,
) {
    for answer in answers {
        // Publishing runs here; a panic in it must not stop the writer for good.
        if std::panic::catch_unwind(AssertUnwindSafe(|| answer(committed.clone()))).is_err() {
            tracing::error!("answering a committed write panicked");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GroupCommit;
    use crate::db::direct::Conn;
    use futures_util::future::BoxFuture;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    use sqlx::SqliteConnection;

    /// Writes sent together share commits; a refused one leaves nothing, the others all
    /// stay, and each caller hears its own answer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_write_rolls_back_alone_and_the_rest_commit() {
        let (_dir, pool, commits) = started_with_table().await;
        let writes = (0..40i64).map(|n| {
            let commits = commits.clone();
            tokio::spawn(async move {
                commits
                    .write(
                        move |conn| {
                            Box::pin(async move {
                                sqlx::query("INSERT INTO t (n) VALUES (?)")
                                    .bind(n)
                                    .execute(&mut *conn)
                                    .await?;
                                if n % 7 == 3 {
                                    return Err(sqlx::Error::Protocol(format!("{n} refused")));
                                }
                                Ok(n)
                            })
                        },
                        |n: &mut i64| *n *= 10,
                    )
                    .await
            })
        });
        let answers = futures_util::future::join_all(writes).await;
        for (n, answer) in (0..40i64).zip(answers) {
            match answer.unwrap() {
                Ok(kept) => assert_eq!(kept, n * 10, "answered after the commit"),
                Err(e) => assert!(n % 7 == 3 && e.to_string().contains("refused"), "{n}: {e}"),
            }
        }
        let stored: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(&pool)
            .await
            .unwrap();
        let expected: Vec<i64> = (0..40).filter(|n| n % 7 != 3).collect();
        assert_eq!(stored, expected);
    }

    /// The same on the direct path: one transaction, a savepoint per write; and writes of
    /// both kinds sent together all land.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn direct_writes_share_commits_and_roll_back_alone() {
        let (_dir, pool, commits) = started_with_table().await;
        let writes = (0..40i64).map(|n| {
            let commits = commits.clone();
            tokio::spawn(async move {
                if n % 5 == 0 {
                    return commits
                        .write(move |conn| insert(conn, n), |n: &mut i64| *n *= 10)
                        .await;
                }
                commits
                    .write_direct(
                        move |db| {
                            db.execute("INSERT INTO t (n) VALUES (?1)", [n])
                                .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
                            if n % 7 == 3 {
                                return Err(sqlx::Error::Protocol(format!("{n} refused")));
                            }
                            if n == 11 {
                                panic!("a bug in one write");
                            }
                            Ok(n)
                        },
                        |n: &mut i64| *n *= 10,
                    )
                    .await
            })
        });
        let answers = futures_util::future::join_all(writes).await;
        for (n, answer) in (0..40i64).zip(answers) {
            match answer.unwrap() {
                Ok(kept) => assert_eq!(kept, n * 10, "answered after the commit"),
                Err(e) => assert!(n % 5 != 0 && (n % 7 == 3 || n == 11), "{n}: {e}"),
            }
        }
        let stored: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(&pool)
            .await
            .unwrap();
        // Only the direct writes (not multiples of 5) refuse or panic.
        let refused = |n: i64| n % 5 != 0 && (n % 7 == 3 || n == 11);
        let expected: Vec<i64> = (0..40).filter(|n| !refused(*n)).collect();
        assert_eq!(stored, expected);
        // The connection went back to sqlx with no transaction open.
        let mut conn = pool.acquire().await.unwrap();
        sqlx::query("BEGIN").execute(&mut *conn).await.unwrap();
        sqlx::query("ROLLBACK").execute(&mut *conn).await.unwrap();
    }

    /// Writes that keep all their work run once, with no savepoint; one that undoes part
    /// of its work (as an ops batch with a refused operation does) makes its group run
    /// again with savepoints, every write is answered with what its last run gave, and
    /// each keeps exactly the rest of its work.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_group_runs_again_only_when_a_write_undoes_part_of_its_work() {
        let (_dir, pool, commits) = started_with_table().await;
        let (answers, under_savepoints) = one_group(&commits, 0..40, |_| false).await;
        assert_eq!(answers, vec![1; 40], "each write ran once");
        assert_eq!(under_savepoints, 0, "with no savepoint");

        let (answers, _) = one_group(&commits, 100..140, |n| n % 4 == 1).await;
        // The first run stopped at 101, the first to undo; the second ran them all.
        let second_runs: Vec<usize> = (100..140).map(|n| if n <= 101 { 2 } else { 1 }).collect();
        assert_eq!(answers, second_runs, "each answered from its last run");
        let stored: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(&pool)
            .await
            .unwrap();
        let expected: Vec<i64> = (0..40).chain(100..140).collect();
        assert_eq!(stored, expected, "each kept its work but the part it undid");
    }

    /// Sends a write inserting each of `ns`, all in one group: each also inserts n + 1000
    /// in a savepoint it undoes if `undoing(n)`. Gives each write's answer (how many times
    /// it had run when it last ran) and, when none is undoing, how many of their runs
    /// found a group savepoint open (looking ends it, so only then).
    async fn one_group(
        commits: &GroupCommit,
        ns: std::ops::Range<i64>,
        undoing: fn(i64) -> bool,
    ) -> (Vec<usize>, usize) {
        use crate::db::direct::Savepoint;
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::{Arc, Condvar, Mutex};
        // The writer is kept busy on a write of its own until every write is queued.
        let gate = Arc::new((Mutex::new((false, false)), Condvar::new()));
        let held = gate.clone();
        let block = move |_: &Conn| {
            let (lock, changed) = &*held;
            let mut state = lock.lock().unwrap();
            state.0 = true;
            changed.notify_all();
            while !state.1 {
                state = changed.wait(state).unwrap();
            }
            Ok::<_, sqlx::Error>(0)
        };
        let blocker = tokio::spawn({
            let commits = commits.clone();
            async move { commits.write_direct(block, |_: &mut usize| {}).await }
        });
        {
            // Until the writer runs the blocker, so the writes below queue behind it.
            let (lock, changed) = &*gate;
            let mut state = lock.lock().unwrap();
            while !state.0 {
                state = changed.wait(state).unwrap();
            }
        }
        let under_savepoints = Arc::new(AtomicUsize::new(0));
        let look = ns.clone().all(|n| !undoing(n));
        let queued = || commits.jobs.max_capacity() - commits.jobs.capacity();
        let mut writes = Vec::new();
        for n in ns {
            let (commits, under) = (commits.clone(), under_savepoints.clone());
            let runs = Arc::new(AtomicUsize::new(0));
            writes.push(tokio::spawn(async move {
                let work = move |db: &Conn| {
                    let run = runs.fetch_add(1, Ordering::SeqCst) + 1;
                    let e = |e: rusqlite::Error| sqlx::Error::Protocol(e.to_string());
                    if look && db.execute_batch("RELEASE part").is_ok() {
                        under.fetch_add(1, Ordering::SeqCst);
                    }
                    db.execute("INSERT INTO t (n) VALUES (?1)", [n])
                        .map_err(e)?;
                    if undoing(n) {
                        let part = Savepoint::start(db).map_err(e)?;
                        db.execute("INSERT INTO t (n) VALUES (?1)", [n + 1000])
                            .map_err(e)?;
                        part.undo().map_err(e)?;
                    }
                    Ok::<_, sqlx::Error>(run)
                };
                commits.write_direct(work, |_: &mut usize| {}).await
            }));
            // Queued in the order of `ns`, one at a time.
            while queued() < writes.len() {
                tokio::task::yield_now().await;
            }
        }
        let (lock, changed) = &*gate;
        lock.lock().unwrap().1 = true;
        changed.notify_all();
        blocker.await.unwrap().unwrap();
        let mut answers = Vec::new();
        for write in writes {
            answers.push(write.await.unwrap().unwrap());
        }
        (answers, under_savepoints.load(Ordering::SeqCst))
    }

    /// A panic while answering a committed write (publishing its events) is logged, and
    /// the writer goes on taking writes.
    #[tokio::test]
    async fn the_writer_outlives_a_panic_after_a_commit() {
        let (_dir, pool) = pool().await;
        let commits = GroupCommit::start(pool.clone(), writer(&_dir)).unwrap();
        let panicked = commits
            .write(
                |conn| insert(conn, 1),
                |_: &mut i64| panic!("publishing failed"),
            )
            .await;
        assert!(panicked.is_err(), "its caller hears of it");
        let second = commits.write(|conn| insert(conn, 2), |_: &mut i64| {});
        assert_eq!(second.await.unwrap(), 2);
        let stored: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(
            stored,
            [1, 2],
            "the first write was committed before the panic"
        );
    }

    /// A writer over `pool()` whose file has the table `t`.
    async fn started_with_table() -> (tempfile::TempDir, sqlx::SqlitePool, GroupCommit) {
        let (dir, pool) = pool().await;
        sqlx::query("CREATE TABLE t (n INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        let commits = GroupCommit::start(pool.clone(), writer(&dir)).unwrap();
        (dir, pool, commits)
    }

    /// The direct path's connection to `pool()`'s file.
    fn writer(dir: &tempfile::TempDir) -> rusqlite::Connection {
        crate::db::direct::open_writer(&dir.path().join("t.db")).unwrap()
    }

    /// A one-connection pool on a fresh file (kept while the directory lives).
    async fn pool() -> (tempfile::TempDir, sqlx::SqlitePool) {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("t.db"))
            .create_if_missing(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        (dir, pool)
    }

    fn insert(conn: &mut SqliteConnection, n: i64) -> BoxFuture<'_, Result<i64, sqlx::Error>> {
        Box::pin(async move {
            sqlx::query("CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY)")
                .execute(&mut *conn)
                .await?;
            sqlx::query("INSERT INTO t (n) VALUES (?)")
                .bind(n)
                .execute(&mut *conn)
                .await?;
            Ok(n)
        })
    }
}
