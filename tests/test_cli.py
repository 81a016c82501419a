"""The `neurosym` command line: exit codes and messages."""

import json
import subprocess
import sys

import pytest

from conftest import DREAMCODER_TASKS

from neurosym.cli import main

TASKS = "examples/tasks/lists.json"


def run(*argv):
    return main(list(argv))


def test_check_passes(capsys):
    assert run("check", TASKS, "--program", r"map (\x -> x * 2)") == 0
    out = capsys.readouterr().out
    assert "double" in out and "3/3" in out and "1/1" in out and "all examples pass" in out


def test_check_fails_some_examples(capsys):
    assert run("check", TASKS, "--program", r"map (\x -> x + 2)") == 1
    out = capsys.readouterr().out
    assert "1/3" in out and "0/1" in out and "some examples fail" in out


def test_parse_error_shows_line_column_caret_and_expectation(capsys):
    assert run("check", TASKS, "--program", r"map (\x -> x * 2") == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0] == "error: parse error at line 1, column 17: unexpected end of input; expected ')'"
    assert lines[1] == r"  map (\x -> x * 2"
    assert lines[2] == "  " + " " * 16 + "^"  # just past the last character


def test_type_error_shows_subterm_and_both_types(capsys):
    assert run("check", TASKS, "--program", r"map (\x -> x && true)") == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: task 'double': type error: `x` has type int, but bool is needed here"


def test_type_error_against_task_type(capsys):
    assert run("check", TASKS, "--program", "length") == 2
    err = capsys.readouterr().err.strip()
    assert err == ("error: task 'double': type error: `length` has type list a -> int, "
                   "but list int -> list int is needed here")


def test_bad_task_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"tasks": [{"name": "a", "examples": [{"input": [1], "output": 2},
                                                                   {"input": [True], "output": 1}]}]}))
    assert run("check", str(bad), "--program", r"\x -> x") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "task 'a', example 1: input 0 true has type bool" in err


def test_missing_file(capsys):
    assert run("check", "nope.json", "--program", "length") == 2
    assert capsys.readouterr().err == "error: nope.json: no such file\n"


def test_program_file_with_definitions(tmp_path, capsys):
    prog = tmp_path / "double.ns"
    prog.write_text("# doubles every element\ndef double = \\x -> x * 2;\nmap double\n")
    assert run("check", TASKS, "--program-file", str(prog)) == 0


def test_budget_is_reported_not_raised(tmp_path, capsys):
    assert run("check", TASKS, "--program", r"\xs -> loop 1000000 (map (\x -> x)) xs", "--steps", "100") == 1
    assert "budget" in capsys.readouterr().out


def test_dreamcoder_file_works_from_the_installed_command():
    proc = subprocess.run(
        [sys.executable, "-m", "neurosym.cli", "check", str(DREAMCODER_TASKS),
         "--program", "reverse"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2  # bool tasks cannot take `reverse`: a type error, reported in one line
    assert proc.stderr.startswith("error: task 'bool-identify-geq-k with k=0': type error")


def test_tasks_filter_selects_by_glob(capsys):
    assert run("check", str(DREAMCODER_TASKS), "--tasks", "reverse", "--program", "reverse") == 0
    assert "15/15" in capsys.readouterr().out
    assert run("check", str(DREAMCODER_TASKS), "--tasks", "zzz*", "--program", "reverse") == 2
    assert "no task matches --tasks 'zzz*'" in capsys.readouterr().err


def test_solve_writes_results_file(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert run("solve", TASKS, "--budget", "3", "--out", str(out)) == 0
    data = json.loads(out.read_text())
    assert data["config"]["method"] == "enum" and data["config"]["budget"] == 3.0
    first = data["tasks"][0]
    assert {"name", "solved", "program", "time", "candidates", "examples_passed", "examples_total",
            "held_out_accuracy", "first_failure"} <= set(first)
    assert first["name"] == "double" and first["solved"] and first["held_out_accuracy"] == 1.0
    assert data["tasks"][1]["held_out_accuracy"] is None  # that task has no held-out examples
    assert "solved 2/2" in capsys.readouterr().out


def test_solve_a_domain_with_jobs(capsys):
    assert run("solve", "--domain", "lists", "--tasks", "add-[12]", "--budget", "3", "--jobs", "2") == 0
    assert "solved 2/2" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["solve"], "give a TASKFILE or --domain NAME"),
        (["solve", "--domain", "nope"], "nope"),
        (["solve", TASKS, "--budget", "0"], "argument --budget: expected a finite number > 0, got '0'"),
        (["solve", "missing.json"], "missing.json: no such file"),
    ],
)
def test_solve_bad_input(argv, message, capsys):
    assert run(*argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
