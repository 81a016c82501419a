"""GP individuals as DEAP sees them: a typed program with a per-example error fitness,
and the distinct error vectors lexicase selection needs to look at.

DEAP's creator gives `GPIndividual` its fitness class once per process (the class names
are DEAP's global registry, not ours); genetic.py runs the search over them.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from deap import base, creator

from neurosym.lang.ast import Expr
from neurosym.search.gp_eval import Score
from neurosym.search.gp_ops import Typed


class ErrorFitness(base.Fitness):
    """Per-example errors (minimised) as DEAP fitness values; ranked by total, then size.

    DEAP fixes the number of objectives per class, but tasks differ in their number of
    examples: instances carry their own `weights`, and `values` is the stored error
    tuple (DEAP's lexicase reads `values[case]` in its inner loop)."""

    weights = (-1.0,)

    def __init__(self, values: Sequence[float] = ()) -> None:
        self.errors: tuple = ()
        self.total: float = math.inf
        self.size = 0
        super().__init__(values)

    def set_score(self, score: Score, size: int) -> None:
        self.errors, self.wvalues, self.weights, self.total = score
        self.size = size

    def _get(self) -> tuple:
        return self.errors

    def _set(self, values: Sequence[float]) -> None:
        errors = tuple(values)
        self.set_score(Score(errors, tuple(-e for e in errors), (-1.0,) * len(errors), sum(errors)), self.size)

    def _del(self) -> None:
        self.errors, self.wvalues, self.total = (), (), math.inf

    values = property(_get, _set, _del)

    def key(self) -> tuple:
        return (-self.total, -self.size)

    def __lt__(self, other: "ErrorFitness") -> bool:  # type: ignore[override]
        return self.key() < other.key()

    def __le__(self, other: "ErrorFitness") -> bool:  # type: ignore[override]
        return self.key() <= other.key()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ErrorFitness) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __deepcopy__(self, memo: dict) -> "ErrorFitness":  # all attributes are immutable
        copy_ = object.__new__(type(self))
        copy_.__dict__.update(self.__dict__)
        return copy_


class GPIndividual:
    """A typed program as a DEAP individual (the creator subclass adds `fitness`)."""

    fitness: ErrorFitness

    def __init__(self, tree: Typed) -> None:
        self.tree = tree

    @property
    def expr(self) -> Expr:
        return self.tree.expr

    def __deepcopy__(self, memo: dict) -> "GPIndividual":  # trees are immutable: share them
        new = object.__new__(type(self))
        new.tree, new.fitness = self.tree, self.fitness.__deepcopy__(memo)
        return new

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GPIndividual) and other.tree.expr == self.tree.expr

    def __hash__(self) -> int:
        return hash(self.tree.expr)


if not hasattr(creator, "NeurosymErrorFitness"):
    creator.create("NeurosymErrorFitness", ErrorFitness)
if not hasattr(creator, "NeurosymIndividual"):
    creator.create("NeurosymIndividual", GPIndividual, fitness=creator.NeurosymErrorFitness)


def nondominated(vectors: list[tuple]) -> list[int]:
    """Indices of the distinct error vectors no other one dominates (<= everywhere).

    Plain lexicase never selects a dominated vector, and one's presence changes neither
    the filtering nor the random draws, so dropping them leaves selection exactly as it
    was while DEAP's O(k * candidates) loop runs over far fewer candidates."""
    errors = np.asarray(vectors)
    order = np.argsort(errors.sum(axis=1), kind="stable")  # dominators have smaller totals
    keep: list[int] = []
    for i in order.tolist():
        if keep and bool(np.any(np.all(errors[keep] <= errors[i], axis=1))):
            continue
        keep.append(i)
    return sorted(keep)


class LexicaseValues:
    """What DEAP's lexicase reads of a fitness, as plain attributes (no property calls)."""

    __slots__ = ("values", "weights")

    def __init__(self, values: tuple, weights: tuple) -> None:
        self.values, self.weights = values, weights


class ErrorGroup:
    """The individuals sharing one error vector: lexicase needs to see only one of them."""

    __slots__ = ("fitness", "members")

    def __init__(self, fitness: LexicaseValues, members: list) -> None:
        self.fitness, self.members = fitness, members


def make_individual(tree: Typed) -> GPIndividual:
    return creator.NeurosymIndividual(tree)  # type: ignore[attr-defined]


def clone(ind: GPIndividual) -> GPIndividual:
    return ind.__deepcopy__({})
