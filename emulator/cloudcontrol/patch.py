"""A small RFC 6902 (JSON Patch) applier for Cloud Control's `UpdateResource`.

Operations: `add`, `remove`, `replace`, `test`, `move`, `copy`, with RFC 6901 JSON Pointers
(`~1` for `/`, `~0` for `~`; `-` appends to an array). `apply()` works on a deep copy and
returns it; the document given is left alone.

Errors: `PatchSyntaxError` when the patch itself is malformed (not a list of operations, an
unknown `op`, a missing member), `PatchConflict` when it cannot be applied to this document (a
path that does not exist, a failed `test`). Cloud Control answers the first synchronously and
the second as a FAILED request (see the package doc).
"""

import copy
from typing import Any

OPERATIONS = ("add", "remove", "replace", "test", "move", "copy")


class PatchSyntaxError(ValueError):
    """The patch document is not a well-formed RFC 6902 patch."""


class PatchConflict(ValueError):
    """The patch cannot be applied to the document."""


def validate(patch: Any) -> list[dict[str, Any]]:
    """Checks the shape of a patch (a list of operations) and returns it."""
    if not isinstance(patch, list):
        raise PatchSyntaxError("a patch document is a JSON array of operations")
    for index, operation in enumerate(patch):
        where = f"operation {index}"
        if not isinstance(operation, dict):
            raise PatchSyntaxError(f"{where} is not a JSON object")
        op = operation.get("op")
        if op not in OPERATIONS:
            raise PatchSyntaxError(f"{where}: unknown op {op!r}")
        if not isinstance(operation.get("path"), str):
            raise PatchSyntaxError(f"{where}: missing path")
        parse_pointer(operation["path"])
        if op in ("add", "replace", "test") and "value" not in operation:
            raise PatchSyntaxError(f"{where}: {op} needs a value")
        if op in ("move", "copy"):
            if not isinstance(operation.get("from"), str):
                raise PatchSyntaxError(f"{where}: {op} needs from")
            parse_pointer(operation["from"])
    return patch


def parse_pointer(pointer: str) -> list[str]:
    """RFC 6901: "" is the whole document, "/a/b" the member b of a."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchSyntaxError(f"JSON pointer {pointer!r} does not start with /")
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def apply(document: Any, patch: Any) -> Any:
    """Applies `patch` to a copy of `document` and returns the copy."""
    result = copy.deepcopy(document)
    for operation in validate(patch):
        result = _apply_one(result, operation)
    return result


def _apply_one(doc: Any, operation: dict[str, Any]) -> Any:
    op = operation["op"]
    path = parse_pointer(operation["path"])
    if op == "add":
        return _add(doc, path, copy.deepcopy(operation["value"]))
    if op == "remove":
        return _remove(doc, path)[0]
    if op == "replace":
        value = copy.deepcopy(operation["value"])
        if not path:
            return value
        _get(doc, path)  # the target must exist
        parent = _get(doc, path[:-1])
        if isinstance(parent, list):
            parent[_index(parent, path[-1], allow_end=False)] = value
        else:
            parent[path[-1]] = value
        return doc
    if op == "test":
        if _get(doc, path) != operation["value"]:
            raise PatchConflict(f"test failed at {operation['path']}")
        return doc
    source = parse_pointer(operation["from"])
    if op == "move":
        if path[: len(source)] == source and len(path) > len(source):
            raise PatchConflict(f"cannot move {operation['from']} into itself")
        doc, value = _remove(doc, source)
        return _add(doc, path, value)
    # copy
    return _add(doc, path, copy.deepcopy(_get(doc, source)))


def _get(doc: Any, path: list[str]) -> Any:
    for part in path:
        if isinstance(doc, dict):
            if part not in doc:
                raise PatchConflict(f"no member {part!r}")
            doc = doc[part]
        elif isinstance(doc, list):
            doc = doc[_index(doc, part, allow_end=False)]
        else:
            raise PatchConflict(f"cannot look up {part!r} in a {type(doc).__name__}")
    return doc


def _index(array: list[Any], part: str, allow_end: bool) -> int:
    if part == "-" and allow_end:
        return len(array)
    if not part.isdigit() or (part != "0" and part.startswith("0")):
        raise PatchConflict(f"{part!r} is not an array index")
    index = int(part)
    limit = len(array) if allow_end else len(array) - 1
    if index > limit:
        raise PatchConflict(f"array index {index} is out of range")
    return index


def _add(doc: Any, path: list[str], value: Any) -> Any:
    if not path:
        return value
    parent = _get(doc, path[:-1])
    last = path[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, allow_end=True), value)
    else:
        raise PatchConflict(f"cannot add {last!r} to a {type(parent).__name__}")
    return doc


def _remove(doc: Any, path: list[str]) -> tuple[Any, Any]:
    if not path:
        raise PatchConflict("cannot remove the whole document")
    parent = _get(doc, path[:-1])
    last = path[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchConflict(f"no member {last!r} to remove")
        return doc, parent.pop(last)
    if isinstance(parent, list):
        return doc, parent.pop(_index(parent, last, allow_end=False))
    raise PatchConflict(f"cannot remove {last!r} from a {type(parent).__name__}")
