//! Coverage: what a provider says about the resource type it implements — how infra deploys it,
//! how a refresh reads it and how an interrupted create is found again.
//!
//! Each provider states its own [`Coverage`] (the facts sit beside its `read` and `find`), and
//! `infra types` prints what the registered providers say, so the list a user reads and
//! `docs/resource-types.md` (generated from it) cannot drift from the code.

/// How infra deploys a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeployPath {
    /// A provider of infra's own, calling the service's API directly.
    Native,
    /// AWS Cloud Control (`CreateResource`, `GetResource`, ...), from the type's schema.
    CloudControl,
    /// Neither: infra has no native provider and Cloud Control has no handlers for the type
    /// (only CloudFormation itself can provision it). Never the path of a resource.
    None,
}

impl DeployPath {
    /// Every path.
    pub const ALL: [DeployPath; 3] = [
        DeployPath::Native,
        DeployPath::CloudControl,
        DeployPath::None,
    ];

    /// The name `infra types` prints and the state records: `native`, `cloudcontrol` or
    /// `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeployPath::Native => "native",
            DeployPath::CloudControl => "cloudcontrol",
            DeployPath::None => "none",
        }
    }

    /// The path named `name` ([`DeployPath::as_str`]).
    pub fn from_name(name: &str) -> Option<DeployPath> {
        DeployPath::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// What it means, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            DeployPath::Native => "a provider of infra's own calls the service's API directly",
            DeployPath::CloudControl => {
                "AWS Cloud Control creates, reads, updates and deletes it from its resource schema"
            }
            DeployPath::None => {
                "no native provider and no Cloud Control handlers: only CloudFormation can provision it"
            }
        }
    }
}

/// How a refresh reads the resources of a type (the calls that find out whether each exists
/// and what it holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Refresh {
    /// Batched per page: one describe call (per page, per chunk of ids the API accepts) for all
    /// the resources of the type being refreshed.
    Batched,
    /// Batched per parent: one describe call per page for the resources of the type that share
    /// a parent (the services of one cluster, the listeners of one load balancer, ...).
    PerParent,
    /// One read (a few calls) per resource, because the API has no batch form; a bounded number
    /// run at once.
    PerResource,
}

impl Refresh {
    /// Every way.
    pub const ALL: [Refresh; 3] = [Refresh::Batched, Refresh::PerParent, Refresh::PerResource];

    /// The name `infra types` prints: `batched`, `per-parent` or `per-resource`.
    pub fn as_str(self) -> &'static str {
        match self {
            Refresh::Batched => "batched",
            Refresh::PerParent => "per-parent",
            Refresh::PerResource => "per-resource",
        }
    }

    /// What it means, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Refresh::Batched => {
                "one describe call per page (and per chunk of ids the API takes) for all the resources of the type"
            }
            Refresh::PerParent => {
                "one describe call per page for the resources that share a parent (a cluster, a load balancer, a listener)"
            }
            Refresh::PerResource => {
                "the API has no batch read: one read per resource, a few at once"
            }
        }
    }
}

/// How `find` locates what an interrupted create made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Find {
    /// By the `infra:stack` / `infra:address` tags the create call gave it.
    Tags,
    /// By the name it was created with (given or generated), counting only when it carries the
    /// create's `infra:*` tags.
    Name,
    /// By its natural key (a route by table and destination, a listener by load balancer and
    /// port, ...), for types that have no name to look up and cannot be found by a tag filter;
    /// where the type has tags, they are checked as well.
    NaturalKey,
}

impl Find {
    /// Every way.
    pub const ALL: [Find; 3] = [Find::Tags, Find::Name, Find::NaturalKey];

    /// The name `infra types` prints: `tags`, `name` or `natural-key`.
    pub fn as_str(self) -> &'static str {
        match self {
            Find::Tags => "tags",
            Find::Name => "name",
            Find::NaturalKey => "natural-key",
        }
    }

    /// What it means, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Find::Tags => {
                "a describe call filtered by the `infra:stack` and `infra:address` tags the create call set"
            }
            Find::Name => {
                "the name the create used (given or generated), adopted only when it carries the create's `infra:*` tags"
            }
            Find::NaturalKey => {
                "what identifies it within its parent (a route by table and destination, a listener by load balancer and port), tags checked where the type has them"
            }
        }
    }
}

/// What infra can do with one resource type, as its provider states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// How it is deployed.
    pub path: DeployPath,
    /// How a refresh reads it.
    pub refresh: Refresh,
    /// The calls a refresh makes, in a few words (`DescribeVpcs, 200 ids per filter`).
    pub refresh_calls: &'static str,
    /// How an interrupted create is found again.
    pub find: Find,
    /// What `find` looks it up by, in a few words.
    pub find_by: &'static str,
}

impl Coverage {
    /// The coverage of a type infra deploys with a provider of its own.
    pub const fn native(
        refresh: Refresh,
        refresh_calls: &'static str,
        find: Find,
        find_by: &'static str,
    ) -> Coverage {
        Coverage {
            path: DeployPath::Native,
            refresh,
            refresh_calls,
            find,
            find_by,
        }
    }

    /// The coverage of every type deployed through AWS Cloud Control.
    pub const CLOUD_CONTROL: Coverage = Coverage {
        path: DeployPath::CloudControl,
        refresh: Refresh::PerResource,
        refresh_calls: "GetResource per resource, a few at once",
        find: Find::Tags,
        find_by: "the saved request token (GetResourceRequestStatus), else the identifier, else ListResources filtered by the infra tags",
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_ones_infra_types_prints() {
        assert_eq!(
            DeployPath::ALL.map(DeployPath::as_str),
            ["native", "cloudcontrol", "none"]
        );
        for p in DeployPath::ALL {
            assert_eq!(DeployPath::from_name(p.as_str()), Some(p));
        }
        assert_eq!(
            Refresh::ALL.map(Refresh::as_str),
            ["batched", "per-parent", "per-resource"]
        );
        assert_eq!(Find::ALL.map(Find::as_str), ["tags", "name", "natural-key"]);
    }
}
