//! Engine events as Terraform-style progress lines, each with how many operations are done and
//! about how long the rest will take ([`Remaining`], by the latency model):
//!
//! ```text
//! VpcStack.NatGatewayOne: Creating... [3/39 done, about 4 min left]
//! VpcStack.NatGatewayOne: Still creating... [20s elapsed] [5/39 done, about 3 min left]
//! VpcStack.NatGatewayOne: Creation complete after 1m4s [id=nat-0a1b2c] [12/39 done, about 2 min left]
//! ```
//!
//! On a terminal with colour a progress bar sits below the lines (done of total, the time
//! left, refreshed between events); anywhere else, and with `--no-color`, there is no bar and
//! no escape code, only the lines.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use infra_engine::{Event, Operation, Remaining};
use infra_plan::render::duration;

use crate::output::Output;

/// How often the bar's time left is refreshed between events.
pub const TICK: Duration = Duration::from_secs(1);

/// The bar: done of total, then the time left (its message, which brings its own comma).
const BAR_TEMPLATE: &str = "{bar:40.cyan/blue} {pos}/{len} done{msg}";

/// `1m4s`, `20s`, `0s`.
pub fn elapsed(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m{}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

fn verbs(op: Operation) -> (&'static str, &'static str, &'static str) {
    match op {
        Operation::Create => ("Creating...", "Still creating...", "Creation complete"),
        Operation::CreateReplacement => (
            "Creating replacement...",
            "Still creating...",
            "Creation complete",
        ),
        Operation::Update => (
            "Modifying...",
            "Still modifying...",
            "Modifications complete",
        ),
        Operation::Delete => (
            "Destroying...",
            "Still destroying...",
            "Destruction complete",
        ),
        Operation::DeleteReplaced => (
            "Destroying replaced object...",
            "Still destroying...",
            "Destruction complete",
        ),
        Operation::Forget => (
            "Removing from the state (retained: kept in AWS)...",
            "Still removing...",
            "Removed from the state, kept in AWS",
        ),
        Operation::ForgetReplaced => (
            "Removing the replaced object from the state (retained: kept in AWS)...",
            "Still removing...",
            "Replaced object removed from the state, kept in AWS",
        ),
    }
}

/// One event as a line, or `None` for events not shown.
pub fn line(e: &Event) -> Option<String> {
    Some(match e {
        Event::Started { address, action } => format!("{address}: {}", verbs(*action).0),
        Event::StillRunning {
            address,
            action,
            elapsed: d,
        } => {
            format!("{address}: {} [{} elapsed]", verbs(*action).1, elapsed(*d))
        }
        Event::Finished {
            address,
            action,
            elapsed: d,
            physical_id,
        } => {
            let id = if physical_id.is_empty() {
                String::new()
            } else {
                format!(" [id={physical_id}]")
            };
            if action.is_forget() {
                // Only the state is written: no time worth showing.
                format!("{address}: {}{id}", verbs(*action).2)
            } else {
                format!("{address}: {} after {}{id}", verbs(*action).2, elapsed(*d))
            }
        }
        Event::Failed { address, error, .. } => format!("{address}: Error: {error}"),
        Event::Skipped {
            address, because, ..
        } => format!("{address}: Skipped ({because})"),
        Event::Retrying {
            address,
            attempt,
            error,
            delay,
            ..
        } => {
            format!(
                "{address}: Retrying in {} (attempt {attempt} failed: {error})",
                elapsed(*delay)
            )
        }
    })
}

/// ` [12/39 done, about 2 min left]` at `now`; ` [39/39 done]` once nothing is left to run.
fn suffix(remaining: &Remaining, now: Instant) -> String {
    format!(
        " [{}/{} done{}]",
        remaining.done(),
        remaining.total(),
        time_left(remaining, now)
    )
}

/// `, about 2 min left`, or nothing once nothing is left to run.
fn time_left(remaining: &Remaining, now: Instant) -> String {
    if remaining.outstanding() == 0 {
        String::new()
    } else {
        format!(", {} left", duration(remaining.seconds_left(now)))
    }
}

/// The progress of one apply or destroy: its lines, and the bar when there is one.
#[derive(Debug)]
pub struct Progress {
    /// The done count and time left; `None` when the plan's operations cannot be ordered (the
    /// apply then reports why, and the lines go without a suffix).
    remaining: Option<Remaining>,
    /// On a terminal with colour only.
    bar: Option<ProgressBar>,
}

impl Progress {
    /// The progress of an apply tracked by `remaining`; `color` is [`Output::color`]: a bar is
    /// shown only then.
    pub fn new(remaining: Option<Remaining>, color: bool) -> Progress {
        let bar = match &remaining {
            Some(r) if color => Some(bar(r)),
            _ => None,
        };
        Progress { remaining, bar }
    }

    /// Takes in `e`, which happened at `now`, and returns its line with the count and time
    /// left, or `None` for an event not shown.
    pub fn record(&mut self, e: &Event, now: Instant) -> Option<String> {
        if let Some(remaining) = &mut self.remaining {
            remaining.record(e, now);
        }
        self.tick(now);
        let text = line(e)?;
        Some(match &self.remaining {
            Some(remaining) => text + &suffix(remaining, now),
            None => text,
        })
    }

    /// The apply was cancelled: operations not started no longer count.
    pub fn cancel(&mut self) {
        if let Some(remaining) = &mut self.remaining {
            remaining.cancel();
        }
    }

    /// Prints `text` as a line through `out`, above the bar when there is one.
    pub fn print(&self, out: &Output, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| out.line(text)),
            None => out.line(text),
        }
    }

    /// Brings the bar up to `now`.
    pub fn tick(&self, now: Instant) {
        if let (Some(bar), Some(remaining)) = (&self.bar, &self.remaining) {
            bar.set_position(count(remaining.done()));
            bar.set_message(time_left(remaining, now));
        }
    }

    /// The addresses of the operations in flight.
    pub fn running(&self) -> Vec<String> {
        self.remaining
            .as_ref()
            .map(Remaining::running)
            .unwrap_or_default()
    }

    /// Removes the bar, before the summary (or a message about stopping) is printed.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// A bar on stderr for `remaining`'s operations.
fn bar(remaining: &Remaining) -> ProgressBar {
    let style = ProgressStyle::with_template(BAR_TEMPLATE)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar =
        ProgressBar::with_draw_target(Some(count(remaining.total())), ProgressDrawTarget::stderr())
            .with_style(style);
    bar.set_message(time_left(remaining, Instant::now()));
    bar
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_like_terraform() {
        let e = Event::StillRunning {
            address: "VpcStack.NatGatewayOne".into(),
            action: Operation::Create,
            elapsed: Duration::from_secs(70),
        };
        assert_eq!(
            line(&e).as_deref(),
            Some("VpcStack.NatGatewayOne: Still creating... [1m10s elapsed]")
        );
        let f = Event::Finished {
            address: "A".into(),
            action: Operation::Delete,
            elapsed: Duration::from_secs(4),
            physical_id: "vpc-1".into(),
        };
        assert_eq!(
            line(&f).as_deref(),
            Some("A: Destruction complete after 4s [id=vpc-1]")
        );
    }

    #[test]
    fn a_forget_says_what_stays_in_aws() {
        let started = Event::Started {
            address: "Logs".into(),
            action: Operation::Forget,
        };
        assert_eq!(
            line(&started).as_deref(),
            Some("Logs: Removing from the state (retained: kept in AWS)...")
        );
        let finished = |action| Event::Finished {
            address: "Logs".into(),
            action,
            elapsed: Duration::from_millis(3),
            physical_id: "demo-Logs-1".into(),
        };
        assert_eq!(
            line(&finished(Operation::Forget)).as_deref(),
            Some("Logs: Removed from the state, kept in AWS [id=demo-Logs-1]")
        );
        assert_eq!(
            line(&finished(Operation::ForgetReplaced)).as_deref(),
            Some("Logs: Replaced object removed from the state, kept in AWS [id=demo-Logs-1]")
        );
    }

    /// Vpc (2 s) -> Nat (100 s) -> Route (2 s), and Vpc -> Subnet (3 s).
    fn network() -> Remaining {
        use infra_engine::{ActionGraph, ActionNode, Schedule};
        let mut graph = ActionGraph::new();
        let mut add = |address: &str| {
            graph.add_node(ActionNode {
                address: address.to_owned(),
                operation: Operation::Create,
                change: 0,
            })
        };
        let (vpc, nat, route, subnet) = (add("Vpc"), add("Nat"), add("Route"), add("Subnet"));
        for (before, after) in [(vpc, nat), (nat, route), (vpc, subnet)] {
            graph.add_edge(before, after, ());
        }
        Remaining::from_graph(&graph, Schedule::CriticalPath, |node| {
            match node.address.as_str() {
                "Nat" => 100.0,
                "Subnet" => 3.0,
                _ => 2.0,
            }
        })
    }

    fn started(address: &str) -> Event {
        Event::Started {
            address: address.into(),
            action: Operation::Create,
        }
    }

    fn finished(address: &str, seconds: u64, id: &str) -> Event {
        Event::Finished {
            address: address.into(),
            action: Operation::Create,
            elapsed: Duration::from_secs(seconds),
            physical_id: id.into(),
        }
    }

    fn still(address: &str, seconds: u64) -> Event {
        Event::StillRunning {
            address: address.into(),
            action: Operation::Create,
            elapsed: Duration::from_secs(seconds),
        }
    }

    fn skipped(address: &str) -> Event {
        Event::Skipped {
            address: address.into(),
            action: Operation::Create,
            because: "Vpc (create) failed".into(),
        }
    }

    /// The lines of `events`, each at its second since the apply started, without a bar.
    fn lines(events: &[(u64, Event)]) -> String {
        let mut progress = Progress::new(Some(network()), false);
        let start = Instant::now();
        let mut lines = Vec::new();
        for (second, e) in events {
            let at = start + Duration::from_secs(*second);
            lines.extend(progress.record(e, at));
        }
        lines.join("\n")
    }

    #[test]
    fn every_line_says_what_is_done_and_how_long_is_left() {
        let events = [
            (0, started("Vpc")),
            (2, finished("Vpc", 2, "vpc-1")),
            (2, started("Nat")),
            (2, started("Subnet")),
            (5, finished("Subnet", 3, "subnet-1")),
            (12, still("Nat", 10)),
            (
                13,
                Event::Retrying {
                    address: "Nat".into(),
                    action: Operation::Create,
                    attempt: 1,
                    error: "Throttling".into(),
                    delay: Duration::from_secs(2),
                },
            ),
            (22, still("Nat", 20)),
            (106, finished("Nat", 104, "nat-1")),
            (106, started("Route")),
            (108, finished("Route", 2, "")),
        ];
        insta::assert_snapshot!("apply_progress", lines(&events));
    }

    #[test]
    fn after_a_failure_the_count_stops_short_and_nothing_is_left() {
        let events = [
            (0, started("Vpc")),
            (
                1,
                Event::Failed {
                    address: "Vpc".into(),
                    action: Operation::Create,
                    error: "CIDR overlaps".into(),
                },
            ),
            (1, skipped("Nat")),
            (1, skipped("Route")),
            (1, skipped("Subnet")),
        ];
        insta::assert_snapshot!("failed_progress", lines(&events));
    }

    #[test]
    fn without_a_terminal_or_colour_there_is_no_bar_and_no_escape_code() {
        let mut progress = Progress::new(Some(network()), false);
        assert!(progress.bar.is_none());
        let now = Instant::now();
        for e in [
            started("Vpc"),
            still("Vpc", 10),
            finished("Vpc", 12, "vpc-1"),
        ] {
            let line = progress.record(&e, now).expect("shown");
            assert!(!line.contains('\x1b'), "{line:?}");
            assert!(!line.contains("=>"), "{line:?}");
            assert!(line.ends_with(" left]"), "{line:?}");
        }
        progress.finish();
        // Colour asks for a bar (indicatif itself keeps it hidden when stderr is no terminal).
        let mut coloured = Progress::new(Some(network()), true);
        assert!(coloured.bar.is_some());
        coloured.finish();
        // Without a tracker there is nothing to show in a bar.
        assert!(Progress::new(None, true).bar.is_none());
    }

    #[test]
    fn without_a_tracker_lines_have_no_suffix() {
        let mut progress = Progress::new(None, false);
        assert_eq!(
            progress.record(&started("Vpc"), Instant::now()).as_deref(),
            Some("Vpc: Creating...")
        );
    }
}
