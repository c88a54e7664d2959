"""Fidelity fixes of the DNS group (Amazon Route 53), in the form of `emulator/fidelity.py`.

1. `CreateHostedZone` with a `CallerReference` already used fails with
   `HostedZoneAlreadyExists`: "Amazon Route 53 returns this error when a hosted zone has
   already been created with the specified CallerReference"
   (https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html#API_CreateHostedZone_Errors).
   moto made a second zone, so a create sent again was not idempotent.

2. Names of hosted zones and records are stored in lower case: "Amazon Route 53 stores
   alphabetic characters as lowercase letters (a-z), regardless of how you specify them"
   (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html). moto kept
   them as sent.

3. `ChangeResourceRecordSets` validates the whole batch before it changes anything ("Route 53
   validates the changes in the request and then either makes all or none of the changes in
   the change batch request"): a `CREATE` of a record set that exists (same name, type and set
   identifier) fails with `InvalidChangeBatch` "[Tried to create resource record set
   [name='...', type='...'] but it already exists]", a `DELETE` of one that does not exist with
   "[Tried to delete resource record set [name='...', type='...'] but it was not found]"
   (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html,
   and `Change.Action` at
   https://docs.aws.amazon.com/Route53/latest/APIReference/API_Change.html). moto refused a
   `CREATE` only when the very same change was sent before, and so added a second record set
   of the same name and type; it ignored a `DELETE` of nothing. A `DELETE` removes the one
   record set of its name, type and set identifier; moto removed every record set of the zone
   with that set identifier, whatever its name.

4. `UpdateHostedZoneFeatures` turns accelerated recovery on or off, and `GetHostedZone` reports
   it in `HostedZone.Features.AcceleratedRecoveryStatus`
   (https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHostedZoneFeatures.html,
   https://docs.aws.amazon.com/Route53/latest/APIReference/API_HostedZoneFeatures.html). moto
   did not implement the call. The change is reported done at once (`ENABLED` / `DISABLED`);
   AWS passes through `ENABLING` / `DISABLING` first.
"""

from collections.abc import Callable
from typing import Any


def _key(record_set: dict[str, Any]) -> tuple[str, str, str]:
    """A record set's name (lower case, without the final dot), type and set identifier."""
    name = str(record_set.get("Name", "")).lower().rstrip(".")
    return name, str(record_set.get("Type")), str(record_set.get("SetIdentifier") or "")


def _held(record_set: Any) -> tuple[str, str, str]:
    """`_key` of a record set moto holds."""
    name = str(record_set.name).lower().rstrip(".")
    return name, str(record_set.type), str(record_set.set_identifier or "")


def _patch_route53_models() -> None:
    from moto.route53.exceptions import Route53ClientError
    from moto.route53.models import Route53Backend

    class HostedZoneAlreadyExists(Route53ClientError):
        def __init__(self, name: str, reference: str) -> None:
            super().__init__(
                "HostedZoneAlreadyExists",
                f"A hosted zone has already been created with the specified caller reference "
                f"{reference} (its name is {name}).",
            )

    class InvalidChangeBatch(Route53ClientError):
        def __init__(self, record_set: dict[str, Any], what: tuple[str, str]) -> None:
            name, kind, _ = _key(record_set)
            super().__init__(
                "InvalidChangeBatch",
                f"[Tried to {what[0]} resource record set [name='{name}.', type='{kind}'] "
                f"but it {what[1]}]",
            )

    create_zone = Route53Backend.create_hosted_zone
    change = Route53Backend.change_resource_record_sets
    list_sets = Route53Backend.list_resource_record_sets
    by_name = Route53Backend.list_hosted_zones_by_name

    def create_hosted_zone(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        reference = kwargs.get("caller_reference")
        for zone in self.zones.values():
            if reference and zone.caller_reference == reference:
                raise HostedZoneAlreadyExists(zone.name, reference)  # fix 1
        return create_zone(self, name.lower(), *args, **kwargs)  # fix 2

    def change_resource_record_sets(self: Any, zoneid: str, change_list: list[Any]) -> None:
        zone = self.get_hosted_zone(zoneid)
        present = {_held(r) for r in zone.rrsets}
        for value in change_list:
            record_set = value["ResourceRecordSet"]
            record_set["Name"] = str(record_set.get("Name", "")).lower()  # fix 2
            key = _key(record_set)
            if value["Action"] == "CREATE":
                if key in present:
                    raise InvalidChangeBatch(record_set, ("create", "already exists"))
                present.add(key)
            elif value["Action"] == "DELETE":
                if key not in present:
                    raise InvalidChangeBatch(record_set, ("delete", "was not found"))
                present.discard(key)
            else:
                present.add(key)
        # moto deletes every record set of the zone with a DELETE's set identifier: keep
        # those of another name or type.
        deleted = {_key(v["ResourceRecordSet"]) for v in change_list if v["Action"] == "DELETE"}
        ids = {key[2] for key in deleted if key[2]}
        kept = [r for r in zone.rrsets if r.set_identifier in ids and _held(r) not in deleted]
        change(self, zoneid, change_list)
        zone.rrsets.extend(r for r in kept if r not in zone.rrsets)

    def list_resource_record_sets(
        self: Any, zone_id: str, start_type: Any, start_name: Any, max_items: int
    ) -> Any:
        start_name = start_name.lower() if start_name else start_name
        return list_sets(self, zone_id, start_type, start_name, max_items)

    def list_hosted_zones_by_name(self: Any, dnsname: Any) -> Any:
        return by_name(self, dnsname.lower() if dnsname else dnsname)

    Route53Backend.create_hosted_zone = create_hosted_zone
    Route53Backend.change_resource_record_sets = change_resource_record_sets
    Route53Backend.list_resource_record_sets = list_resource_record_sets
    Route53Backend.list_hosted_zones_by_name = list_hosted_zones_by_name


def _patch_route53_features() -> None:
    from moto.core.responses import ActionResult
    from moto.route53.responses import Route53

    def update_hosted_zone_features(self: Any) -> Any:
        zone = self.backend.get_hosted_zone(self._get_param("HostedZoneId"))
        enable = self._get_bool_param("EnableAcceleratedRecovery", False)
        zone.features = {"AcceleratedRecoveryStatus": "ENABLED" if enable else "DISABLED"}
        return ActionResult({})

    Route53.update_hosted_zone_features = update_hosted_zone_features


def _patch_route53_urls() -> None:
    from moto.route53 import urls

    path = r"{0}/(?P<api_version>[\d_-]+)/hostedzone/(?P<zone_id>[^/]+)/features$"
    urls.url_paths[path] = urls.Route53.dispatch


#: (moto module, fix) pairs.
FIXES: list[tuple[str, Callable[[], None]]] = [
    ("moto.route53.models", _patch_route53_models),
    ("moto.route53.responses", _patch_route53_features),
    ("moto.route53.urls", _patch_route53_urls),
]
