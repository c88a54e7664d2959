//! Turns one resource provider schema (JSON) into a [`TypeModel`].
//!
//! Shapes: `$ref` is followed into `#/definitions`; `string`, `integer`,
//! `number` and `boolean` map to themselves; `array` becomes a list of its
//! `items`; an object with declared `properties` becomes an entry of the
//! object table, any other object (free-form maps, `patternProperties`) is
//! `Json`; a `type` list of only `object` and `string` (IAM policy documents)
//! is `Json`, any other `type` list, and a node without `type` (`oneOf`,
//! `anyOf`, or nothing), is `Any`.
//!
//! A definition that is an object gets its table index before its properties
//! are converted, so recursive definitions end in a back reference.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::getatt;
use crate::model::{
    AttributeModel, ObjectModel, PropertyModel, ShapeModel, TaggingModel, TypeModel,
};
use crate::refs;

const PROPERTIES_PREFIX: &str = "/properties/";

/// Converts the schema of one resource type.
pub fn convert(schema: &Value) -> Result<TypeModel, String> {
    let name = schema
        .get("typeName")
        .and_then(Value::as_str)
        .ok_or("missing string `typeName`")?;
    if name.split("::").count() != 3 || name.split("::").any(str::is_empty) {
        return Err(format!(
            "`typeName` {name:?} is not of the form Vendor::Service::Resource"
        ));
    }
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .ok_or("missing `properties` object")?;

    let mut converter = Converter::new(schema);
    let top_level = converter.properties(properties, "#")?;

    let path_list = |key: &str| property_paths(schema, key, properties);
    let create_only = path_list("createOnlyProperties")?;
    let conditional_create_only = path_list("conditionalCreateOnlyProperties")?;
    let write_only = path_list("writeOnlyProperties")?;
    let read_only = path_list("readOnlyProperties")?;
    let deprecated = path_list("deprecatedProperties")?;
    let primary_identifier = path_list("primaryIdentifier")?;
    if primary_identifier.is_empty() {
        return Err("`primaryIdentifier` is missing or empty".to_owned());
    }

    let read_only_segments: Vec<Vec<String>> = read_only
        .iter()
        .map(|path| path.split('/').map(str::to_owned).collect())
        .collect();
    let mut attributes = Vec::new();
    for segments in getatt::attribute_paths(name, schema, &read_only_segments)? {
        let shape = converter
            .shape_at(&segments)
            .map_err(|error| format!("attribute {}: {error}", segments.join(".")))?;
        attributes.push(AttributeModel {
            name: segments.join("."),
            shape,
            read_only: read_only_segments.contains(&segments),
        });
    }
    attributes.sort_by(|a, b| a.name.cmp(&b.name));

    Ok(TypeModel {
        name: name.to_owned(),
        properties: top_level,
        required: string_list(schema, "required", "#")?,
        create_only,
        conditional_create_only,
        write_only,
        read_only,
        deprecated,
        primary_identifier,
        attributes,
        tagging: tagging(schema, properties)?,
        delete_then_create: delete_then_create(schema)?,
        objects: converter.finish()?,
    })
}

/// Whether a schema node declares an object with properties of its own.
fn declares_object(node: &Value) -> bool {
    let typed_object = match node.get("type") {
        None => true,
        Some(Value::String(name)) => name == "object",
        Some(Value::Array(names)) => names.len() == 1 && names[0] == "object",
        Some(_) => false,
    };
    typed_object
        && node.get("$ref").is_none()
        && node
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|properties| !properties.is_empty())
}

enum Definition {
    InProgress,
    Done(ShapeModel),
}

struct Converter<'a> {
    schema: &'a Value,
    objects: Vec<Option<ObjectModel>>,
    definitions: HashMap<String, Definition>,
    /// Objects declared inline (not as definitions), by location.
    inline_objects: HashMap<String, usize>,
}

impl<'a> Converter<'a> {
    fn new(schema: &'a Value) -> Self {
        Converter {
            schema,
            objects: Vec::new(),
            definitions: HashMap::new(),
            inline_objects: HashMap::new(),
        }
    }

    fn finish(self) -> Result<Vec<ObjectModel>, String> {
        self.objects
            .into_iter()
            .enumerate()
            .map(|(index, object)| {
                object.ok_or_else(|| format!("object {index} was reserved but never filled"))
            })
            .collect()
    }

    /// The properties of an object at `location`, sorted by name.
    fn properties(
        &mut self,
        properties: &'a Map<String, Value>,
        location: &str,
    ) -> Result<Vec<PropertyModel>, String> {
        let mut converted = Vec::with_capacity(properties.len());
        for (name, node) in properties {
            let location = format!("{location}/properties/{name}");
            converted.push(PropertyModel {
                name: name.clone(),
                shape: self.shape(node, &location)?,
                insertion_order: self.insertion_order(node, &location)?,
            });
        }
        converted.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(converted)
    }

    /// `insertionOrder` of a property, on its node or on the definitions its
    /// `$ref` chain passes through; `true` when not stated.
    fn insertion_order(&self, node: &Value, location: &str) -> Result<bool, String> {
        let mut current = node;
        let mut seen = Vec::new();
        loop {
            match current.get("insertionOrder") {
                Some(Value::Bool(ordered)) => return Ok(*ordered),
                Some(other) => {
                    return Err(format!(
                        "{location}: `insertionOrder` must be a boolean, found {other}"
                    ));
                }
                None => {}
            }
            let Some(reference) = current.get("$ref") else {
                return Ok(true);
            };
            let name = refs::definition_name(reference)?;
            if seen.contains(&name) {
                return Ok(true);
            }
            seen.push(name);
            current = refs::definition(self.schema, name)?;
        }
    }

    fn shape(&mut self, node: &'a Value, location: &str) -> Result<ShapeModel, String> {
        if !node.is_object() {
            return Err(format!("{location}: expected a JSON object, found {node}"));
        }
        if let Some(reference) = node.get("$ref") {
            let name = refs::definition_name(reference).map_err(|e| format!("{location}: {e}"))?;
            return self.definition(name);
        }
        match node.get("type") {
            Some(Value::String(name)) => self.typed(name, node, location),
            Some(Value::Array(names)) => {
                let mut names = names
                    .iter()
                    .map(|name| {
                        name.as_str().ok_or_else(|| {
                            format!("{location}: `type` list holds a non-string {name}")
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                names.sort_unstable();
                names.dedup();
                match names.as_slice() {
                    [] => Err(format!("{location}: empty `type` list")),
                    [single] => self.typed(single, node, location),
                    ["object", "string"] => Ok(ShapeModel::Json),
                    _ => Ok(ShapeModel::Any),
                }
            }
            Some(other) => Err(format!(
                "{location}: `type` must be a string or a list, found {other}"
            )),
            None if declares_object(node) => self.inline_object(node, location),
            None => Ok(ShapeModel::Any),
        }
    }

    fn typed(&mut self, name: &str, node: &'a Value, location: &str) -> Result<ShapeModel, String> {
        Ok(match name {
            "string" => ShapeModel::String,
            "integer" => ShapeModel::Integer,
            "number" => ShapeModel::Number,
            "boolean" => ShapeModel::Boolean,
            "array" => match node.get("items") {
                Some(items) => {
                    ShapeModel::List(Box::new(self.shape(items, &format!("{location}/items"))?))
                }
                None => ShapeModel::List(Box::new(ShapeModel::Any)),
            },
            "object" => match node.get("properties") {
                Some(properties) if !properties.is_object() => {
                    return Err(format!("{location}: `properties` must be a JSON object"));
                }
                _ if declares_object(node) => self.inline_object(node, location)?,
                _ => ShapeModel::Json,
            },
            other => return Err(format!("{location}: unsupported type {other:?}")),
        })
    }

    fn definition(&mut self, name: &str) -> Result<ShapeModel, String> {
        match self.definitions.get(name) {
            Some(Definition::Done(shape)) => return Ok(shape.clone()),
            Some(Definition::InProgress) => {
                return Err(format!(
                    "#/definitions/{name} refers to itself without passing through an object"
                ));
            }
            None => {}
        }
        let node = refs::definition(self.schema, name)?;
        let location = format!("#/definitions/{name}");
        if declares_object(node) {
            let index = self.reserve();
            self.definitions
                .insert(name.to_owned(), Definition::Done(ShapeModel::Object(index)));
            let object = self.object_model(node, &location)?;
            self.objects[index] = Some(object);
            Ok(ShapeModel::Object(index))
        } else {
            self.definitions
                .insert(name.to_owned(), Definition::InProgress);
            let shape = self.shape(node, &location)?;
            self.definitions
                .insert(name.to_owned(), Definition::Done(shape.clone()));
            Ok(shape)
        }
    }

    fn inline_object(&mut self, node: &'a Value, location: &str) -> Result<ShapeModel, String> {
        if let Some(&index) = self.inline_objects.get(location) {
            return Ok(ShapeModel::Object(index));
        }
        let index = self.reserve();
        self.inline_objects.insert(location.to_owned(), index);
        let object = self.object_model(node, location)?;
        self.objects[index] = Some(object);
        Ok(ShapeModel::Object(index))
    }

    fn reserve(&mut self) -> usize {
        self.objects.push(None);
        self.objects.len() - 1
    }

    fn object_model(&mut self, node: &'a Value, location: &str) -> Result<ObjectModel, String> {
        let properties = node
            .get("properties")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{location}: missing `properties` object"))?;
        Ok(ObjectModel {
            location: location.to_owned(),
            properties: self.properties(properties, location)?,
            required: string_list(node, "required", location)?,
            additional_properties: !matches!(
                node.get("additionalProperties"),
                Some(Value::Bool(false))
            ),
        })
    }

    /// The shape at a property path (segments below `/properties`; `*` steps
    /// into list items), following `$ref`s on the way.
    fn shape_at(&mut self, segments: &[String]) -> Result<ShapeModel, String> {
        let (first, rest) = segments.split_first().ok_or("empty property path")?;
        let mut node = self
            .schema
            .get("properties")
            .and_then(|properties| properties.get(first))
            .ok_or_else(|| format!("no property {first:?}"))?;
        let mut location = format!("#/properties/{first}");
        for segment in rest {
            while let Some(reference) = node.get("$ref") {
                let name = refs::definition_name(reference)?;
                node = refs::definition(self.schema, name)?;
                location = format!("#/definitions/{name}");
            }
            let (next, step) = if segment == "*" {
                (node.get("items"), "items".to_owned())
            } else {
                (
                    node.get("properties").and_then(|p| p.get(segment)),
                    format!("properties/{segment}"),
                )
            };
            node = next.ok_or_else(|| format!("{location} has no {step}"))?;
            location = format!("{location}/{step}");
        }
        self.shape(node, &location)
    }
}

/// A list of strings at `key` of `node` (absent: empty).
pub fn string_list(node: &Value, key: &str, location: &str) -> Result<Vec<String>, String> {
    match node.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{location}: `{key}` must list strings, found {item}"))
            })
            .collect(),
        Some(other) => Err(format!("{location}: `{key}` must be a list, found {other}")),
    }
}

/// A list of `/properties/...` pointers at `key`, as paths relative to
/// `Properties` (`/properties/A/B` becomes `A/B`). Each must start at a
/// declared top-level property.
pub fn property_paths(
    schema: &Value,
    key: &str,
    properties: &Map<String, Value>,
) -> Result<Vec<String>, String> {
    string_list(schema, key, "#")?
        .into_iter()
        .map(|pointer| {
            let path = pointer
                .strip_prefix(PROPERTIES_PREFIX)
                .filter(|path| !path.is_empty())
                .ok_or_else(|| {
                    format!("`{key}` entry {pointer:?} does not start with /properties/")
                })?;
            let first = path.split('/').next().unwrap_or(path);
            if !properties.contains_key(first) {
                return Err(format!(
                    "`{key}` entry {pointer:?} names no declared property"
                ));
            }
            Ok(path.to_owned())
        })
        .collect()
}

/// The `tagging` block, or the older top-level `taggable`, with the defaults
/// of the resource provider definition schema (all `true`, tags in `Tags`).
/// A type that is not taggable has no tag property. A type that states a
/// `tagging` block must declare its tag property; one that states nothing and
/// declares no `Tags` (`AWS::IAM::AccessKey`) is not taggable, as the catalog
/// records it: there is no property to carry tags.
fn tagging(schema: &Value, properties: &Map<String, Value>) -> Result<TaggingModel, String> {
    let tagging = stated_tagging(schema)?;
    let declared =
        |property: &str| properties.contains_key(property.split('/').next().unwrap_or(property));
    if schema.get("tagging").is_none()
        && tagging
            .tag_property
            .as_deref()
            .is_some_and(|p| !declared(p))
    {
        return Ok(TaggingModel {
            taggable: false,
            tag_on_create: false,
            tag_updatable: false,
            cloudformation_system_tags: false,
            tag_property: None,
        });
    }
    if let Some(property) = &tagging.tag_property
        && !declared(property)
    {
        return Err(format!(
            "the type is taggable but its tag property \"{PROPERTIES_PREFIX}{property}\" is not declared"
        ));
    }
    Ok(tagging)
}

/// The tagging the schema states, with the same defaults as [`tagging`], and
/// the tag property as a path relative to `Properties`, not checked against
/// the declared properties.
pub fn stated_tagging(schema: &Value) -> Result<TaggingModel, String> {
    let flag = |node: &Value, key: &str| match node.get(key) {
        None => Ok(true),
        Some(Value::Bool(value)) => Ok(*value),
        Some(other) => Err(format!("`{key}` must be a boolean, found {other}")),
    };
    let (taggable, tag_on_create, tag_updatable, system_tags, pointer) = match schema.get("tagging")
    {
        Some(tagging) if tagging.is_object() => (
            flag(tagging, "taggable")?,
            flag(tagging, "tagOnCreate")?,
            flag(tagging, "tagUpdatable")?,
            flag(tagging, "cloudFormationSystemTags")?,
            match tagging.get("tagProperty") {
                None => "/properties/Tags",
                Some(Value::String(pointer)) => pointer.as_str(),
                Some(other) => {
                    return Err(format!("`tagProperty` must be a string, found {other}"));
                }
            },
        ),
        Some(other) => return Err(format!("`tagging` must be a JSON object, found {other}")),
        None => (
            flag(schema, "taggable")?,
            true,
            true,
            true,
            "/properties/Tags",
        ),
    };
    if !taggable {
        return Ok(TaggingModel {
            taggable: false,
            tag_on_create: false,
            tag_updatable: false,
            cloudformation_system_tags: false,
            tag_property: None,
        });
    }
    let property = pointer
        .strip_prefix(PROPERTIES_PREFIX)
        .ok_or_else(|| format!("`tagProperty` {pointer:?} does not start with /properties/"))?;
    Ok(TaggingModel {
        taggable,
        tag_on_create,
        tag_updatable,
        cloudformation_system_tags: system_tags,
        tag_property: Some(property.to_owned()),
    })
}

fn delete_then_create(schema: &Value) -> Result<bool, String> {
    match schema.get("replacementStrategy") {
        None => Ok(false),
        Some(Value::String(strategy)) if strategy == "create_then_delete" => Ok(false),
        Some(Value::String(strategy)) if strategy == "delete_then_create" => Ok(true),
        Some(other) => Err(format!("unknown `replacementStrategy` {other}")),
    }
}
