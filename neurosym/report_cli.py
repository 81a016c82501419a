"""`neurosym report RUNDIR`: a curriculum run as a self-contained HTML page."""

from __future__ import annotations

import argparse
from typing import Any

from rich.markup import escape

from neurosym.cli_options import given_dsl
from neurosym.curriculum.html_report import ReportError, write_report

__all__ = ["ReportError", "add_report_command", "cmd_report"]


def cmd_report(args: argparse.Namespace, console: Any) -> int:
    """Write RUNDIR/report/report.html (or into --out) and the PNGs it shows."""
    page = write_report(args.rundir, args.out, given_dsl(args))
    console.print(f"report written to {escape(str(page))}", highlight=False, soft_wrap=True)
    return 0


def add_report_command(sub: Any) -> None:
    """Add `report` to the top-level subcommands."""
    report = sub.add_parser("report", help="write an HTML report of a curriculum run")
    report.add_argument("rundir", metavar="RUNDIR", help="a run directory of `neurosym curriculum run`")
    report.add_argument("--out", metavar="DIR", help="folder for report.html and its PNGs (default RUNDIR/report)")
    report.add_argument("--dsl", metavar="MODULE:ATTR",
                        help="the run's language, as an import path (default: the one its config.json records)")
    report.set_defaults(run=cmd_report)
