//! Nested stacks: both nested types, paths relative to the including file, deep nesting,
//! include cycles, and values (with their dependencies) flowing between stacks.

mod common;

use common::*;
use infra_template::{Deployment, LoadError, Offline, Unknown, Value};

const LOG: &str = "Resources:\n  Log:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Ref AWS::StackName\n";

fn load_root(dir: &Dir, name: &str) -> Result<Deployment, LoadError> {
    dir.load(name, &opts(Some("us-east-1")), &Offline)
}

fn ok_root(dir: &Dir, name: &str) -> Deployment {
    load_root(dir, name).unwrap_or_else(|e| panic!("{}", render(&e)))
}

fn addresses(d: &Deployment) -> Vec<&str> {
    d.resources.iter().map(|r| r.address.as_str()).collect()
}

fn nested(logical: &str, ty: &str, location: &str, params: &str) -> String {
    let key = if ty == "AWS::Serverless::Application" {
        "Location"
    } else {
        "TemplateURL"
    };
    let mut s = format!("  {logical}:\n    Type: {ty}\n    Properties:\n      {key}: {location}\n");
    if !params.is_empty() {
        s.push_str("      Parameters:\n");
        for l in params.lines() {
            s.push_str(&format!("        {l}\n"));
        }
    }
    s
}

#[test]
fn both_nested_stack_types_are_flattened() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n{}{}",
            nested("Sam", "AWS::Serverless::Application", "sam.yaml", ""),
            nested("Cfn", "AWS::CloudFormation::Stack", "cfn.yaml", "")
        ),
    );
    dir.write("sam.yaml", LOG);
    dir.write("cfn.yaml", LOG);
    let d = ok_root(&dir, "root.yaml");
    assert_eq!(addresses(&d), vec!["Sam.Log", "Cfn.Log"]);
    assert_eq!(prop(&d, "Sam.Log", "LogGroupName"), &s("demo-Sam"));
    assert_eq!(prop(&d, "Cfn.Log", "LogGroupName"), &s("demo-Cfn"));
    let stacks: Vec<(&str, Option<usize>)> = d
        .stacks
        .iter()
        .map(|s| (s.address.as_str(), s.parent))
        .collect();
    assert_eq!(stacks, vec![("", None), ("Sam", Some(0)), ("Cfn", Some(0))]);
    // The nested stack resources themselves are not resources of the graph.
    assert!(d.resource("Sam").is_none() && d.resource("Cfn").is_none());
    // Each stack's file is the one it was loaded from.
    let file_of = |a: &str| {
        let s = d.stacks.iter().find(|s| s.address == a).expect("stack");
        d.sources
            .path(s.file)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
    };
    assert_eq!(file_of("Sam").as_deref(), Some("sam.yaml"));
    assert_eq!(file_of("Cfn").as_deref(), Some("cfn.yaml"));
}

#[test]
fn paths_are_relative_to_the_including_file() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}",
            nested("A", "AWS::CloudFormation::Stack", "stacks/a.yaml", "")
        ),
    );
    dir.write(
        "stacks/a.yaml",
        &format!(
            "Resources:\n{}{}",
            nested("B", "AWS::CloudFormation::Stack", "b.yaml", ""),
            nested("C", "AWS::CloudFormation::Stack", "../shared/c.yaml", "")
        ),
    );
    dir.write(
        "stacks/b.yaml",
        "Resources:\n  FromStacksDir:\n    Type: AWS::Logs::LogGroup\n",
    );
    dir.write(
        "shared/c.yaml",
        "Resources:\n  FromSharedDir:\n    Type: AWS::Logs::LogGroup\n",
    );
    // Decoys where a path relative to the working directory or the root would find them.
    dir.write(
        "b.yaml",
        "Resources:\n  WrongDir:\n    Type: AWS::Logs::LogGroup\n",
    );
    dir.write(
        "stacks/shared/c.yaml",
        "Resources:\n  WrongDir:\n    Type: AWS::Logs::LogGroup\n",
    );
    let d = ok_root(&dir, "root.yaml");
    assert_eq!(
        addresses(&d),
        vec!["A.B.FromStacksDir", "A.C.FromSharedDir"]
    );
}

#[test]
fn three_levels_deep() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}  Top:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {{Deep: !GetAtt A.Outputs.Deep}}\n",
            nested("A", "AWS::CloudFormation::Stack", "a.yaml", "Greeting: hi")
        ),
    );
    dir.write(
        "a.yaml",
        &format!(
            "Parameters:\n  Greeting:\n    Type: String\nResources:\n{}Outputs:\n  Deep:\n    Value: !GetAtt B.Outputs.Deep\n",
            nested("B", "AWS::Serverless::Application", "b.yaml", "Greeting: !Sub '${Greeting}-b'")
        ),
    );
    dir.write(
        "b.yaml",
        &format!(
            "Parameters:\n  Greeting:\n    Type: String\nResources:\n{}Outputs:\n  Deep:\n    Value: !GetAtt C.Outputs.LogArn\n",
            nested("C", "AWS::CloudFormation::Stack", "c.yaml", "Greeting: !Sub '${Greeting}-c'")
        ),
    );
    dir.write(
        "c.yaml",
        "Parameters:\n  Greeting:\n    Type: String\nResources:\n  Log:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub '${Greeting}/${AWS::StackName}'\nOutputs:\n  LogArn:\n    Value: !GetAtt Log.Arn\n",
    );
    let d = ok_root(&dir, "root.yaml");
    assert_eq!(addresses(&d), vec!["A.B.C.Log", "Top"]);
    assert_eq!(
        prop(&d, "A.B.C.Log", "LogGroupName"),
        &s("hi-b-c/demo-A-B-C")
    );
    let stacks: Vec<(&str, Option<usize>)> = d
        .stacks
        .iter()
        .map(|s| (s.address.as_str(), s.parent))
        .collect();
    assert_eq!(
        stacks,
        vec![
            ("", None),
            ("A", Some(0)),
            ("A.B", Some(1)),
            ("A.B.C", Some(2))
        ]
    );
    // The output read three levels up keeps its value and its dependency.
    let Value::Map(doc) = prop(&d, "Top", "AssumeRolePolicyDocument") else {
        panic!()
    };
    assert_eq!(
        doc.get("Deep"),
        Some(&Value::Unknown(Unknown::Attribute {
            address: "A.B.C.Log".into(),
            attribute: "Arn".into()
        }))
    );
    assert_eq!(deps(&d, "Top"), vec![("A.B.C.Log".to_string(), "nested")]);
}

#[test]
fn an_include_cycle_is_an_error_naming_the_chain() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}",
            nested("A", "AWS::CloudFormation::Stack", "a.yaml", "")
        ),
    );
    dir.write(
        "a.yaml",
        &format!(
            "Resources:\n{}",
            nested("B", "AWS::CloudFormation::Stack", "sub/b.yaml", "")
        ),
    );
    dir.write(
        "sub/b.yaml",
        &format!(
            "Resources:\n{}",
            nested("Back", "AWS::Serverless::Application", "../a.yaml", "")
        ),
    );
    let e = load_root(&dir, "root.yaml").expect_err("cycle");
    let d = has_error(
        &e,
        "nested stack `Back` includes a template that includes itself: a.yaml -> b.yaml -> a.yaml",
    );
    let span = d.span.expect("span");
    assert!(e.sources.path(span.file).ends_with("sub/b.yaml"));
    assert_eq!(span.line, 5);
}

#[test]
fn a_template_including_itself_is_a_cycle() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}",
            nested("Me", "AWS::CloudFormation::Stack", "./root.yaml", "")
        ),
    );
    let e = load_root(&dir, "root.yaml").expect_err("cycle");
    has_error(
        &e,
        "includes a template that includes itself: root.yaml -> root.yaml",
    );
}

#[test]
fn including_the_same_file_twice_is_not_a_cycle() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}{}",
            nested("One", "AWS::CloudFormation::Stack", "log.yaml", ""),
            nested("Two", "AWS::CloudFormation::Stack", "log.yaml", "")
        ),
    );
    dir.write("log.yaml", LOG);
    let d = ok_root(&dir, "root.yaml");
    assert_eq!(addresses(&d), vec!["One.Log", "Two.Log"]);
}

const VPC: &str = "Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: 10.0.0.0/24
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: 10.0.1.0/24
Outputs:
  VpcId:
    Value: !Ref VPC
  SubnetIds:
    Value: !Join [',', [!Ref SubnetA, !Ref SubnetB]]
  Name:
    Value: !Sub '${AWS::StackName}-net'
";

const APP: &str = "Parameters:
  VpcId:
    Type: AWS::EC2::VPC::Id
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
  Name:
    Type: String
Resources:
  SG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Ref Name
      VpcId: !Ref VpcId
  Log:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Select [1, !Ref SubnetIds]
";

#[test]
fn a_childs_output_feeding_a_siblings_parameter_depends_on_the_childs_resources() {
    let dir = Dir::new();
    // The reader is declared first: load order follows the data, not the file.
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}{}",
            nested(
                "AppStack",
                "AWS::CloudFormation::Stack",
                "app.yaml",
                "VpcId: !GetAtt VpcStack.Outputs.VpcId\nSubnetIds: !GetAtt [VpcStack, Outputs.SubnetIds]\nName: !GetAtt VpcStack.Outputs.Name"
            ),
            nested("VpcStack", "AWS::CloudFormation::Stack", "vpc.yaml", "")
        ),
    );
    dir.write("vpc.yaml", VPC);
    dir.write("app.yaml", APP);
    let d = ok_root(&dir, "root.yaml");
    assert_eq!(
        addresses(&d),
        vec![
            "VpcStack.VPC",
            "VpcStack.SubnetA",
            "VpcStack.SubnetB",
            "AppStack.SG",
            "AppStack.Log"
        ]
    );
    assert_eq!(
        prop(&d, "AppStack.SG", "VpcId"),
        &Value::Unknown(Unknown::Ref {
            address: "VpcStack.VPC".into()
        })
    );
    assert_eq!(
        prop(&d, "AppStack.SG", "GroupDescription"),
        &s("demo-VpcStack-net")
    );
    assert_eq!(
        deps(&d, "AppStack.SG"),
        vec![("VpcStack.VPC".to_string(), "nested")]
    );
    // A list output read through a list parameter still carries every resource it read.
    assert_eq!(
        deps(&d, "AppStack.Log"),
        vec![
            ("VpcStack.SubnetA".to_string(), "nested"),
            ("VpcStack.SubnetB".to_string(), "nested")
        ]
    );
    let app = d
        .stacks
        .iter()
        .find(|s| s.address == "AppStack")
        .expect("stack");
    assert_eq!(app.reads, vec!["VpcStack".to_string()]);
    let vpc = d
        .stacks
        .iter()
        .find(|s| s.address == "VpcStack")
        .expect("stack");
    assert!(vpc.reads.is_empty());
}

#[test]
fn parent_resources_read_child_outputs_with_their_dependencies() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}  Reader:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub 'in ${{VpcStack.Outputs.VpcId}} of ${{VpcStack.Outputs.Name}}'\n      VpcId: !GetAtt VpcStack.Outputs.VpcId\nOutputs:\n  Name:\n    Value: !GetAtt VpcStack.Outputs.Name\n",
            nested("VpcStack", "AWS::CloudFormation::Stack", "vpc.yaml", "")
        ),
    );
    dir.write("vpc.yaml", VPC);
    let d = ok_root(&dir, "root.yaml");
    assert_eq!(
        prop(&d, "Reader", "VpcId"),
        &Value::Unknown(Unknown::Ref {
            address: "VpcStack.VPC".into()
        })
    );
    assert_eq!(
        prop(&d, "Reader", "GroupDescription"),
        &Value::Unknown(Unknown::Derived)
    );
    assert_eq!(
        deps(&d, "Reader"),
        vec![("VpcStack.VPC".to_string(), "nested")]
    );
    assert_eq!(
        d.outputs.get("Name").map(|o| &o.value),
        Some(&s("demo-VpcStack-net"))
    );
}

#[test]
fn reading_a_missing_output_or_attribute_of_a_nested_stack_is_an_error() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}  Reader:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !GetAtt VpcStack.Outputs.Nope\n  Other:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !GetAtt VpcStack.VpcId\n",
            nested("VpcStack", "AWS::CloudFormation::Stack", "vpc.yaml", "")
        ),
    );
    dir.write("vpc.yaml", VPC);
    let e = load_root(&dir, "root.yaml").expect_err("missing output");
    let d = has_error(&e, "declares no output `Nope`");
    assert_eq!(d.span.map(|s| s.line), Some(9));
    let d = has_error(
        &e,
        "nested stack `VpcStack` has no attribute `VpcId` (use `VpcStack.Outputs.NAME`)",
    );
    assert_eq!(d.span.map(|s| s.line), Some(13));
}

#[test]
fn siblings_reading_each_other_are_a_cycle() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}{}",
            nested(
                "A",
                "AWS::CloudFormation::Stack",
                "p.yaml",
                "In: !GetAtt B.Outputs.Out"
            ),
            nested(
                "B",
                "AWS::CloudFormation::Stack",
                "p.yaml",
                "In: !GetAtt A.Outputs.Out"
            )
        ),
    );
    dir.write("p.yaml", "Parameters:\n  In:\n    Type: String\nResources:\n  Log:\n    Type: AWS::Logs::LogGroup\nOutputs:\n  Out:\n    Value: !Ref In\n");
    let e = load_root(&dir, "root.yaml").expect_err("cycle");
    has_error(&e, "cycle between nested stacks: `A`, `B`");
}

#[test]
fn depends_on_a_nested_stack_is_inherited_by_its_resources() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}  After:\n    Type: AWS::CloudFormation::Stack\n    DependsOn: First\n    Properties:\n      TemplateURL: log.yaml\n  Gate:\n    Type: AWS::Logs::LogGroup\n",
            nested("First", "AWS::CloudFormation::Stack", "log.yaml", "")
        )
        .replace("  Gate:", "  Gated:\n    Type: AWS::Logs::LogGroup\n    DependsOn: After\n  Gate:"),
    );
    dir.write("log.yaml", LOG);
    let d = ok_root(&dir, "root.yaml");
    assert_eq!(
        deps(&d, "After.Log"),
        vec![("First".to_string(), "depends_on")]
    );
    assert_eq!(deps(&d, "Gated"), vec![("After".to_string(), "depends_on")]);
    let after = d
        .stacks
        .iter()
        .find(|s| s.address == "After")
        .expect("stack");
    assert_eq!(after.reads, vec!["First".to_string()]);
}

#[test]
fn a_missing_or_remote_child_template_is_an_error_at_the_include() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Resources:\n{}{}",
            nested("Gone", "AWS::CloudFormation::Stack", "missing.yaml", ""),
            nested(
                "Remote",
                "AWS::CloudFormation::Stack",
                "https://s3.amazonaws.com/b/t.yaml",
                ""
            )
        ),
    );
    let e = load_root(&dir, "root.yaml").expect_err("missing");
    let d = has_error(&e, "cannot read nested template");
    assert!(d.message.contains("missing.yaml"), "{}", d.message);
    // Somewhere in the nested stack's declaration (lines 2 to 5), in the including file.
    let span = d.span.expect("span");
    assert!((2..=5).contains(&span.line), "line {}", span.line);
    assert!(e.sources.path(span.file).ends_with("root.yaml"));
    has_error(
        &e,
        "is a URL; infra reads nested templates from local files",
    );
}

#[test]
fn conditioned_out_nested_stacks_are_not_loaded() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        &format!(
            "Conditions:\n  Never: !Equals [a, b]\nResources:\n{}    Condition: Never\n  Log:\n    Type: AWS::Logs::LogGroup\n",
            nested("Off", "AWS::CloudFormation::Stack", "does-not-exist.yaml", "")
        )
        .replace("    Condition: Never\n", "")
        .replace("  Off:\n    Type: AWS::CloudFormation::Stack\n", "  Off:\n    Type: AWS::CloudFormation::Stack\n    Condition: Never\n"),
    );
    let d = ok_root(&dir, "root.yaml");
    assert_eq!(addresses(&d), vec!["Log"]);
    assert_eq!(d.stacks.len(), 1);
}

#[test]
fn the_reference_pattern_flattens_with_cross_stack_dependencies() {
    let fixtures = fixture_dir();
    let d = load(
        &fixtures.join("parent.yml"),
        &opts(Some("us-east-1")),
        &Offline,
    )
    .unwrap_or_else(|e| panic!("{}", render(&e)));
    let stacks: Vec<&str> = d.stacks.iter().map(|s| s.address.as_str()).collect();
    assert_eq!(stacks, vec!["", "VpcStack", "ClusterStack", "ServiceStack"]);
    assert!(d.resource("VpcStack.VPC").is_some());
    let service = deps(&d, "ServiceStack.Service");
    for target in [
        "ClusterStack.ECSCluster",
        "ClusterStack.CapacityProvider",
        "VpcStack.PrivateSubnetOne",
        "VpcStack.PrivateSubnetTwo",
    ] {
        assert!(
            service.contains(&(target.to_string(), "nested")),
            "{target} not in {service:?}"
        );
    }
    let cluster = d
        .stacks
        .iter()
        .find(|s| s.address == "ClusterStack")
        .expect("stack");
    assert_eq!(cluster.reads, vec!["VpcStack".to_string()]);
    let mut reads = d
        .stacks
        .iter()
        .find(|s| s.address == "ServiceStack")
        .expect("stack")
        .reads
        .clone();
    reads.sort();
    assert_eq!(
        reads,
        vec!["ClusterStack".to_string(), "VpcStack".to_string()]
    );
}

use infra_template::load;

#[test]
fn resources_of_a_nested_stack_with_an_unknown_condition_have_an_unknown_condition() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        "Conditions:\n  InRegion: !Equals [!Ref 'AWS::Region', us-east-1]\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Condition: InRegion\n    Properties:\n      TemplateURL: log.yaml\n",
    );
    dir.write("log.yaml", LOG);
    // Region unknown: the child may or may not be created, and so may its resources.
    let d = dir
        .load("root.yaml", &opts(None), &Offline)
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert!(
        d.resource("Child.Log")
            .expect("Child.Log")
            .condition_unknown
    );
    // Known true: created for sure.
    let d = ok_root(&dir, "root.yaml");
    assert!(
        !d.resource("Child.Log")
            .expect("Child.Log")
            .condition_unknown
    );
    // Known false: not loaded at all.
    let d = dir
        .load("root.yaml", &opts(Some("eu-west-1")), &Offline)
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert!(d.resources.is_empty());
}
