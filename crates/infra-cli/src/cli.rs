//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Deploys CloudFormation-format templates straight to AWS, Terraform-style: a reviewable plan
/// diffed against a local state file, then a parallel apply.
#[derive(Debug, Parser)]
#[command(name = "infra", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Debug, Args)]
pub struct Global {
    /// Do not colour the output.
    #[arg(long, global = true, env = "NO_COLOR", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_color: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse, resolve and type-check a template and every nested template it includes.
    Validate(ValidateArgs),
    /// Print the resource dependency graph (DOT or JSON).
    Graph(GraphArgs),
}

/// Which template, with which parameter values.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The root template file (YAML or JSON).
    #[arg(short = 't', long = "template", value_name = "PATH")]
    pub template: PathBuf,
    /// A parameter value, `KEY=VALUE`; repeatable.
    #[arg(long = "parameter", short = 'p', value_name = "KEY=VALUE")]
    pub parameters: Vec<String>,
    /// A JSON file of parameter values: `[{"ParameterKey": K, "ParameterValue": V}]` or `{K: V}`.
    #[arg(long = "parameters-file", value_name = "PATH")]
    pub parameters_file: Option<PathBuf>,
    /// The stack name (`AWS::StackName`, tags, generated names); defaults to the template's file name.
    #[arg(long)]
    pub stack: Option<String>,
    /// The AWS region (`AWS::Region`).
    #[arg(long, env = "AWS_REGION")]
    pub region: Option<String>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub template: TemplateArgs,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub graph: GraphFlags,
}

#[derive(Debug, Args)]
pub struct GraphFlags {
    /// Order nested stacks as CloudFormation does: a stack that reads a sibling's outputs waits
    /// for all of that sibling's resources.
    #[arg(long)]
    pub nested_barrier: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum GraphFormat {
    /// Graphviz DOT, one cluster per nested stack.
    #[default]
    Dot,
    /// JSON: stacks, nodes and edges.
    Json,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub template: TemplateArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    #[command(flatten)]
    pub graph: GraphFlags,
}
