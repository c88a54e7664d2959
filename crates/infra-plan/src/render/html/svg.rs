//! The graph as inline SVG: stack bands, edges with arrowheads (inferred ones dashed, critical
//! ones thick) and one rounded node per resource change, carrying the `data-*` attributes the
//! page's script and its browser tests rely on. Every text passes through the NoEcho scrub and
//! HTML escaping.

use std::fmt::Write as _;

use super::escape::{html, push_html};
use super::layout::{BAND_LABEL, BAND_PAD, Layout, MARGIN, NODE_H, NODE_W};
use super::view::{Graph, Source};
use crate::render::text::Secrets;

/// Characters of a logical name shown in a node before it is cut with `…`.
const NAME_CHARS: usize = 23;
/// Characters of a type name shown in a node.
const TYPE_CHARS: usize = 28;
/// The least horizontal pull of an edge's curve.
const CURVE: i64 = 32;

/// The `<svg id="graph">` element. `root_label` names the root stack's band.
pub(super) fn render(graph: &Graph, layout: &Layout, root_label: &str, secrets: Secrets) -> String {
    let mut out = String::with_capacity(256 + graph.nodes.len() * 400 + graph.edges.len() * 120);
    if graph.nodes.is_empty() {
        out.push_str(
            "<svg id=\"graph\" width=\"320\" height=\"48\" viewBox=\"0 0 320 48\" role=\"img\" \
             aria-label=\"Resource graph\"><text x=\"16\" y=\"28\">No resources</text></svg>",
        );
        return out;
    }
    let _ = write!(
        out,
        "<svg id=\"graph\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         aria-label=\"Resource graph\">",
        w = layout.width,
        h = layout.height
    );
    out.push_str(
        "<defs>\
         <marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
         markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\"/></marker>\
         <marker id=\"arrow-critical\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"12\" \
         markerHeight=\"12\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\"/></marker>\
         </defs>\n",
    );

    out.push_str("<g class=\"stacks\">\n");
    for &stack in &layout.band_order {
        let band = layout.bands[stack];
        let address = &graph.stacks[stack];
        let label = if address.is_empty() {
            root_label
        } else {
            address
        };
        let _ = writeln!(
            out,
            "<g class=\"stack\" data-stack=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
             rx=\"8\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
            html(&secrets.scrub(address)),
            MARGIN,
            band.y,
            layout.width - 2 * MARGIN,
            band.height,
            MARGIN + BAND_PAD,
            band.y + BAND_LABEL - 9,
            html(&secrets.scrub(label)),
        );
    }
    out.push_str("</g>\n<g class=\"edges\">\n");

    // Scrubbed once: edges name them again.
    let addresses: Vec<String> = graph
        .nodes
        .iter()
        .map(|n| html(&secrets.scrub(&n.address)))
        .collect();
    for edge in &graph.edges {
        let (from_address, x1, y1) = match edge.from {
            Source::Node(from) => {
                let p = layout.nodes[from];
                (addresses[from].clone(), p.x + NODE_W, p.y + NODE_H / 2)
            }
            Source::Stack(stack) => {
                let band = layout.bands[stack];
                (
                    html(&secrets.scrub(&graph.stacks[stack])),
                    band.content_right + BAND_PAD,
                    band.y + band.height / 2,
                )
            }
        };
        let to = layout.nodes[edge.to];
        let (x1, y1, x2, y2) = (
            i64::from(x1),
            i64::from(y1),
            i64::from(to.x),
            i64::from(to.y + NODE_H / 2),
        );
        let pull = ((x2 - x1) / 2).max(CURVE);
        let mut class = String::from("edge");
        if edge.inferred {
            class.push_str(" inferred");
        }
        if edge.critical {
            class.push_str(" critical");
        }
        let _ = write!(
            out,
            "<path class=\"{class}\" data-from=\"{from_address}\" data-to=\"{}\" \
             d=\"M{x1} {y1}C{} {y1} {} {y2} {x2} {y2}\"",
            addresses[edge.to],
            x1 + pull,
            x2 - pull,
        );
        if edge.inferred {
            out.push_str(" stroke-dasharray=\"6 4\"");
        }
        out.push_str("/>\n");
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");

    for (node_idx, node) in graph.nodes.iter().enumerate() {
        let p = layout.nodes[node_idx];
        let type_name = secrets.scrub(&node.type_name);
        let _ = write!(
            out,
            "<g class=\"node\" data-address=\"{}\" data-action=\"{}\" data-critical=\"{}\" \
             tabindex=\"0\"><title>{} ({})</title><rect x=\"{}\" y=\"{}\" width=\"{NODE_W}\" \
             height=\"{NODE_H}\" rx=\"6\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">",
            addresses[node_idx],
            node.kind.name(),
            node.critical,
            addresses[node_idx],
            html(&type_name),
            p.x,
            p.y,
            node.kind.colour(),
            p.x + 10,
            p.y + 17,
        );
        push_html(&mut out, &cut(&secrets.scrub(&node.name), NAME_CHARS));
        let _ = write!(
            out,
            "</text><text class=\"type\" x=\"{}\" y=\"{}\">",
            p.x + 10,
            p.y + 32
        );
        let short = type_name.strip_prefix("AWS::").unwrap_or(&type_name);
        push_html(&mut out, &cut(short, TYPE_CHARS));
        out.push_str("</text></g>\n");
    }
    out.push_str("</g>\n</svg>");
    out
}

/// `text` cut to `max` characters, the last one an ellipsis when something was left out.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
