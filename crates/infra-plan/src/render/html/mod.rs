//! `infra plan --html FILE`: the plan as one self-contained page, an SVG graph of the resource
//! changes laid out in Rust, with a panel showing each change as the text plan prints it.
//!
//! [`view`] reads the drawable graph from the plan, [`layout`] places it, [`svg`] draws it,
//! [`page`] wraps it with the summary, legend, filters and data; [`escape`] holds the HTML and
//! script escaping. The page's browser-facing contract (element ids, classes, `data-*`
//! attributes and colours) is written down in `page.rs`, `svg.rs` and `assets/page.js`.

mod escape;
mod layout;
mod page;
mod svg;
mod view;

#[cfg(test)]
mod tests;

use crate::plan::Plan;

use super::RenderOptions;

/// The whole page: one HTML5 document with no external reference, deterministic for a given
/// plan, and free of NoEcho values (`opts.secrets`).
pub fn render_html(plan: &Plan, opts: &RenderOptions) -> String {
    page::render(plan, opts)
}
