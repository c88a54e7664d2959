"""Fidelity fixes for the AWS API emulator (moto in server mode) that infra's tests run against.

Where moto departs from AWS's documented behaviour in a way a test depends on, the fix lives
here, is applied before the server starts (`apply()`), and cites the AWS documentation it
follows. infra itself is written to AWS's behaviour; these patches only make the emulator
behave like AWS, never like infra.

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
"""

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


def apply() -> None:
    """Applies every fix above; call once, before the server starts."""
    _patch_policy_only_updates()
    _patch_nested_stack_updates()
    _patch_subnet_route_table_associations()
