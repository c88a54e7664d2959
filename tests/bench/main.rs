//! `infra-bench`: helpers of `scripts/bench`.
//!
//! `infra-bench bound -t TEMPLATE [--model PATH] [--parameter K=V]...` loads a template offline
//! as `infra` does (nested stacks flattened, inferred dependencies added), orders the create
//! and the destroy of every resource as the engine would, and prints, as JSON, the longest
//! chain of the latency model's seconds through each: under the default schedule (the
//! critical path: no apply can be faster) and under the stack-serial one. Seconds are the
//! model's own (real AWS); `divide_by` is the model's benchmark scale.
//!
//! A binary target of `infra-cli`, so that `cargo build -p infra-cli` builds it with `infra`.

mod bound;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use infra_engine::LatencyModel;

const USAGE: &str = "usage: infra-bench bound -t TEMPLATE [--model PATH] [--parameter K=V]...";

/// The project's latency model (the one `infra` has built in), from the repository root.
const DEFAULT_MODEL: &str = "crates/infra-engine/data/latency-model.json";

struct BoundArgs {
    template: PathBuf,
    model: PathBuf,
    parameters: BTreeMap<String, String>,
}

fn parse(args: &[String]) -> anyhow::Result<BoundArgs> {
    let Some((command, rest)) = args.split_first() else {
        bail!("{USAGE}");
    };
    if command != "bound" {
        bail!("unknown command `{command}`\n{USAGE}");
    }
    let mut template = None;
    let mut model = PathBuf::from(DEFAULT_MODEL);
    let mut parameters = BTreeMap::new();
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .with_context(|| format!("`{flag}` needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "-t" | "--template" => template = Some(PathBuf::from(value)),
            "--model" => model = PathBuf::from(value),
            "--parameter" => {
                let (key, value) = value
                    .split_once('=')
                    .with_context(|| format!("`--parameter {value}`: expected K=V"))?;
                parameters.insert(key.to_owned(), value.to_owned());
            }
            other => bail!("unknown flag `{other}`\n{USAGE}"),
        }
    }
    let template = template.with_context(|| format!("no template\n{USAGE}"))?;
    Ok(BoundArgs {
        template,
        model,
        parameters,
    })
}

fn run(args: &[String]) -> anyhow::Result<()> {
    let args = parse(args)?;
    let model = LatencyModel::load(&args.model)?;
    let bounds = bound::bounds(&args.template, &args.parameters, &model)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", serde_json::to_string_pretty(&bounds)?)?;
    Ok(())
}

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("infra-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}
