//! `infra validate`: load, resolve, type-check and build the graph; print a summary or every
//! error found.

use std::collections::BTreeMap;
use std::process::ExitCode;

use infra_plan::GraphOptions;
use infra_template::EdgeKind;

use crate::cli::ValidateArgs;
use crate::output::{Output, Style};
use crate::report;

pub fn run(args: &ValidateArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let Some(deployment) = super::load_offline(&args.template, out)? else {
        return Ok(ExitCode::FAILURE);
    };
    if super::report_unsupported(&deployment, out) {
        return Ok(ExitCode::FAILURE);
    }
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
    let mut per_stack: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &deployment.resources {
        let s = deployment
            .stacks
            .get(r.stack)
            .map_or("", |s| s.address.as_str());
        *per_stack.entry(s).or_default() += 1;
    }
    let inferred = graph.edges_of_kind(EdgeKind::Inferred);
    if args.json {
        let summary = serde_json::json!({
            "valid": true,
            "stacks": deployment.stacks.len(),
            "resources": deployment.resources.len(),
            "resources_per_stack": per_stack,
            "native_teardowns": deployment.native_teardowns.iter().map(|t| serde_json::json!({
                "custom_resource": t.custom_resource,
                "removed": t.removed,
                "asg": t.asg,
            })).collect::<Vec<_>>(),
            "inferred_dependencies": inferred.iter().map(|(a, b, e)| serde_json::json!({
                "from": a, "to": b, "rule": e.rule,
            })).collect::<Vec<_>>(),
        });
        out.line(&serde_json::to_string_pretty(&summary)?);
        return Ok(ExitCode::SUCCESS);
    }
    out.line(&format!(
        "{} {} is valid: {} stack{}, {} resource{}.",
        out.paint(Style::Green, "Success!"),
        args.template.template.display(),
        deployment.stacks.len(),
        plural(deployment.stacks.len()),
        deployment.resources.len(),
        plural(deployment.resources.len()),
    ));
    for (stack, n) in &per_stack {
        let name = if stack.is_empty() { "(root)" } else { stack };
        out.line(&format!("  {name}: {n} resource{}", plural(*n)));
    }
    for t in &deployment.native_teardowns {
        let removed = t
            .removed
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        out.line(&format!(
            "Replaced: `{}` (Custom::AsgDestroyer), with {removed}, is replaced by the native teardown of `{}`: infra force-deletes it itself and no Lambda runs.",
            t.custom_resource, t.asg
        ));
    }
    if !inferred.is_empty() {
        out.line(&format!(
            "Inferred dependencies ({}), which AWS needs and the template leaves out:",
            inferred.len()
        ));
        for (a, b, e) in inferred {
            out.line(&format!("  {a} -> {b}  [{}]", e.rule.unwrap_or("inferred")));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
