//! `infra state list|show|rm|history|pull|migrate` and `infra force-unlock`.

use std::process::ExitCode;

use anyhow::bail;
use infra_state::{Copied, StateBackend};

use crate::cli::{ForceUnlockArgs, StateCommand, StateMigrate, StatePull, StateTarget};
use crate::output::Output;
use crate::stores::{self, StateLocation};

fn location_of(t: &StateTarget) -> anyhow::Result<StateLocation> {
    super::existing_state_path(t.stack.as_deref(), &t.state)
}

fn backend_of(t: &StateTarget) -> anyhow::Result<(StateLocation, Box<dyn StateBackend>)> {
    let location = location_of(t)?;
    let backend = super::state_backend(&location, &t.remote)?;
    Ok((location, backend))
}

pub fn run(cmd: StateCommand, out: &Output) -> anyhow::Result<ExitCode> {
    match cmd {
        StateCommand::List(list) => {
            let t = &list.target;
            let (location, backend) = backend_of(t)?;
            let state = super::read_existing_state(&*backend)?;
            super::check_stack(Some(&state), t.stack.as_deref(), &location)?;
            if list.exports {
                super::exports::list(&state, &*backend, out)?;
                return Ok(ExitCode::SUCCESS);
            }
            for address in state.resources.keys() {
                out.line(address);
            }
        }
        StateCommand::Show(a) => {
            let (location, backend) = backend_of(&a.target)?;
            let state = super::read_existing_state(&*backend)?;
            super::check_stack(Some(&state), a.target.stack.as_deref(), &location)?;
            let Some(r) = state.resources.get(&a.address) else {
                bail!("no resource `{}` in {location}", a.address);
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
            let (location, backend) = backend_of(&a.target)?;
            let _lock = stores::lock(&*backend, "state rm")?;
            let (mut file, state) = backend.open()?;
            let Some(mut state) = state else {
                bail!("no state at {location}");
            };
            super::check_stack(Some(&state), a.target.stack.as_deref(), &location)?;
            if state.resources.remove(&a.address).is_none() {
                bail!("no resource `{}` in {location}", a.address);
            }
            file.write(&mut state)?;
            out.line(&format!(
                "Removed {} from the state (serial {}). It still exists in AWS; infra no longer manages it.",
                a.address, state.serial
            ));
        }
        StateCommand::History(t) => return history(&t, out),
        StateCommand::Pull(p) => return pull(&p, out),
        StateCommand::Migrate(m) => return migrate(&m, out),
    }
    Ok(ExitCode::SUCCESS)
}

/// `infra state history`: the versions S3 keeps of the state object, newest first.
fn history(t: &StateTarget, out: &Output) -> anyhow::Result<ExitCode> {
    let location = location_of(t)?;
    let settings = crate::aws::settings(t.remote.region.as_deref(), &t.remote.aws);
    let backend = stores::s3_backend(&location, &settings, "infra state history")?;
    let versions = backend.history()?;
    if versions.is_empty() {
        out.line(&format!(
            "No versions of {location}: nothing was written there yet."
        ));
        return Ok(ExitCode::SUCCESS);
    }
    out.line(&format!(
        "{:<40} {:<22} {:>10}  NOTE",
        "VERSION", "WRITTEN", "BYTES"
    ));
    for v in &versions {
        let note = match (v.latest, v.delete_marker) {
            (true, true) => "current: deleted",
            (true, false) => "current",
            (false, true) => "deleted",
            (false, false) => "",
        };
        out.line(
            format!(
                "{:<40} {:<22} {:>10}  {note}",
                v.version_id,
                v.last_modified.as_deref().unwrap_or("-"),
                v.size.map_or_else(|| "-".to_owned(), |s| s.to_string()),
            )
            .trim_end(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `infra state pull [--version V]`: the state JSON on stdout.
fn pull(p: &StatePull, out: &Output) -> anyhow::Result<ExitCode> {
    let location = location_of(&p.target)?;
    let settings = crate::aws::settings(p.target.remote.region.as_deref(), &p.target.remote.aws);
    let bytes = match (&location, &p.version) {
        (StateLocation::S3(_), version) => {
            let backend = stores::s3_backend(&location, &settings, "infra state pull")?;
            backend.pull(version.as_deref())?
        }
        (StateLocation::Local(_), Some(_)) => {
            stores::s3_backend(&location, &settings, "infra state pull --version")?;
            bail!("internal: a local state has no versions")
        }
        (StateLocation::Local(_), None) => {
            let backend = stores::backend(&location, &settings)?;
            let state = super::read_existing_state(&*backend)?;
            infra_state::encode_state(&state)?
        }
    };
    out.raw(&String::from_utf8_lossy(&bytes));
    Ok(ExitCode::SUCCESS)
}

/// `infra state migrate --to DEST`: copies the state, lineage and all, holding both locks.
fn migrate(m: &StateMigrate, out: &Output) -> anyhow::Result<ExitCode> {
    let (from_location, from) = backend_of(&m.target)?;
    if from_location == m.to {
        bail!("the state is already at {from_location}: --to names the same place");
    }
    let to = super::state_backend(&m.to, &m.target.remote)?;
    let _from_lock = stores::lock(&*from, "state migrate")?;
    let _to_lock = stores::lock(&*to, "state migrate")?;
    let state = super::read_existing_state(&*from)?;
    let (mut store, existing) = to.open()?;
    if let Some(existing) = &existing
        && existing.stack != state.stack
        && existing.lineage == state.lineage
    {
        bail!(
            "{} holds stack `{}`, not `{}`",
            m.to,
            existing.stack,
            state.stack
        );
    }
    match infra_state::copy_state(&state, store.as_mut(), existing.as_ref())? {
        Copied::AlreadyThere => out.line(&format!(
            "{} already holds this state (lineage {}, serial {}): nothing to copy.",
            m.to, state.lineage, state.serial
        )),
        Copied::Written { serial } => out.line(&format!(
            "Copied the state of stack {} ({} resources, lineage {}) from {from_location} to {} \
             (serial {serial}). {from_location} is unchanged; use --state {} (or INFRA_STATE) from now on.",
            state.stack,
            state.resources.len(),
            state.lineage,
            m.to,
            m.to
        )),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn force_unlock(args: &ForceUnlockArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let (location, backend) = backend_of(&args.target)?;
    let info = backend.force_unlock(&args.id)?;
    out.line(&format!(
        "Lock {} removed from {location} (it was held by {info}).",
        args.id
    ));
    Ok(ExitCode::SUCCESS)
}
