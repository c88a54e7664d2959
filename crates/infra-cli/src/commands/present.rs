//! Printing a plan the way `--format` asks (text, JSON or a Markdown comment), and writing its
//! page for `--html FILE`; shared by `plan` and `show PLANFILE`.

use anyhow::Context as _;
use infra_plan::Plan;
use infra_plan::render::html::render_html;
use infra_plan::render::markdown::render_markdown;
use infra_plan::render::{RenderOptions, render_plan};

use crate::cli::{PlanFormat, PlanView};
use crate::output::Output;

/// Writes the page when asked, then prints the plan. `secrets` are the NoEcho values to redact.
pub fn present(
    plan: &Plan,
    secrets: &[String],
    view: &PlanView,
    out: &Output,
) -> anyhow::Result<()> {
    let plain = RenderOptions {
        color: false,
        secrets: secrets.to_vec(),
        show_unchanged: false,
    };
    if let Some(path) = &view.html {
        super::write_private(path, render_html(plan, &plain).as_bytes())
            .with_context(|| format!("saving the plan page to {}", path.display()))?;
    }
    match view.format() {
        PlanFormat::Json => out.line(&serde_json::to_string_pretty(
            &infra_plan::plan::json::plan_json(plan),
        )?),
        PlanFormat::Markdown => out.raw(&render_markdown(plan, &plain)),
        PlanFormat::Text => {
            let options = RenderOptions {
                color: out.color(),
                ..plain
            };
            out.raw(&render_plan(plan, &options));
            if let Some(path) = &view.html {
                out.line(&format!("\nSaved the plan page to: {}", path.display()));
            }
        }
    }
    Ok(())
}
