//! The `sitat` binary: no subcommand → the workbench; a subcommand → the CLI.

use std::process::ExitCode;

use clap::Parser;
use sitat::cli::{self, Cli};

// The allocator Sitat ships with (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Cli::parse();
    let result = match args.command {
        Some(command) => cli::run(command, &mut std::io::stdout().lock()),
        None => open_workbench(args.project),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if cli::is_closed_output(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", cli::error_chain(&error));
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn open_workbench(project: Option<std::path::PathBuf>) -> sitat::Result<()> {
    let project = match project {
        Some(path) => sitat::Project::open(path)?,
        None => sitat::corpus::open_or_build_demo()?,
    };
    sitat::ui::run(project)
}

#[cfg(not(feature = "gui"))]
fn open_workbench(_project: Option<std::path::PathBuf>) -> sitat::Result<()> {
    Err(sitat::Error::Gui(
        "this build has no workbench (built without the `gui` feature); use a subcommand, see `sitat --help`".into(),
    ))
}
