"""Wake-sleep curriculum runs: search, abstract, measure, repeat; resumable from RUNDIR.

Each iteration: wake (search every unsolved training task with the current library, in
parallel), sleep (learn abstractions from all solutions so far, refit weights, save a
library snapshot; with method "neural", also train the recognition model on the
solutions and on dreams, see recognition_phase.py), then measure the held-out split
(test tasks searched with the new library, unguided and, with a model, guided; and the
held-out examples of the solved training tasks). With method "neural" the wake phase
is guided by the model from the second iteration on.

RUNDIR holds `config.json` (config, seed, versions, the DSL and the starting library),
`iterations.jsonl` (one line of figures per iteration), `state.json` (solutions so far:
what a resumed run starts from), `library/` (the current library) and
`snapshots/iteration-K/`, `model/` (recognition model checkpoints, method "neural") and
`learning_curve.png`.

A run starts from the base library of its DSL unless given `library=` or
`CurriculumConfig.library` ('shipped' or a folder, copied into RUNDIR): the shipped
library was learned from the built-in domains, whose figures it would inflate.
config.json records which ("library": source, path, version, digest).
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from neurosym.curriculum.pool import pooled_budget
from neurosym.curriculum.protocol import budget_text
from neurosym.curriculum.records import (
    RunDirError,
    RunDirMissing,
    RunDirNotEmpty,
    atomic_write,
    never_started,
    read_record,
)
from neurosym.errors import InvalidArgument
from neurosym.lang.ast import primitives_used
from neurosym.lang.parser import parse
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.library.compression import corpus_size, learn_abstractions
from neurosym.library.store import default_library_path, load_library, load_or_base, save_library
from neurosym.search.base import Budget, SearchResult
from neurosym.search.constant_hints import DEFAULT_CONSTANTS, check_constants
from neurosym.search.counterexamples import DEFAULT_ABOVE, DEFAULT_SUBSET, check_subset
from neurosym.search.deduction import DEFAULT_SPLIT_SHARE, check_split_share
from neurosym.search.methods import enumeration
from neurosym.search.executors import Executor, make_executor
from neurosym.search.solve import solve
from neurosym.search.work import dsl_record, library_record
from neurosym.task import Task
from neurosym.version import __version__

log = logging.getLogger(__name__)

#: seed salts: a wake searches with salt = iteration, the test split with these added, so
#: no two searches of a run share a seed
_TEST_SALT = 10_000
_POOL_SALT = 20_000


@dataclass(frozen=True)
class CurriculumConfig:
    """Everything that defines a run (written to RUNDIR/config.json)."""

    source: str = ""  # a task file path or "domain:NAME", for the record
    iterations: int = 3
    budget: float | None = 10.0  # seconds per task (None: bounded by `candidates` alone)
    candidates: int | None = None  # and/or candidates per task (a machine-independent budget)
    seed: int = 0
    jobs: int = 1
    method: str = "enum"
    constants: str = DEFAULT_CONSTANTS  # how enumeration prices integer literals (constant_hints.py)
    #: enumeration's share for a map's, filter's or fold's function, or a predicate (deduction.py)
    split_share: float = DEFAULT_SPLIT_SHARE
    #: enumeration: a task of more than 20 examples searched on this many first (counterexamples.py)
    subset: int = DEFAULT_SUBSET
    test_fraction: float = 0.0  # share of the tasks held out as a test split
    compression_iterations: int = 5
    max_arity: int = 2
    library: str | None = None  # starting library: None or "base" the DSL's base one, "shipped", or a folder
    executor: str = "pool"  # where the wake phase runs: serial, pool (`jobs` processes) or ray
    address: str | None = None  # the Ray cluster's address (None: a local Ray instance)
    dreams: int = 10_000  # method "neural": dreamed tasks per sleep for the recognition model
    recognition_epochs: int = 40  # method "neural": training epochs per sleep
    #: search the wake's unsolved tasks again with the iteration's unspent budget (pool.py)
    pool_unspent: bool = True


@dataclass(frozen=True)
class IterationFigures:
    """One line of iterations.jsonl."""

    iteration: int
    solved_train: int
    total_train: int
    solved_test: int
    total_test: int
    held_out_accuracy: float | None  # mean over solved training tasks with held-out examples
    wake_seconds: float
    sleep_seconds: float
    candidates: int
    library_size: int  # number of routines
    corpus_size: int  # total AST size of the solutions after rewriting
    compression: float  # corpus size before / after this sleep
    new_routines: tuple[str, ...] = ()
    solved_test_guided: int | None = None  # method "neural": test tasks solved with the model's guidance
    recognition_loss: float | None = None  # method "neural": mean -log p of a solution after training
    solved_test_base: int | None = None  # test tasks solved with the starting library (searched once)
    first_pass_solved: int | None = None  # wake: tasks solved at the per-task budget
    pooled_tasks: int = 0  # wake: unsolved tasks searched again with the unspent budget (pool.py)
    pooled_solved: int = 0  # of which solved


@dataclass
class _State:
    iteration: int = 0
    solutions: dict[str, str] = field(default_factory=dict)  # task -> program text


def split_tasks(tasks: Sequence[Task], test_fraction: float, seed: int) -> tuple[list[Task], list[Task]]:
    """A seeded train/test split of tasks (test_fraction 0: everything trains)."""
    if not 0.0 <= test_fraction < 1.0:
        raise InvalidArgument(f"test_fraction must be in [0, 1), got {test_fraction}")
    order = list(tasks)
    random.Random(seed).shuffle(order)
    n_test = round(len(order) * test_fraction)
    test = sorted(order[:n_test], key=lambda t: t.name)
    train = sorted(order[n_test:], key=lambda t: t.name)
    return train, test


class Curriculum:
    """A wake-sleep run over tasks; `run()` returns the figures of every iteration."""

    def __init__(self, tasks: Sequence[Task], rundir: str | Path, config: CurriculumConfig = CurriculumConfig(),
                 on_event: Callable[[str], None] | None = None, library: Library | None = None,
                 dsl: DSL | None = None, library_source: tuple[str, str | None] | None = None) -> None:
        """`dsl`: the language (default: the library's, else the tasks', else the base
        language). `library` overrides config.library; `library_source` says for the
        record where it came from (source, path), else it is recorded as 'python'."""
        check_constants(config.constants)
        check_split_share(config.split_share)
        check_subset(config.subset, DEFAULT_ABOVE)
        self.config = config
        self.start_library = library  # overrides config.library: a Library built in Python
        self.library_source = library_source
        self.dsl = _run_dsl(dsl, library, tasks)
        self.rundir = Path(rundir)
        self.train, self.test = split_tasks(tasks, config.test_fraction, config.seed)
        self.on_event = on_event or (lambda message: log.info(message))
        self._executor: Executor | None = None
        self._model = None  # method "neural": the recognition model, once a sleep trained one

    # -- files ------------------------------------------------------------------------
    def _prepare(self, resume: bool) -> tuple[Library, _State]:
        """The library and state to start from: a new run directory, or the records of
        the stopped run in it (`resume`)."""
        if self.rundir.exists() and not self.rundir.is_dir():
            raise RunDirError(f"{self.rundir}: is a file, not a run directory; choose another --out")
        if resume:
            return self._resume()
        if self.rundir.exists() and any(self.rundir.iterdir()) and not never_started(self.rundir):
            raise RunDirNotEmpty(f"{self.rundir} is not empty: choose a new RUNDIR or pass resume")
        try:
            return self._create()
        except OSError as err:
            raise RunDirError(f"{self.rundir}: cannot create the run directory ({err.strerror or err})") from None

    def _record(self, library: dict) -> dict:
        return {"config": _jsonable(self.config), "seed": self.config.seed, "neurosym_version": __version__,
                "dsl": dsl_record(self.dsl), "dsl_version": self.dsl.version, "library": library,
                "train_tasks": [t.name for t in self.train], "test_tasks": [t.name for t in self.test]}

    def _create(self) -> tuple[Library, _State]:
        """A new run directory holding config.json, library/ and state.json. A new folder
        is written beside RUNDIR and renamed to it, so a run stopped at any moment leaves
        no run directory (and a stray `.NAME.*.tmp` folder) or a complete one. An existing
        empty folder (or one holding a run that never started) is written in place; a
        stop there leaves a config without a state, which a fresh run and --resume both
        take as a run not started."""
        if self.rundir.exists():
            return self._start(self.rundir, with_config=True)
        tmp = self.rundir.with_name(f".{self.rundir.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            tmp.mkdir(parents=True)
            library, state = self._start(tmp, with_config=True)
            os.rename(tmp, self.rundir)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return library, state

    def _starting_library(self) -> tuple[Library, str, str | None]:
        """The library a new run starts from, with its source and path for the record."""
        if self.start_library is not None:
            return (self.start_library, *(self.library_source or ("python", None)))
        if self.config.library in (None, "base"):  # the default: the DSL's primitives alone
            return Library.base(dsl=self.dsl), "base", None
        if self.config.library == "shipped":  # a copy: the shipped library changes only on purpose
            folder = default_library_path()
            return load_or_base(folder, dsl=self.dsl), "shipped", str(folder.resolve())
        folder = Path(self.config.library)  # a folder the user named: it must hold a library
        return load_library(folder, dsl=self.dsl), "folder", str(folder.resolve())

    def _start(self, folder: Path, with_config: bool) -> tuple[Library, _State]:
        """Write (config.json and) the starting library and an empty state (iteration 0)."""
        library, source, path = self._starting_library()
        if with_config:
            record = self._record(library_record(library, source, path))
            atomic_write(folder / "config.json", json.dumps(record, indent=1) + "\n")
        save_library(library, folder / "library")
        state = _State()
        _save_state(folder, state)
        return library, state

    def _resume(self) -> tuple[Library, _State]:
        config_path, state_path = self.rundir / "config.json", self.rundir / "state.json"
        if not config_path.is_file():
            raise RunDirMissing(f"{config_path}: nothing to resume (no config.json)")
        record = read_record(config_path)
        saved = record.get("config")
        if not isinstance(saved, dict):
            raise RunDirError(f"{config_path}: a damaged record (no 'config' object)")
        if _identity(saved) != _identity(_jsonable(self.config)):
            raise RunDirError(f"{config_path}: the run was started with another configuration: {saved}")
        name, version = _recorded_dsl(record)
        if (name, version) != (self.dsl.name, self.dsl.version):
            raise RunDirError(f"{config_path}: the run was started in DSL {name!r} (version {version}), but this "
                              f"one is in {self.dsl.describe()}; resume it in the same DSL (--dsl)")
        if never_started(self.rundir):  # stopped before its first state was written: start it now
            return self._start(self.rundir, with_config=False)
        data = read_record(state_path)
        iteration, solutions = data.get("iteration"), data.get("solutions")
        if type(iteration) is not int or not isinstance(solutions, dict) or not all(
                isinstance(v, str) for v in solutions.values()):
            raise RunDirError(f"{state_path}: a damaged record (needs an int 'iteration' and 'solutions' texts)")
        return load_library(self.rundir / "library", dsl=self.dsl), _State(iteration, solutions)

    def _save_state(self, state: _State) -> None:
        _save_state(self.rundir, state)

    # -- the loop ----------------------------------------------------------------------
    def run(self, resume: bool = False) -> list[IterationFigures]:
        try:
            return self._run(resume)
        finally:
            if self._executor is not None:
                self._executor.close()
                self._executor = None

    def _run(self, resume: bool) -> list[IterationFigures]:
        library, state = self._prepare(resume)
        # a run stopped between writing a figures line and its state redoes that iteration
        figures = [f for f in _read_figures(self.rundir / "iterations.jsonl") if f.iteration <= state.iteration]
        atomic_write(self.rundir / "iterations.jsonl", "".join(json.dumps(asdict(f)) + "\n" for f in figures))
        solutions = {name: parse(text, self.dsl) for name, text in state.solutions.items()}
        types = {t.name: t.type for t in self.train}
        neural = self.config.method == "neural"
        if neural:  # torch is imported only by runs that use it
            from neurosym.curriculum.recognition_phase import RecognitionSettings, latest_model, train_in_sleep

            self._model = latest_model(self.rundir)
        # the baseline every test figure is read against: the starting library, before any learning
        base_test = figures[0].solved_test_base if figures else None
        if self.test and base_test is None and state.iteration < self.config.iterations:
            self.on_event(f"searching the {len(self.test)} test tasks with the starting library (the baseline)")
            base_test = sum(r.solved for r in self._search(self.test, library, _TEST_SALT, guided=False))
        for iteration in range(state.iteration + 1, self.config.iterations + 1):
            self.on_event(f"iteration {iteration}: wake ({len(self.train) - len(solutions)} unsolved tasks)")
            start = time.perf_counter()
            unsolved = [t for t in self.train if t.name not in solutions]
            results = self._search(unsolved, library, iteration)
            first_solved = sum(r.solved for r in results)
            pooled = self._pooled_pass(unsolved, results, library, iteration)
            results += pooled
            for r in results:
                if r.solved and r.program is not None:
                    solutions[r.task] = r.program
            wake = time.perf_counter() - start
            self.on_event(f"iteration {iteration}: sleep ({len(solutions)} solutions)")
            start = time.perf_counter()
            before = corpus_size(solutions)
            library, solutions, report = learn_abstractions(
                library, solutions, self.config.compression_iterations, self.config.max_arity, types)
            library = _with_provenance(library, report.routines, solutions, iteration)
            save_library(library, self.rundir / "library")
            save_library(library, self.rundir / "snapshots" / f"iteration-{iteration}")
            recognition = None
            if neural and solutions:
                self._model, recognition = train_in_sleep(
                    self.rundir, self._model, library, self.train, solutions, iteration, self.config.seed,
                    RecognitionSettings(self.config.dreams, self.config.recognition_epochs), self.on_event,
                    self._executor_for_run())
            sleep = time.perf_counter() - start
            test_results = self._search(self.test, library, iteration + _TEST_SALT, guided=False) if self.test else []
            guided_test = self._search(self.test, library, iteration + _TEST_SALT) if self.test and self._model else None
            held = [r.held_out_accuracy for r in results if r.solved and r.held_out_accuracy is not None]
            row = IterationFigures(
                iteration=iteration, solved_train=len(solutions), total_train=len(self.train),
                solved_test=sum(r.solved for r in test_results), total_test=len(self.test),
                held_out_accuracy=sum(held) / len(held) if held else None, wake_seconds=round(wake, 3),
                sleep_seconds=round(sleep, 3), candidates=sum(r.candidates for r in results + test_results),
                library_size=len(library.routines), corpus_size=corpus_size(solutions),
                compression=round(before / corpus_size(solutions), 4) if solutions else 1.0,
                new_routines=report.routines,
                solved_test_guided=None if guided_test is None else sum(r.solved for r in guided_test),
                recognition_loss=None if recognition is None else recognition.final_loss,
                solved_test_base=base_test, first_pass_solved=first_solved, pooled_tasks=len(pooled),
                pooled_solved=sum(r.solved for r in pooled))
            figures.append(row)
            with open(self.rundir / "iterations.jsonl", "a") as f:
                f.write(json.dumps(asdict(row)) + "\n")
            state = _State(iteration, {name: format_expr(p, dsl=self.dsl) for name, p in solutions.items()})
            self._save_state(state)
            pool = f" ({row.pooled_solved} of {row.pooled_tasks} with the unspent budget)" if pooled else ""
            self.on_event(f"iteration {iteration}: solved {row.solved_train}/{row.total_train} train{pool}, "
                          f"{row.solved_test}/{row.total_test} test, {row.library_size} routines")
            from neurosym.curriculum.report import draw_learning_curve

            draw_learning_curve(figures, self.rundir / "learning_curve.png")
        return figures

    def _pooled_pass(self, searched: list[Task], results: list[SearchResult], library: Library,
                     iteration: int) -> list[SearchResult]:
        """The tasks this wake left unsolved, searched again with the iteration's unspent
        budget shared among them (pool.py), when `pool_unspent` is on."""
        left = [t for t, r in zip(searched, results) if not r.solved]
        budget = pooled_budget(self._budget(), len(self.train), results, len(left)) if self.config.pool_unspent \
            else None
        if budget is None:
            return []
        self.on_event(f"iteration {iteration}: the {len(left)} unsolved tasks again, with the unspent budget "
                      f"({budget_text(budget).removesuffix(' per task')} each)")
        return self._search(left, library, iteration + _POOL_SALT, budget=budget)

    def _budget(self) -> Budget:
        return Budget(seconds=self.config.budget, candidates=self.config.candidates)

    def _search(self, tasks: list[Task], library: Library, salt: int, guided: bool = True,
                budget: Budget | None = None) -> list[SearchResult]:
        """Search `tasks` (with the recognition model's guidance once there is a model,
        unless `guided` is False), at the configured per-task budget unless given one."""
        if not tasks:
            return []
        method: object = self.config.method
        if method == "neural":
            from neurosym.neural.guided import GuidedSearcher

            if guided and self._model is not None:
                method = GuidedSearcher(self._model, constants=self.config.constants,
                                        split_share=self.config.split_share, subset=self.config.subset)
            else:
                method = "enum"
        if method == "enum":
            method = enumeration(self.config.constants, self.config.split_share, self.config.subset)
        budget = budget or self._budget()
        return solve(tasks, method=method, budget=budget,  # type: ignore[arg-type]
                     seed=self.config.seed * 1_000_003 + salt, library=library, jobs=self.config.jobs,
                     executor=self._executor_for_run())

    def _executor_for_run(self) -> Executor:
        """One executor (one Ray connection, one pool) for the whole run: wake and dreams."""
        if self._executor is None:
            self._executor = make_executor(self.config.executor, self.config.jobs, self.config.address)
        return self._executor


def _run_dsl(dsl: DSL | None, library: Library | None, tasks: Sequence[Task]) -> DSL:
    """The DSL of a run: the one given, else the starting library's, else the tasks'
    (a Task that carries one), else the base language; a library of another is refused."""
    if dsl is not None and library is not None and library.dsl != dsl:
        raise InvalidArgument(f"the library is in DSL {library.dsl.describe()}, but the run's DSL is {dsl.describe()}")
    task_dsl = next((t.dsl for t in tasks if getattr(t, "dsl", None) is not None), None)
    return dsl or (library.dsl if library is not None else None) or task_dsl or base_dsl()


def _recorded_dsl(record: dict) -> tuple[object, object]:
    """(name, version) of the DSL config.json records (older records: a name and "dsl_version")."""
    entry = record.get("dsl", base_dsl().name)
    if isinstance(entry, dict):
        return entry.get("name"), entry.get("version")
    return entry, record.get("dsl_version", base_dsl().version)


def _with_provenance(library: Library, new: tuple[str, ...], solutions: dict, iteration: int) -> Library:
    users: dict[str, list[str]] = {r.name: [] for r in library.routines}
    for task, program in solutions.items():
        names = primitives_used(program)
        for r in library.routines:
            if r.name in names:
                users[r.name].append(task)
    routines = tuple(
        replace(r, used_by=tuple(sorted(users[r.name])),
                produced_by=tuple(sorted(users[r.name])) if r.name in new else r.produced_by,
                created=f"iteration {iteration}" if r.name in new else r.created)
        for r in library.routines)
    return replace(library, routines=routines, version=library.version + (1 if new else 0), _compiled={})


def _read_figures(path: Path) -> list[IterationFigures]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        data = json.loads(line)
        data["new_routines"] = tuple(data.get("new_routines", ()))
        rows.append(IterationFigures(**data))
    return rows


def _identity(config: dict) -> dict:
    """What a resumed run must share with the saved one: not where it runs (executor,
    address), and a field a saved config lacks takes its default; but `constants`, which
    runs before it priced all alike, "all", `split_share`, which runs before it never
    split, 0, and `subset`, which runs before it never used, 0."""
    full = {**_jsonable(CurriculumConfig()), "constants": "all", "split_share": 0.0, "subset": 0, **config}
    return {k: v for k, v in full.items() if k not in ("executor", "address")}


def _jsonable(config: CurriculumConfig) -> dict:
    return json.loads(json.dumps(asdict(config)))


def _save_state(folder: Path, state: _State) -> None:
    atomic_write(folder / "state.json", json.dumps(asdict(state), indent=1) + "\n")
