//! Facts about this host that the lock records and checks: its name, and whether a process
//! is still running.

/// This host's name, as the lock file records it.
pub(crate) fn this_host() -> String {
    #[cfg(unix)]
    {
        rustix::system::uname()
            .nodename()
            .to_string_lossy()
            .into_owned()
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME").unwrap_or_default()
    }
}

/// The user running this process, if the environment names one.
pub(crate) fn this_user() -> Option<String> {
    ["USER", "LOGNAME", "USERNAME"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().filter(|user| !user.is_empty()))
}

/// Whether process `pid` exists on this host.
///
/// Errs on the side of "exists": only a definite "no such process" answer returns false. A
/// pid that cannot name a process (0, or too large) does not exist. A pid can be reused by
/// an unrelated process after its owner exits; that only makes a stale lock look held.
pub(crate) fn process_exists(pid: u32) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        use rustix::process::{Pid, test_kill_process};
        // Only positive pids: kill() with 0 or a negative pid addresses process groups.
        let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
            return false;
        };
        test_kill_process(pid) != Err(Errno::SRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_exists() {
        assert!(process_exists(std::process::id()));
    }

    #[test]
    fn impossible_pids_do_not_exist() {
        assert!(!process_exists(0));
        assert!(!process_exists(u32::MAX));
    }

    #[test]
    fn a_finished_child_does_not_exist() {
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("spawn `true`");
        let pid = child.id();
        child.wait().expect("wait for `true`");
        assert!(!process_exists(pid));
    }

    #[test]
    fn host_name_is_known() {
        assert!(!this_host().is_empty());
    }
}
