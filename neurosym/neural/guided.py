"""Neural-guided enumeration: the recognition model re-weights the library per task,
and the enumerator searches in the order of the predicted weights."""

from __future__ import annotations

from dataclasses import replace

from neurosym.library import Library
from neurosym.neural.recognition import RecognitionModel
from neurosym.search.base import Budget, SearchResult
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.task import Task


class GuidedSearcher:
    """Enumeration in the order the recognition model predicts for each task.

    `prior` is the share of the library's own weights mixed into the prediction: a
    production the model rules out stays reachable, only later.
    """

    name = "neural"

    def __init__(self, model: RecognitionModel, prior: float = 0.1, max_cost: int = 60) -> None:
        self.model, self.prior = model, prior
        self.enumerator = EnumerativeSearcher(max_cost)

    def search(self, task: Task, library: Library, budget: Budget) -> SearchResult:
        guided = self.model.guide(task, library, self.prior)
        result = self.enumerator.search(task, guided, budget)
        return replace(result, method=self.name, trace=result.trace + ("weights from the recognition model",))
