"""`neurosym library ...`: list, show, graph and diff stored libraries.

Register with `add_library_commands(subparsers)` from `neurosym.cli.build_parser`. Each
command is `(args, console) -> int`. Bad input raises a `neurosym.errors.NeurosymError`
(UsageError, StoreError): one line, exit code 2.

`--library` is the base library of the DSL by default (as for every command; `--dsl
module:attr` names the DSL), `--library shipped` the shipped library, anything else a
library folder; a folder without index.json is an error (a mistyped path must not
quietly browse the base library).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from neurosym.cli_options import (
    LIBRARY_HELP,
    OpenedLibrary,
    add_dsl_option,
    did_you_mean,
    given_dsl,
    non_negative_float,
    open_library,
    writable_file,
)
from neurosym.errors import UsageError
from neurosym.lang.parser import ParseError
from neurosym.library.browse import diff, draw_graph, find, graph, routines, show
from neurosym.library.library import Library


#: bad input to a library command (one line, exit code 2); the package-wide UsageError
LibraryUsageError = UsageError


def _weight(w: float | None) -> str:
    if w is None:
        return "-"
    return f"{w:.3f}" if math.isfinite(w) else str(w)


def _open(args: argparse.Namespace, spec: str | None = None, option: str = "--library") -> OpenedLibrary:
    return open_library(args.library if option == "--library" else spec, option, given_dsl(args))


def cmd_list(args: argparse.Namespace, console: Console) -> int:
    """A table of the library's routines, each with its doc (what it does, as a few
    examples for learned ones), optionally only those usable at --type."""
    opened = _open(args)
    lib, folder = opened.library, opened.label
    chosen = routines(lib)
    if args.type:
        try:
            chosen = find(lib, args.type, match=args.match)
        except ParseError as err:
            raise LibraryUsageError(f"--type {args.type!r}: {err.reason}") from None
    if lib.neural and not args.type:
        _neural_table(lib, folder, console)
    if not lib.routines:
        if not lib.neural:
            hint = "; `--library shipped` lists the shipped library" if opened.source == "base" else ""
            console.print(f"no routines in {escape(str(folder))} (the base library: {len(lib.productions)} "
                          f"productions){hint}", highlight=False)
        return 0
    weights = {p.name: p.log_weight for p in lib.productions}
    g = graph(lib)
    table = Table(title=escape(f"{folder} (version {lib.version}): {len(chosen)} of {len(lib.routines)} routines"))
    table.add_column("name", no_wrap=True)
    for column in ("type", "doc", "log weight", "uses", "used by (routines)", "tasks", "version"):
        table.add_column(column, overflow="fold")
    for r in chosen:
        uses, users = ", ".join(sorted(g.successors(r.name))), ", ".join(sorted(g.predecessors(r.name)))
        table.add_row(escape(r.name), escape(str(r.type)), escape(r.doc or "-"), _weight(weights.get(r.name)),
                      escape(uses), escape(users), str(len(r.used_by)), str(r.version))
    console.print(table)
    return 0


def _neural_table(lib: Library, folder: str, console: Console) -> None:
    """The neural routines: type, factory, validation accuracy, provenance."""
    table = Table(title=escape(f"{folder}: {len(lib.neural)} neural routines (weights in routines/NAME.pt)"))
    table.add_column("name", no_wrap=True)
    for column in ("type", "factory", "val accuracy", "produced by", "used by", "version"):
        table.add_column(column, overflow="fold")
    for n in lib.neural:
        accuracy = "-" if n.val_accuracy is None else f"{n.val_accuracy:.3f}"
        table.add_row(escape(n.name), escape(str(n.type)), escape(n.factory), accuracy,
                      escape(", ".join(n.produced_by) or "-"), escape(", ".join(n.used_by) or "-"), str(n.version))
    console.print(table)


def _show_neural(lib: Library, name: str, console: Console) -> int:
    n = lib.neural_routine(name)
    console.print(escape(f"neural routine {n.name} : {n.type}"), highlight=False)
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in (("factory", n.factory), ("config", n.config),
                       ("val accuracy", "-" if n.val_accuracy is None else f"{n.val_accuracy:.4f}"),
                       ("weights", f"routines/{n.name}.pt ({len(n.weights):,} bytes)"), ("version", n.version),
                       ("created", n.created or "-"), ("doc", n.doc or "-"),
                       ("produced by", ", ".join(n.produced_by) or "-"), ("used by", ", ".join(n.used_by) or "-")):
        table.add_row(key, escape(str(value)))
    console.print(table)
    return 0


def cmd_show(args: argparse.Namespace, console: Console) -> int:
    """One routine: definition, type, weight, provenance, usage and dependents."""
    opened = _open(args)
    lib, folder = opened.library, opened.label
    if any(n.name == args.name for n in lib.neural):
        return _show_neural(lib, args.name, console)
    try:
        view = show(lib, args.name)
    except KeyError:
        known = [r.name for r in lib.routines] + [n.name for n in lib.neural]
        hint = " (`--library shipped` shows the shipped library's)" if opened.source == "base" else ""
        raise LibraryUsageError(f"no routine named {args.name!r} in {folder}{did_you_mean(args.name, known)}; "
                                f"routines: {', '.join(known) or 'none'}{hint}") from None
    console.print(escape(view.definition), highlight=False, soft_wrap=True)
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows: list[tuple[str, Any]] = [
        ("type", view.type), ("log weight", _weight(view.log_weight)), ("version", view.version),
        ("created", view.created or "-"), ("hash", view.hash[:16]), ("doc", view.doc or "-"),
        ("produced by", ", ".join(view.produced_by) or "-"), ("used by", ", ".join(view.used_by) or "-"),
        ("uses", ", ".join(view.uses) or "-"), ("dependents", ", ".join(view.dependents) or "-"),
        ("usage", view.usage),
        ("example", f"in the solution of task {view.example_task}" if view.example_task else "-")]
    for key, value in rows:
        table.add_row(key, escape(str(value)))
    console.print(table)
    return 0


def cmd_graph(args: argparse.Namespace, console: Console) -> int:
    """Draw the dependency graph of the routines to a PNG file."""
    out = writable_file(args.out, example="graph.png")  # not an existing folder, nor in a missing one
    if out.suffix.lower() != ".png":
        raise LibraryUsageError(f"--out {out}: the graph is drawn as PNG; give a file ending in .png")
    opened = _open(args)
    lib, folder = opened.library, opened.label
    g = graph(lib)
    draw_graph(lib, out, title=f"{Path(folder).name or folder} (version {lib.version})")
    kinds = [k for _, k in g.nodes(data="kind")]
    console.print(escape(f"drew {kinds.count('routine')} routines, {kinds.count('primitive')} primitives and "
                         f"{g.number_of_edges()} dependencies to {out}"), highlight=False)
    return 0


def cmd_diff(args: argparse.Namespace, console: Console) -> int:
    """What changed from library OLD to library NEW (default: --library)."""
    old_lib, new_lib = _open(args, args.old, "OLD"), _open(args, args.new, "NEW") if args.new else _open(args)
    old, old_folder, new, new_folder = old_lib.library, old_lib.label, new_lib.library, new_lib.label
    d = diff(old, new, tolerance=args.tolerance)
    title = escape(f"{old_folder} (version {d.old_version}) -> {new_folder} (version {d.new_version})")
    if d.empty:
        console.print(f"{title}: no differences", highlight=False)
        return 0
    table = Table(title=title)
    table.add_column("change", no_wrap=True)
    table.add_column("name", no_wrap=True)
    table.add_column("details", overflow="fold")
    new_defs = {r.name: r for r in new.routines}
    for name in d.added:
        table.add_row("[green]added[/]", escape(name), escape(show(new, name).definition))
    for name in d.removed:
        table.add_row("[red]removed[/]", escape(name), "")
    for c in d.changed:
        table.add_row("[yellow]changed[/]", escape(c.name), escape(f"{c.old_definition}\n-> {c.new_definition}"))
    for name in d.updated:
        table.add_row("updated", escape(name), escape(f"type, doc or provenance; used by "
                                                      f"{', '.join(new_defs[name].used_by) or '-'}"))
    for name in d.productions_added:
        if name not in new_defs:
            table.add_row("[green]production added[/]", escape(name), "")
    for name in d.productions_removed:
        table.add_row("[red]production removed[/]", escape(name), "")
    for w in d.reweighted:
        table.add_row("reweighted", escape(w.name), f"{_weight(w.old)} -> {_weight(w.new)}")
    console.print(table)
    console.print(f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed, "
                  f"{len(d.reweighted)} reweighted", highlight=False)
    return 0


def add_library_commands(subparsers: Any) -> argparse.ArgumentParser:
    """Add `library list|show|graph|diff` to a parser's subparsers; returns the `library` parser."""
    library = subparsers.add_parser("library", help="browse a stored library of routines")
    sub = library.add_subparsers(dest="library_command", required=True, metavar="{list,show,graph,diff}")

    def with_library(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument("--library", metavar="PATH", help=LIBRARY_HELP)
        add_dsl_option(parser)
        return parser

    listing = with_library(sub.add_parser("list", help="table of the routines"))
    listing.add_argument("--type", help="only routines usable at this type, e.g. 'list int -> int'")
    listing.add_argument("--match", choices=("usable", "unifies"), default="usable",
                         help="usable: TYPE is an instance of the routine's type (default); "
                              "unifies: the two types unify")
    listing.set_defaults(run=cmd_list)
    showing = with_library(sub.add_parser("show", help="one routine: definition, provenance, dependents"))
    showing.add_argument("name", metavar="NAME", help="routine name")
    showing.set_defaults(run=cmd_show)
    drawing = with_library(sub.add_parser("graph", help="draw the dependency graph as a PNG"))
    drawing.add_argument("--out", required=True, metavar="FILE.png", help="where to write the picture")
    drawing.set_defaults(run=cmd_graph)
    diffing = with_library(sub.add_parser("diff", help="what changed between two libraries"))
    diffing.add_argument("old", metavar="OLD", help="the earlier library folder ('base': the base primitives, "
                         "'shipped': the shipped library)")
    diffing.add_argument("new", metavar="NEW", nargs="?", help="the later library folder (default: --library)")
    diffing.add_argument("--tolerance", type=non_negative_float, default=0.0,
                         help="ignore weight changes up to this much")
    diffing.set_defaults(run=cmd_diff)
    return library
