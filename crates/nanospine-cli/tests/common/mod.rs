//! Shared fixtures of the CLI integration tests.
#![allow(dead_code)] // each test file uses a part

use std::process::Command;

/// A small transport-only human L4-L5 scenario: an open and a calcified endplate arm, 2 days.
pub const SMALL: &str = r#"
[scenario]
name = "small"
species = "human_l4l5"
grade = 2

[grid]
kind = "axisymmetric"
spacing = "0.5 mm"

[solver]
mode = "transient"
end_time = "2 d"
dt = "12 h"
initial = "steady"
output_times = ["0 d", "2 d"]

[[arm]]
name = "open"

[[arm]]
name = "calcified"
[arm.parameters]
"cep.exchange_area" = 0.2
"#;

/// The `nanospine` binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nanospine"))
}
