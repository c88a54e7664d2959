//! `infra types [--json | --markdown]`: every resource type infra can deploy and how, as each
//! registered provider states it ([`ResourceProvider::coverage`]): the deploy path, how a
//! refresh reads the type, how an interrupted create is found again. The one source of truth
//! about coverage: `docs/resource-types.md` is this command's `--markdown` output, and a test
//! fails when the two differ.
//!
//! [`ResourceProvider::coverage`]: infra_aws::provider::ResourceProvider::coverage

use std::fmt::Write as _;
use std::process::ExitCode;

use infra_aws::provider::{Coverage, DeployPath, Find, Refresh};
use serde_json::json;

use crate::cli::TypesArgs;
use crate::output::Output;

/// One listed type.
struct Row {
    type_name: &'static str,
    coverage: Coverage,
}

pub fn run(args: &TypesArgs, out: &Output) -> anyhow::Result<ExitCode> {
    let rows = rows();
    if args.json {
        out.line(&serde_json::to_string_pretty(&to_json(&rows))?);
    } else if args.markdown {
        out.raw(&markdown(&rows));
    } else {
        out.raw(&table(&rows));
    }
    Ok(ExitCode::SUCCESS)
}

/// Every registered provider's type and coverage, sorted by type.
fn rows() -> Vec<Row> {
    let providers = infra_aws::providers::catalog();
    providers
        .types()
        .filter_map(|type_name| {
            Some(Row {
                type_name,
                coverage: providers.get(type_name)?.coverage(),
            })
        })
        .collect()
}

fn to_json(rows: &[Row]) -> serde_json::Value {
    rows.iter()
        .map(|r| {
            json!({
                "type": r.type_name,
                "path": r.coverage.path.as_str(),
                "refresh": r.coverage.refresh.as_str(),
                "find": r.coverage.find.as_str(),
                "refresh_calls": r.coverage.refresh_calls,
                "find_by": r.coverage.find_by,
            })
        })
        .collect()
}

/// The columns of the text table and the Markdown one.
fn cells(r: &Row) -> [&'static str; 4] {
    [
        r.type_name,
        r.coverage.path.as_str(),
        r.coverage.refresh.as_str(),
        r.coverage.find.as_str(),
    ]
}

/// A table for a terminal: one line per type, then what each word means.
fn table(rows: &[Row]) -> String {
    let header = ["TYPE", "PATH", "REFRESH", "FIND"];
    let mut widths = header.map(str::len);
    for r in rows {
        for (w, c) in widths.iter_mut().zip(cells(r)) {
            *w = (*w).max(c.len());
        }
    }
    let line = |cols: [&str; 4]| {
        let mut s = String::new();
        for (i, (c, w)) in cols.iter().zip(widths).enumerate() {
            if i + 1 == cols.len() {
                s.push_str(c);
            } else {
                let _ = write!(s, "{c:w$}  ");
            }
        }
        s.push('\n');
        s
    };
    let mut s = line(header);
    for r in rows {
        s.push_str(&line(cells(r)));
    }
    let _ = writeln!(s, "\n{} types.", rows.len());
    for (word, meaning) in legend() {
        let _ = writeln!(s, "  {word}: {meaning}");
    }
    s.push_str("The calls each makes: infra types --json, or docs/resource-types.md.\n");
    s
}

/// Each word a column may hold, with its meaning, in column order.
fn legend() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for p in DeployPath::ALL {
        out.push((format!("path {}", p.as_str()), p.meaning()));
    }
    for r in Refresh::ALL {
        out.push((format!("refresh {}", r.as_str()), r.meaning()));
    }
    for f in Find::ALL {
        out.push((format!("find {}", f.as_str()), f.meaning()));
    }
    out
}

/// `docs/resource-types.md`.
fn markdown(rows: &[Row]) -> String {
    let mut s = String::from(
        "# Resource types\n\n\
         <!-- Generated: `cargo run -q -p infra-cli --bin infra -- types --markdown > docs/resource-types.md`. \
         Do not edit by hand: tests/types_e2e.rs fails when this file differs from what the \
         command prints. -->\n\n",
    );
    let _ = writeln!(
        s,
        "The {} resource types `infra` can deploy, and how, as each provider states it. \
         `infra types` prints the same list (`--json` for scripts); a template whose types are \
         all here can be planned and applied.\n",
        rows.len()
    );
    s.push_str(
        "- **path**: how infra deploys the type.\n\
         - **refresh**: how `plan`, `refresh` and `apply` read what exists.\n\
         - **find**: how a create that was interrupted (the process killed between the AWS call \
         and the state write) is found again, so the next run adopts it rather than making a \
         second one (see [reliability](reliability.md)).\n\n",
    );
    s.push_str("| word | meaning |\n|---|---|\n");
    for (word, meaning) in legend() {
        let _ = writeln!(s, "| {word} | {} |", escape(meaning));
    }
    s.push_str(
        "\n| type | path | refresh | find | refresh calls | found by |\n\
         |---|---|---|---|---|---|\n",
    );
    for r in rows {
        let [type_name, path, refresh, find] = cells(r);
        let _ = writeln!(
            s,
            "| `{type_name}` | {path} | {refresh} | {find} | {} | {} |",
            escape(r.coverage.refresh_calls),
            escape(r.coverage.find_by)
        );
    }
    s
}

/// A table cell's text: `|` would end the cell.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_listed_once_in_every_format() {
        let rows = rows();
        assert!(!rows.is_empty());
        let json = to_json(&rows);
        let listed: Vec<&str> = json
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|o| o["type"].as_str())
            .collect();
        let types: Vec<&str> = rows.iter().map(|r| r.type_name).collect();
        assert_eq!(listed, types);
        let md = markdown(&rows);
        let text = table(&rows);
        for t in types {
            assert_eq!(md.matches(&format!("| `{t}` |")).count(), 1, "{t}");
            assert_eq!(
                text.lines()
                    .filter(|l| l.split_whitespace().next() == Some(t))
                    .count(),
                1,
                "{t}"
            );
        }
    }
}
