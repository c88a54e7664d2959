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

impl Node {
    /// The document as JSON, in document order, short-form tags in their long form: what
    /// CloudFormation accepts as a JSON template body. A number keeps its value when JSON can
    /// write it as written (`10`, `0.5`); one it cannot (`1.10`, `0x1F`, `.inf`) becomes the
    /// string it was written as, which CloudFormation reads the same for a property.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.kind {
            NodeKind::Null => Json::Null,
            NodeKind::Bool(b) => Json::Bool(*b),
            NodeKind::Number(text) => match serde_json::from_str::<serde_json::Number>(text) {
                Ok(n) if n.to_string() == *text => Json::Number(n),
                _ => Json::String(text.clone()),
            },
            NodeKind::String(s) => Json::String(s.clone()),
            NodeKind::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::yaml::{Format, parse};

    fn json_of(text: &str) -> serde_json::Value {
        parse(FileId(0), text, Format::sniff(text))
            .expect("parses")
            .to_json()
    }

    #[test]
    fn short_form_tags_become_long_form_json_in_document_order() {
        let json = json_of(
            "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Ref Cidr\n      Tags:\n        - Key: Name\n          Value: !Sub '${AWS::StackName}-vpc'\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n",
        );
        assert_eq!(
            serde_json::to_string(&json).expect("serialises"),
            r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":{"Ref":"Cidr"},"Tags":[{"Key":"Name","Value":{"Fn::Sub":"${AWS::StackName}-vpc"}}]}},"Sg":{"Type":"AWS::EC2::SecurityGroup"}}}"#
        );
    }

    #[test]
    fn numbers_json_cannot_write_as_written_stay_strings() {
        let json = json_of("A: 10\nB: 0.5\nC: 1.10\nD: true\nE: ~\nF: '7'\n");
        assert_eq!(
            json,
            serde_json::json!({"A": 10, "B": 0.5, "C": "1.10", "D": true, "E": null, "F": "7"})
        );
    }
}
