//! Text for the comment: text-plan blocks as bodies of ```` ```diff ```` fences, fences no
//! body can close, and escaping for Markdown text, code spans, table cells and HTML.

/// Terraform's markers as found after a line's leading spaces, longest first, and what GitHub's
/// diff highlighting needs in column 0 instead (`!` is its "changed"). A
/// forget's `.` alone is left in place: GitHub gives it no colour, and a line of text may
/// start with one (`. /etc/profile` in user data).
const MARKERS: [(&str, &str); 7] = [
    ("-/+", "-/+"),
    ("+/-", "+/-"),
    ("./+", "./+"),
    ("+/.", "+/."),
    ("+", "+"),
    ("-", "-"),
    ("~", "!"),
];

/// `text` (lines of the text plan) with each line's marker moved to column 0, so GitHub colours
/// the line: `      ~ CidrBlock = ...` becomes `!       CidrBlock = ...`. The marker's old
/// place becomes spaces, so every line keeps its columns. A line without a marker keeps its
/// leading space, or gets one. Ends with a newline unless empty.
pub(super) fn diff_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        let rest = line.trim_start_matches(' ');
        let indent = line.len() - rest.len();
        match marker(rest) {
            Some((found, shown)) => {
                out.push_str(shown);
                out.extend(std::iter::repeat_n(' ', indent));
                out.push_str(&rest[found.len()..]);
            }
            None if line.is_empty() || indent > 0 => out.push_str(line),
            None => {
                out.push(' ');
                out.push_str(line);
            }
        }
        out.push('\n');
    }
    out
}

/// The marker `rest` starts with, when it is followed by a space or ends the line.
fn marker(rest: &str) -> Option<(&'static str, &'static str)> {
    MARKERS.into_iter().find(|(found, _)| {
        rest.strip_prefix(found)
            .is_some_and(|after| after.is_empty() || after.starts_with(' '))
    })
}

/// A backtick fence longer than any run of backticks in `body`, so no line of it can close it.
pub(super) fn fence(body: &str) -> String {
    "`".repeat(longest_backtick_run(body).max(2) + 1)
}

fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// `text` as a Markdown code span, whatever backticks it holds.
pub(super) fn code_span(text: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run(text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A code span for a table cell: `|` escaped, which GitHub's tables require even inside code.
pub(super) fn table_code(text: &str) -> String {
    code_span(text).replace('|', "\\|")
}

/// `text` for HTML: `&`, `<` and `>` as entities.
pub(super) fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as Markdown that shows it literally: HTML characters as entities, and characters that
/// would start emphasis, code, links, headings, strikethrough or table cells escaped.
pub(super) fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_move_to_column_zero_keeping_columns() {
        let text = concat!(
            "  # (because it was tainted)\n",
            "-/+ resource \"AWS::EC2::Subnet\" \"Vpc.Subnet\" {\n",
            "      ~ CidrBlock = \"a\" -> \"b\" # forces replacement\n",
            "      + Tags      = [\n",
            "          - \"x\",\n",
            "        ]\n",
            "        # (3 unchanged attributes hidden)\n",
            "    }\n",
            "\n",
            "}\n",
            "      -1\n",
        );
        let want = concat!(
            "  # (because it was tainted)\n",
            "-/+ resource \"AWS::EC2::Subnet\" \"Vpc.Subnet\" {\n",
            "!       CidrBlock = \"a\" -> \"b\" # forces replacement\n",
            "+       Tags      = [\n",
            "-           \"x\",\n",
            "        ]\n",
            "        # (3 unchanged attributes hidden)\n",
            "    }\n",
            "\n",
            " }\n",
            "      -1\n",
        );
        assert_eq!(diff_body(text), want);
        let columns = |s: &str| s.lines().map(|l| l.find('=')).collect::<Vec<_>>();
        assert_eq!(columns(text), columns(want));
    }

    #[test]
    fn fences_outlast_any_backtick_run() {
        assert_eq!(fence("no ticks"), "```");
        assert_eq!(fence("``` inside"), "````");
        assert_eq!(fence("a ````` b"), "``````");
    }

    #[test]
    fn escaping() {
        assert_eq!(code_span("Vpc.Subnet"), "`Vpc.Subnet`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
        assert_eq!(table_code("a|b"), "`a\\|b`");
        assert_eq!(html("<a & b>"), "&lt;a &amp; b&gt;");
        assert_eq!(
            markdown_text("*a_b* [c] <d>"),
            "\\*a\\_b\\* \\[c\\] &lt;d&gt;"
        );
    }
}
