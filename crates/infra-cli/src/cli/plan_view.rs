//! How a plan is shown (`--format`, `--json`, `--html`) and where its expected times come from
//! (`--latency-model`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// How a plan is printed (`plan`, `show PLANFILE`).
#[derive(Debug, Args)]
pub struct PlanView {
    /// Output format: Terraform-style text, the JSON document (docs/plan-json.md), or a
    /// pull-request comment in GitHub-flavoured Markdown.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Short for `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Also write the plan as one self-contained HTML page to FILE (graph, diffs, filters).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

impl PlanView {
    /// The format asked for, `--json` included.
    pub fn format(&self) -> PlanFormat {
        if self.json {
            PlanFormat::Json
        } else {
            self.format
        }
    }
}

/// `--format` of a plan.
#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum PlanFormat {
    /// Terraform-style text.
    #[default]
    Text,
    /// One JSON document (see docs/plan-json.md).
    Json,
    /// GitHub-flavoured Markdown for a pull-request comment (at most 65,000 characters).
    Markdown,
}

/// Where expected times come from.
#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// A latency model file (the format of the built-in one, see docs/plan.md) for the expected
    /// apply time and the remaining time shown during apply.
    #[arg(long, value_name = "FILE")]
    pub latency_model: Option<PathBuf>,
}
