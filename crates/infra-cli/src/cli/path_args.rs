//! `--cloud-control TYPE`: which path new resources of a type take.

use clap::Args;

/// Which path new resources take (`plan`, `apply`).
#[derive(Debug, Args)]
pub struct PathArgs {
    /// Create new resources of TYPE (`AWS::EC2::VPC`) through AWS Cloud Control although
    /// infra deploys TYPE natively; repeatable. Resources already in the state keep the path
    /// they were created on. Types without a native provider always use Cloud Control.
    #[arg(long = "cloud-control", value_name = "TYPE", value_parser = cloud_control_type)]
    pub cloud_control: Vec<String>,
}

/// A type Cloud Control can provision.
fn cloud_control_type(value: &str) -> Result<String, String> {
    let Some(entry) = infra_registry::catalog::lookup(value) else {
        return Err(format!(
            "`{value}` is not a resource type of AWS's registry (e.g. AWS::EC2::VPC)"
        ));
    };
    if !entry.handlers.provisionable() {
        return Err(format!(
            "AWS Cloud Control cannot provision `{value}`: its schema has no create, read and delete handlers"
        ));
    }
    Ok(value.to_owned())
}
