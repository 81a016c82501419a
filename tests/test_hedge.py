"""The hedge: the library for most of a budget, the base primitives for the rest."""

import sys
from pathlib import Path

import pytest

from neurosym.errors import InvalidArgument, NeurosymError
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.hedge import HedgedSearcher
from neurosym.search.solve import solve

sys.path.insert(0, str(Path(__file__).parent))
from test_curriculum import GRAMMAR, harder, linear  # noqa: E402

FALLBACK = Library.base().only(*GRAMMAR)
#: a "library" that cannot solve `harder` (no reverse): only the fallback can
LACKING = Library.base().only(*[g for g in GRAMMAR if g != "reverse"])
#: the figures below were calibrated with every literal priced alike; the linear tasks
#: hide their constants from constant_hints' readings, which would only make them dearer;
#: and the whole program searched (no split at map, which finds their functions at once)
ENUM = EnumerativeSearcher(constants="all", split_share=0.0)


def test_a_task_the_library_misses_is_solved_by_the_fallback_within_its_share():
    # the fallback solves `harder` after 9,559 candidates: inside 30% of 40,000
    alone = ENUM.search(harder(), FALLBACK, Budget(seconds=60, candidates=40_000))
    hedge = HedgedSearcher(ENUM, fallback_share=0.3, fallback=FALLBACK)
    r = hedge.search(harder(), LACKING, Budget(seconds=60, candidates=40_000))
    assert r.solved and r.method == "hedge"
    assert r.program_text == alone.program_text == r"\x -> reverse (tail (map (\y -> 5 + y * 4) x))"
    assert r.candidates == 28_000 + alone.candidates
    assert "best program from the fallback" in r.trace[0]


def test_the_fallback_share_bounds_what_it_can_recover():
    hedge = HedgedSearcher(ENUM, fallback_share=0.2, fallback=FALLBACK)  # 8,000 candidates < 9,559
    r = hedge.search(harder(), LACKING, Budget(seconds=60, candidates=40_000))
    assert not r.solved and r.candidates == 40_000


def test_a_library_that_solves_the_task_is_not_hedged():
    budget = Budget(seconds=60, candidates=40_000)
    alone = ENUM.search(linear(1, 1), LACKING, budget)
    r = HedgedSearcher(ENUM, fallback=FALLBACK).search(linear(1, 1), LACKING, budget)
    assert r.solved and r.candidates == alone.candidates == 321 and r.trace[0] == "solved with the library"


def test_without_routines_or_fallback_the_whole_budget_goes_to_the_library():
    r = HedgedSearcher(ENUM).search(harder(), FALLBACK, Budget(seconds=60, candidates=9_000))
    assert not r.solved and r.candidates == 9_000  # one search, not 70% then 30%


@pytest.mark.parametrize("share", [0, 1, -0.5, 1.5])
def test_a_share_outside_zero_one_is_refused(share):
    with pytest.raises(InvalidArgument, match="fallback_share must lie strictly between 0 and 1") as err:
        HedgedSearcher(ENUM, fallback_share=share)
    assert isinstance(err.value, NeurosymError)


def test_the_hedge_runs_in_worker_processes():
    out = solve([harder(), linear(1, 2)], method=HedgedSearcher(ENUM, fallback=FALLBACK), library=LACKING,
                budget=Budget(seconds=60, candidates=40_000), jobs=2)
    assert [(r.task, r.solved, r.method) for r in out] == [("rev-tail-lin-4-5", True, "hedge"),
                                                            ("lin-1-2", True, "hedge")]
