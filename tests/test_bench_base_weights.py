"""bench_base_weights: the variants re-weight exactly what they name, and the run compares task by task."""

from __future__ import annotations

import math
import re
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_base_weights as bench  # noqa: E402


def test_variants_make_only_the_named_productions_half_as_likely():
    weights = {p.name: p.log_weight for p in bench.variant_library("constants+stack").productions}
    halved = {"3", "4", "5", "empty_stack", "push", "pop", "top", "is_empty_stack"}
    assert {n for n, w in weights.items() if w != 0.0} == halved
    assert all(math.isclose(weights[n], -math.log(2)) for n in halved)
    uniform = bench.variant_library("uniform")
    assert {p.log_weight for p in uniform.productions} == {0.0}


def test_an_unknown_variant_is_refused_with_its_name():
    with pytest.raises(SystemExit, match=r"unknown variant part\(s\) \['digits'\]"):
        bench.variant_library("constants+digits")


def test_collections_are_the_seed_0_halves_and_the_domains():
    train, test = bench.collection("train"), bench.collection("test")
    assert (len(train), len(test)) == (109, 108)
    assert not {t.name for t in train} & {t.name for t in test}
    assert len(bench.collection("lists")) == 109


def test_a_small_run_prints_one_figure_per_collection_and_variant(capsys):
    bench.main(["--candidates", "3000", "--limit", "3", "--collections", "lists",
                "--variants", "uniform,constants", "--jobs", "1"])
    out = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"base_weights lists:uniform=\d/3 lists:constants=\d/3", out[-1])
    assert out[-2].startswith("lists: constants solved ") and "against uniform: " in out[-2]


def test_a_budget_below_one_candidate_is_a_usage_error(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--candidates", "0"])
    assert "argument --candidates: expected an integer >= 1, got '0'" in capsys.readouterr().err


def test_by_need_chooses_the_searcher_and_leaves_the_weights():
    assert bench.variant_searcher("by-need+stack").constants == "by-need"
    assert bench.variant_searcher("constants").constants == "all"
    weights = {p.name: p.log_weight for p in bench.variant_library("by-need+stack").productions}
    assert {n for n, w in weights.items() if w != 0.0} == set(bench.STACK)


def test_split_chooses_the_searcher_and_without_it_no_task_splits():
    assert bench.variant_searcher("by-need+split").split_share == 0.25
    assert bench.variant_searcher("by-need").split_share == 0.0
    assert bench.variant_searcher("split").constants == "all"
    assert {p.log_weight for p in bench.variant_library("split+by-need").productions} == {0.0}
