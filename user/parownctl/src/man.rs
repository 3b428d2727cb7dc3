// SPDX-License-Identifier: GPL-2.0

//! parownctl's man pages, from its clap definitions: parownctl(1) and
//! one page per subcommand, parownctl-SUBCOMMAND(1), as git has them.

use crate::cli::Cli;
use clap::CommandFactory;
use std::{
    io,
    path::Path, //
};

/// Writes every page into `dir`.
pub fn write_pages(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut cmd = Cli::command();
    // Built, so that the subcommands have the global options (--json).
    cmd.build();
    for sub in cmd.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = format!("parownctl-{}", sub.get_name());
        let page = sub
            .clone()
            .name(name.clone())
            .display_name(name.as_str())
            .bin_name(format!("parownctl {}", sub.get_name()));
        render(page, &dir.join(format!("{name}.1")))?;
    }
    render(cmd, &dir.join("parownctl.1"))
}

/// Writes `cmd`'s page, section 1 of parown's manual, to `path`.
fn render(cmd: clap::Command, path: &Path) -> io::Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .section("1")
        .source("parown")
        .manual("parown")
        .render(&mut out)?;
    std::fs::write(path, out)
}
