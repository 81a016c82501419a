"""Work units of `solve`, as plain picklable data: what executors ship to workers.

A unit is a task, a method, a budget and a seed; the library travels once per map as a
store snapshot (the files `neurosym.library.store` would write); a result comes back
with its program as text (an s-expression, in the library's DSL, which travels with it
as its import path). Every task's seed is derived from the run's seed and the task's
name by a stable hash, so the result of a task does not depend on which executor ran
it, in which order, or next to which other tasks. `dsl_record` and `library_record` are
what results files and run directories record of the language and library a search
used, so that two sets of figures can be told apart.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sys
from dataclasses import dataclass
from typing import Any

from neurosym.lang.dsl import DSL
from neurosym.lang.sexpr import parse_sexpr, to_sexpr
from neurosym.library import Library
from neurosym.library.store import INDEX, decode_library, encode_library
from neurosym.search import executors
from neurosym.search.base import Budget, SearchResult
from neurosym.search.methods import make_searcher
from neurosym.task import Task

#: test hook: a worker process whose unit searches the task named here kills itself
KILL_TASK_ENV = "NEUROSYM_TEST_KILL_TASK"


def task_seed(seed: int, name: str) -> int:
    """The seed of task `name` in a run seeded `seed` (stable across processes)."""
    digest = hashlib.blake2b(f"{seed}\x00{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


@dataclass(frozen=True)
class LibrarySnapshot:
    """A library as its store files (relative path -> bytes) and its DSL (which pickles
    as its import path, so that the worker rebuilds it), the way workers get it."""

    files: tuple[tuple[str, bytes], ...]
    dsl: DSL

    @classmethod
    def of(cls, library: Library) -> "LibrarySnapshot":
        return cls(tuple(sorted(encode_library(library).items())), library.dsl)

    @property
    def digest(self) -> str:
        """A content hash of the store files: equal digests, the same library."""
        h = hashlib.blake2b(digest_size=12)
        for rel, data in self.files:
            h.update(rel.encode() + b"\x00" + data + b"\x00")
        return h.hexdigest()

    def library(self) -> Library:
        """The library again, in the snapshot's DSL (a worker calls this once per snapshot)."""
        files = dict(self.files)
        return decode_library(files[INDEX].decode(), lambda rel: files[rel].decode() if rel in files else None,
                              "<snapshot>", read_bytes=files.get, dsl=self.dsl)


def dsl_record(dsl: DSL) -> dict[str, Any]:
    """What a results file or run directory records of its language: name and version
    tell two languages apart, the reference (import path) rebuilds it."""
    return {"name": dsl.name, "version": dsl.version, "reference": dsl.reference}


def library_record(library: Library, source: str, path: str | None = None) -> dict[str, Any]:
    """What a results file or run directory records of the library a search started
    from: `source` is 'base' (the DSL's primitives and literals, uniform weights),
    'shipped' (the library learned from the built-in domains, whose figures on those
    domains are inflated), 'folder' (a store at `path`) or 'python' (a Library built in
    Python); its version, routine count and a content hash of its store files tell two
    libraries apart."""
    return {"source": source, "path": path, "version": library.version, "routines": len(library.routines),
            "digest": LibrarySnapshot.of(library).digest}


@dataclass(frozen=True)
class SearchUnit:
    """One task to search."""

    task: Task
    method: Any  # a method name, or a picklable searcher object (the neural-guided one)
    budget: Budget
    seed: int


@dataclass(frozen=True)
class UnitResult:
    """A SearchResult with its program as text."""

    task: str
    method: str
    program: str | None  # s-expression
    solved: bool
    examples_passed: int
    examples_total: int
    held_out_accuracy: float | None
    candidates: int
    seconds: float
    trace: tuple[str, ...]
    first_failure: str = ""
    program_inlined: str | None = None  # concrete syntax, as in SearchResult
    dsl: DSL | None = None  # the language of the program (its literals of user types read in it)

    @classmethod
    def of(cls, r: SearchResult, dsl: DSL | None = None) -> "UnitResult":
        return cls(r.task, r.method, None if r.program is None else to_sexpr(r.program, dsl), r.solved,
                   r.examples_passed, r.examples_total, r.held_out_accuracy, r.candidates, r.seconds, r.trace,
                   r.first_failure, r.program_inlined, dsl)

    def result(self) -> SearchResult:
        program = None if self.program is None else parse_sexpr(self.program, self.dsl)
        return SearchResult(self.task, self.method, program, self.solved, self.examples_passed, self.examples_total,
                            self.held_out_accuracy, self.candidates, self.seconds, self.trace, self.first_failure,
                            self.program_inlined)


def failed_result(unit: SearchUnit, reason: str) -> SearchResult:
    """The unsolved result of a unit whose worker died or timed out."""
    return SearchResult(unit.task.name, unit.method, None, False, 0, len(unit.task.examples), None, 0, 0.0,
                        (f"no result: {reason}",))


_LIBRARIES: dict[str, Library] = {}  # a worker's decoded snapshots (the latest few)


def _library(snapshot: LibrarySnapshot | Library) -> Library:
    if isinstance(snapshot, Library):  # the serial executor hands over the library itself
        return snapshot
    key = snapshot.digest
    if key not in _LIBRARIES:
        if len(_LIBRARIES) >= 4:
            _LIBRARIES.clear()
        _LIBRARIES[key] = snapshot.library()
    return _LIBRARIES[key]


def run_unit(snapshot: LibrarySnapshot | Library, unit: SearchUnit) -> UnitResult:
    """Search one unit (in a worker, or in this process for the serial executor).

    The global `random` and numpy generators are seeded from the unit's seed for the
    search and restored afterwards (torch's too is seeded, where it is loaded)."""
    if executors.IN_WORKER and os.environ.get(KILL_TASK_ENV) == unit.task.name:
        os.kill(os.getpid(), signal.SIGKILL)
    import numpy as np

    saved, saved_np = random.getstate(), np.random.get_state()
    random.seed(unit.seed)
    np.random.seed(unit.seed % 2**32)
    torch = sys.modules.get("torch")  # seeded too where a searcher uses it (never imported here)
    if torch is not None:
        torch.manual_seed(unit.seed)
    library = _library(snapshot)
    try:
        result = make_searcher(unit.method, unit.seed).search(unit.task, library, unit.budget)
    finally:
        random.setstate(saved)
        np.random.set_state(saved_np)
    return UnitResult.of(result, library.dsl)


def unit_timeout(budget: Budget) -> float | None:
    """How long a unit may run before its worker is stopped: the budget plus a margin."""
    return None if budget.seconds is None else budget.seconds * 1.5 + 20.0


def as_results(units: list[SearchUnit], outcomes: list[Any]) -> list[SearchResult]:
    """SearchResults from what an executor returned (failures become unsolved results)."""
    return [failed_result(u, o.reason) if isinstance(o, executors.Failure) else o.result()
            for u, o in zip(units, outcomes)]
