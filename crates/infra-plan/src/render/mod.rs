//! The human plan, Terraform style: the drift section ("Objects have changed outside of
//! infra"), notes, the policies recorded anew, the symbol legend, one `# address will be ...`
//! block per resource change and the `Plan: N to add, N to change, N to destroy.` line (with
//! `, N to retain` when policies keep objects in AWS). This file owns the plan-level layout;
//! property diffs are in `value` and `list`, heredocs and JSON documents in `text`,
//! colours in `style`.
//!
//! Output is deterministic (properties in key order, changes in plan order), carries no escape
//! code unless [`RenderOptions::color`] is set, and never prints a NoEcho value: any string
//! equal to or containing one prints `(sensitive value)`.

mod estimate;
pub mod html;
mod list;
pub mod markdown;
mod style;
mod text;
mod value;

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use infra_template::Value;

pub use estimate::{duration, expected_time_line};

use crate::plan::{Action, Drift, Plan, ResourceChange};
use style::Style;
use text::Secrets;
use value::Ctx;

/// How [`render_plan`] prints.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// ANSI colours (green `+`, yellow `~`, red `-`, bold headings). Off: no escape code at all.
    pub color: bool,
    /// NoEcho values: any string equal to or containing one prints `(sensitive value)`, and a
    /// multi-line string or JSON document containing one gets no line diff.
    pub secrets: Vec<String>,
    /// Print unchanged attributes, elements and lines instead of counting them as hidden.
    pub show_unchanged: bool,
}

/// What a replacement or deletion with the native Auto Scaling group teardown adds.
const NATIVE_TEARDOWN: &str =
    "native teardown: services scaled to 0, capacity providers removed, ASG force-deleted";

/// The whole human plan, ending with a newline.
pub fn render_plan(plan: &Plan, opts: &RenderOptions) -> String {
    let style = Style { color: opts.color };
    let secrets = Secrets(&opts.secrets);
    let mut out = String::new();

    let drift: Vec<&Drift> = plan.drift.iter().filter(|d| drifted(d)).collect();
    if !drift.is_empty() {
        render_drift(&mut out, &drift, opts);
    }
    for note in &plan.notes {
        let _ = writeln!(out, "{} {}", style.bold("Note:"), secrets.scrub(note));
    }
    if !plan.notes.is_empty() {
        out.push('\n');
    }
    render_recovery(&mut out, plan, style);
    render_policy_changes(&mut out, plan, opts);

    let changes: Vec<&ResourceChange> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    if changes.is_empty() {
        let policies = plan.policy_changes().next().is_some();
        render_no_changes(&mut out, plan.destroy, !drift.is_empty(), policies, style);
        return out;
    }

    out.push_str("Resource actions are indicated with the following symbols:\n");
    let legend: [(Action, bool, &str); 8] = [
        (Action::Create, false, "create"),
        (Action::Update, false, "update in-place"),
        (Action::Delete, false, "destroy"),
        (
            Action::Forget,
            true,
            "forget: remove from the state, keep in AWS",
        ),
        (
            Action::DeleteThenCreate,
            false,
            "destroy and then create replacement",
        ),
        (
            Action::CreateThenDelete,
            false,
            "create replacement and then destroy",
        ),
        (
            Action::DeleteThenCreate,
            true,
            "forget (keep in AWS) and then create replacement",
        ),
        (
            Action::CreateThenDelete,
            true,
            "create replacement and then forget (keep in AWS)",
        ),
    ];
    for (action, retains, meaning) in legend {
        if let Some(change) = changes
            .iter()
            .find(|c| c.action == action && c.retains() == retains)
        {
            let _ = writeln!(out, "{} {meaning}", style.change(change));
        }
    }
    out.push_str("\ninfra will perform the following actions:\n");
    for change in changes {
        out.push('\n');
        render_change(&mut out, change, opts);
    }
    let _ = writeln!(out, "\n{}", summary_line(plan, style));
    if let Some(line) = expected_time_line(plan) {
        let _ = writeln!(out, "{}", secrets.scrub(&line));
    }
    out
}

/// One resource's block exactly as the text plan prints it (`  # address will be ...` and the
/// resource body), ending with a newline; for pages and comments that show one change at a time.
pub fn render_change_block(change: &ResourceChange, opts: &RenderOptions) -> String {
    let mut out = String::new();
    render_change(&mut out, change, opts);
    out
}

/// The summary line alone: `Plan: 1 to add, 0 to change, 2 to destroy.` (no newline).
pub fn render_summary(plan: &Plan) -> String {
    summary_line(plan, Style { color: false })
}

fn summary_line(plan: &Plan, style: Style) -> String {
    let s = plan.summary;
    let retain = if s.retain > 0 {
        format!(", {} to retain", s.retain)
    } else {
        String::new()
    };
    format!(
        "{} {} to add, {} to change, {} to destroy{retain}.",
        style.bold("Plan:"),
        s.add,
        s.change,
        s.destroy
    )
}

/// The resources whose `DeletionPolicy` or `UpdateReplacePolicy` the template changes: the
/// apply records the new ones in the state, with no AWS call.
fn render_policy_changes(out: &mut String, plan: &Plan, opts: &RenderOptions) {
    let style = Style { color: opts.color };
    let secrets = Secrets(&opts.secrets);
    let lines: Vec<String> = plan
        .policy_changes()
        .filter_map(|change| {
            let what = policy_change(change, &style.arrow())?;
            Some(format!("  {}: {what}", secrets.scrub(&change.address)))
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{}\n",
        style.bold("Policies to record in the state (no change in AWS):")
    );
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}

/// What the intents of an interrupted run turned out to be; `apply` records it first.
fn render_recovery(out: &mut String, plan: &Plan, style: Style) {
    if plan.recovery.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{}\n",
        style.bold("An earlier run stopped before recording all of its changes. Found in AWS:")
    );
    for entry in &plan.recovery {
        let _ = writeln!(out, "  {}", entry.describe());
    }
    out.push_str("\nApplying this plan records these in the state before any other change.\n\n");
}

/// `No changes.` and why; `policies` when the plan still records changed policies (listed
/// above it) in the state.
fn render_no_changes(
    out: &mut String,
    destroy: bool,
    had_drift: bool,
    policies: bool,
    style: Style,
) {
    let (rest, explanation) = if destroy {
        (
            "No objects need to be destroyed.",
            "Either you have not created any objects yet or the existing objects were already deleted outside of infra.",
        )
    } else if policies {
        (
            "Your infrastructure matches the configuration.",
            "infra has compared your real infrastructure against your template and found nothing to change in AWS; applying this plan only records the policies above in the state.",
        )
    } else if had_drift {
        (
            "Your infrastructure matches the configuration.",
            "Your template already matches the changes detected above, so applying this plan will only update the state to include the changes detected above and won't change any real infrastructure.",
        )
    } else {
        (
            "Your infrastructure matches the configuration.",
            "infra has compared your real infrastructure against your template and found no differences, so no changes are needed.",
        )
    };
    let _ = writeln!(
        out,
        "{}{}\n\n{explanation}",
        style.good("No changes."),
        style.bold(&format!(" {rest}"))
    );
}

/// How `change` changes the recorded policies, `DeletionPolicy Delete -> Retain` (with `arrow`
/// between the two); `None` when it does not.
pub(crate) fn policy_change(change: &ResourceChange, arrow: &str) -> Option<String> {
    let before = change.policies_before?;
    let mut what = Vec::new();
    if before.deletion_policy != change.deletion_policy {
        what.push(format!(
            "DeletionPolicy {} {arrow} {}",
            before.deletion_policy.template_name(),
            change.deletion_policy.template_name()
        ));
    }
    if before.update_replace_policy != change.update_replace_policy {
        what.push(format!(
            "UpdateReplacePolicy {} {arrow} {}",
            before.update_replace_policy.template_name(),
            change.update_replace_policy.template_name()
        ));
    }
    (!what.is_empty()).then(|| what.join(", "))
}

/// One planned resource change: heading comments, then the resource block.
fn render_change(out: &mut String, change: &ResourceChange, opts: &RenderOptions) {
    let style = Style { color: opts.color };
    let secrets = Secrets(&opts.secrets);
    let address = secrets.scrub(&change.address);
    let head = style.bold(&format!("  # {address}"));
    let _ = match change.action {
        Action::Create => writeln!(out, "{head} will be created"),
        Action::Update => writeln!(out, "{head} will be updated in-place"),
        Action::DeleteThenCreate | Action::CreateThenDelete => {
            writeln!(out, "{head} must be {}", style.danger("replaced"))
        }
        Action::Delete => writeln!(out, "{head} will be {}", style.danger("destroyed")),
        Action::Forget => writeln!(
            out,
            "{head} will be removed from the state and {}",
            style.bold("kept in AWS")
        ),
        Action::NoOp => writeln!(out, "{head} has no changes"),
    };
    if let Some(reason) = &change.reason {
        let reason = secrets.scrub(reason);
        let because = if reason.starts_with("because") {
            reason
        } else {
            format!("because {reason}")
        };
        let _ = writeln!(out, "  # ({because})");
    }
    match (change.action, change.retained_by) {
        (Action::Forget, Some(by)) => {
            let _ = writeln!(out, "  # (retained: {})", by.attribute());
        }
        (_, Some(by)) => {
            let _ = writeln!(
                out,
                "  # (the old object is retained: {}; it is removed from the state, not destroyed)",
                by.attribute()
            );
        }
        (_, None) => {}
    }
    if change.native_teardown
        && !change.retains()
        && (change.action == Action::Delete || change.action.is_replace())
    {
        let _ = writeln!(out, "  # {NATIVE_TEARDOWN}");
    }
    if change.path == infra_state::ResourcePath::CloudControl {
        let _ = writeln!(out, "  # (via Cloud Control)");
    }
    let ctx = Ctx {
        style,
        secrets,
        show_unchanged: opts.show_unchanged,
        replace_paths: &change.replace_paths,
        type_name: &change.type_name,
    };
    // What is forgotten stays as it is: its properties are unchanged, not removed.
    let after = match change.action {
        Action::Forget => change.before.as_ref(),
        _ => change.after.as_ref(),
    };
    let body = value::resource_body(&ctx, change.before.as_ref(), after);
    let _ = writeln!(
        out,
        "{} {} {body}",
        style.change(change),
        header(&change.type_name, &address)
    );
}

/// `resource "AWS::EC2::VPC" "VpcStack.VPC"`.
fn header(type_name: &str, address: &str) -> String {
    format!(
        "resource {} {}",
        text::quote(type_name),
        text::quote(address)
    )
}

/// Whether a drift entry says anything (an entry whose sides are equal is skipped).
fn drifted(d: &Drift) -> bool {
    match (&d.before, &d.after) {
        (None, None) => false,
        (Some(b), Some(a)) => !same_properties(&d.type_name, b, a),
        _ => true,
    }
}

fn same_properties(type_name: &str, b: &Value, a: &Value) -> bool {
    let ctx = Ctx {
        style: Style { color: false },
        secrets: Secrets(&[]),
        show_unchanged: false,
        replace_paths: &[],
        type_name,
    };
    value::same(&ctx, "", b, a)
}

/// One drifted object: `  # address has changed` and its resource block (no newline at the end).
fn drift_block(d: &Drift, opts: &RenderOptions, style: Style) -> String {
    let secrets = Secrets(&opts.secrets);
    let address = secrets.scrub(&d.address);
    let head = style.bold(&format!("  # {address}"));
    let (action, what) = match (&d.before, &d.after) {
        (Some(_), None) => (Action::Delete, "has been deleted"),
        (None, Some(_)) => (Action::Create, "has been created"),
        _ => (Action::Update, "has changed"),
    };
    let ctx = Ctx {
        style,
        secrets,
        show_unchanged: opts.show_unchanged,
        replace_paths: &[],
        type_name: &d.type_name,
    };
    let body = value::resource_body(&ctx, d.before.as_ref(), d.after.as_ref());
    format!(
        "{head} {what}\n{} {} {body}",
        style.action(action),
        header(&d.type_name, &address)
    )
}

/// The changes refresh found, before the plan.
fn render_drift(out: &mut String, drift: &[&Drift], opts: &RenderOptions) {
    let style = Style { color: opts.color };
    let _ = writeln!(
        out,
        "{}{}\n",
        style.note("Note:"),
        style.bold(" Objects have changed outside of infra")
    );
    out.push_str(
        "infra detected the following changes made outside of infra since the last \"infra apply\":\n",
    );
    for d in drift {
        let _ = writeln!(out, "\n{}", drift_block(d, opts, style));
    }
    out.push_str(
        "\nUnless you have made equivalent changes to your template, the following plan may include actions to undo or respond to these changes.\n\n",
    );
    let _ = writeln!(out, "{}\n", style.dim(&"─".repeat(77)));
}
