//! What refresh reports of one resource ([`Report`]): the properties infra manages (the keys of
//! the last applied properties), from the generated report of what AWS described
//! (`generated/elbv2.rs`, `mappings/elbv2.toml`) and what the provider adds, each as the
//! template wrote it when AWS says the same (see [`json::matches`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::providers::kit::prelude::*;

use crate::providers::elbv2::{Pairs, json};

/// The properties of one resource as refresh reports them.
pub(super) struct Report<'a> {
    item: &'a ReadInput,
    managed: BTreeSet<String>,
    props: Map<String, Value>,
}

impl<'a> Report<'a> {
    /// The managed properties of `reported` (an object in the template's spelling); the lists
    /// named in `lists` are reported empty when AWS leaves them out.
    pub(super) fn new(item: &'a ReadInput, reported: Value, lists: &[&str]) -> Self {
        let mut report = Report {
            item,
            managed: managed_keys(&item.properties),
            props: Map::new(),
        };
        let Value::Object(mut found) = reported else {
            return report;
        };
        for key in lists {
            found.entry(key.to_string()).or_insert_with(|| json!([]));
        }
        for (key, value) in found {
            report.put(&key, value);
        }
        report
    }

    /// The value the template last gave `key`.
    pub(super) fn prev(&self, key: &str) -> Option<&'a Value> {
        self.item.properties.get(key).filter(|v| !v.is_null())
    }

    /// `key` (when managed) as AWS reports it: a list of strings in the previous order when it
    /// holds the same ones, anything else as the previous value when it says the same.
    pub(super) fn put(&mut self, key: &str, value: Value) {
        self.set(key, |prev| match value {
            Value::Array(items) if items.iter().all(Value::is_string) => {
                let texts = items.iter().filter_map(Value::as_str);
                observed_set(texts.map(str::to_owned).collect(), prev)
            }
            other => json::observed(other, prev),
        });
    }

    /// `key` (when managed) as `observe` says from its previous value.
    pub(super) fn set(&mut self, key: &str, observe: impl FnOnce(Option<&Value>) -> Value) {
        if self.managed.contains(key) {
            let value = observe(self.prev(key));
            self.props.insert(key.to_owned(), value);
        }
    }

    /// An attribute list as Describe*Attributes returned it (`None`: not read).
    pub(super) fn pairs(&mut self, key: &str, found: Option<&Pairs>) {
        if let Some(found) = found {
            self.set(key, |prev| json::observed_pairs(found, prev));
        }
    }

    /// The resource's tags (DescribeTags), and with them the observation.
    pub(super) fn done(
        mut self,
        tags: Option<&Pairs>,
        attributes: BTreeMap<String, Value>,
    ) -> Observation {
        self.set("Tags", |prev| {
            observed_tags(&tags.cloned().unwrap_or_default(), prev)
        });
        Observation::Present {
            properties: Value::Object(self.props),
            attributes,
        }
    }
}
