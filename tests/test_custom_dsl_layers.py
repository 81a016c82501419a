"""A language defined entirely in this file, with its own value type and primitives and
no edit to the package, goes through every layer: enumeration, GP, abstraction
learning, the store, the pool and Ray executors, and recognition training.

Workers rebuild the language from its import path, this module's `LANG`
("test_custom_dsl_layers:LANG"; tests/ is on sys.path under pytest, and Ray's workers
are given it through PYTHONPATH)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

import neurosym as ns
from conftest import REPO
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import LiteralSyntax, ValueType
from neurosym.library.compression import learn_abstractions
from neurosym.library.store import StoreError, load_library, save_library


@dataclass(frozen=True)
class Money:
    cents: int
    currency: str


MONEY = ValueType("money", python=(Money,), samples=(Money(0, "EUR"), Money(150, "EUR")), doc="An amount.",
                  literal=LiteralSyntax(show=lambda m: f"{m.cents} {m.currency}",
                                        read=lambda t: Money(int(t.split()[0]), t.split()[1])))
LANG = base_dsl().extend(
    types=[MONEY], name="money", reference="test_custom_dsl_layers:LANG",
    primitives=[("euros", "int -> money", lambda c: Money(c, "EUR"), "An amount in euro cents."),
                ("cents", "money -> int", lambda m: m.cents, "The amount in cents."),
                ("madd", "money -> money -> money", lambda a, b: Money(a.cents + b.cents, a.currency), "A sum."),
                ("mscale", "int -> money -> money", lambda k, m: Money(k * m.cents, m.currency), "A multiple.")])
LIBRARY = ns.Library.base(dsl=LANG)
BUDGET = ns.Budget(seconds=None, candidates=60_000)

PURSES = [[Money(100, "EUR")], [Money(5, "EUR"), Money(20, "EUR")], [], [Money(1, "EUR")] * 3]


def _task(name: str, fn) -> ns.Task:
    return ns.Task.from_examples(name, [(p, fn(p)) for p in PURSES], dsl=LANG)


TASKS = [
    _task("double-each", lambda p: [Money(2 * m.cents, m.currency) for m in p]),
    _task("triple-each", lambda p: [Money(3 * m.cents, m.currency) for m in p]),
    _task("total-cents", lambda p: sum(m.cents for m in p)),
    _task("cents-each", lambda p: [m.cents for m in p]),
]


def _key(results):
    return [(r.task, r.program_text, r.solved, r.candidates) for r in results]


def test_enumeration_finds_exact_programs():
    results = ns.solve(TASKS, library=LIBRARY, budget=BUDGET, executor="serial")
    assert [(r.task, r.program_text) for r in results] == [
        ("double-each", r"\x -> zip_with madd x x"),
        ("triple-each", r"\x -> map (mscale 3) x"),
        ("total-cents", r"\x -> fold (+) 0 (map cents x)"),
        ("cents-each", r"\x -> map cents x"),
    ]
    assert all(r.solved for r in results)


def test_gp_solves_with_the_languages_primitives():
    result = ns.solve(TASKS[3], method="gp", library=LIBRARY, budget=BUDGET, seed=1)
    assert result.solved and "cents" in result.program_text


def test_abstraction_learning_makes_routines_of_the_languages_primitives():
    corpus = {name: ns.load_program(text, dsl=LANG).main for name, text in [
        ("a", r"\x -> map (mscale 3) (map (mscale 2) x)"), ("b", r"\x -> map (mscale 5) (map (mscale 2) x)"),
        ("c", r"\x -> map (mscale 4) (map (mscale 2) x)")]}
    grown, rewritten, report = learn_abstractions(LIBRARY, corpus)
    assert report.routines and grown.dsl is LANG
    routine = grown.routine(report.routines[0])
    assert "mscale" in ns.format_expr(routine.body, dsl=LANG)
    compiled = ns.compile_program(rewritten["a"], routines=grown.routine_values(ns.Limits()), dsl=LANG)
    assert compiled.run((Money(1, "EUR"),)).value == (Money(6, "EUR"),)


def test_the_store_round_trips_and_refuses_another_language(tmp_path):
    grown = LIBRARY.with_routines("def double_all = map (mscale 2); def fee = euros 30;")
    save_library(grown, tmp_path / "lib")
    back = load_library(tmp_path / "lib", dsl=LANG)
    assert back == grown and back.dsl is LANG
    assert back.routine("fee").type == LANG.parse_type("money")
    with pytest.raises(StoreError, match="written for DSL 'money'"):
        load_library(tmp_path / "lib")  # the base language
    literal = ns.load_program('madd @money"250 EUR"', dsl=LANG)
    assert ns.format_expr(literal.main, dsl=LANG) == 'madd @money"250 EUR"'


def test_pool_workers_rebuild_the_language():
    serial = ns.solve(TASKS, library=LIBRARY, budget=BUDGET, executor="serial")
    pooled = ns.solve(TASKS, library=LIBRARY, budget=BUDGET, executor="pool", jobs=2)
    assert _key(pooled) == _key(serial)


def test_ray_workers_rebuild_the_language():
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'neurosym[ray]')")
    path = os.pathsep.join([str(REPO / "tests"), str(REPO), os.environ.get("PYTHONPATH", "")])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": path}})
    try:
        on_ray = ns.solve(TASKS[2:], library=LIBRARY, budget=BUDGET, executor="ray")
    finally:
        ray.shutdown()
    assert _key(on_ray) == _key(ns.solve(TASKS[2:], library=LIBRARY, budget=BUDGET, executor="serial"))


def test_recognition_training_reads_the_languages_values():
    from neurosym.neural.recognition import RecognitionModel, train_recognition

    pairs = [(t, ns.load_program(text, dsl=LANG).main) for t, text in zip(
        TASKS, [r"\x -> zip_with madd x x", r"\x -> map (mscale 3) x", r"\x -> fold (\y -> (+) (cents y)) 0 x",
                r"\x -> map cents x"])]
    model = RecognitionModel(LIBRARY.names(), hidden=16, embedding=8, context=8)
    first = train_recognition(model, pairs, LIBRARY, epochs=1, device="cpu")
    last = train_recognition(model, pairs, LIBRARY, epochs=30, device="cpu")
    assert last.final_loss < first.final_loss
    guidance = model.predict(TASKS[3], contextual=False)
    assert set(LIBRARY.names()) <= set(guidance.unigram)
    ranked = sorted(guidance.unigram, key=guidance.unigram.get, reverse=True)
    assert ranked.index("cents") < ranked.index("length")  # it read the examples: cents matter here
    assert guidance.weighted(LIBRARY).dsl is LANG
