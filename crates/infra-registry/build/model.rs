//! What the build script extracts from one resource provider schema, before it
//! is written out as Rust statics.

/// The shape of a property value, with objects as indices into
/// [`TypeModel::objects`] so that recursive definitions need no cycles here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeModel {
    String,
    Integer,
    Number,
    Boolean,
    Json,
    Any,
    List(Box<ShapeModel>),
    Object(usize),
}

/// A named property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyModel {
    pub name: String,
    pub shape: ShapeModel,
    /// `insertionOrder` of a list (default `true`).
    pub insertion_order: bool,
}

/// An object with declared properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectModel {
    /// Where the object is declared in the schema, e.g. `#/definitions/Tag`.
    pub location: String,
    /// Sorted by name.
    pub properties: Vec<PropertyModel>,
    pub required: Vec<String>,
    pub additional_properties: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeModel {
    /// Dotted name as written in `Fn::GetAtt`.
    pub name: String,
    pub shape: ShapeModel,
    /// Listed in `readOnlyProperties`.
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggingModel {
    pub taggable: bool,
    pub tag_on_create: bool,
    pub tag_updatable: bool,
    pub cloudformation_system_tags: bool,
    pub tag_property: Option<String>,
}

/// Everything the registry keeps about one resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeModel {
    pub name: String,
    /// Top-level properties, sorted by name.
    pub properties: Vec<PropertyModel>,
    pub required: Vec<String>,
    /// Property paths relative to `Properties`, `/`-separated.
    pub create_only: Vec<String>,
    pub conditional_create_only: Vec<String>,
    pub write_only: Vec<String>,
    pub read_only: Vec<String>,
    pub deprecated: Vec<String>,
    pub primary_identifier: Vec<String>,
    /// Sorted by name.
    pub attributes: Vec<AttributeModel>,
    pub tagging: TaggingModel,
    pub delete_then_create: bool,
    /// Object table that [`ShapeModel::Object`] indexes.
    pub objects: Vec<ObjectModel>,
}
