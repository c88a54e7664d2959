"""Unit tests of scripts/generate-mappings: how properties pair with SDK fields, how the SDK's
sources are read, how schema references are followed, and how a large file is split.
`scripts/test` runs them."""

import importlib.machinery
import importlib.util
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "generate-mappings"
loader = importlib.machinery.SourceFileLoader("generate_mappings", str(SCRIPT))
spec = importlib.util.spec_from_loader("generate_mappings", loader)
gen = importlib.util.module_from_spec(spec)
loader.exec_module(gen)

STRUCT = '''
pub struct HealthCheck {
    /// doc
    pub command: ::std::vec::Vec<::std::string::String>,
    pub interval: ::std::option::Option<i32>,
    pub r#type: ::std::option::Option<crate::types::LogDriver>,
    pub labels: ::std::option::Option<::std::collections::HashMap<::std::string::String, ::std::string::String>>,
}
impl HealthCheckBuilder {
    pub fn build(
        self,
    ) -> ::std::result::Result<crate::types::HealthCheck, ::aws_smithy_types::error::operation::BuildError> {
        ::std::result::Result::Ok(crate::types::HealthCheck {
            command: self.command.ok_or_else(|| {
                ::aws_smithy_types::error::operation::BuildError::missing_field(
                    "command",
                    "command was not specified but it is required when building HealthCheck",
                )
            })?,
        })
    }
}
'''


class Names(unittest.TestCase):
    def test_properties_pair_with_fields_up_to_case_and_underscores(self):
        self.assertEqual(gen.norm("PortMappings"), gen.norm("port_mappings"))
        self.assertEqual(gen.norm("Type"), gen.norm("r#type"))
        self.assertNotEqual(gen.norm("HostPort"), gen.norm("host_port_range"))

    def test_snake_case_keeps_acronyms_together(self):
        self.assertEqual(gen.snake("RegisterTaskDefinition"), "register_task_definition")
        self.assertEqual(gen.snake("EFSVolumeConfiguration"), "efs_volume_configuration")
        self.assertEqual(gen.upper("LaunchTemplateData"), "LAUNCH_TEMPLATE_DATA")


class SdkSources(unittest.TestCase):
    def test_fields_and_required_members_are_read_from_the_struct_and_its_build(self):
        body = STRUCT.split("pub struct HealthCheck {\n", 1)[1].split("\n}\n", 1)[0] + "\n"
        info = gen.parse_struct(STRUCT, "HealthCheck", body)
        self.assertEqual(set(info["fields"]), {"command", "interval", "r#type", "labels"})
        self.assertTrue(info["fallible"])
        self.assertEqual(info["required"], {"command"})

    def test_field_types_become_trees(self):
        self.assertEqual(gen.rust_type("::std::option::Option<i32>"), {"kind": "i32", "optional": True})
        listed = gen.rust_type("::std::vec::Vec<::std::string::String>")
        self.assertEqual(listed, {"kind": "list", "item": {"kind": "string"}, "optional": False})
        named = gen.rust_type("::std::option::Option<crate::types::LogDriver>")
        self.assertEqual(named, {"kind": "named", "name": "LogDriver", "optional": True})
        mapped = gen.rust_type(
            "::std::option::Option<::std::collections::HashMap<::std::string::String, ::std::string::String>>"
        )
        self.assertEqual(mapped["kind"], "map")
        self.assertEqual(gen.rust_type("::aws_smithy_types::Blob")["kind"], "unsupported")


class Schemas(unittest.TestCase):
    SCHEMA = {
        "typeName": "AWS::X::Y",
        "properties": {"Arn": {"type": "string"}, "Rules": {"$ref": "#/definitions/RuleList"}},
        "readOnlyProperties": ["/properties/Arn"],
        "definitions": {
            "RuleList": {"type": "array", "items": {"$ref": "#/definitions/Rule"}},
            "Rule": {"type": "object", "properties": {"Regex": {"type": "string"}}},
        },
    }

    def test_a_reference_to_a_named_list_is_followed_to_its_items(self):
        prop = gen.resolve(self.SCHEMA, self.SCHEMA["properties"]["Rules"])
        self.assertEqual(prop["type"], "array")
        self.assertEqual(gen.ref_of(self.SCHEMA, prop), "Rule")

    def test_an_object_is_found_through_one_of_or_its_inline_items(self):
        one_of = {"oneOf": [{"type": "string"}, {"$ref": "#/definitions/Rule"}]}
        self.assertEqual(gen.ref_of(self.SCHEMA, one_of), "Rule")
        schema = {"definitions": {}}
        inline = {"type": "array", "items": {"type": "object", "properties": {"K": {}}}}
        self.assertEqual(gen.ref_of(schema, inline, "IndexKeySchema"), "IndexKeySchema")
        self.assertIn("IndexKeySchema", schema["definitions"])

    def test_an_inline_object_is_read_with_its_own_keys(self):
        schema = {"definitions": {}}
        inline = {"type": "object", "properties": {"FileFormat": {"type": "string"}}}
        self.assertEqual(gen.ref_of(schema, inline, "DestinationOptions"), "DestinationOptions")
        self.assertIs(schema["definitions"]["DestinationOptions"], inline)
        self.assertIsNone(gen.ref_of(schema, {"type": "object"}, "Free"))

    def test_an_inline_object_property_is_its_own_definition(self):
        schema = {"definitions": {}}
        inline = {"type": "object", "properties": {"HostnameType": {"type": "string"}}}
        self.assertEqual(gen.ref_of(schema, inline, "DnsOptions"), "DnsOptions")
        self.assertEqual(schema["definitions"]["DnsOptions"], inline)

    def test_read_only_properties_are_attributes_not_keys(self):
        self.assertEqual(gen.read_only(self.SCHEMA), ["Arn"])
        self.assertEqual(list(gen.definition(self.SCHEMA, "")["properties"]), ["Rules"])

    def test_an_unknown_definition_is_refused_by_name(self):
        with self.assertRaisesRegex(gen.Fail, "AWS::X::Y has no definition Nope"):
            gen.definition(self.SCHEMA, "Nope")


class AbsentIfMissing(unittest.TestCase):
    SCHEMA = {
        "typeName": "AWS::X::Y",
        "properties": {"SOA": {"$ref": "#/definitions/SOA"}},
        "definitions": {"SOA": {"type": "object", "properties": {"TTL": {"type": "number"}}}},
    }

    class Sdk:
        enums = set()
        rust = "aws_sdk_x"
        STRUCTS = {
            "Outer": {"fields": {"soa": "::std::option::Option<crate::types::Soa>"},
                      "fallible": False, "required": set()},
            "Soa": {"fields": {"ttl": "::std::option::Option<i64>"},
                    "fallible": True, "required": {"ttl"}},
        }

        def struct(self, name):
            return self.STRUCTS[name]

    def module(self):
        m = gen.Module.__new__(gen.Module)
        m.name, m.spec, m.sdk = "x", {}, self.Sdk()
        m.keys, m.fn_keys, m.parsers, m.origins, m.aliases, m.reporters = {}, {}, {}, {}, {}, {}
        m.imports, m.ops, m.maybe = set(), set(), set()
        return m

    def test_an_object_without_what_the_sdk_requires_is_none_and_so_on_up(self):
        m = self.module()
        m.parse({"absent_if_missing": [".SOA", "SOA.TTL"]}, self.SCHEMA, "", "Outer")
        self.assertEqual(m.maybe, {"soa", "outer"})
        self.assertIn("-> R<Option<Soa>>", m.parsers["soa"])
        self.assertIn('let Some(ttl) = p.i64("TTL")? else {', m.parsers["soa"])
        self.assertIn('let Some(soa) = one(p, "SOA", SOA, soa)?.flatten() else {', m.parsers["outer"])
        self.assertIn(".set_soa(Some(soa))", m.parsers["outer"])

    def test_without_it_the_sdk_requirement_stands(self):
        m = self.module()
        m.parse({}, self.SCHEMA, "", "Outer")
        self.assertEqual(m.maybe, set())
        self.assertIn('Some(required(p, "TTL", p.i64("TTL")?)?)', m.parsers["soa"])


if __name__ == "__main__":
    unittest.main()


class Refused(unittest.TestCase):
    def test_the_refused_table_lists_each_type_with_its_names_in_order(self):
        table = gen.refused_table({"AWS::B::T": ["Y", "X"], "AWS::A::T": ["Z"]})
        self.assertIn("pub(crate) const REFUSED: &[(&str, &[&str])]", table)
        self.assertLess(table.index('"AWS::A::T"'), table.index('"AWS::B::T"'))
        self.assertIn('("AWS::B::T", &["Y", "X"])', table)

    def test_an_empty_table_is_still_a_constant(self):
        self.assertIn("= &[];", gen.refused_table({}))


class Split(unittest.TestCase):
    def item(self, n):
        """A constant whose formatted text is `n` lines (doc lines, then the item)."""
        return "".join(f"/// line {i}\n" for i in range(n - 1)) + "pub(crate) const X: u8 = 0;\n"

    def test_items_that_fit_stay_in_one_file(self):
        code = [self.item(10), self.item(20)]
        self.assertEqual(gen.chunks(code), [code])

    def test_larger_code_goes_on_in_runs_that_fit(self):
        code = [self.item(300), self.item(300), self.item(100)]
        runs = gen.chunks(code)
        self.assertEqual(runs, [[code[0]], [code[1], code[2]]])
        for run in runs:
            self.assertLessEqual(gen.lines_of(run), gen.MAX_LINES)

    def test_an_item_larger_than_a_file_stands_alone(self):
        code = [self.item(gen.MAX_LINES + 5), self.item(3)]
        self.assertEqual(gen.chunks(code), [[code[0]], [code[1]]])
