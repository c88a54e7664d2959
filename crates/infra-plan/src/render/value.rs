//! Property-level diffs of one resource: each value's mark (`+`, `~`, `-`, unchanged), mappings
//! as `{ ... }` blocks with aligned `=`, scalars as `old -> new`, `(known after apply)`,
//! `(sensitive value)`, ` -> null`, `# forces replacement`, and hidden-unchanged counts.
//! Lists are laid out by `super::list`; heredocs and JSON documents by `super::text`.

use std::collections::{BTreeMap, BTreeSet};

use infra_template::Value;

use super::list;
use super::style::{Mark, Style, indent};
use super::text::{self, SENSITIVE, Secrets, Shape, UNKNOWN, Wrapper};

/// What every value of one resource is rendered with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub(crate) style: Style,
    pub(crate) secrets: Secrets<'a>,
    pub(crate) show_unchanged: bool,
    /// Paths (`/`-separated) whose change forces replacement.
    pub(crate) replace_paths: &'a [String],
    /// The resource type, to know which top-level lists are unordered.
    pub(crate) type_name: &'a str,
}

/// How a value is placed in its parent.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Place<'a> {
    /// A top-level attribute: removing it prints ` -> null`.
    pub(crate) top: bool,
    /// Show unchanged children too (an unchanged list element shown as context).
    pub(crate) show_all: bool,
    /// A field of a list element that identifies it: shown even when unchanged.
    pub(crate) important: Option<&'a str>,
}

/// The body of a resource, `{ ... }`, from its properties before and after.
pub(crate) fn resource_body(
    ctx: &Ctx<'_>,
    before: Option<&Value>,
    after: Option<&Value>,
) -> String {
    let place = Place {
        top: true,
        ..Place::default()
    };
    map_diff(ctx, "", as_map(before), as_map(after), 0, place)
}

fn as_map(v: Option<&Value>) -> Option<&BTreeMap<String, Value>> {
    match v {
        Some(Value::Map(m)) => Some(m),
        _ => None,
    }
}

/// The value under `key`, a null counting as absent.
fn present<'v>(m: Option<&'v BTreeMap<String, Value>>, key: &str) -> Option<&'v Value> {
    m.and_then(|m| m.get(key))
        .filter(|v| !matches!(v, Value::Null))
}

/// `parent/child`, or `child` at the top.
pub(crate) fn join(path: &str, child: &str) -> String {
    if path.is_empty() {
        child.to_string()
    } else {
        format!("{path}/{child}")
    }
}

/// The change of one value at `level`. The text starts right after `key = ` (or after the
/// mark of a list element); its further lines carry their own indentation.
pub(crate) fn change(
    ctx: &Ctx<'_>,
    path: &str,
    key: Option<&str>,
    before: Option<&Value>,
    after: Option<&Value>,
    level: usize,
    place: Place<'_>,
) -> (Mark, String) {
    let mark = mark_of(ctx, path, before, after);
    (
        mark,
        render(ctx, path, key, before, after, mark, level, place),
    )
}

/// What happens to a value.
fn mark_of(ctx: &Ctx<'_>, path: &str, before: Option<&Value>, after: Option<&Value>) -> Mark {
    match (before, after) {
        (None, None) => Mark::Same,
        (None, Some(_)) => Mark::Create,
        (Some(_), None) => Mark::Delete,
        (Some(b), Some(a)) if same(ctx, path, b, a) => Mark::Same,
        (Some(_), Some(_)) => Mark::Update,
    }
}

/// [`change`] with the mark already known.
#[allow(clippy::too_many_arguments)]
fn render(
    ctx: &Ctx<'_>,
    path: &str,
    key: Option<&str>,
    before: Option<&Value>,
    after: Option<&Value>,
    mark: Mark,
    level: usize,
    place: Place<'_>,
) -> String {
    let b = text::shape(before, key, ctx.secrets);
    let a = text::shape(after, key, ctx.secrets);
    let mut out = match mark {
        Mark::Create => whole(ctx, path, &a, Mark::Create, level, place),
        Mark::Delete => {
            let mut t = whole(ctx, path, &b, Mark::Delete, level, place);
            if place.top {
                t.push_str(&ctx.style.null_suffix());
            }
            t
        }
        Mark::Same => whole(ctx, path, &a, Mark::Same, level, place),
        Mark::Update => update(ctx, path, &b, &a, level, place),
    };
    if mark != Mark::Same && ctx.replace_paths.iter().any(|p| p == path) {
        let at = out.find('\n').unwrap_or(out.len());
        out.insert_str(at, &ctx.style.forces_replacement());
    }
    out
}

/// A value shown whole, every part carrying `mark` (created, destroyed or unchanged).
fn whole(
    ctx: &Ctx<'_>,
    path: &str,
    shape: &Shape<'_>,
    mark: Mark,
    level: usize,
    place: Place<'_>,
) -> String {
    let place = Place {
        show_all: place.show_all || mark == Mark::Same,
        top: false,
        important: None,
    };
    match shape {
        Shape::Absent => "null".to_string(),
        Shape::Unknown => UNKNOWN.to_string(),
        Shape::Sensitive => SENSITIVE.to_string(),
        Shape::Scalar(t) => t.clone(),
        Shape::Str(s) if s.contains('\n') => text::block(
            ctx.style,
            Wrapper::Heredoc,
            &text::plain(&text::string_lines(s, false)),
            level,
        ),
        Shape::Str(s) => text::quote(s),
        Shape::Json(lines) => text::block(ctx.style, Wrapper::Json, &text::plain(lines), level),
        Shape::Map(m) => {
            let (b, a) = sides(mark, *m);
            map_diff(ctx, path, b, a, level, place)
        }
        Shape::List(l) => {
            let (b, a) = sides(mark, *l);
            list::list_diff(
                ctx,
                path,
                b.unwrap_or(&[]),
                a.unwrap_or(&[]),
                level,
                place.show_all,
            )
        }
    }
}

/// The before and after of a value shown whole with `mark`.
fn sides<T: ?Sized>(mark: Mark, v: &T) -> (Option<&T>, Option<&T>) {
    match mark {
        Mark::Create => (None, Some(v)),
        Mark::Delete => (Some(v), None),
        Mark::Same | Mark::Update => (Some(v), Some(v)),
    }
}

/// A value changed in place.
fn update(
    ctx: &Ctx<'_>,
    path: &str,
    b: &Shape<'_>,
    a: &Shape<'_>,
    level: usize,
    place: Place<'_>,
) -> String {
    let style = ctx.style;
    let arrow = style.arrow();
    match (b, a) {
        (Shape::Sensitive, _) | (_, Shape::Sensitive) => SENSITIVE.to_string(),
        (Shape::Unknown, Shape::Unknown) => UNKNOWN.to_string(),
        (Shape::Str(x), Shape::Str(y)) if x.contains('\n') || y.contains('\n') => {
            let keep = x.ends_with('\n') != y.ends_with('\n');
            let (x, y) = (text::string_lines(x, keep), text::string_lines(y, keep));
            let lines = text::line_diff(style, &x, &y, ctx.show_unchanged);
            text::block(style, Wrapper::Heredoc, &lines, level)
        }
        (Shape::Json(x), Shape::Json(y)) => {
            let lines = text::line_diff(style, x, y, ctx.show_unchanged);
            text::block(style, Wrapper::Json, &lines, level)
        }
        (Shape::Map(x), Shape::Map(y)) => map_diff(
            ctx,
            path,
            Some(*x),
            Some(*y),
            level,
            Place {
                top: false,
                ..place
            },
        ),
        (Shape::List(x), Shape::List(y)) => list::list_diff(ctx, path, x, y, level, place.show_all),
        (old, Shape::Unknown) => format!(
            "{} {arrow} {UNKNOWN}",
            whole(ctx, path, old, Mark::Delete, level, place)
        ),
        (old, new) if single_line(old) && single_line(new) => {
            format!(
                "{} {arrow} {}",
                whole(ctx, path, old, Mark::Same, level, place),
                whole(ctx, path, new, Mark::Same, level, place)
            )
        }
        (old, new) => {
            // A change of kind (a string that became a mapping, ...): the old value removed,
            // the new one added.
            format!(
                "{} {arrow} {}",
                whole(ctx, path, old, Mark::Delete, level, place),
                whole(ctx, path, new, Mark::Create, level, place)
            )
        }
    }
}

fn single_line(shape: &Shape<'_>) -> bool {
    match shape {
        Shape::Scalar(_) | Shape::Unknown | Shape::Sensitive | Shape::Absent => true,
        Shape::Str(s) => !s.contains('\n'),
        Shape::Json(_) | Shape::Map(_) | Shape::List(_) => false,
    }
}

/// A mapping as a `{ ... }` block: one line per key, `=` aligned over every key (as Terraform
/// aligns), unchanged keys counted instead of shown unless asked for.
pub(crate) fn map_diff(
    ctx: &Ctx<'_>,
    path: &str,
    before: Option<&BTreeMap<String, Value>>,
    after: Option<&BTreeMap<String, Value>>,
    level: usize,
    place: Place<'_>,
) -> String {
    let keys: BTreeSet<&String> = before
        .into_iter()
        .chain(after)
        .flat_map(BTreeMap::iter)
        .filter(|(_, v)| !matches!(v, Value::Null))
        .map(|(k, _)| k)
        .collect();
    if keys.is_empty() {
        return "{}".to_string();
    }
    let names: Vec<String> = keys.iter().map(|k| key_name(ctx.secrets, k)).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let show = place.show_all || ctx.show_unchanged;
    let child_place = Place {
        top: place.top,
        show_all: place.show_all,
        important: None,
    };
    let mut lines = Vec::new();
    let mut hidden = 0;
    for (key, name) in keys.iter().zip(&names) {
        let child = join(path, key);
        let (b, a) = (present(before, key), present(after, key));
        let mark = mark_of(ctx, &child, b, a);
        if mark == Mark::Same && !show && place.important != Some(key.as_str()) {
            hidden += 1;
            continue;
        }
        let value = render(ctx, &child, Some(key), b, a, mark, level + 1, child_place);
        lines.push(format!(
            "{}{} {name:<width$} = {value}",
            indent(level + 1),
            ctx.style.mark(mark)
        ));
    }
    if hidden > 0 {
        lines.push(format!(
            "{}    {}",
            indent(level + 1),
            ctx.style.hidden(hidden, "attribute")
        ));
    }
    format!("{{\n{}\n{}    }}", lines.join("\n"), indent(level))
}

/// A key as printed: bare when it is an identifier, quoted otherwise; secrets scrubbed.
fn key_name(secrets: Secrets<'_>, key: &str) -> String {
    let key = secrets.scrub(key);
    let mut chars = key.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident { key } else { text::quote(&key) }
}

/// Whether two values mean the same, as the diff compares them: `80` is `"80"`, a JSON
/// document equals itself in any key order or form, two unknown values are alike, and a
/// top-level list the schema marks unordered compares as a set.
pub(crate) fn same(ctx: &Ctx<'_>, path: &str, a: &Value, b: &Value) -> bool {
    if !a.has_unknown() && !b.has_unknown() {
        if let (Value::List(x), Value::List(y)) = (a, b)
            && unordered(ctx.type_name, path)
        {
            return x.len() == y.len()
                && x.iter().all(|v| y.iter().any(|w| crate::plan::equal(v, w)))
                && y.iter().all(|w| x.iter().any(|v| crate::plan::equal(v, w)));
        }
        return crate::plan::equal(a, b);
    }
    match (a, b) {
        (Value::Unknown(_), Value::Unknown(_)) => true,
        (Value::Map(x), Value::Map(y)) => {
            let known = |m: &BTreeMap<String, Value>| {
                m.iter().filter(|(_, v)| !matches!(v, Value::Null)).count()
            };
            known(x) == known(y)
                && x.iter()
                    .filter(|(_, v)| !matches!(v, Value::Null))
                    .all(|(k, v)| y.get(k).is_some_and(|w| same(ctx, &join(path, k), v, w)))
        }
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .enumerate()
                    .all(|(i, (v, w))| same(ctx, &join(path, &i.to_string()), v, w))
        }
        _ => false,
    }
}

fn unordered(type_name: &str, path: &str) -> bool {
    !path.contains('/')
        && infra_registry::resource_type(type_name)
            .and_then(|rt| rt.property(path))
            .is_some_and(|p| !p.insertion_order)
}
