"""The text domain: a language and ~40 tasks built only through neurosym's public API.

Every text primitive against plain Python (a differential table, both point-free and
saturated); every reference solution solves its task's examples and held-out examples;
held-out text is longer; the domain loads through the registry; enumeration finds easy
tasks (exactly, on a candidates budget); a user primitive that raises is a fault.
"""

from __future__ import annotations

import ast
import itertools
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import pytest

import neurosym as ns
from neurosym.domains.registry import DOMAINS, domain_dsl, get_domain, reference_solutions
from neurosym.domains.text import CHAR_LITERALS, STR_LITERALS, text_dsl
from neurosym.domains.text_tasks import HELD_OUT, TEXT_SPECS, TRAIN
from neurosym.lang.base import base_dsl
from neurosym.lang.data import Char
from neurosym.lang.dsl import load_dsl

DSL_ = text_dsl()
TEXT = ("", "a", "ab cd", "Hello World", "a,b,,c", "  pad me  ", "x.y@z.com", "Straße 5", "123abc", "a  b")
CHARS = tuple(Char(c) for c in " aZ5,.ß@")
INTS = (-1, 0, 1, 3, 20)
WORDS = ((), ("a",), ("ab", "cd"), ("", "x", ""))
CHAR_LISTS = ((), (Char("a"),), (Char("H"), Char(" "), Char("1")))
POOLS: dict[str, tuple] = {"str": TEXT, "char": CHARS, "int": INTS, "list str": WORDS, "list char": CHAR_LISTS}


class Fault(Exception):
    """The reference says: a runtime fault."""


def _slice(i: int, j: int, s: str) -> str:
    if not (0 <= i <= j <= len(s)):
        raise Fault()
    return s[i:j]


def _one(c: str) -> Char:
    return Char(c) if len(c) == 1 else Char("?")  # never a two-character char


#: name -> (argument types, reference in plain Python)
REFERENCE: dict[str, tuple[tuple[str, ...], Callable[..., Any]]] = {
    "concat": (("str", "str"), lambda a, b: a + b),
    "split": (("char", "str"), lambda c, s: tuple(s.split(c))),
    "join": (("str", "list str"), lambda sep, xs: sep.join(xs)),
    "upper": (("str",), lambda s: s.upper()),
    "lower": (("str",), lambda s: s.lower()),
    "trim": (("str",), lambda s: s.strip()),
    "str_length": (("str",), len),
    "slice": (("int", "int", "str"), _slice),
    "index_of": (("char", "str"), lambda c, s: s.find(c)),
    "chars": (("str",), lambda s: tuple(Char(c) for c in s)),
    "from_chars": (("list char",), lambda cs: "".join(cs)),
    "char_str": (("char",), lambda c: str(c)),
    "char_upper": (("char",), lambda c: Char(c.upper()) if len(c.upper()) == 1 else c),
    "char_lower": (("char",), lambda c: Char(c.lower()) if len(c.lower()) == 1 else c),
    "char_eq": (("char", "char"), lambda a, b: str(a) == str(b)),
    "is_upper": (("char",), lambda c: c.isupper()),
    "is_lower": (("char",), lambda c: c.islower()),
    "is_digit": (("char",), lambda c: c in "0123456789"),
    "is_letter": (("char",), lambda c: c.isalpha()),
    "is_space": (("char",), lambda c: c.isspace()),
}
RESULT_CLASS = {"str": str, "char": Char, "int": int, "bool": bool, "list str": tuple, "list char": tuple}


def _text_primitives() -> list[str]:
    base = set(base_dsl().primitive_names)
    return [name for name in DSL_.primitive_names if name not in base]


def test_the_table_covers_every_text_primitive() -> None:
    assert set(REFERENCE) == set(_text_primitives())
    assert 15 <= len(REFERENCE) <= 22
    for name in REFERENCE:
        p = DSL_.primitive(name)
        assert p.doc and "\n" not in p.doc, name
        assert p.checked, f"{name}: a user primitive, its results checked"


@lru_cache(maxsize=None)
def _compiled(text: str) -> Any:
    return ns.load_program(text, dsl=DSL_).compile()


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_primitive_matches_python(name: str) -> None:
    arg_types, ref = REFERENCE[name]
    result_type = str(DSL_.primitive(name).type).rsplit(" -> ", 1)[-1]
    params = " ".join(f"a{i}" for i in range(len(arg_types)))
    forms = (_compiled(name), _compiled(rf"\{params} -> {name} {params}"))  # point-free, saturated
    for args in itertools.product(*(POOLS[t] for t in arg_types)):
        try:
            expected, fault = ref(*args), False
        except Fault:
            expected, fault = None, True
        for program in forms:
            got = program.run(*args)
            if fault:
                assert got.status is ns.Status.FAULT, (name, args, got)
                continue
            assert got.ok, (name, args, got)
            assert got.value == expected and type(got.value) is type(expected), (name, args, got.value, expected)
            assert isinstance(got.value, RESULT_CLASS[result_type]), (name, args)
            if result_type == "list char":
                assert all(type(c) is Char for c in got.value)


def test_types_read_as_documented() -> None:
    t = {name: str(DSL_.primitive(name).type) for name in REFERENCE}
    assert t["split"] == "char -> str -> list str"
    assert t["slice"] == "int -> int -> str -> str"
    assert t["index_of"] == "char -> str -> int"
    assert DSL_.primitive("char_eq").commutative


def test_text_dsl_is_a_value_with_a_reference() -> None:
    assert text_dsl() is DSL_ and DSL_.name == "text"
    assert load_dsl("neurosym.domains.text:text_dsl") == DSL_
    assert pickle.loads(pickle.dumps(DSL_)) == DSL_  # how pool and Ray workers get it
    assert "push" not in DSL_.primitive_names and "map" in DSL_.primitive_names
    assert set(CHAR_LITERALS) <= set(DSL_.literals) and set(STR_LITERALS) <= set(DSL_.literals)
    assert set(base_dsl().literals) <= set(DSL_.literals)
    assert all(type(c) is Char for c in CHAR_LITERALS)
    library = ns.Library.base(dsl=DSL_)
    types = {str(p.type) for p in library.productions if isinstance(p.expr, ns.Lit)}
    assert {"char", "str", "int"} <= types


def test_built_through_the_public_api_only() -> None:
    """The point of the domain: nothing from neurosym's insides."""
    allowed = {"neurosym", "neurosym.lang.dsl", "neurosym.lang.base", "neurosym.lang.data", "neurosym.domains.text"}
    here = Path(__file__).resolve().parents[1] / "neurosym" / "domains"
    for file in ("text.py", "text_tasks.py"):
        tree = ast.parse((here / file).read_text())
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        used = {m for m in modules if m.startswith("neurosym")}
        assert used <= allowed, (file, used - allowed)
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert not any(name.startswith("_") for name in names), file


# -- faults -----------------------------------------------------------------------------


def test_a_primitive_that_raises_is_a_fault_not_an_escape() -> None:
    out_of_range = _compiled("slice 0 3").run("ab")
    assert out_of_range.status is ns.Status.FAULT and "out of range" in out_of_range.error
    inside_map = _compiled(r"\s -> map (\w -> slice 0 3 w) (split ' ' s)").run("abcd ef")
    assert inside_map.status is ns.Status.FAULT
    absent = _compiled(r"\s -> slice 0 (index_of '@' s) s")
    assert absent.run("ab@c").value == "ab" and absent.run("abc").status is ns.Status.FAULT
    task = next(t for t in get_domain("text") if t.name == "abbreviate")
    score = task.score(_compiled("slice 2 9"))  # faults on the short training words: scored, not raised
    assert score.passed < score.total and "fault" in score.first_failure


def test_a_search_survives_faulting_candidates() -> None:
    task = next(t for t in get_domain("text") if t.name == "abbreviate")
    result = ns.solve(task, library=ns.Library.base(dsl=DSL_), budget=ns.Budget(seconds=30, candidates=5_000))
    assert result.solved and result.held_out_accuracy == 1.0


# -- tasks ----------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _tasks(seed: int = 0) -> tuple[ns.Task, ...]:
    return tuple(get_domain("text", seed=seed))


def _size(e: ns.Expr) -> int:
    """Nodes other than applications: primitives, variables, literals, lambdas."""
    if isinstance(e, ns.App):
        return _size(e.fn) + _size(e.arg)
    if isinstance(e, ns.Lam):
        return 1 + _size(e.body)
    return 1


def test_domain_loads_through_the_registry() -> None:
    assert "text" in DOMAINS and domain_dsl("text") is DSL_ and domain_dsl("lists") == base_dsl()
    tasks = _tasks()
    names = [t.name for t in tasks]
    assert 40 <= len(names) <= 50 and len(set(names)) == len(names)
    assert set(names) == set(reference_solutions("text"))
    with pytest.raises(ValueError, match="valid domains"):
        domain_dsl("nope")
    assert all(t.dsl == DSL_ for t in tasks)  # a task carries its language, to workers too
    assert pickle.loads(pickle.dumps(tasks[0])) == tasks[0]


@pytest.mark.parametrize("name", [s.name for s in TEXT_SPECS])
def test_reference_solution_solves_its_task(name: str) -> None:
    task = next(t for t in _tasks() if t.name == name)
    text = reference_solutions("text")[name]
    program = ns.load_program(text, dsl=DSL_)
    program.check(task.type)
    score = task.score(program.compile())
    assert task.held_out
    assert score.passed == score.total and score.held_out_passed == score.held_out_total, (
        f"{name}: `{text}`: {score.first_failure}")


def test_most_reference_solutions_are_small() -> None:
    sizes = {name: _size(ns.load_program(text, dsl=DSL_).main) for name, text in reference_solutions("text").items()}
    small = [name for name, size in sizes.items() if size <= 10]
    assert len(small) >= 0.8 * len(sizes), sorted(sizes.items(), key=lambda kv: -kv[1])


def test_held_out_text_is_longer_and_sets_are_small() -> None:
    assert TRAIN.words[1] < HELD_OUT.words[0] and TRAIN.letters[1] < HELD_OUT.letters[0]
    for task in _tasks():
        assert 6 <= len(task.examples) <= 10 and 5 <= len(task.held_out) <= 10, task.name
        assert all(isinstance(e.inputs[0], str) for e in task.examples + task.held_out), task.name
        longest = max(len(e.inputs[0]) for e in task.examples)
        assert min(len(e.inputs[0]) for e in task.held_out) > longest, task.name


def test_values_have_their_runtime_types() -> None:
    for task in _tasks():
        out = str(task.return_type)
        for e in task.examples + task.held_out:
            assert isinstance(e.output, RESULT_CLASS.get(out, tuple)), (task.name, e)
            if out == "char":
                assert type(e.output) is Char


def test_boolean_tasks_have_both_answers() -> None:
    for task in _tasks():
        if str(task.return_type) == "bool":
            assert {e.output for e in task.examples} == {True, False}, task.name


def test_same_seed_same_tasks_other_seed_other_examples() -> None:
    assert tuple(get_domain("text", seed=0)) == _tasks(0)
    other = _tasks(1)
    assert [t.name for t in other] == [t.name for t in _tasks(0)]
    assert sum(a.examples != b.examples for a, b in zip(_tasks(0), other)) >= 0.9 * len(other)


# -- search ---------------------------------------------------------------------------


@pytest.mark.parametrize("name,program", [
    ("to-upper", r"\x -> upper x"),
    ("first-word", r"\x -> head (split ' ' x)"),
    ("email-user", r"\x -> head (split '@' x)"),
    ("count-words", r"\x -> length (split ' ' x)"),
])
def test_enumeration_finds_easy_tasks(name: str, program: str) -> None:
    task = next(t for t in _tasks() if t.name == name)
    result = ns.solve(task, library=ns.Library.base(dsl=DSL_), method="enum",
                      budget=ns.Budget(seconds=60, candidates=20_000))
    assert result.solved and result.held_out_accuracy == 1.0
    assert result.program_text == program
