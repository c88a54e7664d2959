//! Engine events as Terraform-style progress lines:
//!
//! ```text
//! VpcStack.NatGatewayOne: Creating...
//! VpcStack.NatGatewayOne: Still creating... [20s elapsed]
//! VpcStack.NatGatewayOne: Creation complete after 1m4s [id=nat-0a1b2c]
//! ```

use std::time::Duration;

use infra_engine::{Event, Operation};

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
            format!("{address}: {} after {}{id}", verbs(*action).2, elapsed(*d))
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
}
