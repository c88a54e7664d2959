"""Per-type support for the Cloud Control endpoint: reading a resource back from moto's live
model, and the places where moto's CloudFormation model drops or cannot change what a
template says.

moto's CloudFormation models can create, update and delete, but cannot turn a model back into
CloudFormation properties. For the types below a reader does: `GetResource` and
`ListResources` answer from the live moto object found by the identifier, so a change made
through the service's own API (a tag added with EC2 `CreateTags`, a retention set with Logs
`PutRetentionPolicy`) shows in the answer, a resource deleted through its own API is
`NotFound`, and resources made outside Cloud Control (the default VPC, a queue made with SQS
`CreateQueue`) are found and listed as on AWS. Every other type answers from the desired state
stored at create and update (see the package doc).

What each type adds to moto's model, besides its reader:

- `AWS::EC2::VPC`: `EnableDnsHostnames`/`EnableDnsSupport` are applied (moto's model ignores
  them); updates of `Tags`, `EnableDnsHostnames`, `EnableDnsSupport` (moto's model has no
  update).
- `AWS::EC2::Subnet`: `MapPublicIpOnLaunch`, `AssignIpv6AddressOnCreation` are applied;
  updates of those and `Tags` (moto's model has no update).
- `AWS::EC2::SecurityGroup`: rules are applied by the emulator, ingress and egress, with
  `CidrIp`, `CidrIpv6`, source/destination group, prefix list and `Description` (moto's model
  applies ingress `CidrIp`/group rules only, without descriptions); `SecurityGroupEgress`
  replaces the default allow-all egress rule, as on AWS. Updates of `Tags` and of the rules
  (revoking, authorizing and re-describing only what changed) are done in place: moto's update
  deletes the group and makes a new one with a new id, which Cloud Control never does.
- `AWS::Logs::LogGroup`: `KmsKeyId` is applied; updates of `RetentionInDays`, `KmsKeyId`,
  `Tags` (moto's model has no update).
- `AWS::SQS::Queue`: updates of every queue attribute and `Tags` (moto's update changes only
  `VisibilityTimeout` and `ReceiveMessageWaitTimeSeconds`).
- `AWS::SNS::Topic`: `Tags` are applied (moto's model keeps them off the topic); updates of
  `DisplayName`, `KmsMasterKeyId`, `ContentBasedDeduplication`, `Tags` in place (moto's
  update deletes and re-creates the topic, losing its subscriptions).
- `AWS::SSM::Parameter`: `Tags` (a map in the schema) are given to moto as the list it
  expects; updates go through moto's model, which deletes and re-creates the parameter (same
  name, so the same identifier; the parameter's version history starts again).
- `AWS::S3::Bucket`: `VersioningConfiguration` is applied; updates of it and, through moto's
  model, of `BucketEncryption` and `Tags`.
- `AWS::DynamoDB::Table`: updates of `BillingMode`, `ProvisionedThroughput`,
  `DeletionProtectionEnabled`, `Tags` (moto's model has no update).
- `AWS::Events::Rule`: identifier is the rule's ARN (the schema's primary identifier; moto's
  physical id is the name); updates go through moto's model (delete and re-create under the
  same name and ARN).

An update that changes a property the emulator cannot change for that type fails with
`InvalidRequest` naming the property (AWS would change it).

Types without a reader: `AWS::IoT::Policy`'s other versions (an update makes one) are deleted
before the policy, as AWS's handler does (moto's model refuses to delete a policy with more
than one version).
"""

from __future__ import annotations

import copy
import json
from typing import Any


class Ctx:
    """The account and region a request is for."""

    def __init__(self, account: str, region: str):
        self.account = account
        self.region = region


class EmulatorLimit(Exception):
    """What AWS would do but the emulator cannot; the request fails with InvalidRequest."""


def tags_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def tags_dict(tags: Any) -> dict[str, str]:
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    return {t["Key"]: t["Value"] for t in tags or []}


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != [] and value != {}:
        out[key] = value


class TypeSupport:
    """Hooks for one type; the defaults are moto's model as it is."""

    type_name = ""
    #: Properties `update` can change; None: updates go through moto's model.
    updatable: frozenset[str] | None = None

    def find(self, ctx: Ctx, identifier: str) -> Any:
        raise NotImplementedError

    def list(self, ctx: Ctx) -> list[Any]:
        raise NotImplementedError

    def read(self, ctx: Ctx, obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def identifier(self, obj: Any) -> str:
        return obj.physical_resource_id

    def prepare(self, props: dict[str, Any]) -> dict[str, Any]:
        """The properties as moto's model takes them."""
        return props

    def after_create(self, ctx: Ctx, obj: Any, props: dict[str, Any]) -> None:
        """Applies what moto's model drops at create."""

    def update(self, ctx: Ctx, obj: Any, old: dict[str, Any], new: dict[str, Any]) -> Any:
        raise NotImplementedError

    def after_update(self, ctx: Ctx, obj: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Applies what moto's update drops (types updated through moto's model)."""


# --- EC2 ------------------------------------------------------------------------------------


def _ec2(ctx: Ctx) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[ctx.account][ctx.region]


def _ec2_tags(backend: Any, resource_id: str) -> list[dict[str, str]]:
    return tags_list(dict(backend.tags.get(resource_id, {})))


def _ec2_set_tags(backend: Any, resource_id: str, tags: Any) -> None:
    wanted = tags_dict(tags)
    current = backend.tags.get(resource_id, {})
    for key in [k for k in current if k not in wanted]:
        current.pop(key)
    if wanted:
        backend.create_tags([resource_id], wanted)


def _changed(old: dict[str, Any], new: dict[str, Any], key: str) -> bool:
    return old.get(key) != new.get(key)


class Vpc(TypeSupport):
    type_name = "AWS::EC2::VPC"
    updatable = frozenset({"Tags", "EnableDnsHostnames", "EnableDnsSupport"})

    def find(self, ctx: Ctx, identifier: str) -> Any:
        return _ec2(ctx).vpcs.get(identifier)

    def list(self, ctx: Ctx) -> list[Any]:
        return list(_ec2(ctx).vpcs.values())

    def read(self, ctx: Ctx, vpc: Any) -> dict[str, Any]:
        backend = _ec2(ctx)
        out: dict[str, Any] = {
            "VpcId": vpc.id,
            "CidrBlock": vpc.cidr_block,
            "CidrBlockAssociations": [
                a["association_id"] for a in vpc.get_cidr_block_association_set(ipv6=False)
            ],
            "EnableDnsHostnames": bool(vpc.enable_dns_hostnames),
            "EnableDnsSupport": bool(vpc.enable_dns_support),
            "InstanceTenancy": vpc.instance_tenancy,
        }
        _put(
            out,
            "Ipv6CidrBlocks",
            [a["cidr_block"] for a in vpc.get_cidr_block_association_set(ipv6=True)],
        )
        group = backend.get_security_group_from_name("default", vpc_id=vpc.id)
        _put(out, "DefaultSecurityGroup", group.id if group else None)
        acls = [a.id for a in backend.network_acls.values() if a.vpc_id == vpc.id and a.default]
        _put(out, "DefaultNetworkAcl", acls[0] if acls else None)
        _put(out, "Tags", _ec2_tags(backend, vpc.id))
        return out

    def _apply(self, ctx: Ctx, vpc: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
        backend = _ec2(ctx)
        for prop, attr in (
            ("EnableDnsSupport", "enable_dns_support"),
            ("EnableDnsHostnames", "enable_dns_hostnames"),
        ):
            if prop in new or prop in old:
                default = prop == "EnableDnsSupport"
                backend.modify_vpc_attribute(vpc.id, attr, bool(new.get(prop, default)))

    def after_create(self, ctx: Ctx, vpc: Any, props: dict[str, Any]) -> None:
        self._apply(ctx, vpc, {}, props)

    def update(self, ctx: Ctx, vpc: Any, old: dict[str, Any], new: dict[str, Any]) -> Any:
        self._apply(ctx, vpc, old, new)
        if _changed(old, new, "Tags"):
            _ec2_set_tags(_ec2(ctx), vpc.id, new.get("Tags"))
        return vpc


class Subnet(TypeSupport):
    type_name = "AWS::EC2::Subnet"
    updatable = frozenset({"Tags", "MapPublicIpOnLaunch", "AssignIpv6AddressOnCreation"})

    def find(self, ctx: Ctx, identifier: str) -> Any:
        for subnets in _ec2(ctx).subnets.values():
            if identifier in subnets:
                return subnets[identifier]
        return None

    def list(self, ctx: Ctx) -> list[Any]:
        return [s for subnets in _ec2(ctx).subnets.values() for s in subnets.values()]

    def read(self, ctx: Ctx, subnet: Any) -> dict[str, Any]:
        backend = _ec2(ctx)
        out: dict[str, Any] = {
            "SubnetId": subnet.id,
            "VpcId": subnet.vpc_id,
            "CidrBlock": subnet.cidr_block,
            "AvailabilityZone": subnet.availability_zone,
            "AvailabilityZoneId": subnet.availability_zone_id,
            "MapPublicIpOnLaunch": bool(subnet.map_public_ip_on_launch),
            "AssignIpv6AddressOnCreation": bool(subnet.assign_ipv6_address_on_creation),
            "Ipv6Native": bool(subnet.ipv6_native),
            "EnableDns64": False,
            "PrivateDnsNameOptionsOnLaunch": dict(subnet.private_dns_name_options_on_launch),
        }
        _put(
            out,
            "Ipv6CidrBlocks",
            [a["ipv6CidrBlock"] for a in subnet.ipv6_cidr_block_association_set],
        )
        _put(out, "Tags", _ec2_tags(backend, subnet.id))
        return out

    def _apply(self, ctx: Ctx, subnet: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
        backend = _ec2(ctx)
        for prop, attr in (
            ("MapPublicIpOnLaunch", "map_public_ip_on_launch"),
            ("AssignIpv6AddressOnCreation", "assign_ipv6_address_on_creation"),
        ):
            if prop in new or prop in old:
                backend.modify_subnet_attribute(subnet.id, attr, bool(new.get(prop, False)))

    def after_create(self, ctx: Ctx, subnet: Any, props: dict[str, Any]) -> None:
        self._apply(ctx, subnet, {}, props)

    def update(self, ctx: Ctx, subnet: Any, old: dict[str, Any], new: dict[str, Any]) -> Any:
        self._apply(ctx, subnet, old, new)
        if _changed(old, new, "Tags"):
            _ec2_set_tags(_ec2(ctx), subnet.id, new.get("Tags"))
        return subnet


_PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1", "-1": "-1"}
_DEFAULT_EGRESS = [{"CidrIp": "0.0.0.0/0", "IpProtocol": "-1"}]


def _rule_key(rule: dict[str, Any], egress: bool) -> tuple[Any, ...]:
    """What identifies a rule (everything but its description)."""
    proto = str(rule.get("IpProtocol", "-1")).lower()
    proto = _PROTOCOLS.get(proto, proto)
    ports = (None, None)
    if proto != "-1":
        ports = (
            int(rule["FromPort"]) if rule.get("FromPort") is not None else None,
            int(rule["ToPort"]) if rule.get("ToPort") is not None else None,
        )
    prefix = "Destination" if egress else "Source"
    target = (
        ("cidr", rule.get("CidrIp"))
        if rule.get("CidrIp")
        else ("cidr6", rule.get("CidrIpv6"))
        if rule.get("CidrIpv6")
        else ("pl", rule.get(f"{prefix}PrefixListId"))
        if rule.get(f"{prefix}PrefixListId")
        else ("sg", rule.get(f"{prefix}SecurityGroupId") or rule.get("SourceSecurityGroupName"))
    )
    return (proto, *ports, *target)


class SecurityGroup(TypeSupport):
    type_name = "AWS::EC2::SecurityGroup"
    updatable = frozenset({"Tags", "SecurityGroupIngress", "SecurityGroupEgress"})

    def find(self, ctx: Ctx, identifier: str) -> Any:
        return _ec2(ctx).get_security_group_from_id(identifier)

    def list(self, ctx: Ctx) -> list[Any]:
        return [g for groups in _ec2(ctx).groups.values() for g in groups.values()]

    @staticmethod
    def _rule_props(rule: Any, egress: bool) -> dict[str, Any]:
        prefix = "Destination" if egress else "Source"
        out: dict[str, Any] = {"IpProtocol": rule.ip_protocol}
        if rule.from_port is not None:
            out["FromPort"] = int(rule.from_port)
        if rule.to_port is not None:
            out["ToPort"] = int(rule.to_port)
        if rule.ip_range.get("CidrIp"):
            out["CidrIp"] = rule.ip_range["CidrIp"]
        elif rule.ip_range.get("CidrIpv6"):
            out["CidrIpv6"] = rule.ip_range["CidrIpv6"]
        elif rule.prefix_list_id:
            out[f"{prefix}PrefixListId"] = rule.prefix_list_id
        elif rule.source_group:
            out[f"{prefix}SecurityGroupId"] = rule.source_group.get("GroupId")
            if not egress and rule.source_group.get("UserId"):
                out["SourceSecurityGroupOwnerId"] = rule.source_group["UserId"]
        description = rule.ip_range.get("Description") or (rule.source_group or {}).get(
            "Description"
        )
        _put(out, "Description", description)
        return out

    def read(self, ctx: Ctx, group: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Id": group.id,
            "GroupId": group.id,
            "GroupName": group.name,
            "GroupDescription": group.description,
        }
        _put(out, "VpcId", group.vpc_id)
        _put(out, "SecurityGroupIngress", [self._rule_props(r, False) for r in group.ingress_rules])
        _put(out, "SecurityGroupEgress", [self._rule_props(r, True) for r in group.egress_rules])
        _put(out, "Tags", _ec2_tags(_ec2(ctx), group.id))
        return out

    def prepare(self, props: dict[str, Any]) -> dict[str, Any]:
        # The rules are the emulator's (see the module doc), the rest moto's model.
        rules = ("SecurityGroupIngress", "SecurityGroupEgress")
        return {k: v for k, v in props.items() if k not in rules}

    def _sync_rules(self, ctx: Ctx, group: Any, wanted: list[dict[str, Any]], egress: bool) -> None:
        backend = _ec2(ctx)
        rules = group.egress_rules if egress else group.ingress_rules
        existing = {_rule_key(self._rule_props(r, egress), egress): r for r in rules}
        desired = {_rule_key(r, egress): r for r in wanted}
        keep_ids = set()
        for key, rule in existing.items():
            if key in desired:
                keep_ids.add(rule.id)
                description = desired[key].get("Description")
                target = rule.ip_range if rule.ip_range else rule.source_group
                if target is not None and (rule.ip_range or rule.source_group):
                    if description is None:
                        target.pop("Description", None)
                    else:
                        target["Description"] = description
        kept = [r for r in rules if r.id in keep_ids]
        if egress:
            group.egress_rules = kept
        else:
            group.ingress_rules = kept
        prefix = "Destination" if egress else "Source"
        authorize = (
            backend.authorize_security_group_egress
            if egress
            else backend.authorize_security_group_ingress
        )
        for key, rule in desired.items():
            if key in existing:
                continue
            description = {"Description": rule["Description"]} if "Description" in rule else {}
            ip_ranges: list[dict[str, Any]] = []
            groups: list[dict[str, Any]] = []
            prefix_lists: list[dict[str, Any]] = []
            if rule.get("CidrIp"):
                ip_ranges.append({"CidrIp": rule["CidrIp"], **description})
            elif rule.get("CidrIpv6"):
                ip_ranges.append({"CidrIpv6": rule["CidrIpv6"], **description})
            elif rule.get(f"{prefix}PrefixListId"):
                prefix_lists.append({"PrefixListId": rule[f"{prefix}PrefixListId"], **description})
            elif rule.get(f"{prefix}SecurityGroupId"):
                groups.append({"GroupId": rule[f"{prefix}SecurityGroupId"], **description})
            elif rule.get("SourceSecurityGroupName"):
                groups.append({"GroupName": rule["SourceSecurityGroupName"], **description})
            proto = str(rule.get("IpProtocol", "-1"))
            authorize(
                group_name_or_id=group.id,
                ip_protocol=proto,
                from_port=rule.get("FromPort", -1),
                to_port=rule.get("ToPort", -1),
                ip_ranges=ip_ranges,
                source_groups=groups,
                prefix_list_ids=prefix_lists,
                vpc_id=group.vpc_id,
            )

    def _egress(self, group: Any, props: dict[str, Any]) -> list[dict[str, Any]]:
        if "SecurityGroupEgress" in props:
            return list(props["SecurityGroupEgress"] or [])
        return copy.deepcopy(_DEFAULT_EGRESS) if group.vpc_id else []

    def after_create(self, ctx: Ctx, group: Any, props: dict[str, Any]) -> None:
        self._sync_rules(ctx, group, list(props.get("SecurityGroupIngress") or []), False)
        if "SecurityGroupEgress" in props:
            self._sync_rules(ctx, group, self._egress(group, props), True)

    def update(self, ctx: Ctx, group: Any, old: dict[str, Any], new: dict[str, Any]) -> Any:
        if _changed(old, new, "SecurityGroupIngress"):
            self._sync_rules(ctx, group, list(new.get("SecurityGroupIngress") or []), False)
        if _changed(old, new, "SecurityGroupEgress"):
            self._sync_rules(ctx, group, self._egress(group, new), True)
        if _changed(old, new, "Tags"):
            _ec2_set_tags(_ec2(ctx), group.id, new.get("Tags"))
        return group


# --- Logs, SQS, SNS, SSM --------------------------------------------------------------------


def _logs(ctx: Ctx) -> Any:
    from moto.logs.models import logs_backends

    return logs_backends[ctx.account][ctx.region]


class LogGroup(TypeSupport):
    type_name = "AWS::Logs::LogGroup"
    updatable = frozenset({"RetentionInDays", "KmsKeyId", "Tags"})

    def find(self, ctx: Ctx, identifier: str) -> Any:
        return _logs(ctx).groups.get(identifier)

    def list(self, ctx: Ctx) -> list[Any]:
        return list(_logs(ctx).groups.values())

    def read(self, ctx: Ctx, group: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"LogGroupName": group.name, "Arn": f"{group.arn}:*"}
        if group.retention_in_days is not None:
            out["RetentionInDays"] = int(group.retention_in_days)
        _put(out, "KmsKeyId", group.kms_key_id)
        _put(out, "LogGroupClass", getattr(group, "log_group_class", None) or "STANDARD")
        _put(out, "Tags", tags_list(_logs(ctx).list_tags_for_resource(group.arn)))
        return out

    def after_create(self, ctx: Ctx, group: Any, props: dict[str, Any]) -> None:
        if props.get("KmsKeyId"):
            group.kms_key_id = props["KmsKeyId"]

    def update(self, ctx: Ctx, group: Any, old: dict[str, Any], new: dict[str, Any]) -> Any:
        backend = _logs(ctx)
        if _changed(old, new, "RetentionInDays"):
            if new.get("RetentionInDays") is None:
                backend.delete_retention_policy(group.name)
            else:
                backend.put_retention_policy(group.name, int(new["RetentionInDays"]))
        if _changed(old, new, "KmsKeyId"):
            group.kms_key_id = new.get("KmsKeyId")
        if _changed(old, new, "Tags"):
            current = backend.list_tags_for_resource(group.arn)
            wanted = tags_dict(new.get("Tags"))
            backend.untag_resource(group.arn, [k for k in current if k not in wanted])
            if wanted:
                backend.tag_resource(group.arn, wanted)
        return group


def _sqs(ctx: Ctx) -> Any:
    from moto.sqs.models import sqs_backends

    return sqs_backends[ctx.account][ctx.region]


_QUEUE_ATTRIBUTES = (
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "DelaySeconds",
    "FifoThroughputLimit",
    "KmsDataKeyReusePeriodSeconds",
    "KmsMasterKeyId",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "RedriveAllowPolicy",
    "RedrivePolicy",
    "SqsManagedSseEnabled",
    "VisibilityTimeout",
)
#: What a queue attribute goes back to when an update removes it (moto's defaults, AWS's).
_QUEUE_DEFAULTS = {
    "DelaySeconds": 0,
    "MaximumMessageSize": 1048576,
    "MessageRetentionPeriod": 345600,
    "ReceiveMessageWaitTimeSeconds": 0,
    "VisibilityTimeout": 30,
}


class Queue(TypeSupport):
    type_name = "AWS::SQS::Queue"
    updatable = frozenset(set(_QUEUE_ATTRIBUTES) | {"Tags"})

    def find(self, ctx: Ctx, identifier: str) -> Any:
        # The identifier is the queue URL; any host (AWS's or the emulator's) names the queue.
        return _sqs(ctx).queues.get(identifier.rstrip("/").split("/")[-1])

    def list(self, ctx: Ctx) -> list[Any]:
        return list(_sqs(ctx).queues.values())

    def read(self, ctx: Ctx, queue: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "QueueUrl": queue.physical_resource_id,
            "Arn": queue.queue_arn,
            "QueueName": queue.name,
            "DelaySeconds": int(queue.delay_seconds),
            "MaximumMessageSize": int(queue.maximum_message_size),
            "MessageRetentionPeriod": int(queue.message_retention_period),
            "ReceiveMessageWaitTimeSeconds": int(queue.receive_message_wait_time_seconds),
            "VisibilityTimeout": int(queue.visibility_timeout),
            "SqsManagedSseEnabled": str(queue.sqs_managed_sse_enabled).lower() == "true",
        }
        if queue.fifo_queue:
            out["FifoQueue"] = True
            out["ContentBasedDeduplication"] = bool(queue.content_based_deduplication)
            out["DeduplicationScope"] = queue.deduplication_scope
            out["FifoThroughputLimit"] = queue.fifo_throughput_limit
        if queue.kms_master_key_id:
            out["KmsMasterKeyId"] = queue.kms_master_key_id
            out["KmsDataKeyReusePeriodSeconds"] = int(queue.kms_data_key_reuse_period_seconds)
        if queue.redrive_policy:
            out["RedrivePolicy"] = dict(queue.redrive_policy)
        redrive_allow = getattr(queue, "redrive_allow_policy", None)
        if redrive_allow:
            out["RedriveAllowPolicy"] = (
                json.loads(redrive_allow) if isinstance(redrive_allow, str) else redrive_allow
            )
        _put(out, "Tags", tags_list(dict(queue.tags)))
        return out

    def update(self, ctx: Ctx, queue: Any, old: dict[str, Any], new: dict[str, Any]) -> Any:
        attributes: dict[str, Any] = {}
        for name in _QUEUE_ATTRIBUTES:
            if _changed(old, new, name):
                value = new.get(name, _QUEUE_DEFAULTS.get(name))
                if name in ("RedrivePolicy", "RedriveAllowPolicy"):
                    value = json.dumps(value) if isinstance(value, dict) else (value or "")
                elif isinstance(value, bool):
                    value = str(value).lower()
                attributes[name] = "" if value is None else value
        if attributes:
            _sqs(ctx).set_queue_attributes(queue.name, attributes)
        if _changed(old, new, "Tags"):
            queue.tags = tags_dict(new.get("Tags"))
        return queue


def _sns(ctx: Ctx) -> Any:
    from moto.sns.models import sns_backends

    return sns_backends[ctx.account][ctx.region]


class Topic(TypeSupport):
    type_name = "AWS::SNS::Topic"
    updatable = frozenset({"DisplayName", "KmsMasterKeyId", "ContentBasedDeduplication", "Tags"})

    def find(self, ctx: Ctx, identifier: str) -> Any:
        return _sns(ctx).topics.get(identifier)

    def list(self, ctx: Ctx) -> list[Any]:
        return list(_sns(ctx).topics.values())

    def read(self, ctx: Ctx, topic: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"TopicArn": topic.arn, "TopicName": topic.name}
        _put(out, "DisplayName", topic.display_name or None)
        _put(out, "KmsMasterKeyId", topic.kms_master_key_id or None)
        if str(topic.fifo_topic).lower() == "true":
            out["FifoTopic"] = True
            deduplication = str(topic.content_based_deduplication).lower() == "true"
            out["ContentBasedDeduplication"] = deduplication
        subscriptions = [
            {"Endpoint": s.endpoint, "Protocol": s.protocol}
            for s in _sns(ctx).subscriptions.values()
            if s.topic is topic
        ]
        _put(out, "Subscription", subscriptions)
        _put(out, "Tags", tags_list(dict(getattr(topic, "_tags", {}) or {})))
        return out

    def after_create(self, ctx: Ctx, topic: Any, props: dict[str, Any]) -> None:
        topic._tags = tags_dict(props.get("Tags"))

    def update(self, ctx: Ctx, topic: Any, old: dict[str, Any], new: dict[str, Any]) -> Any:
        for prop, attr in (
            ("DisplayName", "display_name"),
            ("KmsMasterKeyId", "kms_master_key_id"),
            ("ContentBasedDeduplication", "content_based_deduplication"),
        ):
            if _changed(old, new, prop):
                default = False if prop == "ContentBasedDeduplication" else ""
                setattr(topic, attr, new.get(prop, default))
        if _changed(old, new, "Tags"):
            topic._tags = tags_dict(new.get("Tags"))
        return topic


def _ssm(ctx: Ctx) -> Any:
    from moto.ssm.models import ssm_backends

    return ssm_backends[ctx.account][ctx.region]


class Parameter(TypeSupport):
    type_name = "AWS::SSM::Parameter"

    def find(self, ctx: Ctx, identifier: str) -> Any:
        return _ssm(ctx).get_parameter(identifier)

    def list(self, ctx: Ctx) -> list[Any]:
        backend = _ssm(ctx)
        return [p for p in (backend.get_parameter(n) for n in list(backend._parameters)) if p]

    def read(self, ctx: Ctx, parameter: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Name": parameter.name,
            "Type": parameter.parameter_type,
            "Value": parameter.value,
            "DataType": parameter.data_type,
        }
        tags = _ssm(ctx).list_tags_for_resource("Parameter", parameter.name)
        _put(out, "Tags", dict(tags))
        return out

    def prepare(self, props: dict[str, Any]) -> dict[str, Any]:
        props = dict(props)
        if isinstance(props.get("Tags"), dict):
            props["Tags"] = tags_list(props["Tags"])
        return props


# --- S3, DynamoDB, Events -------------------------------------------------------------------


def _s3(ctx: Ctx) -> Any:
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    return s3_backends[ctx.account][get_partition(ctx.region)]


class Bucket(TypeSupport):
    type_name = "AWS::S3::Bucket"

    def find(self, ctx: Ctx, identifier: str) -> Any:
        return _s3(ctx).buckets.get(identifier)

    def list(self, ctx: Ctx) -> list[Any]:
        return list(_s3(ctx).buckets.values())

    def read(self, ctx: Ctx, bucket: Any) -> dict[str, Any]:
        backend = _s3(ctx)
        out: dict[str, Any] = {
            "BucketName": bucket.name,
            "Arn": bucket.arn,
            "DomainName": bucket.domain_name,
            "DualStackDomainName": bucket.dual_stack_domain_name,
            "RegionalDomainName": bucket.regional_domain_name,
            "WebsiteURL": bucket.website_url,
        }
        if bucket.versioning_status:
            out["VersioningConfiguration"] = {"Status": bucket.versioning_status}
        if bucket.encryption:
            rules = bucket.encryption.get("Rule", [])
            rules = rules if isinstance(rules, list) else [rules]
            configuration = []
            for rule in rules:
                entry: dict[str, Any] = {}
                default = rule.get("ApplyServerSideEncryptionByDefault")
                if default:
                    entry["ServerSideEncryptionByDefault"] = {
                        k: v for k, v in default.items() if not k.startswith("@")
                    }
                if rule.get("BucketKeyEnabled") is not None:
                    entry["BucketKeyEnabled"] = str(rule["BucketKeyEnabled"]).lower() == "true"
                configuration.append(entry)
            out["BucketEncryption"] = {"ServerSideEncryptionConfiguration": configuration}
        tags = backend.tagger.list_tags_for_resource(bucket.arn).get("Tags", [])
        _put(out, "Tags", tags)
        return out

    def _versioning(self, ctx: Ctx, bucket: Any, props: dict[str, Any]) -> None:
        status = (props.get("VersioningConfiguration") or {}).get("Status")
        if status:
            _s3(ctx).put_bucket_versioning(bucket.name, status)
        elif bucket.versioning_status:
            _s3(ctx).put_bucket_versioning(bucket.name, "Suspended")

    def after_create(self, ctx: Ctx, bucket: Any, props: dict[str, Any]) -> None:
        self._versioning(ctx, bucket, props)

    def after_update(self, ctx: Ctx, bucket: Any, old: dict[str, Any], new: dict[str, Any]) -> None:
        if _changed(old, new, "VersioningConfiguration"):
            self._versioning(ctx, bucket, new)
        if "Tags" in old and "Tags" not in new:
            _s3(ctx).tagger.delete_all_tags_for_resource(bucket.arn)


def _dynamodb(ctx: Ctx) -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[ctx.account][ctx.region]


class Table(TypeSupport):
    type_name = "AWS::DynamoDB::Table"
    updatable = frozenset(
        {"BillingMode", "ProvisionedThroughput", "DeletionProtectionEnabled", "Tags"}
    )

    def find(self, ctx: Ctx, identifier: str) -> Any:
        return _dynamodb(ctx).tables.get(identifier)

    def list(self, ctx: Ctx) -> list[Any]:
        return list(_dynamodb(ctx).tables.values())

    def read(self, ctx: Ctx, table: Any) -> dict[str, Any]:
        described = table.describe(base_key="Table")["Table"]
        billing = (described.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
        out: dict[str, Any] = {
            "TableName": table.name,
            "Arn": table.table_arn,
            "AttributeDefinitions": described.get("AttributeDefinitions", []),
            "KeySchema": described.get("KeySchema", []),
            "BillingMode": billing,
            "DeletionProtectionEnabled": bool(described.get("DeletionProtectionEnabled")),
        }
        if billing == "PROVISIONED":
            throughput = described.get("ProvisionedThroughput", {})
            out["ProvisionedThroughput"] = {
                "ReadCapacityUnits": throughput.get("ReadCapacityUnits", 0),
                "WriteCapacityUnits": throughput.get("WriteCapacityUnits", 0),
            }
        indexes = []
        for index in described.get("GlobalSecondaryIndexes", []) or []:
            entry = {k: index[k] for k in ("IndexName", "KeySchema", "Projection") if k in index}
            if billing == "PROVISIONED" and "ProvisionedThroughput" in index:
                entry["ProvisionedThroughput"] = {
                    k: index["ProvisionedThroughput"][k]
                    for k in ("ReadCapacityUnits", "WriteCapacityUnits")
                }
            indexes.append(entry)
        _put(out, "GlobalSecondaryIndexes", indexes)
        _put(
            out,
            "LocalSecondaryIndexes",
            [
                {k: i[k] for k in ("IndexName", "KeySchema", "Projection") if k in i}
                for i in described.get("LocalSecondaryIndexes", []) or []
            ],
        )
        stream = described.get("StreamSpecification") or {}
        if stream.get("StreamEnabled"):
            out["StreamSpecification"] = {"StreamViewType": stream.get("StreamViewType")}
            _put(out, "StreamArn", described.get("LatestStreamArn"))
        sse = table.sse_specification
        if sse:
            enabled = sse.get("Enabled", sse.get("SSEEnabled", False))
            out["SSESpecification"] = {"SSEEnabled": str(enabled).lower() == "true"}
        _put(out, "Tags", list(table.tags))
        return out

    def update(self, ctx: Ctx, table: Any, old: dict[str, Any], new: dict[str, Any]) -> Any:
        if _changed(old, new, "BillingMode") or _changed(old, new, "ProvisionedThroughput"):
            billing = new.get("BillingMode", "PROVISIONED")
            table.billing_mode = billing
            throughput = new.get("ProvisionedThroughput") or {}
            table.throughput = {
                "ReadCapacityUnits": int(throughput.get("ReadCapacityUnits", 0)),
                "WriteCapacityUnits": int(throughput.get("WriteCapacityUnits", 0)),
                "NumberOfDecreasesToday": 0,
            }
        if _changed(old, new, "DeletionProtectionEnabled"):
            table.deletion_protection_enabled = bool(new.get("DeletionProtectionEnabled", False))
        if _changed(old, new, "Tags"):
            table.tags = tags_list(tags_dict(new.get("Tags")))
        return table


def _events(ctx: Ctx) -> Any:
    from moto.events.models import events_backends

    return events_backends[ctx.account][ctx.region]


class Rule(TypeSupport):
    type_name = "AWS::Events::Rule"

    @staticmethod
    def _split(arn: str) -> tuple[str, str]:
        """(event bus name, rule name) of a rule ARN: rule/NAME or rule/BUS/NAME."""
        path = arn.split(":rule/", 1)[-1]
        bus, _, name = path.rpartition("/")
        return bus or "default", name

    def find(self, ctx: Ctx, identifier: str) -> Any:
        bus_name, name = self._split(identifier)
        bus = _events(ctx).event_buses.get(bus_name)
        return bus.rules.get(name) if bus else None

    def list(self, ctx: Ctx) -> list[Any]:
        return [r for bus in _events(ctx).event_buses.values() for r in bus.rules.values()]

    def identifier(self, rule: Any) -> str:
        return rule.arn

    def read(self, ctx: Ctx, rule: Any) -> dict[str, Any]:
        described = rule.describe()
        out: dict[str, Any] = {
            "Arn": rule.arn,
            "Name": rule.name,
            "EventBusName": rule.event_bus_name,
            "State": rule.state,
        }
        _put(out, "Description", described.get("Description"))
        _put(out, "ScheduleExpression", described.get("ScheduleExpression"))
        _put(out, "RoleArn", described.get("RoleArn"))
        pattern = described.get("EventPattern")
        if pattern:
            out["EventPattern"] = json.loads(pattern) if isinstance(pattern, str) else pattern
        _put(out, "Targets", [dict(t) for t in rule.targets])
        tags = _events(ctx).tagger.list_tags_for_resource(rule.arn).get("Tags", [])
        _put(out, "Tags", tags)
        return out


# --- types without a reader -----------------------------------------------------------------


def _delete_iot_policy_versions(ctx: Ctx, policy: Any) -> None:
    from moto.iot.models import iot_backends

    backend = iot_backends[ctx.account][ctx.region]
    for version in list(policy.versions):
        if version.version_id != policy.default_version_id:
            backend.delete_policy_version(policy.name, version.version_id)


#: What is done before moto's model deletes a resource of these types.
BEFORE_DELETE = {
    # AWS's handler deletes a policy's other versions (an update makes one); moto's model
    # refuses to delete a policy with more than one version.
    "AWS::IoT::Policy": _delete_iot_policy_versions,
}


SUPPORTS: dict[str, TypeSupport] = {
    s.type_name: s
    for s in (
        Vpc(),
        Subnet(),
        SecurityGroup(),
        LogGroup(),
        Queue(),
        Topic(),
        Parameter(),
        Bucket(),
        Table(),
        Rule(),
    )
}
