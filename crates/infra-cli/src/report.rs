//! Template diagnostics shown the way compilers show them:
//!
//! ```text
//! cluster.yml:12:7: error: unsupported resource type `AWS::EC2::Foo` of `Thing`
//!    12 |     Type: AWS::EC2::Foo
//!       |           ^^^^^^^^^^^^^
//! ```
//!
//! One `FILE:LINE:COL: error:` line per problem (easy to grep and to jump to from an editor),
//! then the source line and a caret under the span.

use infra_template::{Diagnostic, Sources, Span};

use crate::output::{Output, Style};

/// Prints every diagnostic and a closing count.
pub fn diagnostics(out: &Output, sources: &Sources, diags: &[Diagnostic]) {
    // In file order, then position: the order a reader fixes them in.
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| d.span.map(|s| (s.file, s.line, s.col)));
    for d in sorted {
        out.diag(&render(out, sources, d));
    }
    let n = diags.len();
    out.diag(&format!(
        "{}: template is not valid: {n} error{}",
        out.paint(Style::Error, "error"),
        if n == 1 { "" } else { "s" }
    ));
}

fn location(sources: &Sources, span: &Span) -> String {
    format!(
        "{}:{}:{}",
        sources.path(span.file).display(),
        span.line,
        span.col
    )
}

/// One diagnostic as text.
pub fn render(out: &Output, sources: &Sources, d: &Diagnostic) -> String {
    let mut text = match &d.span {
        Some(span) => format!(
            "{}: {}: {}",
            location(sources, span),
            out.paint(Style::Error, "error"),
            d.message
        ),
        None => format!("{}: {}", out.paint(Style::Error, "error"), d.message),
    };
    if let Some(span) = &d.span {
        snippet(out, sources, span, &mut text);
    }
    for note in &d.notes {
        match &note.span {
            Some(span) => {
                text.push_str(&format!(
                    "\n{}: {}: {}",
                    location(sources, span),
                    out.paint(Style::Bold, "note"),
                    note.message
                ));
            }
            None => text.push_str(&format!(
                "\n  {}: {}",
                out.paint(Style::Bold, "note"),
                note.message
            )),
        }
    }
    text
}

fn snippet(out: &Output, sources: &Sources, span: &Span, text: &mut String) {
    let Some(file) = sources.get(span.file) else {
        return;
    };
    // An empty file (or a position past its end) still shows an empty line and a caret.
    let line = file.line_text(span.line).unwrap_or("");
    let line = line.trim_end_matches('\r');
    let number = span.line.to_string();
    let gutter = " ".repeat(number.len());
    let col = (span.col as usize).saturating_sub(1);
    // The caret covers the span on its first line (at least one character).
    let line_chars = line.chars().count();
    let span_chars = file.text.get(span.start..span.end).map_or(1, |s| {
        s.lines().next().map_or(1, |l| l.trim_end().chars().count())
    });
    let width = span_chars.clamp(1, line_chars.saturating_sub(col).max(1));
    let pad: String = line
        .chars()
        .take(col)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    text.push_str(&format!(
        "\n {} {} {line}\n {gutter} {} {pad}{}",
        out.paint(Style::Dim, &number),
        out.paint(Style::Dim, "|"),
        out.paint(Style::Dim, "|"),
        out.paint(Style::Error, &"^".repeat(width))
    ));
}
