//! The page around the graph: title, summary and expected-time lines, notes, the legend, the
//! action filters and search box, the detail panel, and the data the panel shows (each
//! change's text-plan block, in a JSON script read on the first click). Styles and script are
//! inline (`assets/`), so the file opens from disk in a browser without a network.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::escape::{html, push_json_string};
use super::view::{Graph, Kind};
use super::{layout, svg, view};
use crate::plan::{Action, Plan};
use crate::render::text::Secrets;
use crate::render::{RenderOptions, expected_time_line, render_change_block, render_summary};

pub(super) const CSS: &str = include_str!("assets/page.css");
pub(super) const JS: &str = include_str!("assets/page.js");

/// The whole page.
pub(super) fn render(plan: &Plan, opts: &RenderOptions) -> String {
    let secrets = Secrets(&opts.secrets);
    let graph = view::read(plan);
    let placed = layout::layout(&graph);
    let stack = secrets.scrub(&plan.binding.stack);
    let graph_svg = svg::render(&graph, &placed, &stack, secrets);
    let diffs = diff_data(plan, opts);

    let mut out =
        String::with_capacity(graph_svg.len() + diffs.len() + CSS.len() + JS.len() + 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>infra plan: {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<header>\n\
         <h1>infra plan: {}{}</h1>\n",
        html(&stack),
        html(&stack),
        if plan.destroy {
            "<span class=\"destroy\">destroy</span>"
        } else {
            ""
        },
    );
    let _ = writeln!(
        out,
        "<div id=\"summary\">{}</div>\n<div id=\"expected\">{}</div>",
        html(&secrets.scrub(&render_summary(plan))),
        expected_time_line(plan)
            .map(|line| html(&secrets.scrub(&line)))
            .unwrap_or_default(),
    );
    if !plan.notes.is_empty() {
        out.push_str("<ul class=\"notes\">\n");
        for note in &plan.notes {
            let _ = writeln!(out, "<li>{}</li>", html(&secrets.scrub(note)));
        }
        out.push_str("</ul>\n");
    }
    legend(&mut out);
    controls(&mut out, &graph);
    let _ = write!(
        out,
        "</header>\n<main>\n<div id=\"canvas\">\n{graph_svg}\n</div>\n\
         <div id=\"detail\" data-address=\"\"><h2 id=\"detail-title\">Select a resource</h2>\
         <pre id=\"diff\">Click a resource in the graph to see its planned change.</pre></div>\n\
         </main>\n<script type=\"application/json\" id=\"diffs\">{diffs}</script>\n\
         <script>\n{JS}</script>\n</body>\n</html>\n"
    );
    out
}

/// The action colours, and what dashed and thick edges mean.
fn legend(out: &mut String) {
    out.push_str("<ul class=\"legend\">");
    for kind in Kind::ALL {
        let _ = write!(
            out,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
            kind.colour(),
            kind.meaning()
        );
    }
    out.push_str(
        "<li><span class=\"line dashed\"></span>inferred dependency</li>\
         <li><span class=\"line thick\"></span>critical path</li></ul>\n",
    );
}

/// One checkbox per action present in the plan, and the search box.
fn controls(out: &mut String, graph: &Graph) {
    out.push_str("<div class=\"controls\">");
    for kind in Kind::ALL {
        let n = graph.nodes.iter().filter(|n| n.kind == kind).count();
        if n == 0 {
            continue;
        }
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" class=\"filter\" data-action=\"{}\" checked> \
             <span class=\"swatch\" style=\"background:{}\"></span>{} ({n})</label>",
            kind.name(),
            kind.colour(),
            kind.name()
        );
    }
    let _ = writeln!(
        out,
        "<label><input id=\"search\" type=\"search\" placeholder=\"Search addresses\" \
         aria-label=\"Search addresses\" autocomplete=\"off\"></label>\
         <span><span id=\"search-count\">{}</span> matching</span></div>",
        graph.nodes.len()
    );
}

/// `{"address": "block", ...}` for every change but the no-ops (the page says "no changes" for
/// those), each block as the text plan prints it, without colour and with NoEcho values
/// redacted.
fn diff_data(plan: &Plan, opts: &RenderOptions) -> String {
    let block_opts = RenderOptions {
        color: false,
        secrets: opts.secrets.clone(),
        show_unchanged: opts.show_unchanged,
    };
    let secrets = Secrets(&opts.secrets);
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = String::from("{");
    for change in &plan.changes {
        if change.action == Action::NoOp {
            continue;
        }
        let address = secrets.scrub(&change.address);
        if !seen.insert(address.clone()) {
            continue;
        }
        if seen.len() > 1 {
            out.push(',');
        }
        push_json_string(&mut out, &address);
        out.push(':');
        push_json_string(&mut out, &render_change_block(change, &block_opts));
    }
    out.push('}');
    out
}
