//! The expected-time line printed under the summary:
//!
//! ```text
//! Expected apply time: about 4 min (critical path: VpcStack.VPC → VpcStack.NatGatewayOne → ... →
//! ServiceStack.Service; CloudFormation's nested-stack order: about 8 min)
//! ```
//!
//! The figures come from [`Plan::estimate`](crate::plan::Plan::estimate), computed by the engine
//! from the latency model; this module only words them.

use crate::plan::Plan;

/// How many resources of the critical path are named before the middle is left out.
const PATH_SHOWN: usize = 5;

/// `about 40 s`, `about 4 min`, `about 1 h 5 min`: a duration in the model's seconds, rounded
/// the way a reviewer reads it.
pub fn duration(seconds: f64) -> String {
    let seconds = if seconds.is_finite() {
        seconds.max(0.0)
    } else {
        0.0
    };
    if seconds < 1.0 {
        return "under 1 s".to_owned();
    }
    if seconds < 60.0 {
        return format!("about {} s", seconds.round() as u64);
    }
    let minutes = (seconds / 60.0).round() as u64;
    if minutes < 60 {
        format!("about {minutes} min")
    } else if minutes.is_multiple_of(60) {
        format!("about {} h", minutes / 60)
    } else {
        format!("about {} h {} min", minutes / 60, minutes % 60)
    }
}

/// The critical path for display: every address when it is short, else the first two, `...`
/// and the last two.
fn path(addresses: &[String]) -> String {
    if addresses.len() <= PATH_SHOWN {
        return addresses.join(" → ");
    }
    let n = addresses.len();
    format!(
        "{} → {} → ... → {} → {}",
        addresses[0],
        addresses[1],
        addresses[n - 2],
        addresses[n - 1]
    )
}

/// The line, without a newline; `None` when the plan carries no estimate or changes nothing.
pub fn expected_time_line(plan: &Plan) -> Option<String> {
    let estimate = plan.estimate.as_ref()?;
    if estimate.critical_path.is_empty() {
        return None;
    }
    Some(format!(
        "Expected apply time: {} (critical path: {}; CloudFormation's nested-stack order: {})",
        duration(estimate.expected_apply_seconds),
        path(&estimate.critical_path),
        duration(estimate.stack_order_seconds),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_as_a_reviewer_reads_them() {
        assert_eq!(duration(0.15), "under 1 s");
        assert_eq!(duration(41.4), "about 41 s");
        assert_eq!(duration(237.0), "about 4 min");
        assert_eq!(duration(496.0), "about 8 min");
        assert_eq!(duration(3600.0), "about 1 h");
        assert_eq!(duration(3900.0), "about 1 h 5 min");
        assert_eq!(duration(f64::NAN), "under 1 s");
    }

    #[test]
    fn long_paths_keep_both_ends() {
        let short: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        assert_eq!(path(&short), "A → B → C");
        let long: Vec<String> = (1..=8).map(|i| format!("R{i}")).collect();
        assert_eq!(path(&long), "R1 → R2 → ... → R7 → R8");
    }
}
