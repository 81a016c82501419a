"""Every error neurosym raises for bad input derives from one root, NeurosymError (as
lark's do from LarkError), so a caller, and the command line, catch one type."""

from __future__ import annotations

import pytest

import neurosym as ns
from neurosym.domains.registry import get_domain
from neurosym.errors import InvalidArgument, NeurosymError, NotFound
from neurosym.lang.primitives import Limits
from neurosym.lang.sexpr import parse_sexpr
from neurosym.library.store import load_library
from neurosym.search.executors import make_executor
from neurosym.search.genetic import GeneticSearcher

TASK = ns.Task.from_examples("inc", [(1, 2), (2, 3)])

BAD_INPUT = [
    ("parse", lambda: ns.parse("map ("), "unexpected end of input"),
    ("type", lambda: ns.load_program("1 + true"), "bool"),
    ("unknown name", lambda: ns.load_program("frobnicate 1"), "unknown name 'frobnicate'"),
    ("s-expression", lambda: parse_sexpr("(map"), "unclosed"),
    ("task", lambda: ns.Task.from_examples("t", [(1, 2), (1, 3)]), "same inputs"),
    ("budget", lambda: ns.Budget(seconds=-1), "positive"),
    ("limits", lambda: Limits(steps=0), "Limits.steps must be a positive integer"),
    ("routine", lambda: ns.Library.base().routine("nope"), "no routine named 'nope'"),
    ("production", lambda: ns.Library.base().production("nope"), "no production named 'nope'"),
    ("domain", lambda: get_domain("nope"), "unknown domain 'nope'"),
    ("executor", lambda: make_executor("nope", 1, None), "unknown executor 'nope'"),
    ("method", lambda: ns.solve(TASK, method="nope"), "unknown search method 'nope'"),
    ("population", lambda: GeneticSearcher(population=1), "population must be at least 2"),
    ("store", lambda: load_library("/nonexistent/library"), "no index.json"),
    ("predict before fit", lambda: ns.ProgramSynthesizer().predict([1]), "fit"),
]


@pytest.mark.parametrize("what, call, fragment", BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_input_raises_a_neurosym_error(what, call, fragment):
    with pytest.raises(NeurosymError) as info:
        call()
    assert fragment in str(info.value)


def test_lookups_are_key_errors_with_plain_messages():
    with pytest.raises(KeyError) as info:
        ns.Library.base().routine("nope")
    assert isinstance(info.value, NotFound) and isinstance(info.value, ValueError)
    assert str(info.value) == "no routine named 'nope'; routines: none"  # not KeyError's quoted repr


def test_bad_arguments_are_value_errors():
    with pytest.raises(ValueError) as info:
        ns.Budget(seconds=None, candidates=None)
    assert isinstance(info.value, InvalidArgument)
