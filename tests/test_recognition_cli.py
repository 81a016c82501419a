"""`--method neural` on the command line: a curriculum trains a model, solve uses it."""

import json

import pytest

pytest.importorskip("torch")

from neurosym.cli import main
from neurosym.library.store import load_library

TASKS = "examples/tasks/lists.json"


@pytest.fixture(scope="module")
def rundir(tmp_path_factory):
    out = tmp_path_factory.mktemp("neural") / "run"
    code = main(["curriculum", "run", "--domain", "lists", "--tasks", "add-*", "--method", "neural",
                 "--iterations", "1", "--budget", "1", "--dreams", "20", "--recognition-epochs", "2",
                 "--test-fraction", "0.4", "--library", "base", "--executor", "serial", "--out", str(out)])
    assert code == 0
    return out


def test_curriculum_trains_and_checkpoints_a_model(rundir):
    assert (rundir / "model" / "recognition.pt").exists() and (rundir / "model" / "iteration-1.pt").exists()
    row = json.loads((rundir / "iterations.jsonl").read_text().splitlines()[0])
    assert row["solved_test_guided"] is not None and row["recognition_loss"] > 0
    assert json.loads((rundir / "config.json").read_text())["config"]["method"] == "neural"


def test_solve_with_the_model(rundir, tmp_path, capsys):
    out = tmp_path / "results.json"
    model = str(rundir / "model" / "recognition.pt")
    assert main(["solve", TASKS, "--method", "neural", "--model", model, "--library", str(rundir / "library"),
                 "--budget", "5", "--out", str(out)]) == 0
    assert "solved 2/2" in capsys.readouterr().out
    config = json.loads(out.read_text())["config"]
    assert config["method"] == "neural" and config["unguided_share"] == 0.5  # the default, recorded


def test_solve_records_the_unguided_share_it_was_given(rundir, tmp_path, capsys):
    out = tmp_path / "results.json"
    model = str(rundir / "model" / "recognition.pt")
    assert main(["solve", TASKS, "--method", "neural", "--model", model, "--library", str(rundir / "library"),
                 "--budget", "5", "--unguided-share", "0", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["config"]["unguided_share"] == 0.0
    assert main(["solve", TASKS, "--library", "base", "--budget", "1", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["config"]["unguided_share"] is None  # not a guided search


def test_a_model_is_refused_with_another_library(rundir, capsys):
    """The run learned routines (map_add on a quiet machine); the base library lacks
    them, so the model's predictions for them would guide nothing (or, under another
    body, guide wrongly)."""
    learned = sorted(r.name for r in load_library(rundir / "library").routines)
    assert learned
    model = str(rundir / "model" / "recognition.pt")
    assert main(["solve", TASKS, "--method", "neural", "--model", model, "--library", "base", "--budget", "1"]) == 2
    err = capsys.readouterr().err
    assert f"{model}: trained for another library (this library lacks the routine {learned[0]};" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv, message", [
    (["solve", TASKS, "--method", "neural"], "--method neural needs --model PATH"),
    (["solve", TASKS, "--model", "m.pt"], "--model is the recognition model of --method neural"),
    (["solve", TASKS, "--unguided-share", "0.3"],
     "--unguided-share is the share of --method neural's budget left to plain enumeration"),
    (["solve", TASKS, "--method", "neural", "--model", "m.pt", "--unguided-share", "1"],
     "argument --unguided-share: expected a fraction in [0, 1), got '1'"),
    (["solve", TASKS, "--method", "neural", "--model", "missing.pt"], "missing.pt: no recognition model checkpoint"),
    (["curriculum", "run", TASKS, "--out", "x", "--dreams", "-1"], "argument --dreams: expected an integer >= 0, got '-1'"),
])
def test_usage_errors_name_the_problem(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err
