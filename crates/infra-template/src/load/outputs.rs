//! A stack's `Outputs`: each value evaluated in the stack's scope (its dependencies are what a
//! parent's `Fn::GetAtt Child.Outputs.X` waits for), and, for the root stack, the exports other
//! stacks' `Fn::ImportValue` reads and the descriptions the state records.

use std::collections::BTreeMap;

use super::{Loader, Outputs};
use crate::diagnostic::Diagnostic;
use crate::eval::{Eval, Resolved, Scope};
use crate::template::Template;
use crate::value::{Unknown, Value};

impl Loader<'_> {
    /// The outputs of the stack loaded as `stack_index` (0: the root) in `scope`.
    pub(super) fn load_outputs(
        &mut self,
        template: &Template,
        scope: &Scope<'_>,
        stack_index: usize,
    ) -> Outputs {
        let mut outputs = BTreeMap::new();
        for o in &template.outputs {
            if let Some(c) = &o.condition
                && scope.condition(&c.text, &mut self.errors) == Some(false)
            {
                continue;
            }
            let mut ev = Eval::new(scope);
            let value = match ev.value(&o.value) {
                Ok(v) => v,
                Err(d) => {
                    ev.errors.push(d);
                    Value::Unknown(Unknown::Derived)
                }
            };
            // The root stack's exports: what `Fn::ImportValue` in other stacks reads.
            if stack_index == 0 {
                if let Some(export) = &o.export {
                    match ev.value(export) {
                        Ok(Value::Unknown(_)) => {}
                        Ok(name) => match name.as_text() {
                            Some(text) => {
                                self.exports.insert(o.name.text.clone(), text);
                            }
                            None => ev.errors.push(Diagnostic::at(
                                export.span,
                                format!(
                                    "output `{}`: Export.Name must be a string, got {}",
                                    o.name.text,
                                    name.describe()
                                ),
                            )),
                        },
                        Err(d) => ev.errors.push(d),
                    }
                }
                if let Some(description) = &o.description {
                    self.output_descriptions
                        .insert(o.name.text.clone(), description.clone());
                }
            }
            let deps = std::mem::take(&mut ev.deps);
            self.errors.append(&mut ev.errors);
            outputs.insert(o.name.text.clone(), Resolved { value, deps });
        }
        outputs
    }
}
