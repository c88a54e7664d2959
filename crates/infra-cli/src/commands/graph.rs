//! `infra graph`: the dependency graph on stdout.

use std::process::ExitCode;

use infra_plan::GraphOptions;

use crate::cli::{GraphArgs, GraphFormat};
use crate::output::Output;
use crate::report;

pub fn run(args: &GraphArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let Some(deployment) = super::load_offline(&args.template, out)? else {
        return Ok(ExitCode::FAILURE);
    };
    let options = GraphOptions {
        nested_barrier: args.graph.nested_barrier,
    };
    let graph = match infra_plan::build(&deployment, options) {
        Ok(g) => g,
        Err(d) => {
            report::diagnostics(out, &deployment.sources, &d.0);
            return Ok(ExitCode::FAILURE);
        }
    };
    match args.format {
        GraphFormat::Dot => out.raw(&infra_plan::graph::to_dot(&graph, &deployment)),
        GraphFormat::Json => out.line(&serde_json::to_string_pretty(&infra_plan::graph::to_json(
            &graph,
            &deployment,
        ))?),
    }
    Ok(ExitCode::SUCCESS)
}
