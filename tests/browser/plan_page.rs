//! The DOM contract of the page `infra plan --html FILE` writes, as the browser tests read it:
//! which action a node shows and in what colour, how to open the page and wait until it is
//! wired, a snapshot of its nodes, which network requests it made, and [`check`]: every
//! check of one page against the JSON document of the same plan.
//!
//! The contract: `<svg id="graph">` holds a `<g class="stack" data-stack>` box per stack with
//! resources (the root stack's `data-stack` is empty) and
//! `<g class="node" data-address data-action data-critical>` per resource change, whose first
//! `<rect>` is filled with the action's colour; `<path class="edge" data-from data-to>`;
//! clicking a node fills `<pre id="diff">` with its text-plan block and sets
//! `<div id="detail" data-address>`; `<input class="filter" data-action>` checkboxes hide
//! the nodes of an action; `<input id="search">` dims non-matching nodes and counts matches in
//! `<span id="search-count">`; `document.body.dataset.ready` is `"true"` once wired.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use super::Browser;

/// How long a page may take from navigation until `document.body.dataset.ready`.
pub const READY_TIMEOUT: Duration = Duration::from_secs(15);

/// The script that is true once the page is wired.
pub const READY: &str = "return !!document.body && document.body.dataset.ready === 'true';";

/// An action as the page groups them (both replacement orders are one, `replace`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `create`.
    Create,
    /// `update` (in place).
    Update,
    /// A replacement, either order.
    Replace,
    /// `delete`.
    Delete,
    /// `forget` (taken out of the state, kept in AWS).
    Forget,
    /// `no-op`.
    NoOp,
    /// `read` (a data source).
    Read,
}

impl Kind {
    /// The fill of the node's first `<rect>`.
    pub fn colour(self) -> &'static str {
        match self {
            Kind::Create => "#2da44e",
            Kind::Update => "#bf8700",
            Kind::Replace => "#8250df",
            Kind::Delete => "#cf222e",
            Kind::Forget => "#0550ae",
            Kind::NoOp => "#8c959f",
            Kind::Read => "#0969da",
        }
    }

    /// The kind of a `resource_changes[].actions` array of `infra plan --json`.
    pub fn of_json_actions(actions: &Value) -> Kind {
        let names: Vec<&str> = actions
            .as_array()
            .unwrap_or_else(|| panic!("actions is not an array: {actions}"))
            .iter()
            .map(|a| a.as_str().unwrap_or_else(|| panic!("action {a}")))
            .collect();
        match names.as_slice() {
            ["create"] => Kind::Create,
            ["update"] => Kind::Update,
            ["delete" | "forget", "create"] | ["create", "delete" | "forget"] => Kind::Replace,
            ["delete"] => Kind::Delete,
            ["forget"] => Kind::Forget,
            ["no-op"] => Kind::NoOp,
            ["read"] => Kind::Read,
            other => panic!("unknown actions {other:?}"),
        }
    }

    /// The kind a node's (or a filter's) `data-action` names: the JSON action names, with
    /// both replacement orders as `replace`.
    pub fn of_data_action(action: &str) -> Option<Kind> {
        Some(match action {
            "create" => Kind::Create,
            "update" => Kind::Update,
            "replace" => Kind::Replace,
            "delete" => Kind::Delete,
            "forget" => Kind::Forget,
            "no-op" => Kind::NoOp,
            "read" => Kind::Read,
            _ => return None,
        })
    }
}

/// One `g.node` of the graph, as the page shows it now.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// `data-address`.
    pub address: String,
    /// `data-action`.
    pub action: String,
    /// `data-critical`.
    pub critical: String,
    /// The `fill` attribute of its first `<rect>`, lower-cased (empty without one).
    pub fill: String,
    /// Where it is drawn: left, top, right, bottom in CSS pixels of the page.
    pub bounds: [f64; 4],
    /// Whether it has the class `dimmed`.
    pub dimmed: bool,
}

/// Every `#graph g.node`, in document order, in one script call.
pub fn nodes(browser: &Browser) -> Vec<Node> {
    let raw = browser.execute(
        "return Array.from(document.querySelectorAll('#graph g.node')).map(n => {\
           const rect = n.querySelector('rect');\
           const b = n.getBoundingClientRect();\
           return {\
             address: n.getAttribute('data-address') || '',\
             action: n.getAttribute('data-action') || '',\
             critical: n.getAttribute('data-critical') || '',\
             fill: rect ? (rect.getAttribute('fill') || '').toLowerCase() : '',\
             bounds: [b.left + scrollX, b.top + scrollY, b.right + scrollX, b.bottom + scrollY],\
             dimmed: n.classList.contains('dimmed'),\
           };\
         });",
        &[],
    );
    raw.as_array()
        .unwrap_or_else(|| panic!("nodes: {raw}"))
        .iter()
        .map(|n| Node {
            address: string(&n["address"]),
            action: string(&n["action"]),
            critical: string(&n["critical"]),
            fill: string(&n["fill"]),
            bounds: bounds(&n["bounds"]),
            dimmed: n["dimmed"] == true,
        })
        .collect()
}

/// The box each `#graph g.stack` is drawn in, by its `data-stack`.
pub fn stacks(browser: &Browser) -> BTreeMap<String, [f64; 4]> {
    let raw = browser.execute(
        "return Array.from(document.querySelectorAll('#graph g.stack')).map(s => {\
           const b = s.getBoundingClientRect();\
           return [s.getAttribute('data-stack') || '',\
                   [b.left + scrollX, b.top + scrollY, b.right + scrollX, b.bottom + scrollY]];\
         });",
        &[],
    );
    raw.as_array()
        .unwrap_or_else(|| panic!("stacks: {raw}"))
        .iter()
        .map(|s| (string(&s[0]), bounds(&s[1])))
        .collect()
}

fn bounds(v: &Value) -> [f64; 4] {
    let n = |i: usize| {
        v[i].as_f64()
            .unwrap_or_else(|| panic!("not a bounding box: {v}"))
    };
    [n(0), n(1), n(2), n(3)]
}

fn string(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// The CSS selector of the node with `address`.
pub fn node_selector(address: &str) -> String {
    format!(
        "#graph g.node[data-address=\"{}\"]",
        address.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// Opens `page` (by its `file://` URL, which it returns) with an empty performance log, and
/// waits until the page is wired. The browser first goes to `about:blank` so that what the
/// previous page or the start page loaded is drained from the log before `page` loads.
pub fn open(browser: &Browser, page: &Path) -> String {
    let url = super::file_url(page);
    browser.navigate("about:blank");
    browser.performance_log();
    browser.navigate(&url);
    browser.wait_for(READY, READY_TIMEOUT);
    url
}

/// The URLs of every request the page made, as DevTools logged them
/// (`Network.requestWillBeSent`), other than the page itself (with or without a fragment),
/// `data:` and `about:` URLs. Drains the log.
pub fn foreign_requests(browser: &Browser, page_url: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for event in browser.performance_log() {
        if event["method"] != "Network.requestWillBeSent" {
            continue;
        }
        let url = string(&event["params"]["request"]["url"]);
        let without_fragment = url.split('#').next().unwrap_or_default();
        if without_fragment == page_url || url.starts_with("data:") || url.starts_with("about:") {
            continue;
        }
        seen.push(url);
    }
    seen
}

/// How many resources the page loaded, by its own Resource Timing
/// (`performance.getEntriesByType('resource')`).
pub fn resource_entries(browser: &Browser) -> u64 {
    let n = browser.execute(
        "return performance.getEntriesByType('resource').length;",
        &[],
    );
    n.as_u64()
        .unwrap_or_else(|| panic!("resource entries: {n}"))
}

/// The PNG file signature.
pub const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Address to kind, from the JSON's `resource_changes`.
pub fn expected_kinds(json: &Value) -> BTreeMap<String, Kind> {
    json["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .map(|c| {
            let address = c["address"].as_str().expect("address").to_owned();
            (address, Kind::of_json_actions(&c["actions"]))
        })
        .collect()
}

/// What a page test asks of one page beyond the checks every page gets.
#[derive(Debug)]
pub struct Expect<'a> {
    /// Where its screenshot goes.
    pub screenshot: &'a Path,
    /// The node to click, and what its diff must then contain.
    pub click: &'a str,
    /// What the clicked node's `#diff` must contain.
    pub diff_contains: &'a [&'a str],
    /// The text `infra plan` printed for the same plan, uncoloured: the `#diff` of the clicked
    /// node must be one of its blocks, line for line.
    pub text_plan: &'a str,
    /// The action whose filter is unchecked.
    pub filter: Kind,
    /// What is typed into the search box.
    pub search: &'a str,
}

/// Every check of one page, `page` being the page of the plan whose `infra plan --json`
/// document is `json`.
pub fn check(browser: &Browser, page: &Path, json: &Value, expect: &Expect<'_>) {
    let url = open(browser, page);
    let stack = json["stack"].as_str().expect("stack");
    assert_eq!(
        browser.execute("return document.title;", &[]),
        json!(format!("infra plan: {stack}"))
    );
    for id in ["summary", "expected", "diff", "detail"] {
        browser.find(&format!("#{id}"));
    }

    // One node per resource change, in its action's colour.
    let kinds = expected_kinds(json);
    let nodes = nodes(browser);
    assert_eq!(
        nodes.len(),
        kinds.len(),
        "one node per resource change: {:?}",
        nodes.iter().map(|n| &n.address).collect::<Vec<_>>()
    );
    let shown: BTreeSet<&str> = nodes.iter().map(|n| n.address.as_str()).collect();
    let planned: BTreeSet<&str> = kinds.keys().map(String::as_str).collect();
    assert_eq!(shown, planned, "the nodes are the plan's resources");
    for node in &nodes {
        let kind = kinds[&node.address];
        assert_eq!(
            Kind::of_data_action(&node.action),
            Some(kind),
            "{}: data-action {:?}, planned {kind:?}",
            node.address,
            node.action
        );
        assert_eq!(
            node.fill,
            kind.colour(),
            "{}: fill of {kind:?}",
            node.address
        );
        assert!(
            ["true", "false"].contains(&node.critical.as_str()),
            "{}: data-critical {:?}",
            node.address,
            node.critical
        );
    }
    check_stacks(browser, &nodes);
    check_edges(browser, json, &shown);

    // A click shows the node's block of the text plan.
    browser.click(&browser.find(&node_selector(expect.click)));
    let detail = browser.find("#detail");
    browser.wait_for(
        &format!(
            "return document.getElementById('detail').getAttribute('data-address') === {};",
            json!(expect.click)
        ),
        Duration::from_secs(5),
    );
    let diff = browser.execute("return document.getElementById('diff').textContent;", &[]);
    let diff = diff.as_str().expect("diff text");
    for wanted in expect.diff_contains {
        assert!(diff.contains(wanted), "#diff lacks {wanted:?}:\n{diff}");
    }
    let lines = |text: &str| -> String {
        let trimmed: Vec<&str> = text.lines().map(str::trim_end).collect();
        trimmed.join("\n").trim_matches('\n').to_owned()
    };
    assert!(
        lines(expect.text_plan).contains(&lines(diff)),
        "#diff is not a block of the text plan:\n{diff}\n--- text plan:\n{}",
        expect.text_plan
    );
    assert!(browser.is_displayed(&detail), "#detail is shown");

    // The screenshot, with the diff on display.
    let png = browser.screenshot();
    let shot = expect.screenshot;
    std::fs::write(shot, &png).expect("write screenshot");
    assert!(
        png.starts_with(PNG_SIGNATURE),
        "{} is a PNG",
        shot.display()
    );
    assert!(
        png.len() > 10 * 1024,
        "{} is {} bytes: a blank page?",
        shot.display(),
        png.len()
    );

    check_filter(browser, &kinds, expect.filter);
    check_search(browser, &kinds, expect.search);

    // Nothing was fetched: not by the browser, not by the page.
    let foreign = foreign_requests(browser, &url);
    assert!(foreign.is_empty(), "the page made requests: {foreign:?}");
    assert_eq!(resource_entries(browser), 0, "resource timing entries");
}

/// One box per stack that has resources, and each resource drawn inside its stack's box (a
/// stack's `data-stack` is the address prefix, or its last part for deeper nesting; the root
/// stack's is empty).
fn check_stacks(browser: &Browser, nodes: &[Node]) {
    let boxes = stacks(browser);
    let mut used = BTreeSet::new();
    for node in nodes {
        let prefix = node.address.rsplit_once('.').map_or("", |(p, _)| p);
        let last = prefix.rsplit('.').next().unwrap_or(prefix);
        let (name, outer) = boxes
            .get_key_value(prefix)
            .or_else(|| boxes.get_key_value(last))
            .unwrap_or_else(|| panic!("{}: no g.stack for {prefix} in {boxes:?}", node.address));
        used.insert(name.clone());
        let inner = node.bounds;
        let slack = 0.5;
        assert!(
            inner[0] >= outer[0] - slack
                && inner[1] >= outer[1] - slack
                && inner[2] <= outer[2] + slack
                && inner[3] <= outer[3] + slack,
            "{} at {inner:?} is drawn outside its stack {name} at {outer:?}",
            node.address
        );
    }
    let unused: Vec<&String> = boxes.keys().filter(|k| !used.contains(*k)).collect();
    assert!(unused.is_empty(), "stacks without resources: {unused:?}");
}

/// Every edge joins two nodes, every dependency between two planned resources is drawn, and
/// a critical edge joins two critical nodes.
fn check_edges(browser: &Browser, json: &Value, shown: &BTreeSet<&str>) {
    let critical_ends = browser.execute(
        "return Array.from(document.querySelectorAll('#graph path.edge.critical'))\
           .flatMap(e => [e.getAttribute('data-from'), e.getAttribute('data-to')])\
           .filter(a => { const n = document.querySelector('#graph g.node[data-address=\"' + a + '\"]');\
                          return !n || n.getAttribute('data-critical') !== 'true'; });",
        &[],
    );
    assert_eq!(
        critical_ends,
        json!([]),
        "ends of critical edges that are not critical nodes"
    );
    let edges = browser.execute(
        "return Array.from(document.querySelectorAll('#graph path.edge'))\
           .map(e => [e.getAttribute('data-from'), e.getAttribute('data-to')]);",
        &[],
    );
    let drawn: BTreeSet<(String, String)> = edges
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let end = |i: usize| e[i].as_str().unwrap_or_default().to_owned();
            (end(0), end(1))
        })
        .collect();
    for (from, to) in &drawn {
        assert!(
            shown.contains(from.as_str()) && shown.contains(to.as_str()),
            "edge {from} -> {to} joins unknown nodes"
        );
    }
    for change in json["resource_changes"].as_array().expect("changes") {
        let address = change["address"].as_str().expect("address");
        for dep in change["depends_on"].as_array().into_iter().flatten() {
            let dep = dep.as_str().expect("dependency");
            if shown.contains(dep) {
                let pair = |a: &str, b: &str| drawn.contains(&(a.to_owned(), b.to_owned()));
                assert!(
                    pair(dep, address) || pair(address, dep),
                    "no edge between {dep} and {address}"
                );
            }
        }
    }
}

/// Unchecking one action's filter hides exactly its nodes; checking it again shows them.
fn check_filter(browser: &Browser, kinds: &BTreeMap<String, Kind>, hidden: Kind) {
    let filters = browser.find_all("input.filter");
    let actions: Vec<String> = filters
        .iter()
        .map(|f| {
            let a = browser.execute(
                "return arguments[0].getAttribute('data-action');",
                &[f.arg()],
            );
            a.as_str().expect("data-action").to_owned()
        })
        .collect();
    let present: BTreeSet<Kind> = kinds.values().copied().collect();
    let offered: BTreeSet<Kind> = actions
        .iter()
        .map(|a| Kind::of_data_action(a).unwrap_or_else(|| panic!("filter for {a:?}")))
        .collect();
    assert_eq!(
        offered, present,
        "one filter per action present: {actions:?}"
    );
    let index = actions
        .iter()
        .position(|a| Kind::of_data_action(a) == Some(hidden))
        .expect("the filter to uncheck");
    let checked = |i: usize| {
        browser.execute("return arguments[0].checked;", &[filters[i].arg()]) == json!(true)
    };
    assert!(checked(index), "filters start checked");

    browser.click(&filters[index]);
    assert!(!checked(index), "the click unchecked the filter");
    let visible = |browser: &Browser| -> BTreeMap<String, bool> {
        kinds
            .keys()
            .map(|address| {
                let node = browser.find(&node_selector(address));
                (address.clone(), browser.is_displayed(&node))
            })
            .collect()
    };
    for (address, displayed) in visible(browser) {
        assert_eq!(
            displayed,
            kinds[&address] != hidden,
            "{address} ({:?}) with the {hidden:?} filter off",
            kinds[&address]
        );
    }
    browser.click(&filters[index]);
    assert!(visible(browser).values().all(|d| *d), "all shown again");
}

/// Typing into the search box dims every node whose address does not contain the text, and
/// counts those that do.
fn check_search(browser: &Browser, kinds: &BTreeMap<String, Kind>, text: &str) {
    let matching: BTreeSet<&str> = kinds
        .keys()
        .filter(|a| a.to_lowercase().contains(&text.to_lowercase()))
        .map(String::as_str)
        .collect();
    assert!(
        !matching.is_empty() && matching.len() < kinds.len(),
        "the search {text:?} must match some nodes but not all"
    );
    assert!(
        nodes(browser).iter().all(|n| !n.dimmed),
        "nothing is dimmed before a search"
    );
    let search = browser.find("#search");
    browser.send_keys(&search, text);
    browser.wait_for(
        &format!(
            "return document.getElementById('search-count').textContent.trim() === '{}';",
            matching.len()
        ),
        Duration::from_secs(5),
    );
    for node in nodes(browser) {
        assert_eq!(
            node.dimmed,
            !matching.contains(node.address.as_str()),
            "{} after searching {text:?}",
            node.address
        );
    }
}
