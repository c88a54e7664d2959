//! Values the state already knows: `Ref` and `Fn::GetAtt` of resources that exist, so that a
//! plan against an applied stack compares real ids, not unknowns. Resources about to be
//! created or replaced are hidden (their values will change), which is how a replacement
//! makes its dependents' derived values unknown.

use std::collections::{BTreeMap, BTreeSet};

use infra_state::State;
use infra_template::{Lookups, Value};

/// Attributes that change when a resource is updated in place (not only when replaced).
pub const VOLATILE_ON_UPDATE: &[(&str, &str)] = &[
    ("AWS::EC2::LaunchTemplate", "LatestVersionNumber"),
    // The ARN holds the path, which UpdateUser / UpdateGroup change in place.
    ("AWS::IAM::Group", "Arn"),
    ("AWS::IAM::User", "Arn"),
];

/// [`Lookups`] answering from the state, delegating everything else to `base`.
pub struct StateLookups<'a> {
    /// The state read before planning.
    pub state: Option<&'a State>,
    /// Addresses whose values will change (created or replaced).
    pub hidden: BTreeSet<String>,
    /// Attributes that will change, per address (updated in place).
    pub hidden_attributes: BTreeMap<String, BTreeSet<String>>,
    /// AWS-side values (account, AZs, SSM).
    pub base: &'a dyn Lookups,
}

impl<'a> StateLookups<'a> {
    /// Everything the state knows, nothing hidden.
    pub fn new(state: &'a State, base: &'a dyn Lookups) -> Self {
        StateLookups {
            state: Some(state),
            hidden: BTreeSet::new(),
            hidden_attributes: BTreeMap::new(),
            base,
        }
    }
}

impl std::fmt::Debug for StateLookups<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateLookups")
            .field("hidden", &self.hidden)
            .finish_non_exhaustive()
    }
}

impl Lookups for StateLookups<'_> {
    fn resource_ref(&self, address: &str) -> Option<Value> {
        if self.hidden.contains(address) {
            return None;
        }
        let r = self.state?.resources.get(address)?;
        (!r.physical_id.is_empty()).then(|| Value::String(r.physical_id.clone()))
    }

    fn resource_attribute(&self, address: &str, attribute: &str) -> Option<Value> {
        if self.hidden.contains(address)
            || self
                .hidden_attributes
                .get(address)
                .is_some_and(|a| a.contains(attribute))
        {
            return None;
        }
        let r = self.state?.resources.get(address)?;
        r.attributes.get(attribute).map(Value::from_json)
    }

    fn availability_zones(&self, region: &str) -> Option<Vec<String>> {
        self.base.availability_zones(region)
    }

    fn ssm_parameter(&self, name: &str) -> Option<Value> {
        self.base.ssm_parameter(name)
    }

    fn import_value(&self, name: &str) -> Option<Value> {
        self.base.import_value(name)
    }
}
