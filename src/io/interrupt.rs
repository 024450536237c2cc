//! Ctrl-C (SIGINT) and SIGTERM during a run: the unfinished staging folders of the report sets
//! being written are removed before the process exits, so an interrupted run leaves the
//! previous reports and nothing else. (A SIGKILL cannot be caught: its staging folder is swept
//! by the next run of the same report folder, see [`super::ReportSet::begin`].)
//!
//! [`clean_up_on_signals`] blocks both signals in the calling thread, so every thread started
//! after it (the models' threads included) inherits the block, and one thread waits for them
//! with `sigwait`: outside any signal handler, it can take a lock and remove folders safely.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The staging folders of the report sets not yet committed or dropped.
static STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn staging() -> MutexGuard<'static, Vec<PathBuf>> {
    STAGING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Blocks SIGINT and SIGTERM in this thread and starts the thread that waits for them: on
/// either it removes every registered staging folder, says so in one line, and exits with
/// status 128 + the signal's number (130, 143), as a shell reports a process killed by it.
/// Call it first in `main`, before any other thread starts.
pub fn clean_up_on_signals() -> std::io::Result<()> {
    // SAFETY: the set is initialised by sigemptyset before use; pthread_sigmask only reads it.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        let rc = libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        if rc != 0 {
            return Err(std::io::Error::from_raw_os_error(rc));
        }
        set
    };
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || loop {
            let mut signal = 0;
            // SAFETY: `set` is a valid signal set and `signal` a valid place to write to.
            if unsafe { libc::sigwait(&set, &mut signal) } != 0 {
                continue;
            }
            let removed = remove_all();
            if removed > 0 {
                eprintln!(
                    "interrupted: removed the unfinished reports; the previous reports are unchanged"
                );
            }
            std::process::exit(128 + signal);
        })?;
    Ok(())
}

/// Removes every registered staging folder (holding the lock, so no commit is half done);
/// returns how many there were. The lock stays taken: the process exits right after.
fn remove_all() -> usize {
    let mut folders = staging();
    for folder in folders.iter() {
        let _ = std::fs::remove_dir_all(folder);
    }
    let n = folders.len();
    folders.clear();
    std::mem::forget(folders);
    n
}

/// A staging folder registered for removal on a signal; dropping it unregisters the folder.
#[derive(Debug)]
pub(super) struct Registered(PathBuf);

impl Registered {
    /// Registers `folder`.
    pub(super) fn new(folder: &Path) -> Self {
        staging().push(folder.to_path_buf());
        Registered(folder.to_path_buf())
    }

    /// Runs `swap` (the commit's renames) while no signal can remove the folder, then
    /// unregisters it.
    pub(super) fn while_held<T>(self, swap: impl FnOnce() -> T) -> T {
        let mut folders = staging();
        let out = swap();
        folders.retain(|f| f != &self.0);
        out
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        staging().retain(|f| f != &self.0);
    }
}
