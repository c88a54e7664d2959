//! `infra refresh`: update the state from what AWS reports now. Resources gone outside infra
//! leave the state; changed properties are recorded. No resource is changed.

use std::process::ExitCode;

use infra_ops::Session;

use crate::cli::RefreshArgs;
use crate::output::Output;

pub fn run(args: &RefreshArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let stack = super::stack_name(Some(&args.stack), None)?;
    let path = super::state_path(&args.state, &stack);
    let settings = crate::aws::settings(args.region.as_deref(), &args.aws);
    let backend = crate::stores::backend(&path, &settings)?;
    let _lock = crate::stores::lock(&*backend, "refresh")?;
    let (mut file, mut state) = infra_state::load_or_new(&*backend, &stack)?;
    let session = Session::connect(settings)?;
    let observed = session.block_on(infra_ops::refresh::refresh(session.providers(), &state))?;
    let reconciled = infra_ops::refresh::reconcile(&mut state, &observed);
    for a in &reconciled.gone {
        out.line(&format!(
            "{a}: deleted outside infra; removed from the state"
        ));
    }
    for a in &reconciled.changed {
        out.line(&format!(
            "{a}: changed outside infra; the state records what AWS reports"
        ));
    }
    if reconciled.is_empty() {
        out.line(&format!(
            "Refresh complete: {} resource(s) match the state.",
            observed.resources.len()
        ));
        return Ok(ExitCode::SUCCESS);
    }
    file.write(&mut state)?;
    out.line(&format!(
        "Refresh complete: {} removed, {} updated (state serial {}).",
        reconciled.gone.len(),
        reconciled.changed.len(),
        state.serial
    ));
    Ok(ExitCode::SUCCESS)
}
