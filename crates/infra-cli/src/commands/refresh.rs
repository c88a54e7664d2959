//! `infra refresh`: update the state from what AWS reports now. Resources gone outside infra
//! leave the state; changed properties are recorded. No resource is changed.

use std::process::ExitCode;

use super::planning::Session;
use crate::cli::RefreshArgs;
use crate::output::Output;

pub fn run(args: &RefreshArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let stack = super::stack_name(Some(&args.stack), None)?;
    let path = super::state_path(&args.state, &stack);
    let settings = crate::aws::settings(args.region.as_deref(), &args.aws);
    let backend = crate::stores::backend(&path, &settings)?;
    let _lock = crate::stores::lock(&*backend, "refresh")?;
    let (mut file, mut state) = infra_state::load_or_new(&*backend, &stack)?;
    let session = Session::connect(args.region.as_deref(), &args.aws)?;
    let observed = session
        .rt
        .block_on(crate::aws::refresh(&session.providers, &state))?;
    let mut gone = Vec::new();
    let mut changed = Vec::new();
    // What AWS reports where the state holds a redacted NoEcho value stays redacted.
    let mut sensitive = Vec::new();
    for (address, o) in &observed.resources {
        match o {
            None => gone.push(address.clone()),
            Some(props) => {
                if let Some(r) = state.resources.get_mut(address) {
                    // Keep the keys infra manages, with the values AWS reports.
                    if let (serde_json::Value::Object(recorded), serde_json::Value::Object(now)) =
                        (&mut r.properties, props)
                    {
                        for (k, v) in recorded.iter_mut() {
                            if let Some(n) = now.get(k)
                                && !infra_state::redact::same_as_recorded(v, n, &mut sensitive)
                            {
                                *v = n.clone();
                                changed.push(address.clone());
                            }
                        }
                    }
                }
            }
        }
    }
    state.secrets = sensitive;
    for a in &gone {
        state.resources.remove(a);
        out.line(&format!(
            "{a}: deleted outside infra; removed from the state"
        ));
    }
    changed.dedup();
    for a in &changed {
        out.line(&format!(
            "{a}: changed outside infra; the state records what AWS reports"
        ));
    }
    if gone.is_empty() && changed.is_empty() {
        out.line(&format!(
            "Refresh complete: {} resource(s) match the state.",
            observed.resources.len()
        ));
        return Ok(ExitCode::SUCCESS);
    }
    file.write(&mut state)?;
    out.line(&format!(
        "Refresh complete: {} removed, {} updated (state serial {}).",
        gone.len(),
        changed.len(),
        state.serial
    ));
    Ok(ExitCode::SUCCESS)
}
