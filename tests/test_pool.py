"""The wake's unspent budget, pooled for the tasks it left unsolved (curriculum/pool.py)."""

import sys
from pathlib import Path

import pytest

from neurosym.curriculum.pool import pooled_budget
from neurosym.curriculum.run import Curriculum, CurriculumConfig
from neurosym.library import Library
from neurosym.search.base import Budget, SearchResult

sys.path.insert(0, str(Path(__file__).parent))
from test_curriculum import GRAMMAR, harder, linear  # noqa: E402


def result(seconds: float, candidates: int, solved: bool) -> SearchResult:
    return SearchResult("t", "enum", None, solved, 0, 1, None, candidates, seconds)


def test_the_unspent_seconds_are_shared_among_the_unsolved():
    spent = [result(1.0, 100, True)] * 7 + [result(10.0, 900, False)] * 3
    # 10 tasks x 10 s = 100 s, 37 s spent: 63 s for 3 tasks
    assert pooled_budget(Budget(seconds=10), 10, spent, 3) == Budget(seconds=21.0)


def test_a_share_is_capped_and_a_small_one_is_not_worth_a_search():
    spent = [result(0.5, 10, True)] * 99 + [result(10.0, 10, False)]
    assert pooled_budget(Budget(seconds=10), 100, spent, 1) == Budget(seconds=100.0)  # MAX_POOL_FACTOR
    spent = [result(8.0, 10, True)] * 8 + [result(10.0, 10, False)] * 2
    assert pooled_budget(Budget(seconds=10), 10, spent, 2) is None  # 16 s left: 8 s each < 2 x 10
    assert pooled_budget(Budget(seconds=10), 10, spent[:8], 0) is None


def test_candidates_are_pooled_like_seconds():
    spent = [result(0.1, 400, True)] * 4 + [result(0.5, 4000, False)]
    assert pooled_budget(Budget(seconds=30, candidates=4000), 5, spent, 1) == Budget(seconds=149.1, candidates=14400)
    assert pooled_budget(Budget(seconds=None, candidates=4000), 5, spent, 1) == Budget(seconds=None, candidates=14400)
    # both limits must leave a share worth searching: 1.25 s - 0.9 s spent is under 2 x 0.25 s
    assert pooled_budget(Budget(seconds=0.25, candidates=4000), 5, spent, 1) is None


@pytest.mark.parametrize("pool", [True, False])
def test_a_task_over_the_budget_is_solved_with_what_the_easy_ones_left(tmp_path, pool):
    # the four easy tasks take about 400 candidates each, the last about 9,600
    tasks = [linear(1, 1), linear(1, 2), linear(2, 0), linear(1, 3), harder()]
    config = CurriculumConfig(source="test", iterations=1, budget=30, candidates=4000, seed=0, pool_unspent=pool,
                              constants="all", split_share=0.0)  # calibrated as test_hedge.ENUM
    events = []
    (figures,) = Curriculum(tasks, tmp_path / "r", config, library=Library.base().only(*GRAMMAR),
                            on_event=events.append).run()
    assert figures.first_pass_solved == 4
    if pool:
        assert (figures.solved_train, figures.pooled_tasks, figures.pooled_solved) == (5, 1, 1)
        assert any("the 1 unsolved tasks again, with the unspent budget" in e for e in events), events
        assert figures.candidates > 4 * 400 + 4000 + 9000
    else:
        assert (figures.solved_train, figures.pooled_tasks, figures.pooled_solved) == (4, 0, 0)
