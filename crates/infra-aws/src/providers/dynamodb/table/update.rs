//! The UpdateTable calls of an update in place, one change each (DynamoDB takes one at a
//! time): capacity (billing mode, provisioned and on-demand throughput; a switch to
//! `PROVISIONED` carries the kept indexes' throughput), warm throughput, each global secondary
//! index deleted, changed (capacity only) or created, the stream (the old one disabled, then
//! the new one enabled), SSE, the table class and deletion protection.

use aws_sdk_dynamodb::operation::create_table::builders::CreateTableInputBuilder;
use aws_sdk_dynamodb::operation::update_table::builders::UpdateTableFluentBuilder;
use aws_sdk_dynamodb::types::{
    BillingMode, CreateGlobalSecondaryIndexAction, DeleteGlobalSecondaryIndexAction,
    GlobalSecondaryIndex, GlobalSecondaryIndexUpdate, SseSpecification, TableClass,
    UpdateGlobalSecondaryIndexAction,
};

use aws_smithy_types::error::operation::BuildError;

use super::TableProvider;
use super::spec::Spec;
use crate::providers::kit::prelude::*;

/// A global secondary index as UpdateTable creates it (`create`), or its capacity as UpdateTable
/// changes it.
fn index_update(
    ctx: Ctx<'_>,
    gsi: &GlobalSecondaryIndex,
    create: bool,
) -> Result<GlobalSecondaryIndexUpdate, ProviderError> {
    let name = gsi.index_name();
    let failed = |e: BuildError| ctx.fatal(format!("GlobalSecondaryIndexes {name}: {e}"));
    let update = GlobalSecondaryIndexUpdate::builder();
    // The same capacity setters on either action.
    macro_rules! capacity {
        ($action:ty) => {
            (<$action>::builder().index_name(name))
                .set_provisioned_throughput(gsi.provisioned_throughput().cloned())
                .set_on_demand_throughput(gsi.on_demand_throughput().cloned())
                .set_warm_throughput(gsi.warm_throughput().cloned())
        };
    }
    let update = if create {
        let action = capacity!(CreateGlobalSecondaryIndexAction);
        let action = action.set_key_schema(Some(gsi.key_schema().to_vec()));
        let action = action.set_projection(gsi.projection().cloned()).build();
        update.create(action.map_err(failed)?)
    } else {
        let action = capacity!(UpdateGlobalSecondaryIndexAction).build();
        update.update(action.map_err(failed)?)
    };
    Ok(update.build())
}

/// The UpdateTable calls that take the table from `before` to `after`, one change each.
pub(super) fn table_updates(
    p: &TableProvider,
    ctx: Ctx<'_>,
    name: &str,
    before: &Spec,
    after: &Spec,
) -> Result<Vec<UpdateTableFluentBuilder>, ProviderError> {
    let base = || p.ddb.client.update_table().table_name(name);
    let mut steps = Vec::new();
    let named = |gsis: &[GlobalSecondaryIndex], name| gsis.iter().any(|g| g.index_name() == name);
    let old = |name| before.gsis().iter().find(|g| g.index_name() == name);
    // The indexes kept: each before and after.
    let kept: Vec<(&GlobalSecondaryIndex, &GlobalSecondaryIndex)> = (after.gsis().iter())
        .filter_map(|g| Some((old(g.index_name())?, g)))
        .collect();
    let capacity = |s: &Spec| {
        let (r, billing) = (&s.request, s.billing());
        let throughput = r.get_provisioned_throughput().clone();
        (billing, throughput, r.get_on_demand_throughput().clone())
    };
    let (was, now) = (&before.request, &after.request);
    let switch = before.billing() != after.billing() && after.billing() == BillingMode::Provisioned;
    if capacity(before) != capacity(after) {
        let mut step = base().billing_mode(after.billing());
        if after.billing() == BillingMode::Provisioned {
            step = step.set_provisioned_throughput(now.get_provisioned_throughput().clone());
        } else {
            step = step.set_on_demand_throughput(now.get_on_demand_throughput().clone());
        }
        for (_, gsi) in kept.iter().filter(|_| switch) {
            step = step.global_secondary_index_updates(index_update(ctx, gsi, false)?);
        }
        steps.push(step);
    }
    let warm = now.get_warm_throughput();
    if was.get_warm_throughput() != warm && warm.is_some() {
        steps.push(base().set_warm_throughput(warm.clone()));
    }
    for gone in (before.gsis().iter()).filter(|b| !named(after.gsis(), b.index_name())) {
        let delete = DeleteGlobalSecondaryIndexAction::builder().index_name(gone.index_name());
        let delete = delete.build().map_err(|e| ctx.fatal(e))?;
        let update = GlobalSecondaryIndexUpdate::builder().delete(delete).build();
        steps.push(base().global_secondary_index_updates(update));
    }
    for &(was, gsi) in &kept {
        if (was.key_schema(), was.projection()) != (gsi.key_schema(), gsi.projection()) {
            return Err(ctx.fatal(format!(
                "global secondary index {} cannot change its KeySchema or Projection in place; \
                 give the changed index a new IndexName (the old one is deleted, the new one created)",
                gsi.index_name()
            )));
        }
        // An index's provisioned throughput counts only while the table is provisioned
        // (switching to on-demand drops it; switching to provisioned sets it above).
        let provisioned = after.billing() == BillingMode::Provisioned;
        let capacity = |g: &GlobalSecondaryIndex| {
            let throughput = g.provisioned_throughput().cloned().filter(|_| provisioned);
            (
                throughput,
                g.on_demand_throughput().cloned(),
                g.warm_throughput().cloned(),
            )
        };
        if capacity(was) != capacity(gsi) && !switch {
            steps.push(base().global_secondary_index_updates(index_update(ctx, gsi, false)?));
        }
    }
    for gsi in (after.gsis().iter()).filter(|g| !named(before.gsis(), g.index_name())) {
        let step = base().set_attribute_definitions(now.get_attribute_definitions().clone());
        steps.push(step.global_secondary_index_updates(index_update(ctx, gsi, true)?));
    }
    if before.stream != after.stream {
        if before.stream.is_some() {
            steps.push(base().stream_specification(Spec::default().stream_spec(ctx)?));
        }
        if after.stream.is_some() {
            steps.push(base().stream_specification(after.stream_spec(ctx)?));
        }
    }
    if was.get_sse_specification() != now.get_sse_specification() {
        let off = SseSpecification::builder().enabled(false).build();
        let sse = now.get_sse_specification().clone();
        steps.push(base().sse_specification(sse.unwrap_or(off)));
    }
    if was.get_table_class() != now.get_table_class() {
        let class = now.get_table_class().clone();
        steps.push(base().table_class(class.unwrap_or(TableClass::Standard)));
    }
    let protected =
        |r: &CreateTableInputBuilder| r.get_deletion_protection_enabled().unwrap_or(false);
    if protected(was) != protected(now) {
        steps.push(base().deletion_protection_enabled(protected(now)));
    }
    Ok(steps)
}
