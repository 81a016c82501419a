"""What a researcher expects of a command line: `python -m`, -v/-q, plain lines in a
pipe, tables that keep names whole, `tasks`, "did you mean", --candidates, --out -,
and near misses shown for unsolved tasks."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys

import pytest
from rich.console import Console

import neurosym.cli
from conftest import REPO
from neurosym.cli import main
from neurosym.search.base import SearchResult
from neurosym.solve_cli import results_table

TASKS = str(REPO / "examples" / "tasks" / "lists.json")
BASE = ["--library", "base"]
#: the whole program searched: the tasks here are maps, which a split finds at once
WHOLE = ["--split-share", "0"]


def near_miss_file(tmp_path) -> str:
    """A task the identity passes on two examples of three."""
    examples = [([1, 2], [1, 2]), ([3], [3]), ([0, 5], [5, 1])]
    path = tmp_path / "near.json"
    path.write_text(json.dumps({"tasks": [{"name": "near", "examples": [{"input": [i], "output": o}
                                                                        for i, o in examples]}]}))
    return str(path)


def terminal(monkeypatch, width: int = 80) -> io.StringIO:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=True, color_system=None)
    monkeypatch.setattr(neurosym.cli, "Console", lambda **kwargs: console)
    return buffer


def test_python_dash_m_neurosym():
    proc = subprocess.run([sys.executable, "-m", "neurosym", "--version"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and proc.stdout.strip().startswith("neurosym ")
    proc = subprocess.run([sys.executable, "-m", "neurosym", "tasks", "--domain", "lsts"], capture_output=True,
                          text=True, cwd=REPO)
    assert proc.returncode == 2 and proc.stderr.startswith("error: --domain 'lsts': no such domain")


def test_verbose_logs_info_and_restores_the_level(capsys):
    assert main(["-v", "solve", TASKS, *BASE, "--candidates", "20"]) == 0
    err = capsys.readouterr().err
    assert "INFO neurosym.search.solve: double: solved=False in " in err
    assert logging.getLogger("neurosym").level == logging.NOTSET  # as before main()
    assert main(["solve", TASKS, *BASE, "--candidates", "20"]) == 0
    assert "INFO" not in capsys.readouterr().err


def test_quiet_prints_results_and_summary_only(tmp_path, monkeypatch, capsys):
    buffer = terminal(monkeypatch)
    out = tmp_path / "r.json"
    assert main(["-q", "solve", TASKS, *BASE, "--candidates", "1800", "--constants", "all", "--split-share", "0", "--out", str(out)]) == 0
    text = buffer.getvalue()
    assert "searching" not in text and "results written to" not in text  # no progress, no chatter
    assert "│ double-twice-as-long │ yes " in text
    assert text.splitlines()[-1].startswith("solved 1/2, median time to solution ")
    assert json.loads(out.read_text())["summary"]["solved"] == 1
    assert main(["-v", "-q", "tasks", TASKS]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_quiet_curriculum_has_no_progress_events(tmp_path, capsys):
    argv = ["curriculum", "run", TASKS, *BASE, "--candidates", "30", "--iterations", "1", "--executor", "serial"]
    assert main(["-q", *argv, "--out", str(tmp_path / "q")]) == 0
    quiet = capsys.readouterr().out
    assert main([*argv, "--out", str(tmp_path / "v")]) == 0
    loud = capsys.readouterr().out
    assert "iteration 1: wake" in loud and "iteration 1: wake" not in quiet and "records in" not in quiet
    assert "│         1 │       0/2 │" in quiet  # the figures table


def test_a_pipe_gets_one_plain_line_per_task(capsys):
    assert main(["solve", TASKS, *BASE, "--candidates", "1800", "--constants", "all", "--split-share", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[2].startswith("solved 1/2, median time to solution ")
    name, solved, examples, candidates, seconds, program, failure = lines[0].split("\t")
    assert (name, solved, examples, candidates, program) == ("double", "unsolved", "1/3", "1800", r"\x -> x")
    assert failure == "example 0: expected [2, 4, 6], got [1, 2, 3]" and float(seconds) >= 0
    name, solved, examples, candidates, seconds, program = lines[1].split("\t")
    assert (name, solved, examples, candidates, program) == ("double-twice-as-long", "solved", "2/2", "1739",
                                                             r"\x -> zip_with (+) x x")


def test_near_misses_show_examples_passed_and_the_first_failure(tmp_path, monkeypatch, capsys):
    argv = ["solve", near_miss_file(tmp_path), *BASE, "--candidates", "20"]
    assert main(argv) == 0
    fields = capsys.readouterr().out.splitlines()[0].split("\t")
    assert fields[:4] + fields[5:] == ["near", "unsolved", "2/3", "20", r"\x -> x",
                                       "example 2: expected [5, 1], got [0, 5]"]
    buffer = terminal(monkeypatch)
    assert main(argv) == 0
    lines = buffer.getvalue().splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("│ near "))
    assert "│ no 2/3 " in lines[row]
    program = " ".join(line.split("│")[-2].strip() for line in lines[row:] if line.startswith("│"))
    assert program == r"\x -> x fails example 2: expected [5, 1], got [0, 5]"  # wrapped at spaces


def _result(name: str, program: str | None, solved: bool) -> SearchResult:
    from neurosym.lang.parser import parse

    return SearchResult(task=name, method="enum", program=None if program is None else parse(program), solved=solved,
                        examples_passed=3 if solved else 1, examples_total=3, held_out_accuracy=None,
                        candidates=123_456, seconds=1.5, first_failure="" if solved else "example 1: expected 2, got 3")


def test_tables_keep_names_whole_at_80_columns_and_fold_programs():
    name = "keep-elements-greater-than-k-then-reverse"
    program = r"\xs -> reverse (filter (\x -> x > 3) (map (\y -> y + 1) (filter (\z -> z % 2 == 0) xs)))"
    buffer = io.StringIO()
    Console(file=buffer, width=80, color_system=None).print(results_table([_result(name, program, True),
                                                                          _result("x", None, False)], "t"))
    lines = buffer.getvalue().splitlines()
    assert any(f"│ {name} │" in line for line in lines)
    assert all(len(line) <= 80 for line in lines)
    assert "".join(lines).count("reverse") == 1  # folded over several lines, not cut off


def test_library_list_keeps_routine_names_whole(tmp_path, monkeypatch):
    from neurosym.library import Library
    from neurosym.library.store import save_library

    name = "count_occurrences_of_k_in_the_list_of_ints"
    lib = Library.base().with_routines(f"def {name} = \\k xs -> length (filter (\\y -> y == k) xs);")
    folder = save_library(lib, tmp_path / "lib")
    buffer = terminal(monkeypatch)
    assert main(["library", "list", "--library", str(folder)]) == 0
    assert any(line.startswith(f"│ {name} │") for line in buffer.getvalue().splitlines())


def test_tasks_lists_a_domain_or_a_file(capsys):
    assert main(["tasks", "--domain", "lists", "--tasks", "add-[12]"]) == 0
    out = capsys.readouterr().out
    rows = [line.split("│")[1:-1] for line in out.splitlines() if line.startswith("│ add-")]
    assert [[cell.strip() for cell in row] for row in rows] == [["add-1", "list int -> list int", "10", "6"],
                                                                ["add-2", "list int -> list int", "10", "6"]]
    assert out.rstrip().endswith("2 tasks")
    assert main(["tasks", TASKS]) == 0
    assert "│ double-twice-as-long │ list int -> list int │        2 │        0 │" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["tasks", "--domain", "integer"], "error: --domain 'integer': no such domain (did you mean 'integers'?); "
                                       "domains: lists, dreamcoder, formal, integers, text"),
    (["tasks", "--domain", "lists", "--tasks", "sortt"], "error: no task matches --tasks 'sortt' (did you mean "
                                                         "'sort'?)"),
    (["tasks", "--domain", "lists", "--tasks", "zzz*"], "error: no task matches --tasks 'zzz*'"),
])
def test_did_you_mean(argv, message, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err == message + "\n"


def test_candidates_alone_bound_the_search_and_are_recorded(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["solve", TASKS, *BASE, *WHOLE, "--candidates", "300", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["config"]["budget"] is None and data["config"]["candidates"] == 300
    assert all(t["candidates"] <= 300 for t in data["tasks"]) and data["tasks"][1]["candidates"] == 300
    assert main(["solve", TASKS, *BASE, *WHOLE, "--candidates", "300", "--budget", "5", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["config"]["budget"] == 5.0
    capsys.readouterr()
    assert main(["solve", TASKS, *BASE, *WHOLE, "--candidates", "300", "--out", "-"]) == 0
    out_text, err_text = capsys.readouterr()
    assert "results written" not in out_text
    assert json.loads(out_text)["config"]["candidates"] == 300  # stdout holds the JSON alone
    assert "double\tunsolved\t1/3\t300\t" in err_text and "solved 0/2" in err_text


def test_library_base_works_on_every_command(tmp_path, capsys):
    assert main(["check", TASKS, "--program", r"map (\x -> x * 2)", "--library", "base"]) == 0
    assert main(["library", "list", "--library", "base"]) == 0
    assert "no routines in base library" in capsys.readouterr().out
    assert main(["library", "diff", "base", "base"]) == 0
    assert "base library (version 0) -> base library (version 0): no differences" in capsys.readouterr().out


def test_hedge_is_recorded_and_refused_where_it_cannot_apply(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["solve", TASKS, "--library", "shipped", "--hedge", "0.3", "--candidates", "300", *WHOLE,
                 "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["config"]["hedge"] == 0.3
    unsolved = [t for t in data["tasks"] if not t["solved"]]
    assert unsolved and all(t["candidates"] == 300 for t in unsolved)  # 210 with the library, 90 without
    capsys.readouterr()
    assert main(["solve", TASKS, *BASE, "--method", "gp", "--hedge", "0.3"]) == 2
    assert "--hedge works with --method enum or neural" in capsys.readouterr().err
    assert main(["solve", TASKS, *BASE, "--hedge", "1"]) == 2
    assert "a fraction strictly between 0 and 1" in capsys.readouterr().err


def test_the_summary_counts_solved_tasks_that_do_not_generalize(tmp_path, capsys):
    # `head` fits both examples (the maximum comes first there) but not the held-out one
    tasks = {"tasks": [
        {"name": "max", "examples": [{"input": [[5, 1]], "output": 5}, {"input": [[3, 2, 0]], "output": 3}],
         "held_out": [{"input": [[1, 9]], "output": 9}]},
        {"name": "length", "examples": [{"input": [[5, 1]], "output": 2}, {"input": [[3, 2, 0]], "output": 3}],
         "held_out": [{"input": [[1, 9, 9, 9]], "output": 4}]},
        {"name": "plain", "examples": [{"input": [[5, 1]], "output": 2}]}]}
    path, out = tmp_path / "t.json", tmp_path / "r.json"
    path.write_text(json.dumps(tasks))
    assert main(["solve", str(path), *BASE, "--candidates", "2000", "--out", str(out)]) == 0
    summary = json.loads(out.read_text())["summary"]
    assert (summary["solved"], summary["generalized"], summary["solved_not_generalized"]) == (3, 1, 1)
    assert "solved 3/3 (1 of them fail held-out examples)" in capsys.readouterr().out
