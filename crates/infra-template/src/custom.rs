//! `Custom::AsgDestroyer`: the Lambda-backed custom resource that templates use to force-delete
//! an Auto Scaling group whose instances are protected from scale-in. `infra` does that itself,
//! so the custom resource, the function its `ServiceToken` names and the resources that serve
//! only that function (its role, a policy or log group of its own) leave the graph, and the
//! Auto Scaling group is marked for the native teardown.

use std::collections::BTreeSet;

use crate::dep::EdgeKind;
use crate::diagnostic::Diagnostic;
use crate::model::{NativeTeardown, Resource};
use crate::template::Template;

/// The custom resource type replaced natively.
pub const ASG_DESTROYER: &str = "Custom::AsgDestroyer";

const FUNCTION: &str = "AWS::Lambda::Function";
const ASG: &str = "AWS::AutoScaling::AutoScalingGroup";

/// Types that can exist only to serve the destroyer's function.
const SERVING_TYPES: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::Logs::LogGroup",
    "AWS::Lambda::Permission",
];

/// Replaces every `Custom::AsgDestroyer` among `resources[first..]` (one stack's resources)
/// and returns the addresses removed.
pub(crate) fn replace_asg_destroyers(
    resources: &mut Vec<Resource>,
    first: usize,
    template: &Template,
    teardowns: &mut Vec<NativeTeardown>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let stack: Vec<usize> = (first..resources.len()).collect();
    let customs: Vec<usize> = stack
        .iter()
        .copied()
        .filter(|&i| resources[i].type_name == ASG_DESTROYER)
        .collect();
    let mut removed_all: BTreeSet<String> = BTreeSet::new();
    // Resources read by the stack's outputs are used by someone else and stay.
    let mut output_reads: BTreeSet<String> = BTreeSet::new();
    let prefix = resources
        .get(first)
        .map(|r| {
            r.address
                .strip_suffix(&r.logical_id)
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    for o in &template.outputs {
        o.value.walk(&mut |e| {
            if let crate::expr::ExprKind::Ref(n)
            | crate::expr::ExprKind::GetAtt { resource: n, .. } = &e.kind
            {
                output_reads.insert(format!("{prefix}{}", n.text));
            }
        });
    }
    let reads = |r: &Resource| -> BTreeSet<String> {
        r.deps
            .iter()
            .filter(|d| d.kind != EdgeKind::DependsOn)
            .map(|d| d.target.clone())
            .collect()
    };
    for c in customs {
        let custom = resources[c].clone();
        let by_type = |address: &str, t: &str| {
            stack
                .iter()
                .any(|&i| resources[i].address == address && resources[i].type_name == t)
        };
        let functions: Vec<String> = reads(&custom)
            .into_iter()
            .filter(|a| by_type(a, FUNCTION))
            .collect();
        let Some(function) = functions.first().cloned() else {
            errors.push(Diagnostic::at(
                custom.span,
                format!(
                    "{ASG_DESTROYER} `{}` has no ServiceToken naming an {FUNCTION} of this template",
                    custom.logical_id
                ),
            ));
            continue;
        };
        let mut removed: BTreeSet<String> = [custom.address.clone(), function.clone()].into();
        let asgs: BTreeSet<String> = stack
            .iter()
            .filter(|&&i| removed.contains(&resources[i].address))
            .flat_map(|&i| reads(&resources[i]))
            .filter(|a| by_type(a, ASG))
            .collect();
        let asg = match asgs.len() {
            1 => asgs.into_iter().next().unwrap_or_default(),
            0 => {
                errors.push(Diagnostic::at(
                    custom.span,
                    format!(
                        "{ASG_DESTROYER} `{}` names no {ASG}: neither it nor its function `{function}` references one",
                        custom.logical_id
                    ),
                ));
                continue;
            }
            _ => {
                errors.push(Diagnostic::at(
                    custom.span,
                    format!(
                        "{ASG_DESTROYER} `{}` references several Auto Scaling groups ({}); it must name exactly one",
                        custom.logical_id,
                        asgs.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                ));
                continue;
            }
        };
        // Grow the removed set with resources that serve only it.
        loop {
            let mut grew = false;
            for &i in &stack {
                let r = &resources[i];
                if removed.contains(&r.address)
                    || !SERVING_TYPES.contains(&r.type_name.as_str())
                    || output_reads.contains(&r.address)
                {
                    continue;
                }
                let referrers: Vec<&Resource> = stack
                    .iter()
                    .map(|&j| &resources[j])
                    .filter(|x| x.deps.iter().any(|d| d.target == r.address))
                    .collect();
                let used_by_removed = referrers.iter().any(|x| removed.contains(&x.address));
                let only_removed = referrers.iter().all(|x| removed.contains(&x.address));
                let serves_removed =
                    referrers.is_empty() && reads(r).iter().any(|a| removed.contains(a));
                if (used_by_removed && only_removed) || serves_removed {
                    removed.insert(r.address.clone());
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        // Nothing that stays may read what goes.
        for &i in &stack {
            let r = &resources[i];
            if removed.contains(&r.address) {
                continue;
            }
            if let Some(d) = r
                .deps
                .iter()
                .find(|d| d.kind != EdgeKind::DependsOn && removed.contains(&d.target))
            {
                errors.push(Diagnostic::at(
                    d.span,
                    format!(
                        "`{}` reads `{}`, which is removed with {ASG_DESTROYER} `{}` (infra deletes the Auto Scaling group natively)",
                        r.logical_id, d.target, custom.logical_id
                    ),
                ));
            }
        }
        let mut others: Vec<String> = removed
            .iter()
            .filter(|a| **a != custom.address)
            .cloned()
            .collect();
        others.sort_by_key(|a| (a != &function, a.clone()));
        teardowns.push(NativeTeardown {
            custom_resource: custom.address.clone(),
            removed: others,
            asg: asg.clone(),
            span: custom.span,
        });
        for r in resources.iter_mut() {
            if r.address == asg {
                r.native_teardown = true;
            }
        }
        removed_all.extend(removed);
    }
    resources.retain(|r| !removed_all.contains(&r.address));
    // A DependsOn on something removed is dropped: it no longer exists to wait for.
    for r in resources.iter_mut().skip(first) {
        r.deps.retain(|d| !removed_all.contains(&d.target));
    }
    removed_all.into_iter().collect()
}
