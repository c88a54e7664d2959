//! The page `infra plan --html FILE` writes, in a real browser: headless Chromium through
//! chromedriver (tests/browser), both on loopback, Chromium unable to resolve any host name.
//!
//! Two plans made on the AWS API emulator are opened by their `file://` URL: the reference
//! workload on an empty state (39 creations in three nested stacks), and a small network of our
//! own, applied and then edited so that one resource is updated in place and one replaced.
//! Each page must show one node per resource change of the same plan's JSON, in its action's
//! colour; show a node's text-plan block when it is clicked; hide an action's nodes when its
//! filter is unchecked; dim what a search does not match; and load nothing at all. A
//! screenshot of each is kept in `$CARGO_TARGET_TMPDIR/plan-page/`, beside the pages.

#[path = "browser/mod.rs"]
mod browser;
#[path = "support/cli.rs"]
mod cli;
#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use browser::Browser;
use browser::plan_page::{self, Expect, Kind};
use cli::{infra, ok, s};
use serde_json::Value;
use support::Emulator;

fn fixture() -> PathBuf {
    let p = support::repo_root()
        .join("../shared/fixtures/container-patterns/public-facing-api-ecs-ec2/parent.yml");
    assert!(
        p.exists(),
        "{} is missing: ../shared must sit beside the checkout",
        p.display()
    );
    p
}

/// Where pages and screenshots are kept for a look after the run.
fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plan-page");
    std::fs::create_dir_all(&dir).expect("output directory");
    dir
}

/// A plan as a page and as JSON: `infra plan --out PLAN --html PAGE`, then
/// `infra show --json PLAN`, so both describe the very same plan.
///
/// The page is kept in `$CARGO_TARGET_TMPDIR/plan-page/STACK.html`.
struct PlanPage {
    page: PathBuf,
    json: Value,
    /// The text plan `infra plan` printed.
    text: String,
}

fn plan_page(emulator: &Emulator, template: &Path, stack: &str, state: &Path) -> PlanPage {
    let page = out_dir().join(format!("{stack}.html"));
    let _ = std::fs::remove_file(&page);
    let saved = state.with_extension("plan");
    let text = ok(&infra(
        emulator,
        &[
            "plan",
            "-t",
            s(template),
            "--stack",
            stack,
            "--state",
            s(state),
            "--out",
            s(&saved),
            "--html",
            s(&page),
        ],
    ));
    assert!(page.is_file(), "no page at {}:\n{text}", page.display());
    let shown = ok(&infra(emulator, &["show", "--json", s(&saved)]));
    let json = serde_json::from_str(&shown).expect("show --json prints one JSON document");
    // `infra show --html` writes the same page from the saved plan.
    let again = state.with_extension("html");
    ok(&infra(emulator, &["show", "--html", s(&again), s(&saved)]));
    assert!(
        std::fs::read(&again).expect("show --html wrote the page")
            == std::fs::read(&page).expect("the page"),
        "infra show --html {} differs from the page infra plan wrote",
        saved.display()
    );
    PlanPage { page, json, text }
}

fn start_browser() -> Option<Browser> {
    let (chromium, driver) = browser::locate()?;
    Some(Browser::start(&chromium, &driver))
}

#[test]
fn the_workload_plan_page_shows_every_change_and_loads_nothing() {
    let Some(browser) = start_browser() else {
        return;
    };
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = plan_page(emulator, &fixture(), "pagetest", &dir.path().join("w.json"));
    assert!(
        plan.text
            .contains("Plan: 39 to add, 0 to change, 0 to destroy."),
        "{}",
        plan.text
    );
    assert_eq!(
        plan.json["resource_changes"].as_array().map(Vec::len),
        Some(39)
    );
    plan_page::check(
        &browser,
        &plan.page,
        &plan.json,
        &Expect {
            screenshot: &out_dir().join("workload.png"),
            click: "ServiceStack.PublicLoadBalancer",
            diff_contains: &[
                "ServiceStack.PublicLoadBalancer will be created",
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
            ],
            text_plan: &plan.text,
            filter: Kind::Create,
            search: "VpcStack.Public",
        },
    );
}

/// A VPC, a subnet and a security group; `{tag}` and `{cidr}` are edited between apply and
/// plan.
const NETWORK: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.61.0.0/16
      Tags: [{Key: Name, Value: {tag}}]
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: {cidr}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: plan page test
      VpcId: !Ref Vpc
";

fn network(tag: &str, cidr: &str) -> String {
    NETWORK.replace("{tag}", tag).replace("{cidr}", cidr)
}

#[test]
fn an_update_and_a_replacement_show_their_blocks_when_clicked() {
    let Some(browser) = start_browser() else {
        return;
    };
    let emulator = Emulator::shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("network.yml");
    let state = dir.path().join("n.json");
    std::fs::write(&template, network("page-one", "10.61.1.0/24")).expect("template");
    ok(&infra(
        emulator,
        &[
            "apply",
            "-t",
            s(&template),
            "--stack",
            "pagechange",
            "--state",
            s(&state),
            "--auto-approve",
        ],
    ));
    std::fs::write(&template, network("page-two", "10.61.2.0/24")).expect("edit");
    let plan = plan_page(emulator, &template, "pagechange", &state);
    let kinds = plan_page::expected_kinds(&plan.json);
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            ("Group".to_owned(), Kind::NoOp),
            ("Subnet".to_owned(), Kind::Replace),
            ("Vpc".to_owned(), Kind::Update),
        ],
        "{}",
        plan.text
    );
    plan_page::check(
        &browser,
        &plan.page,
        &plan.json,
        &Expect {
            screenshot: &out_dir().join("update-and-replace.png"),
            click: "Subnet",
            diff_contains: &[
                "Subnet must be replaced",
                "# forces replacement",
                "10.61.2.0/24",
            ],
            text_plan: &plan.text,
            filter: Kind::Update,
            search: "net",
        },
    );
}

/// The network check can fail: a page that loads an image and a style sheet from elsewhere is
/// caught by both the DevTools log and the page's own resource timing.
#[test]
fn a_page_that_loads_from_the_network_is_caught() {
    let Some(browser) = start_browser() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("leaky.html");
    std::fs::write(
        &page,
        "<!doctype html><html><head><title>leaky</title>\
         <link rel=\"stylesheet\" href=\"https://cdn.plan-page.invalid/style.css\"></head>\
         <body><img src=\"http://plan-page.invalid/logo.png\" alt=\"\">\
         <script>document.body.dataset.ready = 'true';</script></body></html>",
    )
    .expect("page");
    let url = plan_page::open(&browser, &page);
    // Requests to hosts that cannot resolve still fail after they are logged; wait for both.
    browser.wait_for(
        "return document.readyState === 'complete';",
        Duration::from_secs(10),
    );
    let mut foreign = plan_page::foreign_requests(&browser, &url);
    foreign.sort();
    assert_eq!(
        foreign,
        [
            "http://plan-page.invalid/logo.png",
            "https://cdn.plan-page.invalid/style.css",
        ],
        "the DevTools log names both requests"
    );
}
