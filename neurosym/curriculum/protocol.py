"""The record of a learning experiment: which tasks trained, which were tested, the seeds
and both budgets, the library and the DSL, printed and stored with the figures.

A learning gain counts only on tasks no component was trained or tuned on: the split is
seeded and its two halves are disjoint by construction (`split_tasks`), and the record
names every task of each half with a digest, so two figures can be checked to come from
the same split, and a results file says by itself what it measured.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from neurosym.errors import InvalidArgument
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.work import dsl_record, library_record
from neurosym.task import Task


@dataclass(frozen=True)
class Protocol:
    """What a learning figure was measured on."""

    train: tuple[str, ...]
    test: tuple[str, ...]
    split_seed: int
    search_seed: int
    train_budget: str
    test_budget: str
    source: str = ""

    @classmethod
    def of(cls, train: Sequence[Task], test: Sequence[Task], split_seed: int, search_seed: int,
           train_budget: float | Budget, test_budget: float | Budget, source: str = "") -> "Protocol":
        overlap = {t.name for t in train} & {t.name for t in test}
        if overlap:
            raise InvalidArgument(f"the training and test splits share tasks: {sorted(overlap)[:5]}")
        return cls(tuple(t.name for t in train), tuple(t.name for t in test), split_seed, search_seed,
                   budget_text(train_budget), budget_text(test_budget), source)

    @property
    def digest(self) -> str:
        """A short hash of both halves (the same split gives the same digest)."""
        text = json.dumps([self.train, self.test])
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def describe(self) -> str:
        return (f"split {len(self.train)} train / {len(self.test)} test tasks (seed {self.split_seed}, digest "
                f"{self.digest}{', ' + self.source if self.source else ''}); budgets: train {self.train_budget}, "
                f"test {self.test_budget}; search seed {self.search_seed}")

    def to_json(self, library: Library | None = None, library_source: str = "base") -> dict[str, Any]:
        out: dict[str, Any] = {**asdict(self), "digest": self.digest}
        out["train"], out["test"] = list(self.train), list(self.test)
        if library is not None:
            out["library"] = library_record(library, library_source)
            out["dsl"] = dsl_record(library.dsl)
        return out


def budget_text(budget: float | Budget) -> str:
    """A budget as figures quote it; a bare number is seconds."""
    return (budget if isinstance(budget, Budget) else Budget(seconds=budget)).describe()


def train_and_test_budgets(train_seconds: float | None, train_candidates: int | None, seconds: float | None,
                           candidates: int | None, default_seconds: float = 10.0) -> tuple[Budget, Budget]:
    """A benchmark's two budgets from its options: the test budget of seconds and/or
    candidates (Budget.of), and the training budget of its own options, or the test
    budget when neither is given."""
    test = Budget.of(seconds, candidates, default_seconds)
    if train_seconds is None and train_candidates is None:
        return test, test
    return Budget.of(train_seconds, train_candidates, default_seconds), test
