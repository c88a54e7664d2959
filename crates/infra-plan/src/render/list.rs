//! Lists: elements aligned before/after (by a `Key` or `Name` field when every element has a
//! unique one, otherwise by a longest-common-subsequence diff of whole elements, pairing
//! mappings at the same place as in-place changes) and laid out as `[ ... ]` with per-element
//! marks. Lists of scalars show the unchanged element on each side of a change as context,
//! as Terraform does.

use infra_template::Value;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::style::indent;
use super::value::{Ctx, Place, change, join, same};

/// Fields that identify an element of a list of mappings, tried in this order.
const IDENTITY_FIELDS: &[&str] = &["Key", "Name"];

/// One element of the aligned list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// Unchanged (old index, new index).
    Same(usize, usize),
    /// Changed in place (old index, new index).
    Changed(usize, usize),
    /// Added (new index).
    Added(usize),
    /// Removed (old index).
    Removed(usize),
}

/// The list `before` → `after` at `level`, as the text after `key = `.
pub(crate) fn list_diff(
    ctx: &Ctx<'_>,
    path: &str,
    before: &[Value],
    after: &[Value],
    level: usize,
    show_all: bool,
) -> String {
    if before.is_empty() && after.is_empty() {
        return "[]".to_string();
    }
    let field = identity_field(before, after);
    let items = align(ctx, path, before, after, field);
    let context = !before
        .iter()
        .chain(after)
        .all(|v| matches!(v, Value::Map(_)));
    let show = show_all || ctx.show_unchanged;
    let style = ctx.style;

    let element = |item: Item, show_all: bool| -> String {
        let (b, a, index) = match item {
            Item::Same(o, n) | Item::Changed(o, n) => (Some(&before[o]), Some(&after[n]), n),
            Item::Added(n) => (None, Some(&after[n]), n),
            Item::Removed(o) => (Some(&before[o]), None, o),
        };
        let place = Place {
            top: false,
            show_all,
            important: field,
        };
        let (mark, text) = change(
            ctx,
            &join(path, &index.to_string()),
            None,
            b,
            a,
            level + 1,
            place,
        );
        format!("{}{} {text},", indent(level + 1), style.mark(mark))
    };
    let hidden_line = |n: usize| format!("{}    {}", indent(level + 1), style.hidden(n, "element"));

    // Terraform's walk: unchanged elements are counted; around a change the element just
    // before and just after it are shown (lists of scalars only).
    let mut lines = Vec::new();
    let mut unchanged: Vec<Item> = Vec::new();
    let mut render_next = false;
    for item in items {
        let is_same = matches!(item, Item::Same(..));
        if is_same && !render_next && !show {
            unchanged.push(item);
            continue;
        }
        render_next = false;
        if context {
            if unchanged.len() > 1 {
                lines.push(hidden_line(unchanged.len() - 1));
            }
            if let Some(last) = unchanged.last() {
                lines.push(element(*last, true));
            }
            unchanged.clear();
            render_next = !is_same;
        }
        lines.push(element(item, show_all || is_same));
    }
    if !unchanged.is_empty() {
        lines.push(hidden_line(unchanged.len()));
    }
    format!("[\n{}\n{}    ]", lines.join("\n"), indent(level))
}

/// The field that identifies every element on both sides, uniquely on each side.
fn identity_field(before: &[Value], after: &[Value]) -> Option<&'static str> {
    IDENTITY_FIELDS.iter().copied().find(|field| {
        [before, after].iter().all(|side| {
            let ids: Option<Vec<&str>> = side.iter().map(|v| id_of(v, field)).collect();
            ids.is_some_and(|mut ids| {
                let n = ids.len();
                ids.sort_unstable();
                ids.dedup();
                ids.len() == n
            })
        })
    })
}

fn id_of<'v>(value: &'v Value, field: &str) -> Option<&'v str> {
    match value {
        Value::Map(m) => match m.get(field) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Pairs the elements of both sides.
fn align(
    ctx: &Ctx<'_>,
    path: &str,
    before: &[Value],
    after: &[Value],
    field: Option<&str>,
) -> Vec<Item> {
    let ids = |side: &[Value]| -> Vec<String> {
        side.iter()
            .map(|v| match field.and_then(|f| id_of(v, f)) {
                Some(id) => id.to_string(),
                None => v.to_string(),
            })
            .collect()
    };
    let (old_ids, new_ids) = (ids(before), ids(after));
    let mut items = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_ids, &new_ids) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    let (o, n) = (old_index + i, new_index + i);
                    let alike = same(ctx, &join(path, &n.to_string()), &before[o], &after[n]);
                    items.push(if alike {
                        Item::Same(o, n)
                    } else {
                        Item::Changed(o, n)
                    });
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                items.extend((old_index..old_index + old_len).map(Item::Removed));
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                items.extend((new_index..new_index + new_len).map(Item::Added));
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Elements at the same place that are both mappings (or both lists) are one
                // element changed in place, unless elements are identified by a field.
                let mut removed = Vec::new();
                let mut added = Vec::new();
                for i in 0..old_len.max(new_len) {
                    let (o, n) = (old_index + i, new_index + i);
                    let pair = i < old_len
                        && i < new_len
                        && field.is_none()
                        && nested_alike(&before[o], &after[n]);
                    if pair {
                        items.append(&mut removed);
                        items.append(&mut added);
                        items.push(Item::Changed(o, n));
                        continue;
                    }
                    if i < old_len {
                        removed.push(Item::Removed(o));
                    }
                    if i < new_len {
                        added.push(Item::Added(n));
                    }
                }
                items.append(&mut removed);
                items.append(&mut added);
            }
        }
    }
    items
}

fn nested_alike(a: &Value, b: &Value) -> bool {
    matches!(
        (a, b),
        (Value::Map(_), Value::Map(_)) | (Value::List(_), Value::List(_))
    )
}
