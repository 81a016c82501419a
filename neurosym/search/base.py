"""The one search interface: `searcher.search(task, library, budget) -> SearchResult`.

A budget is wall time and/or a number of candidates; whichever runs out first ends the
search. Budget overruns are a result (solved=False), never an exception.
"""

from __future__ import annotations

import contextlib
import gc
import html
import time
from dataclasses import dataclass, field
from typing import Iterator, Protocol

from neurosym.errors import InvalidArgument
from neurosym.lang.ast import Expr
from neurosym.lang.compiler import compile_program
from neurosym.lang.inline import InlineError, inline
from neurosym.lang.primitives import Limits
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.task import Task, TaskScore


@dataclass(frozen=True)
class Budget:
    """Limits of one search: seconds of wall time and/or candidates tried (None = no limit)."""

    seconds: float | None = 10.0
    candidates: int | None = None

    def __post_init__(self) -> None:
        if self.seconds is None and self.candidates is None:
            raise InvalidArgument("a budget needs seconds, candidates or both")
        if (self.seconds is not None and self.seconds <= 0) or (self.candidates is not None and self.candidates <= 0):
            raise InvalidArgument(f"budget limits must be positive, got {self}")

    @classmethod
    def of(cls, seconds: float | None, candidates: int | None, default_seconds: float = 10.0) -> "Budget":
        """The budget of a command line's seconds and/or candidates; neither: `default_seconds`.
        Candidates alone bound a search by candidates only, so its results (programs,
        solved counts, candidates) are the same on a fast machine and a slow one."""
        if seconds is None and candidates is None:
            seconds = default_seconds
        return cls(seconds=seconds, candidates=candidates)

    def describe(self) -> str:
        """`10 s or 300,000 candidates per task`: how figures quote it."""
        parts = ([f"{self.seconds:g} s"] if self.seconds is not None else []) + (
            [f"{self.candidates:,} candidates"] if self.candidates is not None else [])
        return " or ".join(parts) + " per task"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one search, back as it was after.

    A search keeps everything it builds (the bank of terms and their values) until it
    ends, so the collector finds nothing to free while it runs, yet each full collection
    walks the whole bank: a third of the enumerator's time on list tasks (measured, with
    the same peak memory either way). A searcher that pauses it frees what it built
    itself (the enumerator takes its bank apart: Context.dismantle)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Clock:
    """Tracks a Budget during one search."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.start = time.perf_counter()
        self.deadline = None if budget.seconds is None else self.start + budget.seconds
        self.candidates = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.perf_counter() >= self.deadline

    def exhausted(self) -> bool:
        limit = self.budget.candidates
        return (limit is not None and self.candidates >= limit) or self.out_of_time()


@dataclass(frozen=True)
class SearchResult:
    """What one search found. `program` is the best program (None if nothing ran)."""

    task: str
    method: str
    program: Expr | None
    solved: bool
    examples_passed: int
    examples_total: int
    held_out_accuracy: float | None
    candidates: int
    seconds: float
    trace: tuple[str, ...] = field(default=())
    #: the first example the program fails, expected vs got (truncated); "" when it passes all
    first_failure: str = ""
    #: the program with the library routines it uses expanded into base primitives (the
    #: program text itself when it uses none), so it can be read and run without the library
    program_inlined: str | None = None

    @property
    def program_text(self) -> str | None:
        return None if self.program is None else format_expr(self.program)

    def __repr__(self) -> str:
        # quoted as it reads (repr would double every backslash of `\x -> ...`)
        program = "None" if self.program is None else f"'{_clip(self.program_text or '', 60)}'"
        return (f"SearchResult(task={self.task!r}, solved={self.solved}, program={program}, "
                f"candidates={self.candidates}, seconds={self.seconds:.2f})")

    def _repr_html_(self) -> str:
        """A small table for notebooks (every value escaped)."""
        held = "-" if self.held_out_accuracy is None else f"{self.held_out_accuracy:.0%}"
        rows = [("task", self.task), ("method", self.method), ("solved", str(self.solved)),
                ("examples passed", f"{self.examples_passed} / {self.examples_total}"), ("held-out accuracy", held),
                ("program", _clip(self.program_text or "-", 300))]
        if self.program_inlined and self.program_inlined != self.program_text:
            rows.append(("inlined", _clip(self.program_inlined, 300)))
        if self.first_failure:
            rows.append(("first failure", self.first_failure))
        rows += [("candidates", f"{self.candidates:,}"), ("seconds", f"{self.seconds:.2f}")]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td><code>{html.escape(v)}</code></td></tr>" for k, v in rows)
        return f"<table>{body}</table>"

    def to_json(self) -> dict:
        """The per-task record of a results file."""
        return {
            "name": self.task,
            "solved": self.solved,
            "program": self.program_text,
            "time": round(self.seconds, 4),
            "candidates": self.candidates,
            "examples_passed": self.examples_passed,
            "examples_total": self.examples_total,
            "held_out_accuracy": self.held_out_accuracy,
            "first_failure": self.first_failure or None,
            "program_inlined": self.program_inlined,
        }


#: caps for running candidates during search: tighter than the defaults, since most
#: candidates are wrong and a wrong one should fail fast
SEARCH_LIMITS = Limits(steps=20_000, max_list=2_000, max_int=2**62)


def score_program(task: Task, library: Library, program: Expr) -> TaskScore:
    """`program` scored on the task (train and held-out) under the search caps."""
    return task.score(compile_program(program, SEARCH_LIMITS, library.routine_values(SEARCH_LIMITS), library.dsl))


def make_result(
    task: Task, library: Library, method: str, program: Expr | None, clock: Clock, trace: tuple[str, ...] = ()
) -> SearchResult:
    """Score the best program found on the task (train and held-out) and wrap it up."""
    passed, held_out, failure, inlined = 0, None, "", None
    if program is not None:
        score = score_program(task, library, program)
        passed, held_out, failure = score.passed, score.held_out_accuracy, score.first_failure
        try:
            inlined = format_expr(inline(program, library))
        except InlineError:  # a library whose routines use each other in a cycle: not fatal here
            inlined = None
    return SearchResult(
        task=task.name, method=method, program=program, solved=program is not None and passed == len(task.examples),
        examples_passed=passed, examples_total=len(task.examples), held_out_accuracy=held_out,
        candidates=clock.candidates, seconds=clock.elapsed(), trace=trace, first_failure=failure,
        program_inlined=inlined,
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


class Searcher(Protocol):
    """Anything with a name and `search(task, library, budget)`."""

    name: str

    def search(self, task: Task, library: Library, budget: Budget) -> SearchResult: ...
