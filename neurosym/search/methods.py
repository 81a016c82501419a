"""Search methods by name: what `solve`, work units and the command line accept.

Its own module so that work units (neurosym.search.work), which run in workers, and
`solve`, which sends them, both reach the searchers without importing each other.
"""

from __future__ import annotations

from typing import Any

from neurosym.errors import NotFound
from neurosym.search.base import Searcher
from neurosym.search.constant_hints import DEFAULT_CONSTANTS
from neurosym.search.counterexamples import DEFAULT_SUBSET
from neurosym.search.deduction import DEFAULT_SPLIT_SHARE
from neurosym.search.enumerative import EnumerativeSearcher

METHODS = ("enum", "gp")


class UnknownMethodError(NotFound):
    """A search method name that is not one of METHODS."""


def make_searcher(method: "str | Searcher" = "enum", seed: int = 0, jobs: int = 1, executor: Any = None) -> Searcher:
    """A searcher by name: 'enum' (bottom-up enumeration) or 'gp' (genetic programming,
    its evaluation spread over `executor`, or over `jobs` local processes). A searcher
    object (e.g. the neural-guided one, which needs a model) is used as it is."""
    if not isinstance(method, str):
        return method
    if method == "enum":
        return EnumerativeSearcher()
    if method == "gp":
        from neurosym.search.genetic import GeneticSearcher

        return GeneticSearcher(seed=seed, jobs=jobs, executor=executor)
    raise UnknownMethodError(f"unknown search method {method!r}; choose one of {', '.join(METHODS)}")


def enumeration(constants: str = DEFAULT_CONSTANTS, split_share: float = DEFAULT_SPLIT_SHARE,
                subset: int = DEFAULT_SUBSET) -> "str | EnumerativeSearcher":
    """Enumeration with these settings: the name 'enum' when they are the defaults (what
    results and work units show), else an EnumerativeSearcher that has them."""
    if constants == DEFAULT_CONSTANTS and split_share == DEFAULT_SPLIT_SHARE and subset == DEFAULT_SUBSET:
        return "enum"
    return EnumerativeSearcher(constants=constants, split_share=split_share, subset=subset)
