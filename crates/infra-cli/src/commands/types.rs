//! `infra types [--json | --markdown]`: every resource type of AWS's registry and how infra
//! deploys it, as the providers state it ([`ResourceProvider::coverage`]): the deploy path
//! (`native` for the types with a provider of infra's own, `cloudcontrol` for every other type
//! AWS Cloud Control can provision, `none` for the rest), how a refresh reads the type, how an
//! interrupted create is found again. The one source of truth about coverage:
//! `docs/resource-types.md` is this command's `--markdown` output, and a test fails when the
//! two differ.
//!
//! [`ResourceProvider::coverage`]: infra_aws::provider::ResourceProvider::coverage

use std::fmt::Write as _;
use std::process::ExitCode;

use infra_aws::provider::{Coverage, DeployPath, Find, Refresh};
use serde_json::json;

use crate::cli::TypesArgs;
use crate::output::Output;

/// One listed type: its path, and how it is read and found when it can be deployed.
struct Row {
    type_name: &'static str,
    path: DeployPath,
    coverage: Option<Coverage>,
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

/// Every type of the catalog (and every natively provided one), sorted by type.
fn rows() -> Vec<Row> {
    let providers = infra_aws::providers::catalog();
    let mut rows: Vec<Row> = providers
        .types()
        .filter_map(|type_name| {
            let coverage = providers.get(type_name)?.coverage();
            Some(Row {
                type_name,
                path: coverage.path,
                coverage: Some(coverage),
            })
        })
        .collect();
    for entry in infra_registry::catalog::all() {
        if providers.get(entry.name).is_some() {
            continue;
        }
        let provisionable = entry.handlers.provisionable();
        rows.push(Row {
            type_name: entry.name,
            path: if provisionable {
                DeployPath::CloudControl
            } else {
                DeployPath::None
            },
            coverage: provisionable.then_some(Coverage::CLOUD_CONTROL),
        });
    }
    rows.sort_by(|a, b| a.type_name.cmp(b.type_name));
    rows
}

fn to_json(rows: &[Row]) -> serde_json::Value {
    rows.iter()
        .map(|r| {
            let c = r.coverage.as_ref();
            json!({
                "type": r.type_name,
                "path": r.path.as_str(),
                "refresh": c.map(|c| c.refresh.as_str()),
                "find": c.map(|c| c.find.as_str()),
                "refresh_calls": c.map(|c| c.refresh_calls),
                "find_by": c.map(|c| c.find_by),
            })
        })
        .collect()
}

/// The columns of the text table and the Markdown one (`-` where a type cannot be deployed).
fn cells(r: &Row) -> [&'static str; 4] {
    [
        r.type_name,
        r.path.as_str(),
        r.coverage.as_ref().map_or("-", |c| c.refresh.as_str()),
        r.coverage.as_ref().map_or("-", |c| c.find.as_str()),
    ]
}

/// How many types each path has, in [`DeployPath::ALL`]'s order.
fn counts(rows: &[Row]) -> Vec<(DeployPath, usize)> {
    DeployPath::ALL
        .into_iter()
        .map(|p| (p, rows.iter().filter(|r| r.path == p).count()))
        .collect()
}

/// `29 native, 1,300 cloudcontrol, 110 none`.
fn counts_line(rows: &[Row]) -> String {
    counts(rows)
        .iter()
        .map(|(p, n)| format!("{n} {}", p.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
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
    let _ = writeln!(s, "\n{} types: {}.", rows.len(), counts_line(rows));
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
        "Every resource type of AWS's registry ({}: {}), and how `infra` deploys it, as the \
         providers state it. `infra types` prints the same list (`--json` for scripts); a \
         template whose types all have the path `native` or `cloudcontrol` can be planned and \
         applied. `infra plan --cloud-control TYPE` sends new resources of a native type \
         through Cloud Control instead.\n",
        rows.len(),
        counts_line(rows)
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
    let cc = Coverage::CLOUD_CONTROL;
    let _ = writeln!(
        s,
        "\nEvery `cloudcontrol` type is refreshed with {} and found with {}.",
        escape(cc.refresh_calls),
        escape(cc.find_by)
    );
    s.push_str(
        "\n| type | path | refresh | find | refresh calls | found by |\n\
         |---|---|---|---|---|---|\n",
    );
    for r in rows {
        let [type_name, path, refresh, find] = cells(r);
        let (calls, found_by) = match (&r.coverage, r.path) {
            // The Cloud Control rows would all repeat the same text: it is in the legend.
            (Some(c), DeployPath::Native) => (escape(c.refresh_calls), escape(c.find_by)),
            (Some(_), _) => ("as Cloud Control".to_owned(), "as Cloud Control".to_owned()),
            (None, _) => ("-".to_owned(), "-".to_owned()),
        };
        let _ = writeln!(
            s,
            "| `{type_name}` | {path} | {refresh} | {find} | {calls} | {found_by} |"
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
