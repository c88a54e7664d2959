use infra_template::*;
fn run(t: String, name: &'static str) -> Option<bool> {
    std::fs::write(format!("/tmp/probe/{name}"), &t).unwrap();
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            load(
                &std::path::Path::new("/tmp/probe").join(name),
                &LoadOptions::default(),
                &Offline,
            )
            .map_err(|e| e.diagnostics.0[0].message.clone())
        })
        .unwrap();
    let r = h.join().ok()?;
    println!("{:?}", r.as_ref().err());
    Some(r.is_ok())
}
#[test]
fn deep() {
    for n in [100usize, 500, 2000, 10000] {
        let mut t = String::from("Conditions:\n");
        for i in 0..n {
            t.push_str(&format!("  C{i}: !Condition C{}\n", i + 1));
        }
        t.push_str(&format!("  C{n}: !Equals [a, a]\nResources:\n  R:\n    Type: AWS::Logs::LogGroup\n    Condition: C0\n"));
        println!("cond chain {n}: {:?}", run(t, "c.yaml"));
    }
    for n in [50usize, 200] {
        for i in 0..n {
            std::fs::write(format!("/tmp/probe/n{i}.yaml"), format!("Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: n{}.yaml\n", i + 1)).unwrap();
        }
        std::fs::write(
            format!("/tmp/probe/n{n}.yaml"),
            "Resources:\n  L:\n    Type: AWS::Logs::LogGroup\n",
        )
        .unwrap();
        println!(
            "nest chain {n}: {:?}",
            run(
                std::fs::read_to_string("/tmp/probe/n0.yaml").unwrap(),
                "n0.yaml"
            )
        );
    }
}
