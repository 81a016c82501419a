"""scripts/regrow_shipped_library.py, the one command that rebuilds the shipped library,
runs end to end on a few tasks of each collection (marked slow: it spawns a process)."""

import json
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_regrow_runs_on_a_few_tasks_and_records_them(tmp_path):
    out = tmp_path / "shipped"
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "regrow_shipped_library.py"), "--limit", "3",
                           "--iterations", "1", "--candidates", "2000", "--jobs", "1", "--dreams", "10", "--epochs", "1",
                           "--check-candidates", "200",
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    record = json.loads((out / "shipped.json").read_text())
    assert record["budget"] == "2,000 candidates per task"
    assert record["total"] == 12 and set(record["tasks"]) == {"lists", "integers", "formal", "dreamcoder-train-half"}
    unseen = record["unseen"]
    assert unseen["budget"] == "200 candidates per task" and set(unseen["collections"]) == {"dreamcoder-test-half",
                                                                                              "psb1"}
    assert unseen["collections"]["dreamcoder-test-half"]["tasks"] == 108
    assert unseen["line"].startswith("unseen_solved_base=") and unseen["line"] in proc.stdout
    assert isinstance(unseen["fewer_than_base"], list) and unseen["without_result"] == []
    assert (out / "model" / "recognition.pt").exists() and (out / "library" / "index.json").exists()


def test_the_training_tasks_are_unique_and_leave_the_dreamcoder_test_half_out():
    sys.path.insert(0, str(REPO / "scripts"))
    from regrow_shipped_library import training_tasks

    from neurosym.curriculum.run import split_tasks
    from neurosym.domains.lists import dreamcoder_tasks_path
    from neurosym.task_io import load_tasks

    collections = training_tasks()
    names = [t.name for tasks in collections.values() for t in tasks]
    assert len(names) == len(set(names)) == 242
    assert "sum@dreamcoder-train-half" in names and "sum" in names  # the lists task keeps its name
    _, test = split_tasks(load_tasks(dreamcoder_tasks_path()), 0.5, 0)
    train_half = {t.name.split("@")[0] for t in collections["dreamcoder-train-half"]}
    assert not train_half & {t.name for t in test}


def test_the_unseen_collections_leave_out_training_names():
    sys.path.insert(0, str(REPO / "scripts"))
    from regrow_shipped_library import unseen_collections

    whole = unseen_collections(set())
    assert {k: len(v) for k, v in whole.items()} == {"dreamcoder-test-half": 108, "psb1": 8}
    less = unseen_collections({"count-odds", "sort"})
    assert len(less["psb1"]) == 7 and "count-odds" not in {t.name for t in less["psb1"]}
