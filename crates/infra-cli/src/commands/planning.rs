//! What `plan`, `apply` and `destroy` share, on the command line's side: the template flags
//! turned into what `infra_ops::planning` plans with, and a template that is not valid shown
//! compiler-style.

use infra_ops::{PlanError, PlanFlags, Planned, Session, TemplateInput};
use infra_state::State;

use crate::cli::TemplateArgs;
use crate::output::Output;
use crate::report;

/// Plans with a template ([`infra_ops::plan_with_template`]). Returns `None` after printing
/// diagnostics when the template is not valid.
pub fn plan_with_template(
    template: &TemplateArgs,
    session: &mut Session,
    state: Option<&State>,
    flags: &PlanFlags<'_>,
    out: &Output,
) -> anyhow::Result<Option<Planned>> {
    let stack = super::stack_name(template.stack.as_deref(), Some(&template.template))?;
    let opts = super::load_options(template, None)?;
    let input = TemplateInput {
        path: &template.template,
        stack: &stack,
    };
    let loaded = |d: &infra_template::Deployment| out.add_secrets(&d.secrets);
    match infra_ops::plan_with_template(input, opts, session, state, flags, &loaded) {
        Ok(planned) => Ok(Some(planned)),
        Err(PlanError::Invalid(e)) => {
            report::diagnostics(out, &e.sources, &e.diagnostics.0);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}
