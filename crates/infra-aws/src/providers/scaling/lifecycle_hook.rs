//! `AWS::AutoScaling::LifecycleHook`: PutLifecycleHook creates it and changes it in place
//! (`AutoScalingGroupName` and `LifecycleHookName` are create-only), DeleteLifecycleHook deletes
//! it (a hook or group already gone is success). Every property is mapped. PutLifecycleHook
//! leaves a parameter it is not given as it was, so a property removed from the template is
//! sent as its default: `HeartbeatTimeout` 3600, `DefaultResult` `ABANDON`, and an empty
//! `NotificationTargetARN` / `NotificationMetadata` (AWS: "If you specify an empty string, this
//! overrides the current ARN"); removing `RoleARN` alone is refused (the API cannot unset it).
//!
//! The keys, the PutLifecycleHook request (the defaults of removed properties too) and the hook
//! as refresh reports it are generated from the schema
//! (`crates/infra-aws/mappings/autoscaling.toml`); the name is set by hand.
//!
//! `Ref` is the hook name (`LifecycleHookName`, else the generated one); no `Fn::GetAtt`.
//!
//! Refresh: DescribeLifecycleHooks per group (the call requires the group), 50 hook names per
//! call; a group that is gone reads as every hook of it gone. Find: the natural key, the group
//! and the hook name, with DescribeLifecycleHooks (the type cannot be tagged).

use crate::providers::kit::prelude::*;
use aws_sdk_autoscaling::types::LifecycleHook;

use super::common::{AutoScaling, gone, in_group};
use super::group_object::{GroupObject, delete_call};
use crate::error::AwsError;
use crate::generated::autoscaling::{LIFECYCLE_HOOK, put_lifecycle_hook, report_lifecycle_hook};

pub(crate) const TYPE: &str = "AWS::AutoScaling::LifecycleHook";

#[derive(Debug)]
pub(crate) struct LifecycleHookProvider {
    pub(crate) svc: AutoScaling,
}

impl GroupObject for LifecycleHookProvider {
    type Object = LifecycleHook;
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerParent,
        "DescribeLifecycleHooks per group (50 hook names per call)",
        Find::NaturalKey,
        "DescribeLifecycleHooks of the group and the hook name",
    );
    const WHAT: &'static str = "lifecycle hook";
    const KEYS: Keys<'static> = LIFECYCLE_HOOK;
    const PER_GROUP: bool = true;
    const NAME: Option<&'static str> = Some("LifecycleHookName");

    const IDENTITY: fn(&LifecycleHook) -> String =
        |hook| in_group(hook.auto_scaling_group_name(), hook.lifecycle_hook_name());
    const REPORT: fn(&LifecycleHook) -> Value = report_lifecycle_hook;
    const OUTPUT: fn(&LifecycleHook) -> ResourceOutput =
        |hook| output_of(hook.lifecycle_hook_name().unwrap_or_default(), []);

    /// PutLifecycleHook with `after`'s values; what `before` set and `after` removes goes back
    /// to its default (generated).
    async fn put(&self, ctx: Ctx<'_>, name: &str, after: &Value, before: Option<&Value>) -> Made {
        let props = Props::root(after, ctx, LIFECYCLE_HOOK)?;
        if before.is_none() {
            props.required_str("LifecycleTransition")?;
        }
        let removed = |key: &str| {
            before.is_some_and(|b| b.get(key).is_some_and(|v| !v.is_null()))
                && props.get(key).is_none()
        };
        if removed("RoleARN") {
            return Err(ctx.fatal(
                "RoleARN cannot be removed in place: PutLifecycleHook cannot unset it; replace \
                 the hook (for example by giving it a new LifecycleHookName)",
            ));
        }
        let group = props.required_str("AutoScalingGroupName")?;
        let request = self.svc.client.put_lifecycle_hook();
        let mut sent = |key: &str| props.get(key).is_some() || removed(key);
        let request = put_lifecycle_hook(&props, request, &mut sent)?;
        request
            .lifecycle_hook_name(name)
            .send()
            .await
            .map_err(|e| {
                let doing = format!("putting lifecycle hook {name} on group {group}");
                ctx.fail_referencing(doing, self.svc.err(e))
            })?;
        Ok(output_of(name, []))
    }

    /// DescribeLifecycleHooks of `names` in `group`; none when the group is gone.
    async fn describe(
        &self,
        group: Option<String>,
        names: Vec<String>,
        doing: &str,
    ) -> Result<Vec<LifecycleHook>, ProviderError> {
        let request = self.svc.client.describe_lifecycle_hooks();
        let request = request.set_auto_scaling_group_name(group);
        let sent = request.set_lifecycle_hook_names(Some(names)).send().await;
        match sent.map_err(|e| self.svc.err(e)) {
            Ok(out) => Ok(out.lifecycle_hooks().to_vec()),
            Err(err) if gone(&err) => Ok(Vec::new()),
            Err(err) => Err(kit::fail(doing, err)),
        }
    }

    delete_call!(delete_lifecycle_hook, lifecycle_hook_name);
}

#[cfg(test)]
#[path = "tests/lifecycle_hook.rs"]
mod tests;
