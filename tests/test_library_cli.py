"""`library list|show|graph|diff` through a small parser built with add_library_commands."""

from __future__ import annotations

import argparse
import io
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from neurosym.errors import NeurosymError
from neurosym.library import Library
from neurosym.library.store import save_library
from neurosym.library_cli import add_library_commands

ROUTINES = r"""
def count : int -> list int -> int = \k xs -> length (filter (\y -> y == k) xs);
def count_both = \k xs -> count k xs + count k (reverse xs);
def firsts = \xss -> map head xss;
"""


def run(*argv: str) -> tuple[int, str]:
    """Exit code and output (the one-line message for a usage error, as cli.main reports it)."""
    parser = argparse.ArgumentParser(prog="neurosym")
    add_library_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    out = io.StringIO()
    try:
        code = args.run(args, Console(file=out, width=240, color_system=None))
    except NeurosymError as err:
        return 2, str(err)
    return code, out.getvalue()


@pytest.fixture
def store(tmp_path) -> Path:
    lib = Library.base().with_routines(ROUTINES, log_weight=-2.0)
    count = replace(lib.routine("count"), used_by=("count-3",), produced_by=("count-3", "count-4"))
    lib = replace(lib, routines=(count,) + lib.routines[1:], version=4)
    return save_library(lib, tmp_path / "lib")


def test_list(store):
    code, out = run("library", "list", "--library", str(store))
    assert code == 0
    assert "(version 4): 3 of 3 routines" in out
    row = next(line for line in out.splitlines() if line.startswith("│ count_both "))
    assert "int -> list int -> int" in row and "-2.000" in row and "+, count, reverse" in row
    count_row = next(line for line in out.splitlines() if line.startswith("│ count "))
    assert "count_both" in count_row  # used by count_both


def test_list_by_type(store):
    code, out = run("library", "list", "--library", str(store), "--type", "list (list bool) -> list bool")
    assert code == 0 and "1 of 3 routines" in out and "firsts" in out and "count_both" not in out
    code, out = run("library", "list", "--library", str(store), "--type", "list a -> b", "--match", "unifies")
    assert "firsts" in out
    code, message = run("library", "list", "--library", str(store), "--type", "list ->")
    assert code == 2 and message.startswith("--type 'list ->'")


def test_list_base_and_shipped_library(tmp_path):
    code, out = run("library", "list", "--library", "base")
    assert code == 0 and "no routines in base library (the base library:" in out
    code, message = run("library", "list", "--library", str(tmp_path))  # a folder, but no library in it
    assert code == 2 and message == (f"--library {tmp_path}: no index.json, so not a library folder; give a library "
                                     "folder, or `--library base` for the base primitives alone")
    code, out = run("library", "list")  # the base library, the default of every command
    assert code == 0 and "no routines in base library" in out and "`--library shipped` lists the shipped" in out
    code, out = run("library", "list", "--library", "shipped")  # the shipped library/ folder, named
    assert code == 0 and "routines" in out and "no routines" not in out
    code, message = run("library", "show", "nope")
    assert code == 2 and message.endswith("routines: none (`--library shipped` shows the shipped library's)")


def test_show(store):
    code, out = run("library", "show", "count", "--library", str(store))
    assert code == 0
    assert out.splitlines()[0] == r"def count : int -> list int -> int = \x y -> length (filter (\z -> z == x) y);"
    fields = [" ".join(line.split()) for line in out.splitlines()[1:]]
    for expected in ("produced by count-3, count-4", "dependents count_both", "usage count <int> <list int>",
                     "example in the solution of task count-3", "log weight -2.000", "used by count-3"):
        assert expected in fields


def test_show_unknown_routine(store):
    code, message = run("library", "show", "nope", "--library", str(store))
    assert code == 2 and message == f"no routine named 'nope' in {store}; routines: count, count_both, firsts"
    code, message = run("library", "show", "count_bth", "--library", str(store))
    assert code == 2 and message == (f"no routine named 'count_bth' in {store} (did you mean 'count_both' or "
                                     "'count'?); routines: count, count_both, firsts")


def test_graph(store, tmp_path):
    out_file = tmp_path / "g.png"
    code, out = run("library", "graph", "--library", str(store), "--out", str(out_file))
    assert code == 0 and out_file.read_bytes()[:4] == b"\x89PNG"
    assert "drew 3 routines, 7 primitives and 8 dependencies" in out
    code, message = run("library", "graph", "--library", str(store), "--out", str(tmp_path / "g.svg"))
    assert code == 2 and "PNG" in message


def test_diff(store, tmp_path):
    code, out = run("library", "diff", "base", str(store))
    assert code == 0
    assert "added" in out and "count_both" in out and "reweighted" in out and "3 added, 0 removed" in out
    code, out = run("library", "diff", str(store), "--library", str(store))
    assert code == 0 and "no differences" in out


def test_damaged_store_is_a_usage_error(store):
    (store / "routines" / "firsts.ns").write_text("def firsts = ")
    code, message = run("library", "list", "--library", str(store))
    assert code == 2 and str(store / "routines" / "firsts.ns") in message and "\n" not in message
    code, message = run("library", "show", "count", "--library", str(store / "missing"))
    assert code == 2 and message.startswith(f"--library {store / 'missing'}: no such folder; give a library folder")
