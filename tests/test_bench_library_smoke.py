"""bench_library.py runs end to end on a few tasks and prints its figure line."""

import json
import re
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_bench_library_prints_its_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_library.py"), "--limit", "12", "--iterations", "1",
         "--budget", "1", "--jobs", "1", "--rundir", str(tmp_path / "run")],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = proc.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"test_solved_base=\d+/6 test_solved_library=\d+/6 routines=\d+ compression=\d+\.\d+", last)


def test_transfer_collections_leave_out_the_curriculums_task_names():
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_library import transfer_collections

    whole = transfer_collections(set())
    assert {k: len(v) for k, v in whole.items()} == {"lists": 109, "integers": 16, "psb1": 8}
    less = transfer_collections({"sum", "fibonacci", "smallest"})
    assert len(less["lists"]) == 108 and len(less["integers"]) == 15 and len(less["psb1"]) == 7
    assert "sum" not in {t.name for t in less["lists"]}


@pytest.mark.slow
def test_bench_library_compares_cost_modes_on_the_validation_split(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_library.py"), "--limit", "12", "--iterations", "1",
         "--budget", "0.5", "--jobs", "1", "--validation-fraction", "0.5", "--shares", "0.8",
         "--proportional", "none,3", "--rundir", str(tmp_path / "run")],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert [l.split(" solved=")[0] for l in lines if l.startswith("validation share")] == [
        "validation share=0.8 routine_uniform=1 proportional=None",
        "validation share=0.8 routine_uniform=1 proportional=3"]
    assert any(l.startswith("chosen on the validation split: uniform share 0.8, routine_uniform 1, proportional ")
               for l in lines)


def test_bench_library_resume_of_a_folder_without_a_run_says_so(tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_library.py"), "--limit", "12", "--iterations", "1",
         "--budget", "0.5", "--jobs", "1", "--rundir", str(empty), "--resume"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().endswith(f"bench_library.py: error: {empty / 'config.json'}: nothing to resume "
                                        "(no config.json)")


def test_bench_library_under_candidates_alone_gives_the_same_figures_twice(tmp_path):
    """--candidates and --train-candidates without seconds: the protocol line quotes them,
    and two runs (in fresh folders) print the same figures and the same test programs."""
    runs = []
    for name in ("a", "b"):
        proc = subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / "bench_library.py"), "--limit", "12", "--iterations", "1",
             "--candidates", "3000", "--train-candidates", "2000", "--jobs", "1", "--transfer",
             "--rundir", str(tmp_path / name), "--out", str(tmp_path / f"{name}.json")],
            capture_output=True, text=True, timeout=300,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        runs.append(proc.stdout)
    assert "budgets: train 2,000 candidates per task, test 3,000 candidates per task" in runs[0]
    assert runs[0].strip().splitlines()[-2:] == runs[1].strip().splitlines()[-2:]
    assert re.fullmatch(r"transfer_solved_base=\d+/133 transfer_solved_library=\d+/133 \(lists \d+->\d+/109, "
                        r"integers \d+->\d+/16, psb1 \d+->\d+/8\)", runs[0].strip().splitlines()[-2])
    records = [json.loads((tmp_path / f"{name}.json").read_text()) for name in ("a", "b")]
    programs = [[(r["name"], r["program"], r["candidates"]) for r in rec["test"]["library"]] for rec in records]
    assert programs[0] == programs[1] and all(c <= 3000 + 1024 for _, _, c in programs[0])
    assert records[0]["protocol"]["test_budget"] == "3,000 candidates per task"
