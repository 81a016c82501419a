"""Curriculum runs: a routine learned early is used by a later task; records; resume."""

import json

import networkx as nx
import pytest

import neurosym as ns
from neurosym.curriculum.run import Curriculum, CurriculumConfig, split_tasks
from neurosym.lang.ast import Prim, subterms
from neurosym.library import Library
from neurosym.library.browse import graph
from neurosym.search.base import Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.library.store import default_library_path, load_library
from neurosym.lang.base import base_dsl
from neurosym.search.work import LibrarySnapshot

GRAMMAR = ("map", "+", "*", "tail", "reverse", "1", "2", "3", "4", "5")
XS = [[1, 2], [0, 5, 3], [9], [7, 1, 1, 2]]


def linear(k: int, c: int) -> ns.Task:
    return ns.Task.from_examples(f"lin-{k}-{c}", [(x, [k * v + c for v in x]) for x in XS],
                                 held_out=[(list(range(12)), [k * v + c for v in range(12)])])


def harder() -> ns.Task:
    return ns.Task.from_examples("rev-tail-lin-4-5", [(x, [4 * v + 5 for v in x[1:]][::-1]) for x in XS])


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    rundir = tmp_path_factory.mktemp("run") / "r"
    tasks = [linear(3, 1), linear(3, 2), linear(4, 1), harder()]
    # the last task takes about 9,600 candidates with this grammar, the others about
    # 3,000; with the routine `\a b -> map (\y -> a + y * b)` learned from them, it
    # takes about 750
    # (constants="all" and no split: calibrated as test_hedge.ENUM)
    config = CurriculumConfig(source="test", iterations=2, budget=30, candidates=5000, seed=0, constants="all",
                              split_share=0.0)
    figures = Curriculum(tasks, rundir, config, library=Library.base().only(*GRAMMAR)).run()
    return rundir, figures


def test_a_learned_routine_solves_a_later_task(run):
    rundir, figures = run
    first, second = figures
    assert first.solved_train == 3 and second.solved_train == 4
    assert first.new_routines  # learned in the first sleep
    state = json.loads((rundir / "state.json").read_text())
    later = ns.parse(state["solutions"]["rev-tail-lin-4-5"])
    used = {n.name for n in subterms(later) if isinstance(n, Prim)}
    library = load_library(rundir / "library")
    # the solution (as rewritten by the last sleep) reaches a first-iteration routine
    reached = set(used)
    for name in used & {r.name for r in library.routines}:
        reached |= nx.descendants(graph(library), name)
    early = reached & set(first.new_routines)
    assert early, state["solutions"]["rev-tail-lin-4-5"]
    assert all(library.routine(name).created == "iteration 1" for name in early)


def test_the_later_task_is_out_of_reach_without_the_routine():
    result = EnumerativeSearcher(constants="all", split_share=0.0).search(harder(), Library.base().only(*GRAMMAR),
                                                         Budget(seconds=30, candidates=5000))
    assert not result.solved and result.candidates == 5000


def test_records_in_rundir(run):
    rundir, figures = run
    config = json.loads((rundir / "config.json").read_text())
    assert config["seed"] == 0 and config["config"]["iterations"] == 2 and "neurosym_version" in config
    assert config["dsl"] == {"name": "base", "version": base_dsl().version, "reference": base_dsl().reference}
    start = Library.base().only(*GRAMMAR)  # given in Python: recorded as such, with its digest
    assert config["library"] == {"source": "python", "path": None, "version": 0, "routines": 0,
                                 "digest": LibrarySnapshot.of(start).digest}
    lines = (rundir / "iterations.jsonl").read_text().splitlines()
    assert [json.loads(line)["iteration"] for line in lines] == [1, 2]
    row = json.loads(lines[0])
    assert {"solved_train", "solved_test", "wake_seconds", "candidates", "library_size", "corpus_size"} <= set(row)
    assert row["compression"] > 1.0
    assert (rundir / "snapshots" / "iteration-1" / "index.json").exists()
    assert (rundir / "learning_curve.png").stat().st_size > 5000


def test_resume_continues_where_it_stopped(tmp_path):
    tasks = [linear(3, 1), linear(3, 2)]
    one = CurriculumConfig(source="test", iterations=1, budget=30, candidates=5000)
    Curriculum(tasks, tmp_path / "r", one, library=Library.base().only(*GRAMMAR)).run()
    with pytest.raises(ValueError, match="another configuration"):
        Curriculum(tasks, tmp_path / "r", CurriculumConfig(source="test", iterations=2, budget=30,
                                                           candidates=5000)).run(resume=True)
    with pytest.raises(FileExistsError, match="not empty"):
        Curriculum(tasks, tmp_path / "r", one).run()
    figures = Curriculum(tasks, tmp_path / "r", one).run(resume=True)
    assert [f.iteration for f in figures] == [1]  # already complete: nothing to redo


def test_a_run_starts_from_the_base_library_unless_told(tmp_path):
    """Not the shipped library: it was learned from the built-in domains, whose figures
    it would inflate; config.json says which library a run started from."""
    config = CurriculumConfig(source="test", iterations=1, budget=30, candidates=300, executor="serial")
    Curriculum([linear(3, 1)], tmp_path / "r", config).run()
    record = json.loads((tmp_path / "r" / "config.json").read_text())["library"]
    assert record == {"source": "base", "path": None, "version": 0, "routines": 0,
                      "digest": LibrarySnapshot.of(Library.base()).digest}
    shipped = CurriculumConfig(source="test", iterations=1, budget=30, candidates=300, executor="serial",
                               library="shipped")
    Curriculum([linear(3, 1)], tmp_path / "s", shipped).run()
    record = json.loads((tmp_path / "s" / "config.json").read_text())["library"]
    assert record["source"] == "shipped" and record["path"] == str(default_library_path().resolve())
    assert record["routines"] == len(load_library(default_library_path()).routines) > 0


def test_the_test_split_is_measured_once_with_the_starting_library(tmp_path):
    """The baseline of every test figure: the starting library on the test split,
    searched before any learning, recorded on every row and drawn as a line."""
    tasks = [linear(3, 1), linear(3, 2), linear(4, 1), linear(4, 2), harder()]
    config = CurriculumConfig(source="test", iterations=2, budget=30, candidates=5000, seed=1, test_fraction=0.4,
                              executor="serial")
    start = Library.base().only(*GRAMMAR)
    curriculum = Curriculum(tasks, tmp_path / "r", config, library=start)
    figures = curriculum.run()
    expected = sum(EnumerativeSearcher().search(t, start, Budget(seconds=30, candidates=5000)).solved
                   for t in curriculum.test)
    assert len(curriculum.test) == 2
    assert [f.solved_test_base for f in figures] == [expected, expected]
    rows = [json.loads(line) for line in (tmp_path / "r" / "iterations.jsonl").read_text().splitlines()]
    assert [r["solved_test_base"] for r in rows] == [expected, expected]
    assert Curriculum(tasks, tmp_path / "r", config).run(resume=True)[1].solved_test_base == expected


def test_split_is_seeded_and_complete():
    tasks = [linear(k, 1) for k in range(1, 11)]
    train, test = split_tasks(tasks, 0.5, seed=3)
    assert len(train) == len(test) == 5 and {t.name for t in train + test} == {t.name for t in tasks}
    assert split_tasks(tasks, 0.5, seed=3) == (train, test)
    with pytest.raises(ValueError, match="test_fraction"):
        split_tasks(tasks, 1.0, 0)


KILL_WHILE_CREATING = """
import os, signal, sys
sys.path.insert(0, {tests!r})
import neurosym.curriculum.run as run
from test_curriculum import GRAMMAR, linear
from neurosym.library import Library

def killed(folder, state):  # as if the process died between config.json and state.json
    os.kill(os.getpid(), signal.SIGKILL)

run._save_state = killed
config = run.CurriculumConfig(source="test", iterations=1, budget=None, candidates=3000)
run.Curriculum([linear(3, 1)], {rundir!r}, config, library=Library.base().only(*GRAMMAR)).run()
"""


def test_a_run_killed_while_its_directory_is_made_leaves_none_half_made(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    rundir = tmp_path / "r"
    script = KILL_WHILE_CREATING.format(tests=str(Path(__file__).parent), rundir=str(rundir))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr
    assert not rundir.exists()  # the half-made one is a stray temporary folder beside it
    assert [p.name.startswith(".r.") and p.name.endswith(".tmp") for p in tmp_path.iterdir()] == [True]
    config = CurriculumConfig(source="test", iterations=1, budget=None, candidates=3000)
    figures = Curriculum([linear(3, 1)], rundir, config, library=Library.base().only(*GRAMMAR)).run()
    assert [f.iteration for f in figures] == [1] and (rundir / "state.json").is_file()


def test_a_run_dir_with_a_config_but_no_state_counts_as_not_started(tmp_path):
    """What a run stopped between config.json and state.json leaves in a folder that
    existed before (or what an older neurosym left anywhere)."""
    config = CurriculumConfig(source="test", iterations=1, budget=None, candidates=5000)
    small = Library.base().only(*GRAMMAR)
    Curriculum([linear(3, 1)], tmp_path / "done", config, library=small).run()
    for name, resume in (("fresh", False), ("resumed", True)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "config.json").write_text((tmp_path / "done" / "config.json").read_text())
        figures = Curriculum([linear(3, 1)], tmp_path / name, config, library=small).run(resume=resume)
        assert [f.iteration for f in figures] == [1] and figures[0].solved_train == 1
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="other is not empty: choose a new RUNDIR or pass resume"):
        Curriculum([linear(3, 1)], tmp_path / "other", config, library=small).run()


def test_candidates_alone_bound_the_wake_and_old_configs_resume(tmp_path):
    tasks = [linear(3, 1), harder()]
    config = CurriculumConfig(source="test", iterations=1, budget=None, candidates=700, split_share=0.0)
    figures = Curriculum(tasks, tmp_path / "r", config, library=Library.base().only(*GRAMMAR)).run()
    assert figures[0].solved_train == 0 and figures[0].candidates == 2 * 700  # 3,000 and 9,600 needed
    saved = json.loads((tmp_path / "r" / "config.json").read_text())
    assert saved["config"]["budget"] is None and saved["config"]["candidates"] == 700
    old = CurriculumConfig(source="test", iterations=1)  # budget 10 s, no candidates
    Curriculum(tasks, tmp_path / "old", old, library=Library.base().only(*GRAMMAR)).run()
    record = json.loads((tmp_path / "old" / "config.json").read_text())
    del record["config"]["candidates"]  # written before the field existed
    (tmp_path / "old" / "config.json").write_text(json.dumps(record))
    assert [f.iteration for f in Curriculum(tasks, tmp_path / "old", old).run(resume=True)] == [1]
