"""Resource provider schemas for the Cloud Control endpoint, read from the pinned cfn-lint.

cfn-lint (pinned in requirements-emulator.txt, the same release `scripts/vendor-schemas` takes
the registry's schemas from) ships AWS's provider schema of every type for every region:
`cfnlint/data/schemas/providers/<region>.json` maps a type name to a file under
`cfnlint/data/schemas/resources/`. The emulator reads them, without importing cfn-lint, for:
which types exist (`TypeNotFoundException` otherwise), which handlers a type has
(`UnsupportedActionException`), the primary identifier, and the required, read-only,
write-only and create-only properties. Each file is read once, on first use.
"""

import importlib.util
import json
import os
import threading
from typing import Any

_lock = threading.Lock()
_indexes: dict[str, dict[str, str]] = {}
_schemas: dict[tuple[str, str], "Schema | None"] = {}
_data_dir: str | None = None

FALLBACK_REGION = "us-east-1"


class Schema:
    """The facts of one type's provider schema the endpoint needs."""

    def __init__(self, raw: dict[str, Any]):
        self.type_name: str = raw["typeName"]
        self.properties: dict[str, Any] = raw.get("properties", {})
        self.required: list[str] = list(raw.get("required", []))
        self.primary: list[str] = [_top(p) for p in raw.get("primaryIdentifier", [])]
        self.read_only: list[str] = list(raw.get("readOnlyProperties", []))
        self.write_only: list[str] = list(raw.get("writeOnlyProperties", []))
        self.create_only: list[str] = list(raw.get("createOnlyProperties", []))
        self.handlers: set[str] = set(raw.get("handlers", {}))
        self.additional_properties: bool = raw.get("additionalProperties", True) is not False

    @property
    def read_only_top(self) -> set[str]:
        """Read-only properties that are whole top-level properties."""
        return {_top(p) for p in self.read_only if p.count("/") == 2}

    def strip_write_only(self, props: dict[str, Any]) -> dict[str, Any]:
        """A copy of `props` without the write-only properties (Cloud Control never returns
        them)."""
        props = json.loads(json.dumps(props))
        for path in self.write_only:
            _remove_path(props, _parts(path))
        return props

    def without_read_only(self, props: dict[str, Any]) -> dict[str, Any]:
        """A copy of `props` without the top-level read-only properties."""
        read_only = self.read_only_top
        return {k: v for k, v in props.items() if k not in read_only}

    def only_known(self, props: dict[str, Any]) -> dict[str, Any]:
        """`props` limited to the properties the schema defines."""
        return {k: v for k, v in props.items() if k in self.properties}


def _top(path: str) -> str:
    return _parts(path)[0]


def _parts(path: str) -> list[str]:
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "" or parts[1] != "properties":
        raise ValueError(f"not a property path: {path}")
    return parts[2:]


def _remove_path(node: Any, parts: list[str]) -> None:
    if not parts:
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        children = node if isinstance(node, list) else list(node.values()) if isinstance(
            node, dict
        ) else []
        for child in children:
            _remove_path(child, rest)
        return
    if not isinstance(node, dict) or head not in node:
        return
    if rest:
        _remove_path(node[head], rest)
    else:
        del node[head]


def value_at(props: dict[str, Any], path: str) -> Any:
    """The value at a property path; a `*` step compares the whole collection it is in."""
    node: Any = props
    for part in _parts(path):
        if part == "*":
            return node
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _data() -> str:
    global _data_dir
    if _data_dir is None:
        spec = importlib.util.find_spec("cfnlint")  # finds the package without importing it
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("cfn-lint is not installed (requirements-emulator.txt pins it)")
        _data_dir = os.path.join(list(spec.submodule_search_locations)[0], "data", "schemas")
    return _data_dir


def _index(region: str) -> dict[str, str]:
    if region not in _indexes:
        path = os.path.join(_data(), "providers", f"{region}.json")
        if not os.path.isfile(path):
            path = os.path.join(_data(), "providers", f"{FALLBACK_REGION}.json")
        with open(path, encoding="utf-8") as f:
            _indexes[region] = json.load(f)
    return _indexes[region]


def schema(type_name: str, region: str) -> Schema | None:
    """The schema of `type_name` in `region`, or None when AWS has no such type there."""
    key = (region, type_name)
    with _lock:
        if key not in _schemas:
            digest = _index(region).get(type_name)
            found = None
            if digest is not None:
                path = os.path.join(_data(), "resources", f"{digest}.json")
                with open(path, encoding="utf-8") as f:
                    found = Schema(json.load(f))
            _schemas[key] = found
        return _schemas[key]
