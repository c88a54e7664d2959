//! `infra plan --format markdown`: the plan as a GitHub pull-request comment.
//!
//! The comment holds, in order: a heading naming the stack, the summary line and the expected
//! apply time, the notes, recovered intents, the drift found by refresh (collapsed), a table of
//! the changes by action, and one collapsed `<details>` block per changed resource whose body
//! is the text plan's block for it in a ```` ```diff ```` fence.
//!
//! This file owns that layout. `lines` turns text-plan blocks into diff-fence bodies and
//! escapes text for Markdown and HTML; `fit` keeps the comment within [`COMMENT_LIMIT`] by
//! leaving out the largest diffs first. The resource blocks themselves come from the text
//! renderer, so NoEcho values are redacted exactly as in the text plan; every other piece of
//! plan text put in the comment is scrubbed of them here. Output is deterministic.

mod fit;
mod lines;

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use crate::plan::{Action, Drift, Plan, ResourceChange};

use super::style::Style;
use super::text::Secrets;
use super::{RenderOptions, expected_time_line, render_change_block, render_summary};
use fit::{Block, Kind, Part};
use lines::{code_span, html, markdown_text, table_code};

/// The most characters (as `chars()` counts them) a comment may have. GitHub refuses comments
/// over 65,536; the margin leaves room for a bot's own header or footer.
pub const COMMENT_LIMIT: usize = 65_000;

/// How many addresses a row of the table names before `and N more`.
const ADDRESSES_SHOWN: usize = 20;

/// The whole comment, ending with a newline, at most [`COMMENT_LIMIT`] characters. Colour in
/// `opts` is ignored; its secrets are redacted wherever plan text appears.
pub fn render_markdown(plan: &Plan, opts: &RenderOptions) -> String {
    let opts = RenderOptions {
        color: false,
        ..opts.clone()
    };
    let secrets = Secrets(&opts.secrets);
    let mut parts = vec![Part::Text(heading(plan, secrets))];

    let changes: Vec<&ResourceChange> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    let drift: Vec<&Drift> = plan.drift.iter().filter(|d| super::drifted(d)).collect();

    let mut intro = String::new();
    if !changes.is_empty() {
        summary(&mut intro, plan, secrets);
    }
    for note in &plan.notes {
        let _ = writeln!(intro, "**Note:** {}\n", markdown_text(&secrets.scrub(note)));
    }
    recovery(&mut intro, plan, secrets);
    policies(&mut intro, plan, secrets);
    parts.push(Part::Text(intro));

    if !drift.is_empty() {
        parts.push(Part::Block(drift_block(&drift, &opts)));
        parts.push(Part::Text(
            "Unless you have made equivalent changes to your template, the plan may include \
             actions to undo or respond to these changes.\n\n"
                .to_owned(),
        ));
    }

    if changes.is_empty() {
        let mut text = String::new();
        super::render_no_changes(
            &mut text,
            plan.destroy,
            !drift.is_empty(),
            plan.policy_changes().next().is_some(),
            Style { color: false },
        );
        parts.push(Part::Text(markdown_text(&text)));
        return fit::fit(parts, COMMENT_LIMIT);
    }

    parts.push(Part::Text(table(&changes, secrets)));
    for change in changes {
        parts.push(Part::Block(change_block(change, &opts)));
    }
    fit::fit(parts, COMMENT_LIMIT)
}

/// `### infra plan: \`demo\``, and a blank line.
fn heading(plan: &Plan, secrets: Secrets<'_>) -> String {
    let stack = code_span(&secrets.scrub(&plan.binding.stack));
    let what = if plan.destroy {
        "infra destroy plan"
    } else {
        "infra plan"
    };
    format!("### {what}: {stack}\n\n")
}

/// The summary line, then the expected apply time when the plan carries an estimate.
fn summary(out: &mut String, plan: &Plan, secrets: Secrets<'_>) {
    let line = render_summary(plan);
    match line.strip_prefix("Plan: ") {
        Some(counts) => {
            let _ = writeln!(out, "**Plan:** {}", markdown_text(counts));
        }
        None => {
            let _ = writeln!(out, "{}", markdown_text(&line));
        }
    }
    if let Some(expected) = expected_time_line(plan) {
        let _ = writeln!(out, "\n{}", markdown_text(&secrets.scrub(&expected)));
    }
    out.push('\n');
}

/// What the intents of an interrupted run turned out to be, as a list.
fn recovery(out: &mut String, plan: &Plan, secrets: Secrets<'_>) {
    if plan.recovery.is_empty() {
        return;
    }
    out.push_str(
        "**An earlier run stopped before recording all of its changes.** Found in AWS:\n\n",
    );
    for entry in &plan.recovery {
        let _ = writeln!(
            out,
            "- {}",
            markdown_text(&secrets.scrub(&entry.describe()))
        );
    }
    out.push_str("\nApplying this plan records these in the state before any other change.\n\n");
}

/// The resources whose policies the apply records anew (no AWS call), as a list.
fn policies(out: &mut String, plan: &Plan, secrets: Secrets<'_>) {
    let lines: Vec<String> = plan
        .policy_changes()
        .filter_map(|change| {
            let what = super::policy_change(change, "→")?;
            Some(format!(
                "- {}: {}",
                code_span(&secrets.scrub(&change.address)),
                markdown_text(&what)
            ))
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    out.push_str("**Policies to record in the state** (no change in AWS):\n\n");
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}

/// The rows of the table, in this order.
const ROWS: [&str; 5] = [
    "create",
    "update in place",
    "replace",
    "delete",
    "forget (kept in AWS)",
];

/// The row an action is counted in; replacements in either order share one.
fn row(action: Action) -> Option<usize> {
    match action {
        Action::NoOp => None,
        Action::Create => Some(0),
        Action::Update => Some(1),
        Action::DeleteThenCreate | Action::CreateThenDelete => Some(2),
        Action::Delete => Some(3),
        Action::Forget => Some(4),
    }
}

/// One row per action present: the count and the addresses.
fn table(changes: &[&ResourceChange], secrets: Secrets<'_>) -> String {
    let mut addresses: [Vec<String>; 5] = Default::default();
    for change in changes {
        if let Some(idx) = row(change.action) {
            addresses[idx].push(table_code(&secrets.scrub(&change.address)));
        }
    }
    let mut out = String::from("| Action | Count | Resources |\n| --- | ---: | --- |\n");
    for (name, addresses) in ROWS.iter().zip(&addresses) {
        if addresses.is_empty() {
            continue;
        }
        let mut cell = addresses[..addresses.len().min(ADDRESSES_SHOWN)].join(", ");
        if addresses.len() > ADDRESSES_SHOWN {
            let _ = write!(cell, " and {} more", addresses.len() - ADDRESSES_SHOWN);
        }
        let _ = writeln!(out, "| {name} | {} | {cell} |", addresses.len());
    }
    out.push('\n');
    out
}

/// The `<details>` block of one change: symbol, address, type and what happens; its text-plan
/// block, without the heading line the summary repeats, as the diff.
fn change_block(change: &ResourceChange, opts: &RenderOptions) -> Block {
    let secrets = Secrets(&opts.secrets);
    let what = match (change.action, change.retains()) {
        (Action::Create, _) => "will be created",
        (Action::Update, _) => "will be updated in place",
        (Action::DeleteThenCreate, false) => "must be replaced (destroyed, then created)",
        (Action::CreateThenDelete, false) => "must be replaced (created, then destroyed)",
        (Action::DeleteThenCreate, true) => {
            "must be replaced (the old object forgotten and kept in AWS, then the new one created)"
        }
        (Action::CreateThenDelete, true) => {
            "must be replaced (created, then the old object forgotten and kept in AWS)"
        }
        (Action::Delete, _) => "will be destroyed",
        (Action::Forget, _) => "will be removed from the state and kept in AWS",
        (Action::NoOp, _) => "has no changes",
    };
    let summary = format!(
        "<code>{}</code> <code>{}</code> ({}) {what}",
        html(Action::symbol_of(change)),
        html(&secrets.scrub(&change.address)),
        html(&secrets.scrub(&change.type_name)),
    );
    let text = render_change_block(change, opts);
    let text = match text.split_once('\n') {
        Some((first, rest)) if first.trim_start().starts_with("# ") => rest,
        _ => text.as_str(),
    };
    Block {
        kind: Kind::Change,
        summary,
        diff: lines::diff_body(text),
    }
}

/// One `<details>` block for everything refresh found changed outside infra.
fn drift_block(drift: &[&Drift], opts: &RenderOptions) -> Block {
    let style = Style { color: false };
    let mut text = String::new();
    for (idx, d) in drift.iter().enumerate() {
        if idx > 0 {
            text.push('\n');
        }
        let _ = writeln!(text, "{}", super::drift_block(d, opts, style));
    }
    let objects = if drift.len() == 1 {
        "object"
    } else {
        "objects"
    };
    Block {
        kind: Kind::Drift,
        summary: format!(
            "<b>{} {objects} changed outside of infra</b> since the last <code>infra apply</code>",
            drift.len()
        ),
        diff: lines::diff_body(&text),
    }
}
