"""`--dsl module:attr` on the commands, and what results files and run directories
record: the DSL (name, version, reference) and the library (source, path, version,
digest). The default library is the DSL's base library, for `neurosym solve` and for
`ns.solve` alike; the shipped one only when named (`--library shipped`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import neurosym as ns
from conftest import REPO
from dsl_cli import DSL, GROWN, OTHER
from neurosym.cli import main
from neurosym.lang.base import base_dsl
from neurosym.library import Library
from neurosym.library.store import default_library_path, load_library, save_library
from neurosym.search.work import LibrarySnapshot

TASKS = str(REPO / "examples" / "tasks" / "lists.json")
SHOUT = [{"name": "shout", "examples": [{"input": ["ab"], "output": "AB"}, {"input": ["x!"], "output": "X!"},
                                        {"input": [""], "output": ""}],
          "held_out": [{"input": ["hello"], "output": "HELLO"}]},
         {"name": "call", "examples": [{"input": ["ab"], "output": "AB!"}, {"input": ["c"], "output": "C!"}]}]


def task_file(tmp_path, dsl: str | None = None, name: str = "shout.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({**({"dsl": dsl} if dsl else {}), "tasks": SHOUT}))
    return str(path)


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err[len("error: "):].rstrip("\n")


def digest(library: Library) -> str:
    return LibrarySnapshot.of(library).digest


def test_solve_and_check_a_task_file_of_another_dsl(tmp_path, capsys):
    plain = task_file(tmp_path)
    out = tmp_path / "results.json"
    assert main(["solve", plain, "--dsl", "dsl_cli:DSL", "--candidates", "3000", "--executor", "serial",
                 "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert [t["program"] for t in data["tasks"]][0] == r"\x -> shout x"
    assert data["summary"]["solved"] == 2
    assert data["config"]["dsl"] == {"name": "cli_test", "version": DSL.version, "reference": "dsl_cli:DSL"}
    assert data["config"]["library"] == {"source": "base", "path": None, "version": 0, "routines": 0,
                                         "digest": digest(Library.base(dsl=DSL))}
    capsys.readouterr()
    assert main(["check", plain, "--dsl", "dsl_cli:DSL", "--program", "shout", "--tasks", "shout"]) == 0
    assert "all examples pass" in capsys.readouterr().out
    assert main(["check", plain, "--program", "shout"]) == 2  # the base language has no shout
    assert "shout" in one_line_error(capsys)


def test_a_task_file_that_names_its_dsl_is_read_in_it(tmp_path, capsys):
    named = task_file(tmp_path, "dsl_cli:DSL")
    assert main(["check", named, "--program", "shout", "--tasks", "shout"]) == 0
    assert main(["check", named, "--dsl", "dsl_cli:DSL", "--program", "shout", "--tasks", "shout"]) == 0
    capsys.readouterr()
    assert main(["tasks", named]) == 0
    assert f"2 tasks in DSL cli_test (version {DSL.version})" in capsys.readouterr().out
    assert main(["check", named, "--dsl", "dsl_cli:OTHER", "--program", "shout"]) == 2
    message = one_line_error(capsys)  # naming both
    assert message.startswith(f"{named}: the tasks are over DSL 'dsl_cli:DSL'") and "dsl_cli:OTHER" in message
    assert f"cli_other (version {OTHER.version})" in message and f"cli_test (version {DSL.version})" in message
    by_name = task_file(tmp_path, "cli_test", "by_name.json")  # a name, not an import path
    assert main(["check", by_name, "--program", "shout"]) == 2
    assert "'cli_test'" in one_line_error(capsys)


@pytest.mark.parametrize("spec, message", [
    ("dsl_cli", "--dsl 'dsl_cli': expected an import path such as 'mypackage.langs:MY_DSL'"),
    ("no_such_module_zz:DSL", "--dsl 'no_such_module_zz:DSL': cannot import 'no_such_module_zz'"),
    ("dsl_cli:NOPE", "--dsl 'dsl_cli:NOPE': 'dsl_cli' has no attribute 'NOPE'"),
    ("dsl_cli:NOT_A_DSL", "--dsl 'dsl_cli:NOT_A_DSL' is a int, not a DSL"),
])
def test_a_bad_dsl_is_one_line(spec, message, tmp_path, capsys):
    for argv in (["solve", TASKS, "--candidates", "10"], ["check", TASKS, "--program", "length"],
                 ["library", "list"], ["tasks", TASKS]):
        assert main([*argv, "--dsl", spec]) == 2
        assert one_line_error(capsys).startswith(message)


def test_library_commands_read_a_store_in_its_dsl(tmp_path, capsys):
    lib = Library.base(dsl=DSL).with_routines(r"def loud : str -> str = \s -> shout (shout s);")
    folder = save_library(lib, tmp_path / "lib")
    assert main(["library", "list", "--library", str(folder), "--dsl", "dsl_cli:DSL"]) == 0
    assert "loud" in capsys.readouterr().out
    assert main(["library", "show", "loud", "--library", str(folder), "--dsl", "dsl_cli:GROWN"]) == 0
    assert "shout (shout" in capsys.readouterr().out
    assert main(["library", "diff", "base", str(folder), "--dsl", "dsl_cli:DSL"]) == 0
    assert "1 added" in capsys.readouterr().out
    assert main(["library", "list", "--library", str(folder)]) == 2
    assert one_line_error(capsys) == (
        f"{folder}/index.json: written for DSL 'cli_test' (version {DSL.version}), but the DSL given is 'base' "
        f"(version {base_dsl().version}); load it with that DSL (--dsl module:attr)")
    assert load_library(folder, dsl=GROWN).production("whisper")  # grown since: there, with a default weight


def test_the_default_library_is_base_for_the_cli_and_shipped_only_when_named(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["solve", TASKS, "--candidates", "50", "--out", str(out)]) == 0
    record = json.loads(out.read_text())["config"]
    assert record["library"] == {"source": "base", "path": None, "version": 0, "routines": 0,
                                 "digest": digest(Library.base())}
    assert record["dsl"] == {"name": "base", "version": base_dsl().version, "reference": base_dsl().reference}
    assert main(["solve", TASKS, "--candidates", "50", "--library", "shipped", "--out", str(out)]) == 0
    shipped = load_library(default_library_path())
    assert json.loads(out.read_text())["config"]["library"] == {
        "source": "shipped", "path": str(default_library_path().resolve()), "version": shipped.version,
        "routines": len(shipped.routines), "digest": digest(shipped)}
    folder = save_library(Library.base().with_routines(r"def inc = \x -> x + 1;"), tmp_path / "lib")
    assert main(["solve", TASKS, "--candidates", "50", "--library", str(folder), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["config"]["library"]["source"] == "folder"
    capsys.readouterr()
    assert main(["library", "list"]) == 0
    assert "no routines in base library" in capsys.readouterr().out
    assert main(["library", "list", "--library", "shipped"]) == 0
    assert shipped.routines[0].name in capsys.readouterr().out
    routine = shipped.routines[0].name  # a program that uses a shipped routine: the hint names the option
    assert main(["check", TASKS, "--program", routine]) == 2
    assert one_line_error(capsys).endswith(f"'{routine}' is a routine of the shipped library: give --library shipped")


class _Recording:
    """A searcher that records the library it is handed, and finds nothing."""

    name = "recording"

    def __init__(self) -> None:
        self.libraries: list[Library] = []

    def search(self, task, library, budget):
        self.libraries.append(library)
        return ns.SearchResult(task.name, "recording", None, False, 0, len(task.examples), None, 0, 0.0)


def test_the_default_library_of_ns_solve_is_the_base_library():
    searcher = _Recording()
    task = ns.Task.from_examples("inc", [([1], [2]), ([5], [6])])
    ns.solve(task, method=searcher, budget=1)
    assert searcher.libraries == [Library.base()]


def test_workers_rebuild_the_dsl_from_its_reference(tmp_path):
    """A subprocess (tests/ on PYTHONPATH, as for an installed package of one's own) with
    two pool workers: each rebuilds the DSL from 'dsl_cli:DSL'."""
    out = tmp_path / "r.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "neurosym", "-q", "solve", task_file(tmp_path, "dsl_cli:DSL"),
                           "--candidates", "3000", "--jobs", "2", "--out", str(out)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert data["summary"]["solved"] == 2 and data["config"]["dsl"]["reference"] == "dsl_cli:DSL"


def test_a_curriculum_run_records_its_dsl_and_library_and_reports_in_it(tmp_path, capsys):
    rundir, plain = tmp_path / "run", task_file(tmp_path)
    assert main(["-q", "curriculum", "run", plain, "--dsl", "dsl_cli:DSL", "--iterations", "1",
                 "--candidates", "3000", "--executor", "serial", "--out", str(rundir)]) == 0
    record = json.loads((rundir / "config.json").read_text())
    assert record["dsl"] == {"name": "cli_test", "version": DSL.version, "reference": "dsl_cli:DSL"}
    assert record["library"] == {"source": "base", "path": None, "version": 0, "routines": 0,
                                 "digest": digest(Library.base(dsl=DSL))}
    assert json.loads((rundir / "library" / "index.json").read_text())["dsl"] == "cli_test"
    assert main(["report", str(rundir), "--out", str(tmp_path / "report")]) == 0  # in the DSL it records
    page = (tmp_path / "report" / "report.html").read_text()
    assert f"DSL cli_test (version {DSL.version}), started from the base library (version 0)" in page
    capsys.readouterr()
    assert main(["curriculum", "run", plain, "--dsl", "dsl_cli:GROWN", "--iterations", "1", "--candidates", "3000",
                 "--executor", "serial", "--out", str(rundir), "--resume"]) == 2
    assert one_line_error(capsys).endswith(
        f"the run was started in DSL 'cli_test' (version {DSL.version}), but this one is in cli_test (version "
        f"{GROWN.version}); resume it in the same DSL (--dsl)")


def test_a_domain_is_searched_in_a_larger_dsl_that_has_its_types(capsys):
    assert main(["solve", "--domain", "lists", "--tasks", "add-1", "--dsl", "dsl_cli:DSL", "--candidates", "20000",
                 "--executor", "serial"]) == 0
    assert "solved 1/1" in capsys.readouterr().out
    assert main(["tasks", "--domain", "lists", "--dsl", "dsl_cli:TINY"]) == 2
    message = one_line_error(capsys)
    assert message.startswith("--domain lists: task '") and "unknown type 'list'" in message
    assert message.endswith("its tasks are in the language 'base', and --dsl dsl_cli:TINY lacks their types")
