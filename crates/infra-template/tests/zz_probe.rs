use infra_template::*;
#[test]
fn deep() {
    for depth in [50usize, 100, 150, 200, 250] {
        let v = format!("{}x{}", "[".repeat(depth), "]".repeat(depth));
        let t = format!(
            "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {v}\n"
        );
        std::fs::write("/tmp/probe/t.yaml", &t).unwrap();
        let h = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                load(
                    std::path::Path::new("/tmp/probe/t.yaml"),
                    &LoadOptions::default(),
                    &Offline,
                )
                .is_ok()
            })
            .unwrap();
        println!("flow depth {depth}: {:?}", h.join());
        let v = format!(
            "{}x{}",
            "{'Fn::Join': ['', [".repeat(depth / 2),
            "]]}".repeat(depth / 2)
        );
        let t = format!(
            "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {v}\n"
        );
        std::fs::write("/tmp/probe/t.yaml", &t).unwrap();
        let h = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                load(
                    std::path::Path::new("/tmp/probe/t.yaml"),
                    &LoadOptions::default(),
                    &Offline,
                )
                .is_ok()
            })
            .unwrap();
        println!("join depth {depth}: {:?}", h.join());
    }
}
