//! Diagnostics: what the template crate reports instead of failing on the first problem.
//! Plain data; the CLI decides how to show them.

use crate::source::Span;

/// One problem found in a template, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the problem is, when it has a place in a file.
    pub span: Option<Span>,
    /// What is wrong, in one sentence, naming the thing.
    pub message: String,
    /// Further lines: hints, or the other places involved (e.g. each member of a cycle).
    pub notes: Vec<Note>,
}

/// A secondary line of a [`Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where the note points, if anywhere.
    pub span: Option<Span>,
    /// The note's text.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `span`.
    pub fn at(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            span: Some(span),
            message: message.into(),
            notes: Vec::new(),
        }
    }

    /// A diagnostic with no place in a file.
    pub fn global(message: impl Into<String>) -> Self {
        Diagnostic {
            span: None,
            message: message.into(),
            notes: Vec::new(),
        }
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, span: Option<Span>, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            span,
            message: message.into(),
        });
        self
    }
}

/// Every problem found in one run, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{} error(s) in template", .0.len())]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was reported, else `Err(self)`.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}
