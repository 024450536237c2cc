//! The job queue of the workers, in the PostgreSQL archive: a job is one drop folder and the
//! folder its reports go to. A worker claims the oldest job that is queued, or running under
//! a lease that has run out (its worker died or lost the database), with `SELECT ... FOR
//! UPDATE SKIP LOCKED`, so two workers never take the same job; while it works a
//! [`Heartbeat`] renews its lease; the job is marked done in the transaction that records its
//! run ([`PgArchive::record_job`]), and only while the lease is still the worker's.

use postgres::NoTls;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::PgArchive;
use crate::store::archive::{ArchiveError, RunRecord};

/// A job a worker holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The job's id.
    pub id: i64,
    /// The drop to process.
    pub drop: PathBuf,
    /// The folder the reports go to (`<out>/<drop name>/`).
    pub out: PathBuf,
    /// How many times a worker has taken it, this time included.
    pub attempts: i64,
    /// The worker holding it.
    pub worker: String,
    /// When it was queued, RFC 3339 in UTC with milliseconds (the form of `runs.started`): the
    /// job compares its drop with the archive as it was then.
    pub enqueued: String,
}

/// Rows of the queue per state, for `crosscheck jobs` and the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// Waiting for a worker.
    pub queued: i64,
    /// Held by a worker (whose lease may have run out).
    pub running: i64,
    /// Finished, run recorded.
    pub done: i64,
    /// Given up (the drop failed, or workers died on it too often).
    pub failed: i64,
}

/// A path as the queue stores it (lossy for names that are not UTF-8).
fn text(path: &Path) -> String {
    path.display().to_string()
}

impl PgArchive {
    /// Queues `drop` with reports to `out`; `None` when that drop and folder are already queued
    /// or running (it is not queued twice).
    pub fn enqueue(&mut self, drop: &Path, out: &Path) -> Result<Option<i64>, ArchiveError> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(
                "INSERT INTO jobs (drop_path, out_dir) VALUES ($1, $2)
                 ON CONFLICT (drop_path, out_dir) WHERE state IN ('queued', 'running') DO NOTHING
                 RETURNING id",
                &[&text(drop), &text(out)],
            )
            .map_err(|e| self.error(e))?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Claims the oldest job that is queued or whose lease ran out, for `worker`, with a lease
    /// of `lease`; jobs taken `max_attempts` times already are marked failed instead.
    pub fn claim(
        &mut self,
        worker: &str,
        lease: Duration,
        max_attempts: i64,
    ) -> Result<Option<Job>, ArchiveError> {
        let mut client = self.client.borrow_mut();
        let url = self.url.clone();
        let error = |source| ArchiveError::Postgres {
            url: url.clone(),
            source,
        };
        client
            .execute(
                "UPDATE jobs SET state = 'failed', finished = now(),
                        error = 'given up: its workers stopped before finishing it ' || attempts || ' times'
                 WHERE state = 'running' AND lease_until < now() AND attempts >= $1",
                &[&max_attempts],
            )
            .map_err(error)?;
        let row = client
            .query_opt(
                "UPDATE jobs SET state = 'running', worker = $1, attempts = attempts + 1,
                        lease_until = now() + make_interval(secs => $2)
                 WHERE id = (
                     SELECT id FROM jobs
                     WHERE state = 'queued' OR (state = 'running' AND lease_until < now())
                     ORDER BY id LIMIT 1
                     FOR UPDATE SKIP LOCKED)
                 RETURNING id, drop_path, out_dir, attempts,
                     to_char(enqueued AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
                &[&worker, &lease.as_secs_f64()],
            )
            .map_err(error)?;
        Ok(row.map(|r| Job {
            id: r.get(0),
            drop: PathBuf::from(r.get::<_, String>(1)),
            out: PathBuf::from(r.get::<_, String>(2)),
            attempts: r.get(3),
            worker: worker.to_string(),
            enqueued: r.get(4),
        }))
    }

    /// Records the run of `job` and marks the job done, in one transaction; `None` (nothing
    /// written) when the job is no longer its worker's.
    pub fn record_job(
        &mut self,
        job: &Job,
        run: RunRecord<'_>,
    ) -> Result<Option<i64>, ArchiveError> {
        super::record::record(self, run, Some(job))
    }

    /// Marks `job` failed with `error` (while it is still its worker's); the drop is not taken
    /// again.
    pub fn fail_job(&mut self, job: &Job, error: &str) -> Result<(), ArchiveError> {
        self.client
            .borrow_mut()
            .execute(
                "UPDATE jobs SET state = 'failed', finished = now(), lease_until = NULL, error = $3
                 WHERE id = $1 AND worker = $2 AND state = 'running'",
                &[&job.id, &job.worker, &error],
            )
            .map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Jobs per state.
    pub fn queue(&mut self) -> Result<QueueCounts, ArchiveError> {
        let rows = self
            .client
            .borrow_mut()
            .query("SELECT state, count(*) FROM jobs GROUP BY state", &[])
            .map_err(|e| self.error(e))?;
        let mut counts = QueueCounts::default();
        for row in rows {
            let n: i64 = row.get(1);
            match row.get::<_, &str>(0) {
                "queued" => counts.queued = n,
                "running" => counts.running = n,
                "done" => counts.done = n,
                _ => counts.failed = n,
            }
        }
        Ok(counts)
    }

    /// Starts renewing `job`'s lease every third of `lease`, on a connection of its own, until
    /// the returned [`Heartbeat`] is dropped.
    pub fn heartbeat(&self, job: &Job, lease: Duration) -> Result<Heartbeat, ArchiveError> {
        let mut client = self.config.connect(NoTls).map_err(|e| self.error(e))?;
        let (stop, stopped) = mpsc::channel::<()>();
        let (id, worker) = (job.id, job.worker.clone());
        let every = lease / 3;
        let thread = std::thread::spawn(move || loop {
            match stopped.recv_timeout(every) {
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // A failed renewal is not fatal here: the lease runs out and another
                    // worker takes the job; this worker's record is then refused.
                    let _ = client.execute(
                        "UPDATE jobs SET lease_until = now() + make_interval(secs => $3)
                         WHERE id = $1 AND worker = $2 AND state = 'running'",
                        &[&id, &worker, &lease.as_secs_f64()],
                    );
                }
                _ => return,
            }
        });
        Ok(Heartbeat {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// Renews a job's lease while it lives (see [`PgArchive::heartbeat`]).
pub struct Heartbeat {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
