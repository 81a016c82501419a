"""The protocol record of a learning figure: disjoint halves, seeds, both budgets, the
library and the DSL, printed in one line and stored with the figures."""

import pytest

import neurosym as ns
from neurosym.curriculum.protocol import Protocol
from neurosym.curriculum.run import split_tasks
from neurosym.errors import InvalidArgument

TASKS = [ns.Task.from_examples(f"t{i}", [(i, i + 1)]) for i in range(10)]


def test_the_record_names_both_halves_and_says_what_it_measured():
    train, test = split_tasks(TASKS, 0.5, seed=3)
    protocol = Protocol.of(train, test, 3, 7, 10.0, ns.Budget(seconds=5, candidates=1000), source="toy")
    assert len(protocol.train) == len(protocol.test) == 5 and not set(protocol.train) & set(protocol.test)
    assert protocol.describe() == (f"split 5 train / 5 test tasks (seed 3, digest {protocol.digest}, toy); budgets: "
                                   "train 10 s per task, test 5 s or 1,000 candidates per task; search seed 7")
    again = Protocol.of(*split_tasks(TASKS, 0.5, seed=3), 3, 7, 10.0, 5.0)
    assert again.digest == protocol.digest  # the same split, the same digest
    assert Protocol.of(*split_tasks(TASKS, 0.5, seed=4), 4, 7, 10.0, 5.0).digest != protocol.digest
    record = protocol.to_json(ns.Library.base(), "base")
    assert record["train"] == list(protocol.train) and record["digest"] == protocol.digest
    assert record["library"]["source"] == "base" and record["dsl"]["name"] == "base"


def test_overlapping_halves_are_refused():
    with pytest.raises(InvalidArgument, match="share tasks: \\['t1'\\]"):
        Protocol.of(TASKS[:2], TASKS[1:3], 0, 0, 1.0, 1.0)


def test_budgets_of_options():
    from neurosym.curriculum.protocol import train_and_test_budgets
    from neurosym.search.base import Budget

    assert Budget.of(None, None) == Budget(seconds=10.0)
    assert Budget.of(None, 5000) == Budget(seconds=None, candidates=5000)
    assert Budget.of(2.5, 5000).describe() == "2.5 s or 5,000 candidates per task"
    assert train_and_test_budgets(None, None, None, 300_000) == (Budget(None, 300_000), Budget(None, 300_000))
    assert train_and_test_budgets(30.0, None, None, 300_000) == (Budget(30.0), Budget(None, 300_000))
    assert train_and_test_budgets(None, 1000, 5.0, None) == (Budget(None, 1000), Budget(5.0))
