//! The document tree every template format is read into: YAML and JSON alike become [`Node`]s
//! with a [`Span`] each. YAML short-form tags (`!Ref X`) are rewritten here into their long
//! form (`{Ref: X}`), so nothing after the parser needs to know which form a template used.

use crate::source::Span;

/// A value in a template document, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node is.
    pub span: Span,
    /// What the node holds.
    pub kind: NodeKind,
}

/// The shapes a [`Node`] can take.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false` (YAML 1.2 core schema: `yes`/`on` are strings).
    Bool(bool),
    /// A number, as written (so `1.10` stays `1.10`).
    Number(String),
    /// A string.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order; keys are unique (the parser rejects duplicates).
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key's text.
    pub name: String,
    /// Where the key is.
    pub span: Span,
}

impl Node {
    /// The entries when this is a mapping.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The text when this is a string (or a scalar that reads as one: numbers and booleans).
    pub fn as_scalar_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::String(s) | NodeKind::Number(s) => Some(s.clone()),
            NodeKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The value stored under `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// A short name of the node's shape for messages ("a mapping", "a string", ...).
    pub fn describe(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Number(_) => "a number",
            NodeKind::String(_) => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}
