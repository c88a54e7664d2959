//! Tests of the page around the graph: the DOM contract the browser tests rely on, each
//! change's text, escaping of hostile input, NoEcho redaction, no external reference, size and
//! determinism.

use std::collections::HashMap;

use infra_template::Value;

use super::super::page::{CSS, JS};
use super::super::*;
use super::support::*;
use crate::plan::Action;

#[test]
fn the_page_carries_the_dom_contract() {
    let p = small();
    let page = page(&p);
    assert!(page.starts_with("<!DOCTYPE html>"));
    for needle in [
        "<title>infra plan: demo</title>",
        "<svg id=\"graph\"",
        "<div id=\"detail\"",
        "<pre id=\"diff\"",
        "<input id=\"search\" type=\"search\"",
        "<span id=\"search-count\">8</span>",
        "<div id=\"summary\">Plan: 4 to add, 1 to change, 3 to destroy.</div>",
        "<div id=\"expected\">Expected apply time: about 4 min (critical path: VpcStack.VPC",
        "document.body.dataset.ready = \"true\"",
        "addEventListener(\"click\"",
    ] {
        assert!(page.contains(needle), "missing {needle}");
    }
    let filters: Vec<&str> = page
        .split("<input type=\"checkbox\" class=\"filter\"")
        .skip(1)
        .filter_map(|rest| attr(rest, "data-action"))
        .collect();
    assert_eq!(filters, ["create", "update", "replace", "delete", "no-op"]);
    assert_eq!(
        page.matches("class=\"filter\" data-action=\"create\" checked>")
            .count(),
        1
    );

    let only_creates = plan(vec![change(VPC, Action::Create, &[])]);
    let page = render_html(&only_creates, &RenderOptions::default());
    assert_eq!(page.matches("class=\"filter\"").count(), 1);
    assert!(page.contains("<div id=\"expected\"></div>"));
}

#[test]
fn each_change_s_text_is_the_text_plan_block() {
    let p = small();
    let page = page(&p);
    let data = between(
        &page,
        "<script type=\"application/json\" id=\"diffs\">",
        "</script>",
    );
    let parsed: HashMap<String, String> = serde_json::from_str(data).expect("the data is JSON");
    let route = p
        .changes
        .iter()
        .find(|c| c.address == "VpcStack.PublicRoute")
        .expect("route");
    let block = crate::render::render_change_block(route, &RenderOptions::default());
    assert_eq!(parsed.get("VpcStack.PublicRoute"), Some(&block));
    assert!(block.contains("must be replaced"));
    // No-ops show "no changes" from the script; they carry no data.
    assert!(!parsed.contains_key("Alarms"));
    assert_eq!(parsed.len(), 6);
}

#[test]
fn hostile_addresses_types_and_values_are_escaped() {
    let hostile = "Bad.<img src=x onerror=alert(1)>\"'&x";
    let mut evil = change(
        "Bad.Evil AWS::SNS::Topic",
        Action::Update,
        &["Bad.</script>"],
    );
    evil.address = hostile.to_owned();
    evil.type_name = "AWS::X::<b>Y</b>".to_owned();
    let script = "</script><script>alert(1)</script><!--";
    evil.after = Some(Value::from_json_marked(
        &serde_json::json!({ "Name": script }),
    ));
    evil.reason = Some(format!("because {script}"));
    let mut other = change("Bad.</script> AWS::SNS::Topic", Action::Create, &[]);
    other.reason = Some(script.to_owned());
    let mut p = plan(vec![evil, other]);
    p.binding.stack = "<i>stack</i>".into();
    p.notes.push(script.to_owned());
    let page = page(&p);

    for raw in ["<img", "<b>", "<i>", "onerror=alert(1)>", "\"'&x", "<!--"] {
        assert!(!page.contains(raw), "{raw} is in the page unescaped");
    }
    assert_eq!(
        page.matches("<script").count(),
        2,
        "only the page's scripts"
    );
    assert_eq!(
        page.matches("</script").count(),
        2,
        "only the page's scripts"
    );
    assert!(page.contains("<title>infra plan: &lt;i&gt;stack&lt;/i&gt;</title>"));
    assert!(
        page.contains("data-address=\"Bad.&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;x\"")
    );
    assert!(page.contains("data-from=\"Bad.&lt;/script&gt;\""));
    // The JSON survives the escaping and holds the value as written.
    let data = between(&page, "id=\"diffs\">", "</script>");
    let parsed: HashMap<String, String> = serde_json::from_str(data).expect("the data is JSON");
    assert!(
        parsed
            .get(hostile)
            .is_some_and(|text| text.contains(script))
    );
    assert!(!JS.contains("</script") && !JS.contains("<!--") && !CSS.contains("</style"));
}

#[test]
fn no_echo_values_never_reach_the_page() {
    let secret = "s3cr3t-Passw0rd";
    let mut db = change("Db.Instance AWS::RDS::DBInstance", Action::Update, &[]);
    db.before = Some(Value::from_json_marked(
        &serde_json::json!({ "MasterUserPassword": "old", "Url": format!("x://{secret}@db") }),
    ));
    db.after = Some(Value::from_json_marked(
        &serde_json::json!({ "MasterUserPassword": secret, "Url": format!("x://{secret}@db") }),
    ));
    db.reason = Some(format!("password {secret} rotated"));
    let mut p = with_path(plan(vec![db]), &["Db.Instance"]);
    p.notes.push(format!("note with {secret}"));
    let opts = RenderOptions {
        color: true,
        secrets: vec![secret.to_owned()],
        show_unchanged: true,
    };
    let page = render_html(&p, &opts);
    assert!(!page.contains(secret));
    assert!(page.contains("(sensitive value)"));
    assert!(!page.contains('\x1b'), "no colour codes in the page");
}

#[test]
fn the_reference_workload_page_is_small_and_complete() {
    let p = reference_plan();
    assert_eq!(p.changes.len(), 39);
    let page = page(&p);
    assert!(page.len() < 300 * 1024, "{} bytes", page.len());
    assert_eq!(nodes(&page).len(), 39);
    let stacks: Vec<&str> = lines(&page, "<g class=\"stack\"")
        .into_iter()
        .filter_map(|l| attr(l, "data-stack"))
        .collect();
    for stack in ["VpcStack", "ClusterStack", "ServiceStack"] {
        assert!(stacks.contains(&stack), "{stack} has no band: {stacks:?}");
    }
    assert!(edges(&page).iter().any(|l| l.contains("inferred")));
    assert!(edges(&page).iter().any(|l| l.contains("critical")));
    assert!(
        nodes(&page)
            .iter()
            .any(|l| l.contains("data-critical=\"true\""))
    );
}

#[test]
fn the_page_refers_to_nothing_outside_itself() {
    for p in [reference_plan(), small()] {
        let page = page(&p);
        for needle in [
            "http://", "https://", "src=", "href=", "@import", "//cdn", "data:",
        ] {
            assert!(!page.contains(needle), "{needle} in the page");
        }
        for (at, _) in page.match_indices("url(") {
            assert!(page[at..].starts_with("url(#"), "{}", &page[at..at + 20]);
        }
    }
}

#[test]
fn the_page_is_the_same_every_time() {
    let p = generated(200);
    assert_eq!(page(&p), page(&p));
}

#[test]
fn an_empty_plan_renders_a_page_without_a_graph() {
    let page = page(&plan(Vec::new()));
    assert!(page.contains("<svg id=\"graph\""));
    assert!(page.contains("No resources"));
    assert!(nodes(&page).is_empty());
    assert!(page.contains("<span id=\"search-count\">0</span>"));
}
