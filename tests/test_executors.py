"""Executors: serial, local pool and Ray give the same results for one seed; a worker
that dies or runs too long costs its task, not the run."""

import json
import os
import pickle
import subprocess
import sys
import time
from dataclasses import replace

import pytest

import neurosym as ns
from neurosym.curriculum.run import Curriculum, CurriculumConfig
from neurosym.domains.registry import get_domain
from neurosym.search.base import Budget
from neurosym.search.executors import Failure, PoolExecutor, SerialExecutor, make_executor
from neurosym.search.work import KILL_TASK_ENV, LibrarySnapshot, SearchUnit, run_unit, task_seed

LISTS = {t.name: t for t in get_domain("lists")}
EASY = [LISTS[n] for n in ("add-1", "mult-2", "sum", "reverse", "length", "evens")]
CURRICULUM_TASKS = [LISTS[n] for n in ("add-1", "add-2", "add-3", "mult-2", "mult-3", "drop-1", "drop-2", "take-1")]
BUDGET = Budget(seconds=60, candidates=15000)  # the candidates bound binds: results do not depend on load


def _key(results):
    return [(r.task, r.solved, r.program_text, r.candidates, r.examples_passed) for r in results]


def _victim():
    return ns.Task.from_examples("victim", [([1, 2], [2, 3]), ([4], [5])])


def _noise():  # no short program does this
    return ns.Task.from_examples("noise", [([1], [7, 3, 9]), ([2], [0]), ([3], [5, 5]), ([4], [8, 1])])


def test_task_seed_is_stable_across_processes():
    code = "from neurosym.search.work import task_seed; print(task_seed(7, 'sum'))"
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED=str(h))).stdout.strip() for h in (1, 2)}
    assert seen == {str(task_seed(7, "sum"))}
    assert task_seed(7, "sum") != task_seed(8, "sum") != task_seed(7, "max")


def test_types_programs_and_stacks_unpickled_from_another_process_equal_ours():
    code = ("import pickle, sys; from neurosym.lang.parser import parse, parse_type; "
            "from neurosym.lang.primitives import Stack; "
            "sys.stdout.buffer.write(pickle.dumps((parse_type('list int -> stack int'), "
            "parse(r'\\x -> map (\\y -> y + 1) x'), Stack.from_items([1, 2]), Stack.from_items([]))))")
    data = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                          env=dict(os.environ, PYTHONHASHSEED="123")).stdout
    t, e, s, empty = pickle.loads(data)
    from neurosym.lang.parser import parse, parse_type
    from neurosym.lang.primitives import EMPTY_STACK, Stack

    mine = (parse_type("list int -> stack int"), parse(r"\x -> map (\y -> y + 1) x"), Stack.from_items([1, 2]))
    assert (t, e, s) == mine and {t: 1, e: 2, s: 3}[mine[0]] == 1 and {e: 2}[mine[1]] == 2 and {s: 3}[mine[2]] == 3
    assert empty is EMPTY_STACK and e.size == mine[1].size


def test_a_library_snapshot_holds_routines_and_neural_weights():
    from dataclasses import replace as copy_with

    from neurosym.lang.parser import parse_type
    from neurosym.library.library import NeuralRoutine

    lib = ns.Library.base().with_routines(r"def count = \k xs -> length (filter (\y -> y == k) xs);")
    reader = NeuralRoutine("reader", parse_type("image -> int"), "some.module:Factory", "{}", b"\x00\xffweights")
    lib = copy_with(lib, neural=(reader,), _compiled={})
    snapshot = LibrarySnapshot.of(lib)
    back = pickle.loads(pickle.dumps(snapshot)).library()
    assert back == lib and back.neural[0].weights == b"\x00\xffweights"
    assert snapshot.digest == LibrarySnapshot.of(back).digest


def test_a_snapshot_and_a_result_of_another_dsl_travel_with_it():
    """A worker rebuilds the DSL from its reference (dsl_cli:DSL); a program with a
    literal of the DSL's own type comes back as it was."""
    from dsl_cli import DSL, Temp

    from neurosym.lang.ast import App, Lit, Prim
    from neurosym.search.base import SearchResult
    from neurosym.search.work import UnitResult

    lib = ns.Library.base(dsl=DSL).with_routines(r"def loud : str -> str = \s -> shout (shout s);")
    back = pickle.loads(pickle.dumps(LibrarySnapshot.of(lib))).library()
    assert back == lib and back.dsl is DSL
    program = App(Prim("warmer"), Lit(Temp(21)))
    unit = UnitResult.of(SearchResult("t", "enum", program, True, 1, 1, None, 3, 0.1), DSL)
    assert pickle.loads(pickle.dumps(unit)).result().program == program


def test_serial_and_pool_give_equal_results():
    serial = ns.solve(EASY, budget=BUDGET, executor="serial")
    pool = ns.solve(EASY, budget=BUDGET, jobs=2, executor="pool")
    assert _key(serial) == _key(pool)
    assert sum(r.solved for r in serial) >= 4


def test_gp_results_do_not_depend_on_executor_or_task_order():
    budget = Budget(seconds=60, candidates=1500)
    tasks = EASY[:3]
    serial = ns.solve(tasks, method="gp", budget=budget, seed=5, executor="serial")
    pool = ns.solve(list(reversed(tasks)), method="gp", budget=budget, seed=5, jobs=2)
    assert _key(serial) == _key(list(reversed(pool)))
    alone = ns.solve(tasks[1], method="gp", budget=budget, seed=5)  # one task: searched in this process
    assert _key([alone]) == _key([serial[1]])


def test_a_killed_worker_costs_only_its_task(monkeypatch):
    monkeypatch.setenv(KILL_TASK_ENV, "victim")
    tasks = [EASY[0], _victim(), EASY[1], EASY[2]]
    seen = []
    results = ns.solve(tasks, budget=BUDGET, jobs=2, on_result=lambda r: seen.append(r.task))
    assert [r.task for r in results] == [t.name for t in tasks] and sorted(seen) == sorted(r.task for r in results)
    victim = results[1]
    assert not victim.solved and victim.program is None
    assert "worker died" in victim.trace[0] and "exit code -9" in victim.trace[0]
    assert all(r.solved for i, r in enumerate(results) if i != 1)


def test_a_curriculum_goes_on_when_a_worker_is_killed(tmp_path, monkeypatch):
    monkeypatch.setenv(KILL_TASK_ENV, "victim")
    tasks = CURRICULUM_TASKS[:4] + [_victim(), _noise()]  # two unsolved: every wake phase uses the pool
    config = CurriculumConfig(iterations=2, budget=60, candidates=15000, jobs=2, library="base")
    figures = Curriculum(tasks, tmp_path / "run", config).run()
    assert [f.iteration for f in figures] == [1, 2]
    solutions = json.loads((tmp_path / "run" / "state.json").read_text())["solutions"]
    assert "victim" not in solutions and "noise" not in solutions and len(solutions) == 4


def test_resume_may_change_the_executor_and_reads_configs_written_before_executors(tmp_path):
    config = CurriculumConfig(iterations=1, budget=60, candidates=2000, library="base", executor="serial")
    first = Curriculum(EASY[:2], tmp_path / "run", config).run()
    again = Curriculum(EASY[:2], tmp_path / "run", replace(config, executor="pool", jobs=1)).run(resume=True)
    assert again == first
    path = tmp_path / "run" / "config.json"
    record = json.loads(path.read_text())
    del record["config"]["executor"], record["config"]["address"]  # as an older version wrote it
    path.write_text(json.dumps(record))
    assert Curriculum(EASY[:2], tmp_path / "run", config).run(resume=True) == first
    with pytest.raises(ValueError, match="another configuration"):
        Curriculum(EASY[:2], tmp_path / "run", replace(config, candidates=3000)).run(resume=True)


def test_pool_times_out_a_stuck_unit_and_keeps_working():
    hard = _noise()
    snapshot = LibrarySnapshot.of(ns.Library.base())
    units = [SearchUnit(hard, "enum", Budget(seconds=120), 0), SearchUnit(LISTS["add-1"], "enum", BUDGET, 0)]
    with PoolExecutor(1) as ex:
        start = time.perf_counter()
        out = ex.map(run_unit, units, ex.share(snapshot), timeout=4)
        assert time.perf_counter() - start < 60
        assert isinstance(out[0], Failure) and "timed out after 4.0 s" in out[0].reason
        assert out[1].solved  # a fresh worker took over


def test_a_unit_that_raises_is_a_failure_in_every_executor():
    snapshot = LibrarySnapshot.of(ns.Library.base())
    units = [SearchUnit(LISTS["add-1"], "magic", BUDGET, 0), SearchUnit(LISTS["add-1"], "enum", BUDGET, 0)]
    for ex in (SerialExecutor(), PoolExecutor(2)):
        with ex:
            out = ex.map(run_unit, units, snapshot)
        assert isinstance(out[0], Failure) and "unknown search method 'magic'" in out[0].reason
        assert out[1].solved


def test_make_executor_names():
    assert make_executor("pool", 1).name == "serial"
    with make_executor("pool", 2) as ex:
        assert ex.name == "pool" and ex.workers == 2
    with pytest.raises(ValueError, match="unknown executor 'cloud'"):
        make_executor("cloud")


def test_cli_executor_options(tmp_path):
    from neurosym.cli import main

    assert main(["solve", "--domain", "lists", "--tasks", "add-[12]", "--budget", "3", "--jobs", "2",
                 "--executor", "serial", "--out", str(tmp_path / "r.json")]) == 0
    out = json.loads((tmp_path / "r.json").read_text())
    assert out["config"]["executor"] == "serial" and out["summary"]["solved"] == 2
    proc = subprocess.run([sys.executable, "-m", "neurosym.cli", "solve", "--domain", "lists", "--address", "auto"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "--address" in proc.stderr and "--executor ray" in proc.stderr


# -- Ray ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'neurosym[ray]')")
    os.environ[KILL_TASK_ENV] = "victim"  # Ray's workers inherit the environment ray.init sees
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        yield ray
    finally:
        ray.shutdown()
        os.environ.pop(KILL_TASK_ENV, None)


def test_ray_curriculum_equals_serial(ray_local, tmp_path):
    def run(executor):
        config = CurriculumConfig(iterations=2, budget=60, candidates=15000, jobs=2, library="base", seed=3,
                                  executor=executor, test_fraction=0.25)
        figures = Curriculum(CURRICULUM_TASKS, tmp_path / executor, config).run()
        state = json.loads((tmp_path / executor / "state.json").read_text())
        index = json.loads((tmp_path / executor / "library" / "index.json").read_text())
        rows = [(f.solved_train, f.solved_test, f.candidates, f.library_size, f.corpus_size, f.new_routines)
                for f in figures]
        return rows, state["solutions"], index["routines"]

    serial = run("serial")
    on_ray = run("ray")
    assert on_ray == serial
    assert ray_local.is_initialized()  # the run used the instance it found and left it running
    assert serial[0][-1][0] >= 4


def test_ray_kills_and_failures(ray_local):
    tasks = [EASY[0], _victim(), EASY[1]]
    with make_executor("ray") as ex:
        assert ex.name == "ray" and ex.workers == 2
        results = ns.solve(tasks, budget=BUDGET, executor=ex)
        raised = ex.map(run_unit, [SearchUnit(EASY[0], "magic", BUDGET, 0)], LibrarySnapshot.of(ns.Library.base()))
    assert results[0].solved and results[2].solved
    assert not results[1].solved and "worker died" in results[1].trace[0]
    assert isinstance(raised[0], Failure) and "unknown search method" in raised[0].reason
    assert _key(results[::2]) == _key(ns.solve(tasks[::2], budget=BUDGET, executor="serial"))


def test_gp_evaluation_on_ray_equals_local(ray_local):
    budget = Budget(seconds=60, candidates=3000)
    with make_executor("ray") as ex:
        on_ray = ns.solve(LISTS["sum"], method="gp", budget=budget, seed=2, executor=ex)
    local = ns.solve(LISTS["sum"], method="gp", budget=budget, seed=2, executor="serial")
    assert _key([on_ray]) == _key([local])
