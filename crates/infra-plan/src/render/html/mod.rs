//! `infra plan --html FILE`: the plan as one self-contained page, an SVG graph of the resource
//! changes laid out in Rust, with a panel showing each change as the text plan prints it.
//!
//! `view` reads the drawable graph from the plan, `layout` places it, `svg` draws it,
//! `page` wraps it with the summary, legend, filters and data; `escape` holds the HTML and
//! script escaping; `assets/` the inline style sheet and script.
//!
//! Browser tests rely on this contract:
//! - `<title>infra plan: STACK</title>`; `#summary` and `#expected` (empty without estimate).
//! - `svg#graph` holds `g.stack[data-stack]` (`""` for the root stack) and
//!   `g.node[data-address][data-action][data-critical]`, whose first `<rect>` is filled with the
//!   action colour (create `#2da44e`, update `#bf8700`, replace `#8250df`, delete `#cf222e`,
//!   no-op `#8c959f`); `path.edge[data-from][data-to]`, from the dependency (a resource or a
//!   nested stack's address) to the dependent, with class `inferred` and `stroke-dasharray`
//!   when inferred and class `critical` on the critical path.
//! - A click on a node fills `pre#diff` and sets `div#detail[data-address]`;
//!   `input.filter[data-action]` (one per action present) hides nodes and the edges touching
//!   them; `input#search` dims (class `dimmed`) the nodes whose address does not contain the
//!   text, `#search-count` counting the matches; `body[data-ready="true"]` once wired.

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
