//! The signals that stop a run, as CI systems send them: SIGINT (Ctrl-C; GitHub Actions'
//! first cancel) and SIGTERM (its second, 7.5 s later, and the only one Kubernetes and
//! `docker stop` send before SIGKILL). Each ends the run with its shell exit code: 130 for
//! SIGINT, 143 for SIGTERM.

use tokio::signal::unix::{Signal, SignalKind, signal};

/// Which signal stopped the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// SIGINT.
    Interrupt,
    /// SIGTERM.
    Terminate,
}

impl Stop {
    /// The exit code a shell gives a process the signal ended: 128 + its number.
    pub fn exit_code(self) -> u8 {
        match self {
            Stop::Interrupt => 130,
            Stop::Terminate => 143,
        }
    }

    /// `SIGINT` or `SIGTERM`.
    pub fn name(self) -> &'static str {
        match self {
            Stop::Interrupt => "SIGINT",
            Stop::Terminate => "SIGTERM",
        }
    }
}

/// Both signals, listened to from inside a tokio runtime. Once made, neither has its default
/// effect (ending the process) any more: the run decides what each does.
#[derive(Debug)]
pub struct Signals {
    interrupt: Signal,
    terminate: Signal,
}

impl Signals {
    /// Starts listening; must be called inside a runtime with the signal driver enabled.
    pub fn listen() -> std::io::Result<Signals> {
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// The next signal; `None` once neither can be received any more.
    pub async fn next(&mut self) -> Option<Stop> {
        tokio::select! {
            Some(()) = self.interrupt.recv() => Some(Stop::Interrupt),
            Some(()) = self.terminate.recv() => Some(Stop::Terminate),
            else => None,
        }
    }
}
