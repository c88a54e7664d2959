//! Property shapes: what kind of value a property, a list item or a `Fn::GetAtt`
//! attribute holds.
//!
//! Objects refer to each other through `&'static` references, so a recursive
//! definition is a cycle of statics. `Debug` and `PartialEq` of [`Shape`] stop
//! at objects (printing their [`ObjectShape::location`], comparing by address)
//! and so terminate on cycles.

use std::fmt;

/// The kind of value a property accepts.
#[derive(Clone, Copy)]
pub enum Shape {
    /// A string.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A JSON document or free-form object: an object without declared
    /// properties (maps such as `DockerLabels`), or an IAM policy document
    /// (given as an object or as a string).
    Json,
    /// A property that accepts several shapes (`oneOf`/`anyOf` without a type
    /// of its own, or a `type` list): anything is accepted.
    Any,
    /// A list of values of the item shape.
    List(&'static Shape),
    /// An object with declared properties.
    Object(&'static ObjectShape),
}

impl Shape {
    /// The object behind [`Shape::Object`].
    pub fn as_object(&self) -> Option<&'static ObjectShape> {
        match self {
            Shape::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The item shape of [`Shape::List`].
    pub fn list_item(&self) -> Option<&'static Shape> {
        match self {
            Shape::List(item) => Some(item),
            _ => None,
        }
    }

    /// Whether the shape is a string, number or boolean.
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            Shape::String | Shape::Integer | Shape::Number | Shape::Boolean
        )
    }
}

impl fmt::Debug for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::String => f.write_str("String"),
            Shape::Integer => f.write_str("Integer"),
            Shape::Number => f.write_str("Number"),
            Shape::Boolean => f.write_str("Boolean"),
            Shape::Json => f.write_str("Json"),
            Shape::Any => f.write_str("Any"),
            Shape::List(item) => f.debug_tuple("List").field(item).finish(),
            Shape::Object(object) => write!(f, "Object({})", object.location),
        }
    }
}

/// Short form for messages: `String`, `List<Integer>`, `Object`, ...
impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::List(item) => write!(f, "List<{item}>"),
            Shape::Object(_) => f.write_str("Object"),
            scalar => fmt::Debug::fmt(scalar, f),
        }
    }
}

/// Structural for scalars and lists; objects are equal when they are the same
/// static.
impl PartialEq for Shape {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Shape::String, Shape::String)
            | (Shape::Integer, Shape::Integer)
            | (Shape::Number, Shape::Number)
            | (Shape::Boolean, Shape::Boolean)
            | (Shape::Json, Shape::Json)
            | (Shape::Any, Shape::Any) => true,
            (Shape::List(a), Shape::List(b)) => a == b,
            (Shape::Object(a), Shape::Object(b)) => std::ptr::eq(*a, *b),
            _ => false,
        }
    }
}

impl Eq for Shape {}

/// A named property of a resource type or of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Property {
    /// The property name as written in templates, e.g. `CidrBlock`.
    pub name: &'static str,
    /// What the property accepts.
    pub shape: Shape,
    /// For a list, whether its order is significant (`insertionOrder`,
    /// `true` unless the schema says otherwise). When `false`, AWS may return
    /// the items in another order, and a reordering is no change.
    pub insertion_order: bool,
}

/// An object with declared properties.
#[derive(Debug)]
pub struct ObjectShape {
    /// Where the schema declares the object, e.g. `#/definitions/Tag` or
    /// `#/properties/LaunchTemplateData` (unique within one resource type).
    pub location: &'static str,
    /// The declared properties, sorted by name.
    pub properties: &'static [Property],
    /// Names of the properties the object requires.
    pub required: &'static [&'static str],
    /// Whether undeclared properties are allowed.
    pub additional_properties: bool,
}

impl ObjectShape {
    /// The declared property `name`.
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        find_property(self.properties, name)
    }

    /// Whether the object requires property `name`.
    pub fn is_required(&self, name: &str) -> bool {
        self.required.contains(&name)
    }
}

/// Binary search in a name-sorted property table.
pub(crate) fn find_property(
    properties: &'static [Property],
    name: &str,
) -> Option<&'static Property> {
    properties
        .binary_search_by(|property| property.name.cmp(name))
        .ok()
        .map(|index| &properties[index])
}

#[cfg(test)]
mod tests {
    use super::{ObjectShape, Property, Shape};

    // A recursive definition, laid out as the generated tables lay it out.
    static NODE: ObjectShape = ObjectShape {
        location: "#/definitions/Node",
        properties: &[
            Property {
                name: "Children",
                shape: Shape::List(&Shape::Object(&NODE)),
                insertion_order: false,
            },
            Property {
                name: "Name",
                shape: Shape::String,
                insertion_order: true,
            },
        ],
        required: &["Name"],
        additional_properties: false,
    };

    #[test]
    fn recursive_objects_walk_debug_and_compare() {
        let mut object = &NODE;
        for _ in 0..5 {
            let children = object.property("Children").map(|p| p.shape);
            object = children
                .and_then(|shape| shape.list_item())
                .and_then(Shape::as_object)
                .expect("Children is a list of nodes");
        }
        assert!(std::ptr::eq(object, &NODE));
        assert!(object.is_required("Name"));
        assert!(!object.is_required("Children"));
        assert!(object.property("Missing").is_none());

        let printed = format!("{NODE:?}");
        assert!(
            printed.contains("List(Object(#/definitions/Node))"),
            "{printed}"
        );
        static NODE_SHAPE: Shape = Shape::Object(&NODE);
        assert_eq!(NODE.properties[0].shape, Shape::List(&NODE_SHAPE));
        assert_ne!(NODE.properties[0].shape, Shape::List(&Shape::String));
    }

    #[test]
    fn display_is_short() {
        assert_eq!(Shape::List(&Shape::Integer).to_string(), "List<Integer>");
        assert_eq!(Shape::Object(&NODE).to_string(), "Object");
        assert_eq!(Shape::Json.to_string(), "Json");
        assert!(Shape::Boolean.is_scalar());
        assert!(!Shape::Json.is_scalar());
    }
}
