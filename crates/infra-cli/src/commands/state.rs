//! `infra state list|show|rm` and `infra force-unlock`.

use std::process::ExitCode;

use anyhow::bail;
use infra_state::{LockGuard, StateFile};

use crate::cli::{ForceUnlockArgs, StateCommand, StateTarget};
use crate::output::Output;

fn path_of(t: &StateTarget) -> anyhow::Result<std::path::PathBuf> {
    super::existing_state_path(t.stack.as_deref(), &t.state)
}

pub fn run(cmd: StateCommand, out: &Output) -> anyhow::Result<ExitCode> {
    match cmd {
        StateCommand::List(t) => {
            let path = path_of(&t)?;
            let state = super::read_existing_state(&path)?;
            for address in state.resources.keys() {
                out.line(address);
            }
        }
        StateCommand::Show(a) => {
            let path = path_of(&a.target)?;
            let state = super::read_existing_state(&path)?;
            let Some(r) = state.resources.get(&a.address) else {
                bail!("no resource `{}` in {}", a.address, path.display());
            };
            out.line(&format!("# {}", a.address));
            out.line(&format!("type        = {}", r.resource_type));
            out.line(&format!("physical_id = {}", r.physical_id));
            out.line(&format!("status      = {:?}", r.status).to_lowercase());
            out.line(&format!(
                "properties  = {}",
                serde_json::to_string_pretty(&r.properties)?
            ));
            out.line(&format!(
                "attributes  = {}",
                serde_json::to_string_pretty(&r.attributes)?
            ));
            if !r.dependencies.is_empty() {
                out.line(&format!("depends on  = {}", r.dependencies.join(", ")));
            }
        }
        StateCommand::Rm(a) => {
            let path = path_of(&a.target)?;
            let _lock = LockGuard::acquire(&path, "state rm")?;
            let (mut file, state) = StateFile::open(&path)?;
            let Some(mut state) = state else {
                bail!("no state file at {}", path.display());
            };
            if state.resources.remove(&a.address).is_none() {
                bail!("no resource `{}` in {}", a.address, path.display());
            }
            file.write(&mut state)?;
            out.line(&format!(
                "Removed {} from the state (serial {}). It still exists in AWS; infra no longer manages it.",
                a.address, state.serial
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn force_unlock(args: &ForceUnlockArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let path = path_of(&args.target)?;
    let info = infra_state::force_unlock(&path, &args.id)?;
    out.line(&format!(
        "Lock {} removed from {} (it was held by {info}).",
        args.id,
        path.display()
    ));
    Ok(ExitCode::SUCCESS)
}
