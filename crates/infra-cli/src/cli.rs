//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, CommandFactory as _, Parser, Subcommand, ValueEnum};

use crate::stores::StateLocation;

mod path_args;
mod plan_view;
pub use path_args::PathArgs;
pub use plan_view::{EstimateArgs, PlanFormat, PlanView};

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
    /// Show what apply would change: refresh, diff against the state, render.
    Plan(PlanArgs),
    /// Apply a plan: create, update and delete resources in parallel, saving state after each.
    Apply(ApplyArgs),
    /// Delete every resource of the stack, in reverse dependency order.
    Destroy(DestroyArgs),
    /// Update the state from what AWS reports now (no changes to resources).
    Refresh(RefreshArgs),
    /// Bring an existing AWS resource under infra's management at ADDRESS.
    Import(ImportArgs),
    /// Show a saved plan, or the state when no plan file is given.
    Show(ShowArgs),
    /// Print the stack's outputs from the state.
    Output(OutputArgs),
    /// Inspect or edit the state.
    #[command(subcommand)]
    State(StateCommand),
    /// Remove a lock left by an interrupted run. Needs the lock's id.
    ForceUnlock(ForceUnlockArgs),
    /// List every resource type infra can deploy, and how it refreshes and recovers each.
    Types(TypesArgs),
}

/// Which template, with which parameter values.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The root template file (YAML or JSON).
    #[arg(short = 't', long = "template", value_name = "PATH")]
    pub template: PathBuf,
    /// A parameter value, `KEY=VALUE`; repeatable.
    #[arg(long = "parameter", value_name = "KEY=VALUE")]
    pub parameters: Vec<String>,
    /// A JSON file of parameter values: `[{"ParameterKey": K, "ParameterValue": V}]` or `{K: V}`.
    #[arg(long = "parameters-file", value_name = "PATH")]
    pub parameters_file: Option<PathBuf>,
    /// The stack name (`AWS::StackName`, tags, generated names, the default state file);
    /// defaults to the template's file name.
    #[arg(long)]
    pub stack: Option<String>,
    /// The AWS region (`AWS::Region`).
    #[arg(long, env = "AWS_REGION", value_parser = region)]
    pub region: Option<String>,
}

/// Where the state lives.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// The state: a local file, or an S3 object `s3://BUCKET/KEY` (see docs/remote-state.md);
    /// default `state/<stack>.json`.
    #[arg(
        long = "state",
        env = "INFRA_STATE",
        value_name = "PATH|s3://BUCKET/KEY",
        value_parser = StateLocation::parse
    )]
    pub state: Option<StateLocation>,
}

/// How to reach a state kept in S3, for commands that make no other AWS call.
#[derive(Debug, Args)]
pub struct RemoteArgs {
    /// The AWS region of the state's bucket.
    #[arg(long, env = "AWS_REGION")]
    pub region: Option<String>,
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// How to reach AWS.
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// The named profile to use (else the standard chain: env, default profile, ...).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Send every AWS call to this endpoint (an emulator, a proxy).
    #[arg(long = "endpoint-url", env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
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

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub template: TemplateArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Save the plan to FILE for `infra apply FILE`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub view: PlanView,
    /// Exit 0 when there are no changes, 2 when there are, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Ask AWS for the current state of every resource first (`--refresh=false` plans offline).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub refresh: bool,
    /// Only this resource (and what it depends on); repeatable. A nested stack's address
    /// targets every resource in it.
    #[arg(long, value_name = "ADDRESS")]
    pub target: Vec<String>,
    /// Plan the deletion of every resource in the state.
    #[arg(long)]
    pub destroy: bool,
    #[command(flatten)]
    pub graph: GraphFlags,
    #[command(flatten)]
    pub estimate: EstimateArgs,
    #[command(flatten)]
    pub artifacts: ArtifactArgs,
    #[command(flatten)]
    pub paths: PathArgs,
}

/// Where the packages of local code paths go (`plan`, `apply`).
#[derive(Debug, Args)]
pub struct ArtifactArgs {
    /// Upload the packages of local Lambda code paths (`Code: ./src`) to BUCKET, under
    /// `infra-artifacts/<sha256>.zip`; defaults to the bucket of an S3 state.
    #[arg(long, value_name = "BUCKET")]
    pub artifact_bucket: Option<String>,
}

/// Template flags where the template may come from elsewhere (a saved plan, the state).
#[derive(Debug, Args)]
pub struct OptionalTemplateArgs {
    /// The root template file (YAML or JSON).
    #[arg(short = 't', long = "template", value_name = "PATH")]
    pub template: Option<PathBuf>,
    /// A parameter value, `KEY=VALUE`; repeatable.
    #[arg(long = "parameter", value_name = "KEY=VALUE")]
    pub parameters: Vec<String>,
    /// A JSON file of parameter values.
    #[arg(long = "parameters-file", value_name = "PATH")]
    pub parameters_file: Option<PathBuf>,
    /// The stack name; defaults to the template's file name.
    #[arg(long)]
    pub stack: Option<String>,
    /// The AWS region.
    #[arg(long, env = "AWS_REGION", value_parser = region)]
    pub region: Option<String>,
}

impl OptionalTemplateArgs {
    /// The template flags, when a template is known (given, or from a saved plan).
    pub fn with_template(&self, template: Option<PathBuf>) -> Option<TemplateArgs> {
        let template = self.template.clone().or(template)?;
        Some(TemplateArgs {
            template,
            parameters: self.parameters.clone(),
            parameters_file: self.parameters_file.clone(),
            stack: self.stack.clone(),
            region: self.region.clone(),
        })
    }
}

/// How an apply runs.
#[derive(Debug, Args)]
pub struct RunFlags {
    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// The most operations at work at once (one only waiting for AWS lends its slot).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub parallelism: u16,
    /// Only this resource (and what it depends on); repeatable.
    #[arg(long, value_name = "ADDRESS")]
    pub target: Vec<String>,
    /// Ask AWS for the current state of every resource first.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub refresh: bool,
    /// The order operations run in (for measurements; hidden).
    #[arg(long, value_enum, default_value_t = ScheduleFlag::CriticalPath, hide = true)]
    pub schedule: ScheduleFlag,
    #[command(flatten)]
    pub estimate: EstimateArgs,
}

/// `--schedule`.
#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum ScheduleFlag {
    /// Every operation starts as soon as its dependencies are done, longest chain first.
    #[default]
    CriticalPath,
    /// Besides, each nested stack waits until the stacks it depends on have finished, as
    /// CloudFormation runs nested stacks.
    StackSerial,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan saved with `infra plan --out FILE` (its template and stack are used).
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub template: OptionalTemplateArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub run: RunFlags,
    #[command(flatten)]
    pub graph: GraphFlags,
    #[command(flatten)]
    pub artifacts: ArtifactArgs,
    #[command(flatten)]
    pub paths: PathArgs,
}

#[derive(Debug, Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub template: OptionalTemplateArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub run: RunFlags,
}

#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// The stack.
    #[arg(long)]
    pub stack: String,
    /// The AWS region.
    #[arg(long, env = "AWS_REGION", value_parser = region)]
    pub region: Option<String>,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The address the resource takes, e.g. `VpcStack.VPC` (it must be in the template).
    pub address: Option<String>,
    /// Its physical id: what `Ref` returns for its type (a VPC id, a role name, an ARN, ...).
    pub physical_id: Option<String>,
    /// Adopt every resource of this CloudFormation stack (name or ARN) and of its nested
    /// stacks, instead of one ADDRESS PHYSICAL_ID; the template must describe the same
    /// resources.
    #[arg(long = "from-cloudformation", value_name = "STACK")]
    pub from_cloudformation: Option<String>,
    /// With --from-cloudformation: leave the resource at ADDRESS out of the adoption (a custom
    /// resource or a type infra cannot manage); repeatable.
    #[arg(
        long = "skip",
        value_name = "ADDRESS",
        requires = "from_cloudformation"
    )]
    pub skip: Vec<String>,
    /// With --from-cloudformation: once adopted, detach the stack from CloudFormation without
    /// deleting anything (DeletionPolicy Retain through a stack update, then delete the stack)
    /// and check that every adopted resource still exists. Without it, the commands are printed.
    #[arg(long = "release-stack", requires = "from_cloudformation")]
    pub release_stack: bool,
    /// With --release-stack: the S3 bucket the edited templates of nested stacks go to (under
    /// `infra-release/<stack>/`), where CloudFormation reads them for the update.
    #[arg(long, value_name = "BUCKET", requires = "release_stack")]
    pub artifact_bucket: Option<String>,
    #[command(flatten)]
    pub template: TemplateArgs,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A plan saved with `infra plan --out FILE`; without it, the state is shown.
    #[arg(conflicts_with_all = ["stack", "state"])]
    pub plan: Option<PathBuf>,
    /// The stack whose state to show.
    #[arg(long)]
    pub stack: Option<String>,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub remote: RemoteArgs,
    #[command(flatten)]
    pub view: PlanView,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// One output's name; all outputs when omitted.
    pub name: Option<String>,
    /// The stack.
    #[arg(long)]
    pub stack: Option<String>,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// List the addresses in the state.
    List(StateList),
    /// Show one resource's recorded state.
    Show(StateAddress),
    /// Forget a resource (it keeps existing in AWS; infra stops managing it).
    Rm(StateAddress),
    /// List the earlier versions of a state kept in S3 (needs bucket versioning).
    History(StateTarget),
    /// Print the state JSON, or one earlier version of a state kept in S3.
    #[command(disable_version_flag = true)]
    Pull(StatePull),
    /// Copy the state, with its lineage, to another location (S3 or a local file).
    Migrate(StateMigrate),
}

#[derive(Debug, Args)]
pub struct StateTarget {
    /// The stack.
    #[arg(long)]
    pub stack: Option<String>,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

#[derive(Debug, Args)]
pub struct StateList {
    /// List the stack's exports with the stacks that import each, and its imports with the
    /// stack that exports each, instead of its resources.
    #[arg(long)]
    pub exports: bool,
    #[command(flatten)]
    pub target: StateTarget,
}

#[derive(Debug, Args)]
pub struct StatePull {
    /// The version id to fetch, as `infra state history` lists it; the current one if omitted.
    #[arg(long, value_name = "VERSION_ID")]
    pub version: Option<String>,
    #[command(flatten)]
    pub target: StateTarget,
}

#[derive(Debug, Args)]
pub struct StateMigrate {
    /// Where to copy the state: `s3://BUCKET/KEY` or a local path. A state already there must
    /// have the same lineage.
    #[arg(long, value_name = "PATH|s3://BUCKET/KEY", value_parser = StateLocation::parse)]
    pub to: StateLocation,
    #[command(flatten)]
    pub target: StateTarget,
}

#[derive(Debug, Args)]
pub struct StateAddress {
    /// The resource's address, e.g. `VpcStack.VPC`.
    pub address: String,
    #[command(flatten)]
    pub target: StateTarget,
}

#[derive(Debug, Args)]
pub struct ForceUnlockArgs {
    /// The lock id printed by the command that found the lock.
    pub id: String,
    #[command(flatten)]
    pub target: StateTarget,
}

#[derive(Debug, Args)]
pub struct TypesArgs {
    /// Print JSON: one object per type (`type`, `path`, `refresh`, `find`, ...).
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Print docs/resource-types.md, which is generated from this.
    #[arg(long)]
    pub markdown: bool,
}

/// `--region`: an AWS region name, such as `us-east-1` or `us-gov-west-1`: hyphen-separated
/// parts of lowercase letters and digits, the first letters only, the last a number.
fn region(s: &str) -> Result<String, String> {
    let parts: Vec<&str> = s.split('-').collect();
    let part_ok = |p: &&str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let valid = parts.len() >= 3
        && parts.iter().all(part_ok)
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if valid {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{s}` is not an AWS region name (such as us-east-1)"
        ))
    }
}

/// Terraform habits: `-out=FILE`, `-auto-approve`, `-detailed-exitcode` are rewritten to their
/// `--` form when that names a flag of ours, so they are never read as a bundle of short flags.
pub fn normalize_args(args: impl Iterator<Item = String>) -> Vec<String> {
    let command = Cli::command();
    let mut longs: Vec<String> = Vec::new();
    for sub in command.get_subcommands() {
        collect_longs(sub, &mut longs);
    }
    args.enumerate()
        .map(|(i, a)| {
            if i == 0 || a.starts_with("--") || !a.starts_with('-') || a.len() < 3 {
                return a;
            }
            let name = a[1..].split('=').next().unwrap_or("");
            if name.len() > 1 && longs.iter().any(|l| l == name) {
                format!("-{a}")
            } else {
                a
            }
        })
        .collect()
}

fn collect_longs(cmd: &clap::Command, out: &mut Vec<String>) {
    for arg in cmd.get_arguments() {
        if let Some(l) = arg.get_long() {
            out.push(l.to_string());
        }
    }
    for sub in cmd.get_subcommands() {
        collect_longs(sub, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_style_single_dash_long_flags_work() {
        let args = normalize_args(
            [
                "infra",
                "plan",
                "-t",
                "x.yml",
                "-out=p.json",
                "-detailed-exitcode",
                "-refresh=false",
            ]
            .into_iter()
            .map(String::from),
        );
        assert_eq!(
            args,
            vec![
                "infra",
                "plan",
                "-t",
                "x.yml",
                "--out=p.json",
                "--detailed-exitcode",
                "--refresh=false"
            ]
        );
        let cli = Cli::try_parse_from(args).expect("parses");
        let Command::Plan(p) = cli.command else {
            panic!("not plan")
        };
        assert_eq!(p.out.as_deref(), Some(std::path::Path::new("p.json")));
        assert!(p.detailed_exitcode);
        assert!(!p.refresh);
    }

    #[test]
    fn region_names_are_checked() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "eu-central-2",
            "us-isob-east-1",
        ] {
            assert_eq!(region(ok).as_deref(), Ok(ok));
        }
        for bad in [
            "",
            "us",
            "us-east",
            "US-EAST-1",
            "us east 1",
            "us-east-1a",
            "1-east-1",
            "us--1",
        ] {
            assert!(region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_single_dash_words_are_left_for_clap_to_reject() {
        let args = normalize_args(["infra", "plan", "-bogus"].into_iter().map(String::from));
        assert_eq!(args[2], "-bogus");
        assert!(Cli::try_parse_from(args).is_err());
    }
}
