//! `find` for `AWS::ECS::TaskDefinition`: the revision an interrupted create registered.
//!
//! RegisterTaskDefinition makes a new revision each time, so the name (the family) is not
//! enough: the family's `ACTIVE` revisions are listed newest first (ListTaskDefinitions), and
//! the newest one carrying this resource's `infra:*` tags decides. It is the one the create made
//! when it was registered with the same properties; otherwise (an older revision of this
//! resource, made before a replacement) nothing was made and the answer is `None`, as it is
//! when the newest is the revision a replacement replaces ([`FindInput::replacing`]). Revisions
//! with another resource's tags, or none, are passed over.
//!
//! "The same properties" compares what the create sent with what DescribeTaskDefinition
//! returns, key by key, ignoring what the create left out (ECS fills in defaults: a port
//! mapping's protocol, a health check's interval, a container's `essential`, the network mode);
//! an empty list is the same as none, and environment variables compare as a set.

use aws_sdk_ecs::types::{
    ContainerDefinition, SortOrder, TaskDefinition, TaskDefinitionStatus, Volume,
};

use super::{R, Spec, TYPE, TaskDefinitionProvider, describe, output, parse};
use crate::providers::kit::prelude::*;

impl TaskDefinitionProvider {
    pub(super) async fn find_made(&self, input: &FindInput) -> R<Option<ResourceOutput>> {
        let ctx = Ctx::new(TYPE, &input.address);
        let spec = parse(&input.properties, ctx, &self.ecs.client)?;
        let family = spec.family.clone().or_else(|| input.name.clone());
        let none = || ctx.fatal("Family is not set and no name was given to find");
        let family = family.ok_or_else(none)?;
        for arn in self.active_revisions(ctx, &family).await? {
            if input.replacing.as_deref() == Some(arn.as_str()) {
                // The revision being replaced is newer than anything else of ours: the create
                // registered nothing.
                return Ok(None);
            }
            let Some((td, tags)) = describe(&self.ecs, ctx, &arn).await? else {
                continue;
            };
            if td.status() != Some(&TaskDefinitionStatus::Active) || !owned_by(&tags, &input.tags) {
                continue;
            }
            return Ok(
                same_revision(&spec, &td).then(|| output(td.task_definition_arn().unwrap_or(&arn)))
            );
        }
        Ok(None)
    }

    /// The ARNs of the family's `ACTIVE` revisions, newest first (pages followed).
    async fn active_revisions(&self, ctx: Ctx<'_>, family: &str) -> R<Vec<String>> {
        let mut revisions: Vec<(i64, String)> = Vec::new();
        let request = self
            .ecs
            .client
            .list_task_definitions()
            .family_prefix(family);
        let request = request
            .status(TaskDefinitionStatus::Active)
            .sort(SortOrder::Desc);
        let mut pages = request.into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| {
                ctx.fail(
                    format!("listing the revisions of task definition family {family}"),
                    self.ecs.api.err(e),
                )
            })?;
            revisions.extend(page.task_definition_arns().iter().filter_map(|arn| {
                let (f, revision) = revision_of(arn)?;
                (f == family).then(|| (revision, arn.clone()))
            }));
        }
        revisions.sort_by_key(|r| std::cmp::Reverse(r.0));
        Ok(revisions.into_iter().map(|(_, arn)| arn).collect())
    }
}

/// `arn:...:task-definition/web:3` → (`web`, 3).
fn revision_of(arn: &str) -> Option<(&str, i64)> {
    let (_, tail) = arn.split_once(":task-definition/")?;
    let (family, revision) = tail.rsplit_once(':')?;
    Some((family, revision.parse().ok()?))
}

/// Whether the registered revision `td` is what `spec` asked for (see the module comment).
fn same_revision(spec: &Spec, td: &TaskDefinition) -> bool {
    let want = spec.request.as_input();
    // Each value `want` gives (by its getter) is `td`'s (that field).
    macro_rules! given {
        ($($get:ident: $field:ident),+ $(,)?) => {
            $((want.$get().is_none() || want.$get() == &td.$field))&&+
        };
    }
    let (containers, volumes) = (td.container_definitions(), td.volumes());
    let want_volumes = want.get_volumes().as_deref().unwrap_or_default();
    let (constraints, accelerators) = (
        want.get_placement_constraints(),
        want.get_inference_accelerators(),
    );
    let constraints = constraints.as_deref().unwrap_or_default();
    let accelerators = accelerators.as_deref().unwrap_or_default();
    let same_volume = |(w, h): (&Volume, &Volume)| *w == masked_volume(w, h);
    let same_container = |(w, h): (&ContainerDefinition, &ContainerDefinition)| {
        normalized(w.clone()) == normalized(masked_container(w, h))
    };
    given!(get_cpu: cpu, get_memory: memory, get_network_mode: network_mode,
        get_ipc_mode: ipc_mode, get_pid_mode: pid_mode,
        get_requires_compatibilities: requires_compatibilities,
        get_execution_role_arn: execution_role_arn, get_task_role_arn: task_role_arn,
        get_proxy_configuration: proxy_configuration, get_runtime_platform: runtime_platform,
        get_ephemeral_storage: ephemeral_storage,
        get_enable_fault_injection: enable_fault_injection)
        && constraints == td.placement_constraints()
        && accelerators == td.inference_accelerators()
        && want_volumes.len() == volumes.len()
        && want_volumes.iter().zip(volumes).all(same_volume)
        && spec.containers.len() == containers.len()
        && spec.containers.iter().zip(containers).all(same_container)
}

/// Sets to `None` each named field of `$have` that `$want` leaves `None` (a default AWS filled
/// in, not a difference).
macro_rules! mask {
    ($want:expr, $have:expr; $($field:ident),+ $(,)?) => {
        $(if $want.$field.is_none() {
            $have.$field = None;
        })+
    };
}

/// Sets each named list field to `None` when it is empty.
macro_rules! empty_as_none {
    ($value:expr; $($field:ident),+ $(,)?) => {
        $(if $value.$field.as_ref().is_some_and(|l| l.is_empty()) {
            $value.$field = None;
        })+
    };
}

/// `have` without what `want` leaves out.
fn masked_volume(want: &Volume, have: &Volume) -> Volume {
    let mut have = have.clone();
    mask!(want, have; name, host, docker_volume_configuration, efs_volume_configuration,
        fsx_windows_file_server_volume_configuration, configured_at_launch);
    if let (Some(w), Some(h)) = (
        &want.docker_volume_configuration,
        &mut have.docker_volume_configuration,
    ) {
        mask!(w, h; scope, autoprovision, driver, driver_opts, labels);
    }
    if let (Some(w), Some(h)) = (
        &want.efs_volume_configuration,
        &mut have.efs_volume_configuration,
    ) {
        mask!(w, h; root_directory, transit_encryption, transit_encryption_port,
            authorization_config);
    }
    have
}

/// The container `have` without what `want` leaves out, at every level ECS fills in defaults.
fn masked_container(want: &ContainerDefinition, have: &ContainerDefinition) -> ContainerDefinition {
    let mut have = have.clone();
    mask!(want, have; name, image, repository_credentials, memory, memory_reservation, links,
        port_mappings, essential, restart_policy, entry_point, command, environment,
        environment_files, mount_points, volumes_from, linux_parameters, secrets, depends_on,
        start_timeout, stop_timeout, version_consistency, hostname, user, working_directory,
        disable_networking, privileged, readonly_root_filesystem, dns_servers,
        dns_search_domains, extra_hosts, docker_security_options, interactive, pseudo_terminal,
        docker_labels, ulimits, log_configuration, health_check, system_controls,
        resource_requirements, firelens_configuration, credential_specs);
    if let (Some(w), Some(h)) = (&want.port_mappings, &mut have.port_mappings) {
        for (w, h) in w.iter().zip(h.iter_mut()) {
            mask!(w, h; host_port, protocol, name, app_protocol, container_port_range);
        }
    }
    if let (Some(w), Some(h)) = (&want.mount_points, &mut have.mount_points) {
        for (w, h) in w.iter().zip(h.iter_mut()) {
            mask!(w, h; read_only);
        }
    }
    if let (Some(w), Some(h)) = (&want.volumes_from, &mut have.volumes_from) {
        for (w, h) in w.iter().zip(h.iter_mut()) {
            mask!(w, h; read_only);
        }
    }
    if let (Some(w), Some(h)) = (&want.health_check, &mut have.health_check) {
        mask!(w, h; interval, timeout, retries, start_period);
    }
    if let (Some(w), Some(h)) = (&want.linux_parameters, &mut have.linux_parameters) {
        mask!(w, h; capabilities, devices, init_process_enabled, shared_memory_size, tmpfs,
            max_swap, swappiness);
    }
    if let (Some(w), Some(h)) = (&want.log_configuration, &mut have.log_configuration) {
        mask!(w, h; options, secret_options);
    }
    have
}

/// A container with empty lists as none and environment variables in name order.
fn normalized(mut c: ContainerDefinition) -> ContainerDefinition {
    empty_as_none!(c; links, port_mappings, entry_point, command, environment,
        environment_files, mount_points, volumes_from, secrets, depends_on, dns_servers,
        dns_search_domains, extra_hosts, docker_security_options, ulimits, system_controls,
        resource_requirements, credential_specs);
    if let Some(env) = c.environment.as_mut() {
        env.sort_by(|a, b| (a.name(), a.value()).cmp(&(b.name(), b.value())));
    }
    c
}

#[cfg(test)]
mod tests;
