//! `infra-test-proxy`: the fault-injecting proxy as a program, for scripts and benchmarks.
//!
//! Prints `listening http://127.0.0.1:PORT` as its first line on standard output, then serves
//! until it is killed (or, with `--exit-on-stdin-eof`, until its standard input closes, so it
//! cannot outlive a parent holding the other end of a pipe). `GET /__proxy/counts` answers the
//! counts as JSON and `POST /__proxy/reset` sets them to zero.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use infra_test_proxy::{FailRule, LatencyModel, Proxy, ProxyConfig, ProxyError};

/// A fault-injecting HTTP proxy between `infra` and a loopback AWS API emulator.
#[derive(Debug, Parser)]
#[command(name = "infra-test-proxy", version)]
struct Args {
    /// The emulator: http://127.0.0.1:PORT (loopback addresses only).
    #[arg(long)]
    upstream: String,
    /// The port to listen on, on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seed of the fault draws.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Share of requests answered with a throttling error (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    throttle: f64,
    /// Share of requests answered with a 500 or 503 (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    server_errors: f64,
    /// Share of requests whose connection is closed without an answer (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    drop: f64,
    /// Limit the random faults to these operations (repeatable, or comma-separated).
    #[arg(long = "faults-only", value_delimiter = ',')]
    faults_only: Vec<String>,
    /// Fail an operation: OP=STATUS:CODE[xN][:MESSAGE], e.g. CreateVpc=403:UnauthorizedOperation
    /// (repeatable; xN fails only the first N requests).
    #[arg(long = "fail", value_parser = parse_rule)]
    rules: Vec<FailRule>,
    /// Add latency per operation from this model (crates/infra-engine/data/latency-model.json).
    #[arg(long)]
    latency_model: Option<PathBuf>,
    /// Divide the model's seconds by this (default: the model's scale_for_benchmarks.divide_by).
    #[arg(long)]
    scale: Option<f64>,
    /// Write a line per request to this file: ms when it came, ms when answered, the
    /// emulator's ms, service, operation.
    #[arg(long)]
    trace: Option<PathBuf>,
    /// Exit when standard input reaches end of file.
    #[arg(long)]
    exit_on_stdin_eof: bool,
}

fn parse_rule(spec: &str) -> Result<FailRule, String> {
    FailRule::parse(spec).map_err(|e| e.to_string())
}

fn config(args: Args) -> Result<(ProxyConfig, bool), ProxyError> {
    let latency = match &args.latency_model {
        Some(path) => Some(LatencyModel::load(path)?),
        None => None,
    };
    let faults_only = (!args.faults_only.is_empty()).then(|| {
        args.faults_only
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect::<BTreeSet<_>>()
    });
    let config = ProxyConfig {
        port: args.port,
        seed: args.seed,
        throttle_rate: args.throttle,
        server_error_rate: args.server_errors,
        drop_rate: args.drop,
        faults_only,
        rules: args.rules,
        latency,
        scale: args.scale,
        trace: args.trace,
        ..ProxyConfig::new(args.upstream)
    };
    Ok((config, args.exit_on_stdin_eof))
}

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    let args = Args::parse();
    let started = config(args)
        .and_then(|(config, stdin_guard)| Proxy::spawn(config).map(|proxy| (proxy, stdin_guard)));
    let (proxy, stdin_guard) = match started {
        Ok(started) => started,
        Err(e) => {
            eprintln!("infra-test-proxy: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    if writeln!(stdout, "listening {}", proxy.endpoint())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        // Nobody can learn the address: no point in serving.
        return ExitCode::FAILURE;
    }
    if !stdin_guard {
        loop {
            std::thread::park();
        }
    }
    // Serve until standard input closes (the parent that started us exited).
    let mut sink = [0u8; 256];
    let mut stdin = std::io::stdin();
    while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
    drop(proxy);
    ExitCode::SUCCESS
}
