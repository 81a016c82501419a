"""Search over languages other than the base one: a fresh DSL of its own types (no ints,
no lists, no booleans) defined here, and the base language extended with 2-D vectors
(tests/dsl_vectors.py, importable so that pool workers can rebuild it).

Enumeration and GP find exact programs in both; a float answer off in the 12th digit
is a solution (values compare under their type's key); a user primitive that raises is
a fault of the candidate, never an exception out of the searcher; and a DSL without an
import path is refused before any work goes to worker processes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

import neurosym as ns
from dsl_vectors import VECTORS, Vec, round9
from neurosym.errors import NeurosymError
from neurosym.lang.base import base_dsl
from neurosym.lang.data import EMPTY_STACK
from neurosym.lang.compiler import compile_program
from neurosym.lang.dsl import DSL, Primitive, ValueType
from neurosym.lang.types import TCon
from neurosym.library import Library
from neurosym.search import solve as solve_module
from neurosym.search.bank import Context, sample_values
from neurosym.search.value_needs import value_key
from neurosym.search.base import SEARCH_LIMITS, Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.genetic import GeneticSearcher
from neurosym.search.gp_eval import FAIL_ERROR, Evaluator, score_program
from neurosym.search.solve import LocalDSLError
from neurosym.task import Example, Task

# -- a fresh language: reals, vectors and bags, nothing of the base language -------------


@dataclass(frozen=True)
class Bag:
    """An unordered-looking container (a tuple inside): a type with a parameter and parts."""

    items: tuple


def _bag_samples(args: list[tuple]) -> tuple:
    elems = args[0]
    return (Bag(()),) + ((Bag((elems[0],)),) if elems else ())


def _user(name: str, type_text: str, fn, **options) -> Primitive:
    return Primitive(name, type_text, fn=fn, doc=name, checked=True, cost=1, **options)  # type: ignore[arg-type]


PLANE = DSL.of(
    "plane",
    [ValueType("real", python=(float,), key=round9, samples=(0.0, 1.0)),
     ValueType("vec", python=(Vec,), key=lambda v: (round9(v.x), round9(v.y)), samples=(Vec(1.0, 0.0),)),
     ValueType("bag", 1, python=(Bag,), samples=_bag_samples, parts=lambda b: ((x, 0) for x in b.items))],
    [_user("vadd", "vec -> vec -> vec", lambda a, b: Vec(a.x + b.x, a.y + b.y), commutative=True),
     _user("vscale", "real -> vec -> vec", lambda k, v: Vec(k * v.x, k * v.y)),
     _user("norm2", "vec -> real", lambda v: v.x * v.x + v.y * v.y),
     _user("vx", "vec -> real", lambda v: v.x),
     _user("fmul", "real -> real -> real", lambda a, b: a * b, commutative=True),
     _user("nothing", "bag a", lambda: Bag(())),
     _user("put", "a -> bag a -> bag a", lambda x, b: Bag((x,) + b.items)),
     _user("bmap", "(a -> b) -> bag a -> bag b", lambda f, b: Bag(tuple(f(x) for x in b.items))),
     _user("total", "bag real -> real", lambda b: float(sum(b.items)))],
    literals=(0.5, 2.0),
)  # no reference: this process only
PLANE_LIB = Library.base(dsl=PLANE)

V = [Vec(1.5, 2.0), Vec(-1.0, 0.5), Vec(3.0, -2.0), Vec(0.25, 4.0)]


def task(name: str, dsl: DSL, type_text: str, pairs) -> Task:
    """A task of runtime values, `((arguments...), output)` pairs (made directly, since
    Task.from_examples reads the values of the base language only)."""
    return Task(name, dsl.parse_type(type_text), tuple(Example(tuple(i), o) for i, o in pairs))


def norm2(v: Vec) -> float:
    return v.x * v.x + v.y * v.y


SUM_NORM = task("sum-norm", PLANE, "vec -> vec -> real", [((a, b), norm2(Vec(a.x + b.x, a.y + b.y)))
                                                           for a, b in zip(V, V[1:] + V[:1])])
SUM_TWO = task("sum-two", PLANE, "real -> real -> real", [((1.5, 2.0), 3.5), ((-1.0, 4.0), 3.0), ((0.25, 0.5), 0.75)])
BAG_NORMS = task("bag-norms", PLANE, "bag vec -> real",
                 [((Bag(tuple(V[:k])),), sum(4 * norm2(v) for v in V[:k])) for k in range(1, 5)])


def enum(t: Task, library: Library, candidates: int = 200_000):
    return EnumerativeSearcher().search(t, library, Budget(seconds=60, candidates=candidates))


def gp(t: Task, library: Library, seed: int, candidates: int = 4000, population: int = 60):
    return GeneticSearcher(population=population, seed=seed).search(t, library, Budget(seconds=None,
                                                                                         candidates=candidates))


def test_samples_and_keys_come_from_the_value_types():
    bag_real = PLANE.parse_type("bag real")
    assert sample_values(PLANE, bag_real) == (Bag(()), Bag((0.0,)))
    assert sample_values(PLANE, TCon("'a")) == ()  # a rigid task variable: only variables give values
    key = value_key(PLANE, bag_real)  # a container of keyed values is keyed through its parts
    assert key(Bag((1.0, 2.0))) == key(Bag((1.0 + 1e-12, 2.0)))
    assert value_key(base_dsl(), base_dsl().parse_type("list int")) is None  # plain types pay nothing


def test_every_base_container_of_a_rigid_type_variable_has_samples_without_a_fault():
    # a stack of a task's type variable used to index its element samples and raise
    # (found by PSB1's last-index-of-zero, whose search reached `stack 'a` in a lambda)
    dsl, rigid = base_dsl(), TCon("'a")
    assert sample_values(dsl, TCon("stack", (rigid,))) == (EMPTY_STACK,)
    assert sample_values(dsl, TCon("list", (rigid,))) == ((),)
    assert sample_values(dsl, TCon("pair", (rigid, TCon("int")))) == ()
    for vt in dsl.types:
        t = TCon(vt.name, (rigid,) * vt.params)
        assert isinstance(sample_values(dsl, t), tuple), vt.name


def test_probes_are_dug_out_of_containers_through_their_parts():
    bag = Bag((V[0], V[1], V[0]))
    ctx = Context((PLANE.parse_type("bag vec"),), [(bag, ())], dsl=PLANE)
    assert ctx.probes(PLANE.parse_type("vec"), (bag, ()), 4) == [V[0], V[1], Vec(1.0, 0.0)]  # then the samples
    lam = ctx.child((PLANE.parse_type("vec"),))
    assert lam.probe_groups == [(0, (V[0], V[1], Vec(1.0, 0.0)))]


@pytest.mark.parametrize("t, program", [
    (SUM_NORM, r"\x y -> norm2 (vadd y x)"),
    (SUM_TWO, r"\x y -> total (put y (put x nothing))"),  # `nothing : bag a` grounded at the task's real
    (BAG_NORMS, r"\x -> total (bmap (\y -> norm2 (vadd y y)) x)"),  # probes dug out of the bag
])
def test_enumeration_in_a_language_without_ints_or_lists(t, program):
    r = enum(t, PLANE_LIB)
    assert r.solved and r.program_text == program


@pytest.mark.parametrize("t, seed, program", [
    (SUM_TWO, 0, r"\x y -> total (put y (put x nothing))"),
    (BAG_NORMS, 1, r"\x -> fmul 2.0 (fmul 2.0 (total (bmap norm2 x)))"),
])
def test_gp_in_a_language_without_ints_or_lists(t, seed, program):
    a, b = gp(t, PLANE_LIB, seed), gp(t, PLANE_LIB, seed)
    assert a.solved and a.program_text == program
    assert (b.program, b.candidates, b.trace) == (a.program, a.candidates, a.trace)


# -- the base language extended with vectors (tests/dsl_vectors.py) --------------------

VEC_LIB = Library.base(dsl=VECTORS)
VSUM = task("vsum-x", VECTORS, "vec -> vec -> float", [((a, b), 2.0 * (a.x + b.x)) for a, b in zip(V, V[1:] + V[:1])])
NORMS = task("norms", VECTORS, "list vec -> list float", [((tuple(V[:k]),), tuple(norm2(v) for v in V[:k]))
                                                          for k in range(4)])
#: 1.1 is no sum of the literals (0.5, 2.0, ints): GP's literal mutation has to make it
FLOAT_STEP = task("half-plus", VECTORS, "vec -> float", [((v,), 0.5 * v.x + 1.1) for v in V])


@pytest.mark.parametrize("t, program", [
    (VSUM, r"\x y -> vx (vscale 2.0 (vadd y x))"),
    (NORMS, r"\x -> map norm2 x"),
])
def test_enumeration_in_the_extended_base_language(t, program):
    r = enum(t, VEC_LIB)
    assert r.solved and r.program_text == program


@pytest.mark.parametrize("t, seed, candidates, population, program", [
    (VSUM, 0, 4000, 60, r"\x y -> fadd (vx y) (fadd (vx y) (fadd (vx x) (vx x)))"),
    (NORMS, 1, 4000, 60, r"\x -> map norm2 x"),
    (FLOAT_STEP, 3, 6000, 100, r"\x -> fadd (fadd 0.5 0.6) (vx (vscale 0.5 x))"),  # 0.6: 0.5 stepped
])
def test_gp_in_the_extended_base_language(t, seed, candidates, population, program):
    r = gp(t, VEC_LIB, seed, candidates, population)
    assert r.solved and r.program_text == program


# -- keys: a float answer off in the 12th digit is a solution ---------------------------

OFF = task("norm-off", VECTORS, "vec -> float", [((v,), norm2(v) * (1 + 3e-12)) for v in V])
OFF_LIST = task("norms-off", VECTORS, "list vec -> list float",
                [((tuple(V[:k]),), tuple(norm2(v) * (1 - 4e-12) for v in V[:k])) for k in range(4)])
OFF_PLANE = task("norm-off-plane", PLANE, "vec -> real", [((v,), norm2(v) + 2e-11) for v in V])


@pytest.mark.parametrize("t, library, program", [
    (OFF, VEC_LIB, r"\x -> norm2 x"),
    (OFF_LIST, VEC_LIB, r"\x -> map norm2 x"),
    (OFF_PLANE, PLANE_LIB, r"\x -> norm2 x"),
])
def test_a_float_answer_off_in_the_12th_digit_is_solved(t, library, program):
    r = enum(t, library)
    assert r.solved and r.program_text == program
    compiled = compile_program(r.program, SEARCH_LIMITS, library.routine_values(SEARCH_LIMITS), library.dsl)
    assert all(compiled.run(*ex.inputs).value != ex.output for ex in t.examples[1:])  # not equal as floats
    g = gp(t, library, 0)
    assert g.solved


def test_gp_scores_keyed_values_as_equal_and_floats_by_distance():
    ev = Evaluator(OFF, VEC_LIB).examples
    assert score_program(ns.load_program(r"\x -> norm2 x", library=VEC_LIB).main, ev) == (0,) * 4
    errors = score_program(ns.load_program(r"\x -> fadd 0.5 (norm2 x)", library=VEC_LIB).main, ev)
    assert all(abs(e - 0.5) < 1e-9 for e in errors)


# -- user primitives that raise ---------------------------------------------------------

def _boom(x: int) -> int:
    if x < 0:
        raise ValueError("negative")
    return 7 * x


def _stop(x: int) -> int:
    if x == 3:
        raise StopIteration  # inside a C loop such as map(), this would end it silently
    return x + 10


RAISING = base_dsl().extend(primitives=[("boom", "int -> int", _boom, "7x; raises on negatives"),
                                        ("stop", "int -> int", _stop, "x + 10; raises StopIteration at 3")],
                            name="raising")
RAISING_LIB = Library.base(dsl=RAISING)
SEVEN = Task.from_examples("seven", [(1, 7), (2, 14), (-1, 0), (0, 0)])
LOOPED = Task.from_examples("looped", [(1, 21), (2, 22), (5, 25)], held_out=[(7, 27)])


@pytest.mark.parametrize("t, program", [
    (SEVEN, r"\x -> boom (length (range x))"),  # `boom x` faults on -1, and so do many others
    (LOOPED, r"\x -> stop (stop x)"),
])
def test_a_user_primitive_that_raises_is_a_fault_not_an_escape(t, program):
    """`stop 3` (a candidate of every int task) raises StopIteration, which ends the
    enumerator's C loop over the examples early and silently: too few values."""
    r = enum(t, RAISING_LIB, 100_000)
    assert r.solved and r.program_text == program
    assert gp(t, RAISING_LIB, 1, 3000, 100).solved


def test_gp_scores_a_raising_user_primitive_as_a_failure():
    ev = Evaluator(LOOPED, RAISING_LIB).examples
    assert score_program(ns.load_program(r"\x -> stop (x + 2)", library=RAISING_LIB).main, ev)[0] == FAIL_ERROR
    assert score_program(ns.load_program(r"\x -> boom (0 - x)", library=RAISING_LIB).main, ev) == (FAIL_ERROR,) * 3


# -- workers: a DSL travels by its import path ------------------------------------------

def test_a_dsl_without_an_import_path_is_refused_before_any_work(monkeypatch):
    def no_executor(*args, **kwargs):
        raise AssertionError("an executor was made")

    monkeypatch.setattr(solve_module, "make_executor", no_executor)
    budget = Budget(seconds=None, candidates=500)
    for kwargs in ({"executor": "pool", "jobs": 2}, {"executor": "ray"}, {"jobs": 2}):
        with pytest.raises(LocalDSLError) as err:
            ns.solve([SUM_NORM, SUM_TWO], budget=budget, library=PLANE_LIB, **kwargs)
        assert isinstance(err.value, NeurosymError)
        message = str(err.value)
        assert "'plane'" in message and "reference='package.module:attr'" in message and "executor='serial'" in message
    with pytest.raises(LocalDSLError):
        ns.solve(SUM_NORM, method="gp", budget=budget, library=PLANE_LIB, executor="pool", jobs=2)
    # what stays in this process runs: one enumerated task, or everything serially
    assert ns.solve(SUM_NORM, budget=budget, library=PLANE_LIB, executor="pool", jobs=2).solved
    monkeypatch.undo()
    serial = ns.solve([SUM_NORM, SUM_TWO], budget=budget, library=PLANE_LIB, executor="serial")
    assert [r.program_text for r in serial] == [enum(SUM_NORM, PLANE_LIB).program_text,
                                                enum(SUM_TWO, PLANE_LIB).program_text]


def test_gp_with_jobs_on_a_local_dsl_scores_in_this_process(caplog):
    budget = Budget(seconds=None, candidates=600)
    with caplog.at_level(logging.WARNING):
        two = GeneticSearcher(population=60, seed=2, jobs=2).search(SUM_NORM, PLANE_LIB, budget)
    assert "has no import path" in caplog.text
    one = GeneticSearcher(population=60, seed=2).search(SUM_NORM, PLANE_LIB, budget)
    assert (two.program, two.trace, two.candidates) == (one.program, one.trace, one.candidates)


@pytest.mark.parametrize("method", ["enum", "gp"])
def test_pool_workers_rebuild_an_importable_dsl(method):
    tasks = [VSUM, NORMS, OFF, FLOAT_STEP]
    budget = Budget(seconds=None, candidates=3000)
    serial = ns.solve(tasks, method=method, budget=budget, seed=4, library=VEC_LIB, executor="serial")
    pool = ns.solve(tasks, method=method, budget=budget, seed=4, library=VEC_LIB, executor="pool", jobs=2)
    key = [(r.task, r.program, r.solved, r.candidates, r.trace) for r in serial]
    assert [(r.task, r.program, r.solved, r.candidates, r.trace) for r in pool] == key
    assert sum(r.solved for r in serial) >= 2
