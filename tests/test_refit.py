"""Refitted weights: usage mixed with a uniform share; routines' own share of it."""

import math

import pytest

from neurosym.lang.parser import parse
from neurosym.library import Library
from neurosym.library.compression import refit_weights

LIB = Library.base().only("map", "+", "1", "reverse").with_routines(r"def inc = map (\y -> y + 1);")
CORPUS = {"a": parse(r"\x -> reverse x"), "b": parse(r"\x -> reverse (reverse x)")}


def test_weights_mix_usage_with_a_uniform_share():
    lib = refit_weights(LIB, CORPUS, smoothing=1.0, uniform_share=0.5, routine_uniform=1.0)
    # names: map + 1 reverse inc, and variables: 6 outcomes; reverse used 3 times, $var twice
    total = 3 + 2 + 6
    expect = lambda count: math.log(0.5 / 6 + 0.5 * (count + 1) / total)  # noqa: E731
    assert lib.production("reverse").log_weight == pytest.approx(expect(3))
    assert lib.production("map").log_weight == pytest.approx(expect(0))
    assert lib.production("inc").log_weight == pytest.approx(expect(0))
    assert lib.variable_log_weight == pytest.approx(expect(2))


def test_a_routine_the_corpus_never_uses_costs_more_than_an_unused_primitive():
    lib = refit_weights(LIB, CORPUS, smoothing=1.0, uniform_share=0.5, routine_uniform=0.0)
    assert lib.production("inc").log_weight == pytest.approx(math.log(0.5 * 1 / 11))
    assert lib.production("inc").log_weight < lib.production("map").log_weight - 0.9
    used = refit_weights(LIB, {**CORPUS, "c": parse("inc"), "d": parse("inc"), "e": parse("inc")},
                         smoothing=1.0, uniform_share=0.5, routine_uniform=0.0)
    assert used.production("inc").log_weight > used.production("map").log_weight  # used: cheaper again
