"""Fidelity fixes for the AWS API emulator (moto in server mode) that infra's tests run against.

Where moto departs from AWS's documented behaviour in a way a test depends on, the fix lives
here, is set up before the server starts (`apply()`; each fix takes effect when moto loads
what it patches, see the end of this doc), and cites the AWS documentation it follows. infra
itself is written to AWS's behaviour; these patches only make the emulator behave like AWS,
never like infra.

1. CloudFormation stack updates that change only a resource's `DeletionPolicy` or
   `UpdateReplacePolicy` leave the resource alone. AWS: "changing a resource's DeletionPolicy
   or UpdateReplacePolicy attribute alone does not update the resource"
   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html,
   and the stack update behaviours at
   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html).
   moto counts any difference in a resource's JSON as a modification, and re-creates security
   groups, nested stacks and more on such an update (new ids, the old objects deleted).

2. A nested stack (`AWS::CloudFormation::Stack`) whose properties change is updated in place:
   AWS runs a stack update of the nested stack with the new template and parameters
   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-nested-stacks.html).
   moto deletes the nested stack, with every resource in it, and creates a new one.

3. `AWS::EC2::SubnetRouteTableAssociation` made by a CloudFormation stack associates the subnet
   with the route table in EC2, and its `Ref` is the association id (`rtbassoc-...`), as
   documented at
   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-subnetroutetableassociation.html.
   moto records the pair inside CloudFormation only (EC2's `DescribeRouteTables` shows no
   association) and answers the route table's id as the physical id.

4. ECS `DescribeServices` (and `CreateService`'s answer) return the `capacityProviderStrategy`,
   `deploymentConfiguration`, `placementStrategy`, `placementConstraints`,
   `healthCheckGracePeriodSeconds`, `enableECSManagedTags` and `enableExecuteCommand` a service
   was created with, as the
   `Service` data type documents them
   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html,
   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html). moto drops
   them at `CreateService`.

5. EC2 `DescribeSecurityGroupRules` returns the description of a rule whose source or
   destination is another security group: `SecurityGroupRule.Description`
   (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroupRules.html,
   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html), set through
   `UserIdGroupPair.Description`
   (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html). moto
   reports descriptions of CIDR rules only (`DescribeSecurityGroups` already showed them).

6. IAM inline policies (`PutRolePolicy`, `PutUserPolicy`, `PutGroupPolicy`, and so
   `AWS::IAM::Policy` in a stack or through Cloud Control) and role trust policies
   (`UpdateAssumeRolePolicy`) are accepted without a `Version` element or with
   `"Version": "2008-10-17"`: "If you do not include a Version element, the value defaults to
   2008-10-17" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html;
   the grammar makes the element optional:
   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html). The document
   is stored as given. moto answered `MalformedPolicyDocument: Policy document must be version
   2012-10-17 or greater` to all of them. Managed policies (`CreatePolicy`,
   `CreatePolicyVersion`, `AWS::IAM::ManagedPolicy`) keep that answer: it is AWS's own for
   them (IAM's policy editor words it "A managed policy must have a version string"); the API
   reference does not document it, so this rests on AWS's observed answer.

7. AWS Cloud Map: `UpdatePrivateDnsNamespace` / `UpdatePublicDnsNamespace` change only what
   they are sent (the SOA record's TTL), and the namespace keeps its hosted zone
   (`Properties.DnsProperties.HostedZoneId`,
   https://docs.aws.amazon.com/cloud-map/latest/api/API_UpdatePrivateDnsNamespace.html,
   https://docs.aws.amazon.com/cloud-map/latest/api/API_DnsProperties.html); moto replaced the
   namespace's DNS properties with the change, losing the hosted zone id. `DeleteNamespace` of a
   namespace that still contains services fails with `ResourceInUse` ("If the namespace still
   contains one or more services, the request fails",
   https://docs.aws.amazon.com/cloud-map/latest/api/API_DeleteNamespace.html); moto deleted it.
   `UpdateHttpNamespace` answers `OperationId`
   (https://docs.aws.amazon.com/cloud-map/latest/api/API_UpdateHttpNamespace.html#API_UpdateHttpNamespace_ResponseSyntax);
   moto answered `operationId`, which SDKs do not read.

8. Application Auto Scaling: `DeregisterScalableTarget` and `DeleteScalingPolicy` of what does
   not exist fail with `ObjectNotFoundException`
   (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeregisterScalableTarget.html,
   https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeleteScalingPolicy.html);
   moto answered `ValidationException`. Deregistering a target also deletes its scaling policies
   and scheduled actions ("Deregistering a scalable target deletes the scaling policies and the
   scheduled actions that are associated with it", same page); moto kept them.

9. EC2 Auto Scaling: `PutScalingPolicy` answers the policy's ARN as `PolicyARN`
   (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html); moto
   sent it as `PolicyArn`, which the SDKs do not read.

10. Amazon EFS: `UpdateFileSystem` (throughput mode and provisioned throughput),
   `PutBackupPolicy`, `DeleteFileSystemPolicy` and `UpdateFileSystemProtection` work as the EFS
   API reference documents them
   (https://docs.aws.amazon.com/efs/latest/ug/API_UpdateFileSystem.html,
   https://docs.aws.amazon.com/efs/latest/ug/API_PutBackupPolicy.html,
   https://docs.aws.amazon.com/efs/latest/ug/API_DeleteFileSystemPolicy.html,
   https://docs.aws.amazon.com/efs/latest/ug/API_UpdateFileSystemProtection.html), and
   `DescribeFileSystems` returns each file system's `FileSystemProtection`
   (https://docs.aws.amazon.com/efs/latest/ug/API_FileSystemDescription.html; replication
   overwrite protection is `ENABLED` by default). moto answered the four calls "not
   implemented" and left the protection out.

11. EC2 `CreateDhcpOptions` tags the new set with its `TagSpecifications`
   (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDhcpOptions.html); moto
   dropped them, so a set made by an interrupted create could not be found again by its tags.

12. Amazon ECR: `PutImageScanningConfiguration` with an `imageScanningConfiguration` that leaves
   `scanOnPush` out turns scan on push off: "If this parameter is not specified, it will default
   to false" (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageScanningConfiguration.html).
   The AWS SDKs leave a `false` (the member's default) out of the request; moto ignored the
   empty configuration and kept scanning on.

How the fixes are applied: `apply()` patches nothing itself. It registers each fix against the
moto module it patches (an import hook), and the fix runs right after moto first imports that
module (at once if it is already imported). moto imports a service's modules on the first
request to that service, so the emulator starts without importing moto's CloudFormation
models: done eagerly, that cost about 1.1 s of every start.
"""

import importlib.abc
import importlib.machinery
import json
import sys
import threading
from collections.abc import Callable
from typing import Any

#: Resource attributes whose change alone is not an update of the resource.
POLICY_ONLY = ("DeletionPolicy", "UpdateReplacePolicy")


def _without_policies(resource: Any) -> Any:
    if not isinstance(resource, dict):
        return resource
    return {k: v for k, v in resource.items() if k not in POLICY_ONLY}


def _patch_policy_only_updates() -> None:
    from moto.cloudformation.parsing import ResourceMap

    original = ResourceMap.build_resource_diff

    def build_resource_diff(self: Any, other_template: Any, parameters: Any = None) -> Any:
        diff = original(self, other_template, parameters)
        old = self._resource_json_map
        new = other_template["Resources"]
        diff["Modify"] = [
            name
            for name in diff["Modify"]
            if _without_policies(new.get(name)) != _without_policies(old.get(name))
            or name not in old
        ]
        return diff

    ResourceMap.build_resource_diff = build_resource_diff


def _patch_nested_stack_updates() -> None:
    from moto.cloudformation.models import Stack
    from moto.cloudformation.utils import get_stack_from_s3_url
    from moto.utilities.utils import get_partition

    def update_from_cloudformation_json(
        cls: Any,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        properties = cloudformation_json["Properties"]
        template_body = get_stack_from_s3_url(
            properties["TemplateURL"],
            account_id=account_id,
            partition=get_partition(region_name),
        )
        original_resource.update(
            template_body, parameters=properties.get("Parameters", {}) or None
        )
        return original_resource

    Stack.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)


def _patch_subnet_route_table_associations() -> None:
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.subnets import SubnetRouteTableAssociation

    # (moto's models cannot be subclassed outside moto's packages: its metaclass registers them
    # by module name. The class is patched instead.)
    def physical_resource_id(self: Any) -> str:
        return getattr(self, "association_id", self.route_table_id)

    def delete(self: Any, account_id: str, region_name: str) -> None:
        association_id = getattr(self, "association_id", None)
        if association_id is None:
            return
        try:
            ec2_backends[account_id][region_name].disassociate_route_table(association_id)
        except Exception:  # already gone: deleting is idempotent
            pass

    def create_from_cloudformation_json(
        cls: Any,
        resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        properties = cloudformation_json["Properties"]
        backend = ec2_backends[account_id][region_name]
        association_id = backend.associate_route_table(
            properties["RouteTableId"], subnet_id=properties["SubnetId"]
        )
        association = SubnetRouteTableAssociation(properties["RouteTableId"], properties["SubnetId"])
        association.association_id = association_id
        return association

    SubnetRouteTableAssociation.physical_resource_id = property(physical_resource_id)
    SubnetRouteTableAssociation.delete = delete
    SubnetRouteTableAssociation.create_from_cloudformation_json = classmethod(
        create_from_cloudformation_json
    )


def _patch_ecs_service_create() -> None:
    from moto.ecs.responses import EC2ContainerServiceResponse

    original = EC2ContainerServiceResponse.create_service
    # moto's serializer reads a Service's attributes by their snake_case names.
    kept = {
        "capacityProviderStrategy": "capacity_provider_strategy",
        "deploymentConfiguration": "deployment_configuration",
        "placementStrategy": "placement_strategy",
        "placementConstraints": "placement_constraints",
        "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
        "enableECSManagedTags": "enable_ecs_managed_tags",
        "enableExecuteCommand": "enable_execute_command",
    }

    def create_service(self: Any) -> Any:
        result = original(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        for param, attribute in kept.items():
            value = self._get_param(param)
            if value is not None:
                setattr(service, attribute, value)
        return result

    EC2ContainerServiceResponse.create_service = create_service


def _patch_security_group_rule_descriptions() -> None:
    from moto.ec2.models.security_groups import SecurityGroupRule

    def description(self: Any) -> Any:
        if self.ip_range.get("Description") is not None:
            return self.ip_range["Description"]
        return (self.source_group or {}).get("Description")

    SecurityGroupRule.description = property(description)


#: Set while an inline or trust policy is validated (fix 6).
_inline_policy = threading.local()

#: `Version` values an inline or trust policy may have; None: no `Version` element.
INLINE_POLICY_VERSIONS = (None, "2008-10-17", "2012-10-17")


def _patch_inline_policy_version() -> None:
    from moto.iam.models import IAMBackend
    from moto.iam.policy_validation import BaseIAMPolicyValidator

    original_validate_version = BaseIAMPolicyValidator._validate_version

    def _validate_version(self: Any) -> None:
        if getattr(_inline_policy, "active", False):
            assert self._policy_json.get("Version") in INLINE_POLICY_VERSIONS
            return
        original_validate_version(self)

    BaseIAMPolicyValidator._validate_version = _validate_version

    def lenient(method: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            before = getattr(_inline_policy, "active", False)
            _inline_policy.active = True
            try:
                return method(self, *args, **kwargs)
            finally:
                _inline_policy.active = before

        call.__name__ = method.__name__
        call.__doc__ = method.__doc__
        return call

    for name in (
        "put_role_policy",
        "put_user_policy",
        "put_group_policy",
        "update_assume_role_policy",
    ):
        setattr(IAMBackend, name, lenient(getattr(IAMBackend, name)))


def _patch_cloud_map_namespaces() -> None:
    from moto.core.exceptions import JsonRESTError
    from moto.servicediscovery.models import ServiceDiscoveryBackend

    def keeping_hosted_zone(original: Callable[..., Any]) -> Callable[..., Any]:
        def update(self: Any, _id: str, description: Any, properties: Any) -> Any:
            if properties is not None:
                current = self.get_namespace(namespace_id=_id).dns_properties or {}
                properties = {**current, **properties}
            return original(self, _id, description, properties)

        return update

    for name in ("update_private_dns_namespace", "update_public_dns_namespace"):
        original = getattr(ServiceDiscoveryBackend, name)
        setattr(ServiceDiscoveryBackend, name, keeping_hosted_zone(original))

    original_delete = ServiceDiscoveryBackend.delete_namespace

    def delete_namespace(self: Any, namespace_id: str) -> Any:
        if any(s.namespace_id == namespace_id for s in self.services.values()):
            raise JsonRESTError(
                "ResourceInUse", f"The namespace {namespace_id} still contains services."
            )
        return original_delete(self, namespace_id)

    ServiceDiscoveryBackend.delete_namespace = delete_namespace

    from moto.servicediscovery.responses import ServiceDiscoveryResponse

    original_http_update = ServiceDiscoveryResponse.update_http_namespace

    def update_http_namespace(self: Any) -> str:
        answer = json.loads(original_http_update(self))
        return json.dumps({"OperationId": answer.get("OperationId", answer.get("operationId"))})

    ServiceDiscoveryResponse.update_http_namespace = update_http_namespace


def _patch_application_autoscaling_not_found() -> None:
    from moto.applicationautoscaling.exceptions import AWSValidationException
    from moto.applicationautoscaling.models import ApplicationAutoscalingBackend
    from moto.core.exceptions import JsonRESTError

    def not_found(original: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return original(self, *args, **kwargs)
            except AWSValidationException as e:
                if e.message.startswith("No scal"):
                    raise JsonRESTError("ObjectNotFoundException", e.message) from e
                raise

        return call

    original_deregister = not_found(ApplicationAutoscalingBackend.deregister_scalable_target)

    def deregister_scalable_target(self: Any, namespace: str, r_id: str, dimension: str) -> None:
        original_deregister(self, namespace, r_id, dimension)
        key = (namespace, r_id, dimension)
        self.policies = {
            k: p
            for k, p in self.policies.items()
            if (p.service_namespace, p.resource_id, p.scalable_dimension) != key
        }
        self.scheduled_actions = [
            a
            for a in self.scheduled_actions
            if (a.service_namespace, a.resource_id, a.scalable_dimension) != key
        ]

    ApplicationAutoscalingBackend.deregister_scalable_target = deregister_scalable_target
    ApplicationAutoscalingBackend.delete_scaling_policy = not_found(
        ApplicationAutoscalingBackend.delete_scaling_policy
    )


def _patch_autoscaling_policy_arn() -> None:
    from moto.autoscaling.responses import AutoScalingResponse
    from moto.core.responses import ActionResult

    original = AutoScalingResponse.put_scaling_policy

    def put_scaling_policy(self: Any) -> Any:
        result = original(self)
        answer = dict(result.result) if isinstance(result.result, dict) else {}
        if "PolicyArn" in answer:
            answer["PolicyARN"] = answer.pop("PolicyArn")
        return ActionResult(answer)

    AutoScalingResponse.put_scaling_policy = put_scaling_policy


def _patch_efs_updates() -> None:
    from moto.efs.models import FileSystem
    from moto.efs.responses import EFSResponse

    json_headers = {"Content-Type": "application/json"}
    original_info = FileSystem.info_json

    def info_json(self: Any) -> Any:
        info = original_info(self)
        info.pop("Protection", None)
        info["FileSystemProtection"] = {
            "ReplicationOverwriteProtection": getattr(self, "_protection", "ENABLED")
        }
        return info

    FileSystem.info_json = info_json

    def file_system(self: Any) -> Any:
        _, found = self.efs_backend.describe_file_systems(
            file_system_id=self._get_param("FileSystemId")
        )
        return found[0]

    def update_file_system(self: Any) -> Any:
        fs = file_system(self)
        mode = self._get_param("ThroughputMode")
        if mode:
            fs.throughput_mode = mode
        mibps = self._get_param("ProvisionedThroughputInMibps")
        if mibps is not None or mode:
            fs.provisioned_throughput_in_mibps = mibps
        return json.dumps(fs.info_json()), {"status": 202, **json_headers}

    def put_backup_policy(self: Any) -> Any:
        fs = file_system(self)
        status = (self._get_param("BackupPolicy") or {}).get("Status", "DISABLED")
        fs._backup = status == "ENABLED"
        return json.dumps({"BackupPolicy": {"Status": status}}), json_headers

    def delete_file_system_policy(self: Any) -> Any:
        file_system(self).file_system_policy = None
        return "{}", json_headers

    def update_file_system_protection(self: Any) -> Any:
        fs = file_system(self)
        fs._protection = self._get_param("ReplicationOverwriteProtection") or "ENABLED"
        return json.dumps({"ReplicationOverwriteProtection": fs._protection}), json_headers

    EFSResponse.update_file_system = update_file_system
    EFSResponse.put_backup_policy = put_backup_policy
    EFSResponse.delete_file_system_policy = delete_file_system_policy
    EFSResponse.update_file_system_protection = update_file_system_protection


def _patch_efs_urls() -> None:
    from moto.efs import urls

    # UpdateFileSystemProtection's path, which moto's URL table lacks (fix 10).
    path = "/2015-02-01/file-systems/<file_system_id>/protection"
    urls.url_paths[path] = urls.response.dispatch


def _patch_ecr_scan_on_push_default() -> None:
    from moto.ecr.models import Repository

    original = Repository._update_image_scanning_configuration

    def _update_image_scanning_configuration(
        self: Any, image_scanning_configuration: Any
    ) -> None:
        configuration = image_scanning_configuration
        if configuration is not None and "scanOnPush" not in configuration:
            configuration = {**configuration, "scanOnPush": False}
        original(self, image_scanning_configuration=configuration)

    Repository._update_image_scanning_configuration = _update_image_scanning_configuration


# --- applying the fixes when moto imports what they patch ---------------------------------

#: Fixes waiting for their module, by module name.
_pending: dict[str, list[Callable[[], None]]] = {}
_pending_lock = threading.RLock()
_applied = False


class _PatchingLoader(importlib.abc.Loader):
    """Loads a module with its real loader, then runs the fixes waiting for it."""

    def __init__(self, loader: Any, name: str):
        self._loader = loader
        self._name = name

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self._loader.exec_module(module)
        with _pending_lock:
            fixes = _pending.pop(self._name, [])
        for fix in fixes:
            fix()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


class _PatchingFinder(importlib.abc.MetaPathFinder):
    """Hands modules with fixes waiting to `_PatchingLoader`; every other module is left to
    the finders behind it."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        with _pending_lock:
            if fullname not in _pending:
                return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _PatchingLoader(spec.loader, fullname)
        return spec


def _patch_dhcp_options_tags() -> None:
    from moto.ec2.responses.dhcp_options import DHCPOptions

    original = DHCPOptions.create_dhcp_options

    def create_dhcp_options(self: Any) -> Any:
        result = original(self)
        tags = {}
        for spec in self._get_param("TagSpecifications", []):
            if spec.get("ResourceType", "dhcp-options") == "dhcp-options":
                tags.update({t["Key"]: t.get("Value", "") for t in spec.get("Tags", [])})
        if tags:
            created = result.result["DhcpOptions"]
            self.ec2_backend.create_tags([created.id], tags)
        return result

    DHCPOptions.create_dhcp_options = create_dhcp_options


def _when_imported(module: str, fix: Callable[[], None]) -> None:
    with _pending_lock:
        if module in sys.modules:
            fix()
        else:
            _pending.setdefault(module, []).append(fix)


def apply() -> None:
    """Registers every fix above with the module it patches; call once, before the server
    starts. Idempotent. Imports nothing of moto (see the module doc)."""
    global _applied
    with _pending_lock:
        if _applied:
            return
        _applied = True
        if not any(isinstance(f, _PatchingFinder) for f in sys.meta_path):
            sys.meta_path.insert(0, _PatchingFinder())
    _when_imported("moto.cloudformation.parsing", _patch_policy_only_updates)
    _when_imported("moto.cloudformation.models", _patch_nested_stack_updates)
    _when_imported("moto.ec2.models", _patch_subnet_route_table_associations)
    _when_imported("moto.ec2.responses.dhcp_options", _patch_dhcp_options_tags)
    _when_imported("moto.ecs.responses", _patch_ecs_service_create)
    _when_imported("moto.ec2.models.security_groups", _patch_security_group_rule_descriptions)
    _when_imported("moto.iam.models", _patch_inline_policy_version)
    _when_imported("moto.servicediscovery.models", _patch_cloud_map_namespaces)
    _when_imported("moto.applicationautoscaling.models", _patch_application_autoscaling_not_found)
    _when_imported("moto.autoscaling.responses", _patch_autoscaling_policy_arn)
    _when_imported("moto.efs.responses", _patch_efs_updates)
    _when_imported("moto.efs.urls", _patch_efs_urls)
    _when_imported("moto.ecr.models", _patch_ecr_scan_on_push_default)
    import fidelity_apps

    for module, fix in fidelity_apps.FIXES:
        _when_imported(module, fix)
