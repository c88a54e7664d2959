//! Keeping the comment within GitHub's size limit. The comment is a list of parts: text that is
//! always shown, and `<details>` blocks whose diffs may be left out. When the whole comment is
//! too long, the largest diffs are replaced by a one-line note first; when it is still too long
//! with every diff left out, resource blocks are dropped from the end; as a last resort (text
//! alone over the limit) the text is cut short. Any cut is stated in a visible line right after
//! the first part (the heading). Lengths are counted as `chars()`.

use std::fmt::Write as _;

use super::lines::fence;

/// What a block shows the diff of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// One resource's planned change.
    Change,
    /// Everything refresh found changed outside infra.
    Drift,
}

/// A collapsed block: `<details><summary>{summary}</summary>` and a diff fence.
#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) kind: Kind,
    /// The HTML inside `<summary>`, already escaped.
    pub(super) summary: String,
    /// The fence's body, lines ending with a newline.
    pub(super) diff: String,
}

/// A piece of the comment, in order.
#[derive(Debug, Clone)]
pub(super) enum Part {
    /// Markdown always shown.
    Text(String),
    /// A block whose diff may be left out, or that may be dropped.
    Block(Block),
}

impl Block {
    fn full(&self) -> String {
        let fence = fence(&self.diff);
        format!(
            "<details><summary>{}</summary>\n\n{fence}diff\n{}{fence}\n\n</details>\n\n",
            self.summary, self.diff
        )
    }

    fn cut(&self) -> String {
        let n_lines = self.diff.lines().count();
        let lines = if n_lines == 1 { "line" } else { "lines" };
        format!(
            "<details><summary>{}</summary>\n\nDiff of {n_lines} {lines} left out: run `infra plan` to see it.\n\n</details>\n\n",
            self.summary
        )
    }
}

/// How the comment was cut.
#[derive(Debug, Clone, Copy, Default)]
struct Cut {
    /// Resource blocks shown without their diff.
    changes: usize,
    /// The drift block is shown without its diff.
    drift: bool,
    /// Resource blocks dropped from the end.
    dropped: usize,
    /// The text is cut short.
    truncated: bool,
}

impl Cut {
    fn any(self) -> bool {
        self.changes > 0 || self.drift || self.dropped > 0 || self.truncated
    }

    /// The visible statement of the cut, after the heading.
    fn note(self) -> String {
        if !self.any() {
            return String::new();
        }
        let mut what = Vec::new();
        match self.changes {
            0 => {}
            1 => what.push("the diff of 1 resource is left out".to_owned()),
            n => what.push(format!(
                "the diffs of {n} resources are left out (largest first)"
            )),
        }
        if self.drift {
            what.push("the diff of the drift is left out".to_owned());
        }
        match self.dropped {
            0 => {}
            1 => what.push("the last resource is not listed".to_owned()),
            n => what.push(format!("the last {n} resources are not listed")),
        }
        if self.truncated {
            what.push("the text is cut short".to_owned());
        }
        format!(
            "> **Note:** the comment is cut to GitHub's size limit: {}. Run `infra plan` for the full plan.\n\n",
            what.join("; ")
        )
    }

    /// The line that ends a comment whose last blocks were dropped.
    fn tail(self) -> String {
        let mut out = String::new();
        match self.dropped {
            0 => {}
            1 => out.push_str("_1 more resource is not listed here._\n\n"),
            n => {
                let _ = write!(out, "_{n} more resources are not listed here._\n\n");
            }
        }
        out
    }

    fn extra(self) -> usize {
        chars(&self.note()) + chars(&self.tail())
    }
}

/// How a part is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Full,
    Cut,
    Dropped,
}

/// `text` ending with exactly one blank line, or nothing when it is blank.
fn paragraphs(text: &str) -> String {
    let text = text.trim_end();
    if text.is_empty() {
        String::new()
    } else {
        format!("{text}\n\n")
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// The comment from `parts`, at most `limit` characters, ending with one newline.
pub(super) fn fit(parts: Vec<Part>, limit: usize) -> String {
    let full: Vec<String> = parts
        .iter()
        .map(|p| match p {
            Part::Text(text) => paragraphs(text),
            Part::Block(block) => block.full(),
        })
        .collect();
    let cut_text: Vec<String> = parts
        .iter()
        .map(|p| match p {
            Part::Text(_) => String::new(),
            Part::Block(block) => block.cut(),
        })
        .collect();
    let full_len: Vec<usize> = full.iter().map(|t| chars(t)).collect();
    let cut_len: Vec<usize> = cut_text.iter().map(|t| chars(t)).collect();
    let kind = |idx: usize| match &parts[idx] {
        Part::Text(_) => None,
        Part::Block(block) => Some(block.kind),
    };

    let mut shown = vec![Shown::Full; parts.len()];
    let mut cut = Cut::default();
    let mut total: usize = full_len.iter().sum();
    // Every piece ends with a blank line; the comment ends with one newline.
    let fits = |total: usize, cut: Cut| (total + cut.extra()).saturating_sub(1) <= limit;

    // The largest diffs first; equal sizes in comment order.
    let mut largest: Vec<usize> = (0..parts.len()).filter(|&i| kind(i).is_some()).collect();
    largest.sort_by(|&a, &b| full_len[b].cmp(&full_len[a]).then(a.cmp(&b)));
    for idx in largest {
        if fits(total, cut) {
            break;
        }
        total = total - full_len[idx] + cut_len[idx];
        shown[idx] = Shown::Cut;
        match kind(idx) {
            Some(Kind::Change) => cut.changes += 1,
            Some(Kind::Drift) => cut.drift = true,
            None => {}
        }
    }
    for idx in (0..parts.len()).rev() {
        if fits(total, cut) {
            break;
        }
        if kind(idx) == Some(Kind::Change) {
            total -= match shown[idx] {
                Shown::Cut => {
                    cut.changes -= 1;
                    cut_len[idx]
                }
                Shown::Full | Shown::Dropped => full_len[idx],
            };
            shown[idx] = Shown::Dropped;
            cut.dropped += 1;
        }
    }

    let assemble = |cut: Cut| {
        let mut out = String::new();
        for (idx, text) in full.iter().enumerate() {
            match shown[idx] {
                Shown::Full => out.push_str(text),
                Shown::Cut => out.push_str(&cut_text[idx]),
                Shown::Dropped => {}
            }
            if idx == 0 {
                out.push_str(&cut.note());
            }
        }
        out.push_str(&cut.tail());
        if out.ends_with("\n\n") {
            out.pop();
        }
        out
    };
    let out = assemble(cut);
    if chars(&out) <= limit {
        return out;
    }
    // Text alone over the limit: keep its start.
    const ENDING: &str = "\n\n…\n";
    cut.truncated = true;
    let mut out = assemble(cut);
    if let Some((end, _)) = out.char_indices().nth(limit.saturating_sub(chars(ENDING))) {
        out.truncate(end);
        out.push_str(ENDING);
    }
    out
}
