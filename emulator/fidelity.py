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

How the fixes are applied: `apply()` patches nothing itself. It registers each fix against the
moto module it patches (an import hook), and the fix runs right after moto first imports that
module (at once if it is already imported). moto imports a service's modules on the first
request to that service, so the emulator starts without importing moto's CloudFormation
models: done eagerly, that cost about 1.1 s of every start.
"""

import importlib.abc
import importlib.machinery
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
    _when_imported("moto.ecs.responses", _patch_ecs_service_create)
    _when_imported("moto.ec2.models.security_groups", _patch_security_group_rule_descriptions)
    _when_imported("moto.iam.models", _patch_inline_policy_version)
