//! What roles, users and groups share: their inline policies (`Policies`) and attached managed
//! policies (`ManagedPolicyArns`), parsed, created, converged, read and cleared (before the principal
//! is deleted) the same way for all three. Only the calls differ (`PutRolePolicy`, `PutUserPolicy`, `PutGroupPolicy`,
//! ...): [`Principal`] names which one, and every function here sends the call of its kind.
//!
//! | step | calls |
//! |---|---|
//! | create | Put*Policy each, Attach*Policy each, retried while the principal (or a policy just made) is not visible yet |
//! | update | Put*Policy new or changed (first, so permissions never lapse), Delete*Policy removed, Attach*Policy added, Detach*Policy removed |
//! | delete | ListAttached*Policies and Detach*Policy every one, List*Policies and Delete*Policy every one (all, not only the template's: IAM refuses to delete a principal that has any), then Delete{Role,User,Group} |
//! | read | Get*Policy of each inline policy this resource made; ListAttached*Policies, of which the ARNs this resource attached |
//!
//! A read reports only the entries this resource made: other resources of the stack
//! legitimately add their own (an `AWS::IAM::Policy` naming the principal, an
//! `AWS::IAM::ManagedPolicy` listing it), and those are not drift.

use std::collections::BTreeSet;
use std::future::Future;

use crate::providers::kit::prelude::*;

use super::{Iam, still_ours};
use crate::generated::iam::ROLE_POLICY;

/// The kind of IAM principal that holds policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Role,
    User,
    Group,
}

impl Kind {
    pub(crate) const ALL: [Kind; 3] = [Kind::Role, Kind::User, Kind::Group];

    /// The property that lists principals of this kind (`AWS::IAM::Policy` and
    /// `AWS::IAM::ManagedPolicy` `Roles`).
    pub(crate) fn property(self) -> &'static str {
        match self {
            Kind::Role => "Roles",
            Kind::User => "Users",
            Kind::Group => "Groups",
        }
    }

    /// For messages (`role`): the property's singular.
    pub(crate) fn noun(self) -> String {
        self.property().trim_end_matches('s').to_lowercase()
    }
}

/// One principal (its kind and name) and whom its calls are for: the client, the resource.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Principal<'a> {
    pub(super) iam: &'a Iam,
    pub(super) ctx: Ctx<'a>,
    pub(crate) kind: Kind,
    pub(crate) name: &'a str,
}

/// One entry of `Policies`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InlinePolicy {
    pub(crate) name: String,
    pub(crate) document: Value,
}

/// A principal's `Policies` and `ManagedPolicyArns` as the template gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Policies {
    pub(crate) inline: Vec<InlinePolicy>,
    /// Without duplicates, in template order.
    pub(crate) managed: Vec<String>,
}

impl Policies {
    /// `Policies` (each `{PolicyName, PolicyDocument}`, names unique) and `ManagedPolicyArns`
    /// of `props`, a `kind`'s properties.
    pub(crate) fn parse(props: &Props<'_>, kind: Kind) -> Result<Policies, ProviderError> {
        let mut inline: Vec<InlinePolicy> = Vec::new();
        for entry in props.objs("Policies", ROLE_POLICY)? {
            let name = entry.required_str("PolicyName")?;
            let document = entry
                .document("PolicyDocument")?
                .ok_or_else(|| entry.missing("PolicyDocument"))?;
            if inline.iter().any(|p| p.name == name) {
                let noun = kind.noun();
                let why = format!(
                    "two policies are named {name}; inline policy names must be unique within \
                     a {noun}"
                );
                return Err(props.fatal("Policies", why));
            }
            inline.push(InlinePolicy { name, document });
        }
        let mut seen = BTreeSet::new();
        let mut managed = props.str_list("ManagedPolicyArns")?;
        managed.retain(|arn| seen.insert(arn.clone()));
        Ok(Policies { inline, managed })
    }
}

/// One change of a principal's policies, and what "no such entity" means for it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Change<'a> {
    /// Put*Policy. With `true`, the principal was just made: "no such entity" is IAM catching
    /// up (eventually consistent), not the principal gone.
    Put(&'a InlinePolicy, bool),
    /// Delete*Policy; already gone is done.
    DeleteInline(&'a str),
    /// Attach*Policy. "No such entity" may name a managed policy made a moment ago: eventually
    /// consistent.
    Attach(&'a str),
    /// Detach*Policy; already detached is done.
    Detach(&'a str),
}

/// The principals `Roles`, `Users` and `Groups` of `props` name (an `AWS::IAM::Policy`'s or an
/// `AWS::IAM::ManagedPolicy`'s), each once, in that order.
pub(crate) fn principals(props: &Props<'_>) -> Result<Vec<(Kind, String)>, ProviderError> {
    let mut principals = Vec::new();
    for kind in Kind::ALL {
        for p in props.str_list(kind.property())? {
            if !principals.contains(&(kind, p.clone())) {
                principals.push((kind, p));
            }
        }
    }
    Ok(principals)
}

/// Sends `change` to each of `principals`, in turn.
pub(crate) async fn change_each<'p>(
    iam: &Iam,
    ctx: Ctx<'_>,
    principals: impl IntoIterator<Item = &'p (Kind, String)>,
    change: Change<'_>,
) -> Result<(), ProviderError> {
    for (kind, name) in principals {
        Principal::new(iam, ctx, *kind, name).change(change).await?;
    }
    Ok(())
}

/// Sends the call of the principal's kind: `[$role, $user, $group]` (client methods), the
/// request bound to `$req` with its name set, then `$body`. Without `$group` (a call groups do
/// not have: a permissions boundary, tags), a group's is `Ok(())`.
macro_rules! on_kind {
    ($iam:expr, $p:expr, [$role:ident, $user:ident $(, $group:ident)?], |$req:ident| $body:expr) => {
        match $p.kind {
            Kind::Role => {
                let $req = $iam.client.$role().role_name($p.name);
                $body
            }
            Kind::User => {
                let $req = $iam.client.$user().user_name($p.name);
                $body
            }
            Kind::Group => on_kind!(@group $iam, $p, [$($group)?], |$req| $body),
        }
    };
    (@group $iam:expr, $p:expr, [$group:ident], |$req:ident| $body:expr) => {{
        let $req = $iam.client.$group().group_name($p.name);
        $body
    }};
    (@group $iam:expr, $p:expr, [], |$req:ident| $body:expr) => {
        Ok(())
    };
}
pub(crate) use on_kind;

/// Sends the call of the principal's kind (`$ops` as [`on_kind!`] takes them): the request
/// bound to `$req` with its name set, then filled by `$fill`; answers `()`.
macro_rules! send_kind {
    ($iam:expr, $p:expr, $ops:tt, |$req:ident| $fill:expr) => {
        on_kind!($iam, $p, $ops, |$req| {
            $fill.send().await.map(|_| ()).map_err(|e| $iam.err(e))
        })
    };
}

/// [`listed`] of the IAM listing that `$request` asks for (its `Marker` set page by page),
/// each page's answer read by `$items`; awaited.
macro_rules! list {
    ($iam:expr, $ctx:expr, $doing:expr, $request:expr, $items:expr) => {{
        let (request, doing) = ($request, $doing);
        let page = |marker| {
            let sent = request.clone().set_marker(marker).send();
            $crate::providers::kit::found($iam, $ctx, &doing, sent)
        };
        $crate::providers::iam::principal::listed(page, $items).await
    }};
}
pub(crate) use list;

/// Every item of an IAM listing, pages followed: `page(marker)` answers one page (`None`
/// when IAM answers "not found", of the entity whose objects are listed), `items(answer)`
/// reads its items, whether it is truncated and its marker.
pub(crate) async fn listed<O, T, Fut>(
    mut page: impl FnMut(Option<String>) -> Fut,
    items: impl Fn(O) -> (Vec<T>, bool, Option<String>),
) -> Result<Option<Vec<T>>, ProviderError>
where
    Fut: Future<Output = Result<Option<O>, ProviderError>>,
{
    let (mut all, mut marker) = (Vec::new(), None);
    loop {
        let Some(answer) = page(marker.take()).await? else {
            return Ok(None);
        };
        let (more, truncated, next) = items(answer);
        all.extend(more);
        marker = next.filter(|m| truncated && !m.is_empty());
        if marker.is_none() {
            return Ok(Some(all));
        }
    }
}

impl<'a> Principal<'a> {
    pub(crate) fn new(iam: &'a Iam, ctx: Ctx<'a>, kind: Kind, name: &'a str) -> Self {
        Principal {
            iam,
            ctx,
            kind,
            name,
        }
    }

    /// `role r`, for messages.
    pub(super) fn what(&self) -> String {
        format!("{} {}", self.kind.noun(), self.name)
    }

    /// Sends one change of the principal's policies (see [`Change`] for what "no such entity"
    /// means for each).
    pub(crate) async fn change(&self, change: Change<'_>) -> Result<(), ProviderError> {
        let (iam, ctx, what) = (self.iam, self.ctx, self.what());
        let (sent, doing) = match change {
            Change::Put(policy, _) => {
                let doc = compact(&policy.document);
                let sent = send_kind!(
                    iam,
                    self,
                    [put_role_policy, put_user_policy, put_group_policy],
                    |r| r.policy_name(&policy.name).policy_document(doc)
                );
                let doing = format!("putting inline policy {} on {what}", policy.name);
                (sent, doing)
            }
            Change::DeleteInline(name) => {
                let sent = send_kind!(
                    iam,
                    self,
                    [delete_role_policy, delete_user_policy, delete_group_policy],
                    |r| r.policy_name(name)
                );
                (sent, format!("deleting inline policy {name} of {what}"))
            }
            Change::Attach(arn) => {
                let sent = send_kind!(
                    iam,
                    self,
                    [attach_role_policy, attach_user_policy, attach_group_policy],
                    |r| r.policy_arn(arn)
                );
                (sent, format!("attaching managed policy {arn} to {what}"))
            }
            Change::Detach(arn) => {
                let sent = send_kind!(
                    iam,
                    self,
                    [detach_role_policy, detach_user_policy, detach_group_policy],
                    |r| r.policy_arn(arn)
                );
                (sent, format!("detaching managed policy {arn} from {what}"))
            }
        };
        match (change, sent) {
            (_, Ok(())) => Ok(()),
            (Change::DeleteInline(_) | Change::Detach(_), Err(e)) if is_not_found(&e) => Ok(()),
            (Change::DeleteInline(_) | Change::Detach(_), Err(e)) => Err(ctx.fail(doing, e)),
            (Change::Put(_, false), Err(e)) => Err(ctx.fail(doing, e)),
            (_, Err(e)) => Err(ctx.fail_referencing(doing, e)),
        }
    }

    /// The ARNs of the attached managed policies; `None` when the principal does not exist.
    pub(crate) async fn attached(&self) -> Result<Option<Vec<String>>, ProviderError> {
        let (iam, ctx) = (self.iam, self.ctx);
        let doing = format!("listing the managed policies of {}", self.what());
        on_kind!(
            iam,
            self,
            [
                list_attached_role_policies,
                list_attached_user_policies,
                list_attached_group_policies
            ],
            |r| list!(iam, ctx, doing, r, |o| {
                let arns = o.attached_policies.unwrap_or_default().into_iter();
                let arns = arns.filter_map(|p| p.policy_arn).collect();
                (arns, o.is_truncated, o.marker)
            })
        )
    }

    /// The names of the inline policies; `None` when the principal does not exist.
    pub(crate) async fn inline_names(&self) -> Result<Option<Vec<String>>, ProviderError> {
        let (iam, ctx) = (self.iam, self.ctx);
        let doing = format!("listing the inline policies of {}", self.what());
        on_kind!(
            iam,
            self,
            [list_role_policies, list_user_policies, list_group_policies],
            |r| list!(iam, ctx, doing, r, |o| {
                (o.policy_names, o.is_truncated, o.marker)
            })
        )
    }

    /// Brings the policies from `before` to `after`: new and changed inline policies first, so
    /// permissions never lapse, then removed ones; managed policies attached, then detached.
    /// `fresh`: the principal was just made, so each call is retried while IAM catches up (the
    /// engine's own retry would call `create` again).
    pub(crate) async fn converge_policies(
        &self,
        before: &Policies,
        after: &Policies,
        fresh: bool,
    ) -> Result<(), ProviderError> {
        let send = async |change| match fresh {
            true => kit::retry_eventual(|| self.change(change)).await,
            false => self.change(change).await,
        };
        for policy in &after.inline {
            let same = |p: &InlinePolicy| {
                p.name == policy.name && same_document(&p.document, &policy.document)
            };
            if !before.inline.iter().any(same) {
                send(Change::Put(policy, fresh)).await?;
            }
        }
        for policy in &before.inline {
            if !after.inline.iter().any(|p| p.name == policy.name) {
                send(Change::DeleteInline(&policy.name)).await?;
            }
        }
        for arn in after.managed.iter().filter(|a| !before.managed.contains(a)) {
            send(Change::Attach(arn)).await?;
        }
        for arn in before.managed.iter().filter(|a| !after.managed.contains(a)) {
            send(Change::Detach(arn)).await?;
        }
        Ok(())
    }

    /// Deletes the principal (Delete{Role,User,Group}, while `deleting role r` then `note`: what
    /// else IAM may refuse it for) once every managed policy is detached and every inline policy
    /// deleted (all of them: IAM refuses to delete a principal that has any). Already gone is
    /// done.
    pub(crate) async fn delete(&self, note: &str) -> Result<(), ProviderError> {
        let (iam, ctx) = (self.iam, self.ctx);
        let doing = format!("deleting {}{note}", self.what());
        let Some(attached) = self.attached().await? else {
            return Ok(());
        };
        for arn in attached {
            self.change(Change::Detach(&arn)).await?;
        }
        let Some(inline) = self.inline_names().await? else {
            return Ok(());
        };
        for name in inline {
            self.change(Change::DeleteInline(&name)).await?;
        }
        on_kind!(iam, self, [delete_role, delete_user, delete_group], |r| {
            unless_gone(iam, ctx, doing, r.send()).await
        })
    }

    /// `Policies` and `ManagedPolicyArns` as refresh reports them (when `last`, the last
    /// applied properties, has them): the entries this resource made that still exist, each
    /// in the spelling last applied when it says the same.
    pub(crate) async fn observe_policies(
        &self,
        last: &Value,
        out: &mut Map<String, Value>,
    ) -> Result<(), ProviderError> {
        let prev = |key: &str| last.get(key).filter(|v| !v.is_null());
        if let Some(previous) = prev("Policies") {
            let mut found = Vec::new();
            for entry in previous.as_array().into_iter().flatten() {
                let Some(name) = entry.get("PolicyName").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(doc) = self.inline_document(name).await? {
                    let doc = observed_document(&doc, true, entry.get("PolicyDocument"));
                    found.push(json!({"PolicyName": name, "PolicyDocument": doc}));
                }
            }
            out.insert("Policies".into(), Value::Array(found));
        }
        if let Some(previous) = prev("ManagedPolicyArns") {
            let attached = self.attached().await?.unwrap_or_default();
            out.insert("ManagedPolicyArns".into(), still_ours(previous, &attached));
        }
        Ok(())
    }

    /// Get*Policy: the document as IAM returns it (percent-encoded); `None` when gone.
    pub(crate) async fn inline_document(
        &self,
        name: &str,
    ) -> Result<Option<String>, ProviderError> {
        let (iam, ctx) = (self.iam, self.ctx);
        let doing = format!("reading inline policy {name} of {}", self.what());
        Ok(on_kind!(
            iam,
            self,
            [get_role_policy, get_user_policy, get_group_policy],
            |r| {
                let sent = r.policy_name(name).send();
                let out = kit::found(iam, ctx, &doing, sent).await?;
                out.map(|o| o.policy_document)
            }
        ))
    }
}
