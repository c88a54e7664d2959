"""Resource provider schemas for the Cloud Control endpoint, read from the pinned cfn-lint.

cfn-lint (pinned in requirements-emulator.txt, the same release `scripts/vendor-schemas` takes
the registry's schemas from) ships AWS's provider schema of every type for every region:
`cfnlint/data/schemas/providers/<region>.json` maps a type name to a file under
`cfnlint/data/schemas/resources/`. The emulator reads them, without importing cfn-lint, for:
which types exist (`TypeNotFoundException` otherwise), which handlers a type has
(`UnsupportedActionException`), the primary identifier, the required, read-only, write-only
and create-only properties, and the JSON types of the properties (`type_errors`). Each file is
read once, on first use.
"""

import importlib.util
import json
import os
import re
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
        self.definitions: dict[str, Any] = raw.get("definitions", {})

    def type_errors(self, props: dict[str, Any], only: set[str] | None = None) -> list[str]:
        """Where `props` (or, with `only`, those of its top-level properties) has a value of
        another JSON type than the schema says, as AWS's model validation words it:
        `#/RetentionPeriodHours: expected type: Integer, found: String`.

        Cloud Control validates a desired state against the schema with its JSON types as they
        are: unlike CloudFormation, which converts a template's `"24"` to the schema's integer
        before it calls the handler, it refuses a string where the schema has an integer or a
        boolean. Checked: `type` (a name or a list of names) at every level reached through
        `properties`, `patternProperties`, `items` and `$ref`; `oneOf`, `anyOf` and `allOf` are
        not followed.
        """
        errors: list[str] = []
        for key, value in props.items():
            if key in self.properties and (only is None or key in only):
                self._check(self.properties[key], value, f"#/{key}", errors, 0)
        return errors

    def _resolve(self, node: Any) -> Any:
        for _ in range(20):
            if not isinstance(node, dict) or "$ref" not in node:
                return node
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
                return {}
            node = self.definitions.get(ref[len("#/definitions/") :], {})
        return {}

    def _check(self, node: Any, value: Any, where: str, errors: list[str], depth: int) -> None:
        node = self._resolve(node)
        if not isinstance(node, dict) or depth > 40:
            return
        expected = node.get("type")
        if expected is not None:
            names = expected if isinstance(expected, list) else [expected]
            if not any(_is_type(value, name) for name in names):
                wanted = ", ".join(_JAVA_TYPES.get(n, str(n)) for n in names)
                errors.append(f"{where}: expected type: {wanted}, found: {_found(value)}")
                return
        if isinstance(value, dict):
            properties = node.get("properties") or {}
            patterns = node.get("patternProperties") or {}
            for key, child in value.items():
                if key in properties:
                    self._check(properties[key], child, f"{where}/{key}", errors, depth + 1)
                    continue
                for pattern, sub in patterns.items():
                    try:
                        if re.search(pattern, key):
                            self._check(sub, child, f"{where}/{key}", errors, depth + 1)
                            break
                    except re.error:
                        continue
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for i, child in enumerate(value):
                self._check(node["items"], child, f"{where}/{i}", errors, depth + 1)

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


#: JSON schema types as AWS's validator (everit, Java) names them in its messages.
_JAVA_TYPES = {
    "string": "String",
    "integer": "Integer",
    "number": "Number",
    "boolean": "Boolean",
    "array": "JSONArray",
    "object": "JSONObject",
    "null": "Null",
}


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    if name == "null":
        return value is None
    return True  # a type the schema language does not have: nothing to check


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "BigDecimal"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "JSONArray"
    if isinstance(value, dict):
        return "JSONObject"
    return "Null"


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
