//! A worker: takes jobs (a drop and its report folder) from the PostgreSQL archive's queue one
//! at a time, keeps each job's lease alive while it works on it, and marks it failed when the
//! drop cannot be processed. Several workers, on one machine or several, share one queue
//! without taking a job twice; the job of a worker that dies is taken again once its lease has
//! run out. Processing a job (the pipeline, the reports, the record) is the caller's.

use std::time::Duration;

use crate::store::archive::{ArchiveError, Job, PgArchive};

/// How a worker takes jobs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// How long a job stays the worker's without a renewal (renewed every third of it).
    pub lease: Duration,
    /// How long to wait before looking at an empty queue again.
    pub poll: Duration,
    /// Stop once no job is queued or running (instead of waiting for new ones).
    pub drain: bool,
    /// Jobs whose workers died this many times are marked failed, not taken again.
    pub max_attempts: i64,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(2),
            drain: false,
            max_attempts: 3,
        }
    }
}

/// What a worker did before it stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Worked {
    /// Jobs processed and recorded.
    pub done: usize,
    /// Jobs whose drop could not be processed (marked failed).
    pub failed: usize,
    /// Jobs processed after their lease had gone to another worker (nothing recorded).
    pub lost: usize,
}

/// This worker's name in the queue: host name and process id.
pub fn worker_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".to_string());
    format!("{host}:{}", std::process::id())
}

/// Takes jobs until the queue is drained (with `options.drain`) or forever. `process` runs one
/// job and returns its run id, or `None` when its lease was lost; an error marks the job
/// failed with the error's text.
pub fn work<E: std::fmt::Display>(
    archive: &mut PgArchive,
    worker: &str,
    options: &WorkerOptions,
    mut process: impl FnMut(&mut PgArchive, &Job) -> Result<Option<i64>, E>,
) -> Result<Worked, ArchiveError> {
    let mut worked = Worked::default();
    loop {
        match archive.claim(worker, options.lease, options.max_attempts)? {
            Some(job) => {
                let heartbeat = archive.heartbeat(&job, options.lease)?;
                let result = process(archive, &job);
                drop(heartbeat);
                match result {
                    Ok(Some(_)) => worked.done += 1,
                    Ok(None) => worked.lost += 1,
                    Err(e) => {
                        archive.fail_job(&job, &e.to_string())?;
                        worked.failed += 1;
                    }
                }
            }
            None => {
                if options.drain {
                    let queue = archive.queue()?;
                    if queue.queued + queue.running == 0 {
                        return Ok(worked);
                    }
                }
                std::thread::sleep(options.poll);
            }
        }
    }
}
