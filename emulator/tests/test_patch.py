"""The RFC 6902 applier of the Cloud Control endpoint (no server needed)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from cloudcontrol import patch  # noqa: E402


class PatchTest(unittest.TestCase):
    doc = {"a": 1, "tags": [{"Key": "k", "Value": "v"}], "n": {"x/y": 2, "t~": 3}}

    def test_operations(self) -> None:
        out = patch.apply(
            self.doc,
            [
                {"op": "add", "path": "/b", "value": [1]},
                {"op": "add", "path": "/tags/-", "value": {"Key": "k2", "Value": "v2"}},
                {"op": "add", "path": "/tags/0", "value": {"Key": "k0", "Value": "v0"}},
                {"op": "replace", "path": "/a", "value": 5},
                {"op": "remove", "path": "/n/x~1y"},
                {"op": "test", "path": "/n/t~0", "value": 3},
                {"op": "copy", "from": "/a", "path": "/c"},
                {"op": "move", "from": "/b", "path": "/d"},
            ],
        )
        self.assertEqual(
            out,
            {
                "a": 5,
                "c": 5,
                "d": [1],
                "tags": [
                    {"Key": "k0", "Value": "v0"},
                    {"Key": "k", "Value": "v"},
                    {"Key": "k2", "Value": "v2"},
                ],
                "n": {"t~": 3},
            },
        )
        self.assertEqual(self.doc["a"], 1)  # the input is left alone

    def test_conflicts(self) -> None:
        for operations in (
            [{"op": "remove", "path": "/missing"}],
            [{"op": "replace", "path": "/missing", "value": 1}],
            [{"op": "test", "path": "/a", "value": 2}],
            [{"op": "add", "path": "/tags/5", "value": 1}],
            [{"op": "add", "path": "/missing/x", "value": 1}],
            [{"op": "move", "from": "/n", "path": "/n/inside"}],
        ):
            with self.subTest(operations=operations), self.assertRaises(patch.PatchConflict):
                patch.apply(self.doc, operations)

    def test_syntax_errors(self) -> None:
        for operations in (
            {"op": "add"},
            [{"op": "frobnicate", "path": "/a"}],
            [{"op": "add", "path": "a", "value": 1}],
            [{"op": "add", "path": "/a"}],
            [{"op": "move", "path": "/a"}],
        ):
            with self.subTest(operations=operations), self.assertRaises(patch.PatchSyntaxError):
                patch.apply(self.doc, operations)


if __name__ == "__main__":
    unittest.main()
