//! The catalog of every resource type: reads the lines of
//! `schemas/catalog.jsonl` (one reduced provider schema per line, written by
//! `scripts/vendor-schemas`) and writes them as one sorted `CATALOG` static.
//!
//! A line keeps the schema's own keys with reduced values: `properties` is the
//! sorted list of top-level property names (not their definitions), `handlers`
//! the sorted list of handler names (not their permissions), `tagging` without
//! `permissions`; `typeName`, `required`, `primaryIdentifier`,
//! `createOnlyProperties`, `readOnlyProperties`, `writeOnlyProperties`,
//! `taggable` and `propertyTransform` are as in the schema. The list keys and
//! the tagging defaults are read with the same functions as the full schemas
//! of `convert`, so a supported type has the same facts in both.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::convert;
use crate::model::TaggingModel;

/// The handler names a provider schema may declare, in the bit order of the
/// generated `handlers(..)` mask.
pub const HANDLERS: [&str; 5] = ["create", "read", "update", "delete", "list"];

/// A top-level property and how the schema lists it (exact top-level entries
/// only: a create-only path below the property does not make it create-only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogPropertyModel {
    pub name: String,
    pub required: bool,
    pub create_only: bool,
    pub read_only: bool,
    pub write_only: bool,
}

/// What the catalog keeps about one resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogModel {
    pub name: String,
    /// Sorted by name.
    pub properties: Vec<CatalogPropertyModel>,
    /// Property paths relative to `Properties`, `/`-separated.
    pub primary_identifier: Vec<String>,
    pub create_only: Vec<String>,
    pub read_only: Vec<String>,
    pub write_only: Vec<String>,
    pub tagging: TaggingModel,
    /// One flag per entry of [`HANDLERS`].
    pub handlers: [bool; 5],
    /// `(path relative to Properties, JSONata expression)`, sorted by path.
    pub property_transform: Vec<(String, String)>,
    /// `(path, 'I' | 'N' | 'B')`: the paths whose type is integer, number or boolean, sorted.
    pub scalars: Vec<(String, char)>,
}

/// Converts one catalog line.
pub fn convert(line: &Value) -> Result<CatalogModel, String> {
    let name = line
        .get("typeName")
        .and_then(Value::as_str)
        .ok_or("missing string `typeName`")?;
    if name.split("::").count() != 3 || name.split("::").any(str::is_empty) {
        return Err(format!(
            "`typeName` {name:?} is not of the form Vendor::Service::Resource"
        ));
    }
    let in_type = |error: String| format!("{name}: {error}");

    let names = convert::string_list(line, "properties", "#").map_err(in_type)?;
    let declared: Map<String, Value> = names
        .iter()
        .map(|property| (property.clone(), Value::Null))
        .collect();
    if declared.len() != names.len() {
        return Err(in_type("`properties` lists a name twice".to_owned()));
    }
    let paths = |key: &str| convert::property_paths(line, key, &declared).map_err(in_type);
    let primary_identifier = paths("primaryIdentifier")?;
    if primary_identifier.is_empty() {
        return Err(in_type(
            "`primaryIdentifier` is missing or empty".to_owned(),
        ));
    }
    let create_only = paths("createOnlyProperties")?;
    let read_only = paths("readOnlyProperties")?;
    let write_only = paths("writeOnlyProperties")?;
    let required = convert::string_list(line, "required", "#").map_err(in_type)?;
    if let Some(missing) = required.iter().find(|name| !declared.contains_key(*name)) {
        return Err(in_type(format!(
            "`required` names {missing:?}, which is not declared"
        )));
    }

    let mut properties: Vec<CatalogPropertyModel> = names
        .iter()
        .map(|property| CatalogPropertyModel {
            name: property.clone(),
            required: required.contains(property),
            create_only: create_only.contains(property),
            read_only: read_only.contains(property),
            write_only: write_only.contains(property),
        })
        .collect();
    properties.sort_by(|a, b| a.name.cmp(&b.name));

    Ok(CatalogModel {
        name: name.to_owned(),
        properties,
        primary_identifier,
        create_only,
        read_only,
        write_only,
        tagging: tagging(line, &declared).map_err(in_type)?,
        handlers: handlers(line).map_err(in_type)?,
        property_transform: property_transform(line).map_err(in_type)?,
        scalars: scalars(line).map_err(in_type)?,
    })
}

/// `scalars`: `path=integer|number|boolean` entries (infra's own key, written by
/// `scripts/vendor-schemas`), sorted by path.
fn scalars(line: &Value) -> Result<Vec<(String, char)>, String> {
    let mut out = Vec::new();
    for entry in convert::string_list(line, "scalars", "#")? {
        let (path, kind) = entry
            .split_once('=')
            .ok_or_else(|| format!("`scalars` entry {entry:?} is not `path=type`"))?;
        let code = match kind {
            "integer" => 'I',
            "number" => 'N',
            "boolean" => 'B',
            other => return Err(format!("`scalars` entry {entry:?}: unknown type {other:?}")),
        };
        out.push((path.to_owned(), code));
    }
    out.sort();
    Ok(out)
}

/// The stated tagging (defaults as for the full registry). A type whose
/// stated tag property is not declared, such as the types that state nothing
/// and have no `Tags` property, is recorded as not taggable: there is no
/// property to carry tags.
fn tagging(line: &Value, declared: &Map<String, Value>) -> Result<TaggingModel, String> {
    let stated = convert::stated_tagging(line)?;
    let carried = stated.tag_property.as_deref().is_none_or(|property| {
        declared.contains_key(property.split('/').next().unwrap_or(property))
    });
    Ok(if carried {
        stated
    } else {
        TaggingModel {
            taggable: false,
            tag_on_create: false,
            tag_updatable: false,
            cloudformation_system_tags: false,
            tag_property: None,
        }
    })
}

fn handlers(line: &Value) -> Result<[bool; 5], String> {
    let mut present = [false; 5];
    for handler in convert::string_list(line, "handlers", "#")? {
        let index = HANDLERS
            .iter()
            .position(|known| *known == handler)
            .ok_or_else(|| format!("unknown handler {handler:?}"))?;
        present[index] = true;
    }
    Ok(present)
}

/// `propertyTransform`: pointer to JSONata expression. Pointers are written
/// `/properties/A/B` (one schema leaves out the first `/`); they become `A/B`.
fn property_transform(line: &Value) -> Result<Vec<(String, String)>, String> {
    let Some(rules) = line.get("propertyTransform") else {
        return Ok(Vec::new());
    };
    let rules = rules
        .as_object()
        .ok_or_else(|| format!("`propertyTransform` must be a JSON object, found {rules}"))?;
    let mut converted = Vec::with_capacity(rules.len());
    for (pointer, expression) in rules {
        let path = pointer
            .strip_prefix('/')
            .unwrap_or(pointer)
            .strip_prefix("properties/")
            .filter(|path| !path.is_empty())
            .ok_or_else(|| {
                format!("`propertyTransform` key {pointer:?} does not start with /properties/")
            })?;
        let expression = expression.as_str().ok_or_else(|| {
            format!("`propertyTransform` of {pointer:?} must be a string, found {expression}")
        })?;
        converted.push((path.to_owned(), expression.to_owned()));
    }
    converted.sort();
    if converted.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return Err("`propertyTransform` names a path twice".to_owned());
    }
    Ok(converted)
}

/// Rust source for `src/catalog.rs` to include. `entries` must be sorted by
/// name. Properties are written `p(name, flags)` and handlers `h(mask)`, with
/// the bits documented in `src/catalog.rs`, to keep the source small.
pub fn render(entries: &[CatalogModel]) -> String {
    let mut out = String::with_capacity(entries.len() * 1024);
    out.push_str("// Generated by build.rs from schemas/catalog.jsonl. Do not edit.\n\n");
    let _ = writeln!(
        out,
        "pub(crate) static CATALOG: [CatalogEntry; {}] = [",
        entries.len()
    );
    for entry in entries {
        let properties: Vec<String> = entry
            .properties
            .iter()
            .map(|property| {
                let flags = u8::from(property.required)
                    | u8::from(property.create_only) << 1
                    | u8::from(property.read_only) << 2
                    | u8::from(property.write_only) << 3;
                format!("p({:?}, {flags})", property.name)
            })
            .collect();
        let mask = entry
            .handlers
            .iter()
            .enumerate()
            .fold(0u8, |mask, (bit, present)| mask | u8::from(*present) << bit);
        let transforms: Vec<String> = entry
            .property_transform
            .iter()
            .map(|(path, expression)| {
                format!("PropertyTransform {{ path: {path:?}, expression: {expression:?} }}")
            })
            .collect();
        let scalars: Vec<String> = entry
            .scalars
            .iter()
            .map(|(path, code)| format!("({path:?}, {code})"))
            .collect();
        let tagging = &entry.tagging;
        let tag_property = match &tagging.tag_property {
            Some(property) => format!("Some({property:?})"),
            None => "None".to_owned(),
        };
        let _ = writeln!(
            out,
            "    CatalogEntry {{ name: {name:?}, properties: &[{properties}], primary_identifier: {primary}, create_only: {create_only}, read_only: {read_only}, write_only: {write_only}, tagging: Tagging {{ taggable: {taggable}, tag_on_create: {tag_on_create}, tag_updatable: {tag_updatable}, cloudformation_system_tags: {system_tags}, tag_property: {tag_property} }}, handlers: h({mask}), property_transform: &[{transforms}], scalars: &[{scalars}] }},",
            name = entry.name,
            properties = properties.join(", "),
            primary = strings(&entry.primary_identifier),
            create_only = strings(&entry.create_only),
            read_only = strings(&entry.read_only),
            write_only = strings(&entry.write_only),
            taggable = tagging.taggable,
            tag_on_create = tagging.tag_on_create,
            tag_updatable = tagging.tag_updatable,
            system_tags = tagging.cloudformation_system_tags,
            transforms = transforms.join(", "),
            scalars = scalars.join(", "),
        );
    }
    out.push_str("];\n");
    out
}

fn strings(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("{item:?}")).collect();
    format!("&[{}]", quoted.join(", "))
}
