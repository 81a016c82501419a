"""The recognition model, dreams and neural-guided enumeration (issue 5)."""

import math
import random

import pytest
from hypothesis import given, settings, strategies as st

torch = pytest.importorskip("torch")

from neurosym.lang.parser import parse
from neurosym.lang.typecheck import check_type
from neurosym.library import Library
from neurosym.neural.guided import GuidedSearcher
from neurosym.neural.checkpoints import load_model, save_model
from neurosym.neural.recognition import RecognitionModel, train_recognition
from neurosym.search.base import Budget
from neurosym.search.dreams import Choice, dream_tasks, production_choices, sample_program
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.task import Task

LIB = Library.base()


def test_production_choices_name_parent_position_and_head():
    program = parse(r"\x -> map (\y -> y + 1) (reverse x)")
    assert sorted(production_choices(program, LIB), key=str) == sorted([
        Choice("<root>", 0, "map"), Choice("map", 0, "+"), Choice("+", 0, "$var"), Choice("+", 1, "1"),
        Choice("map", 1, "reverse"), Choice("reverse", 0, "$var")], key=str)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["list int -> list int", "list int -> int", "int -> list int -> bool"]))
def test_sampled_programs_have_the_requested_type(seed, type_text):
    from neurosym.lang.parser import parse_type

    request = parse_type(type_text)
    program = sample_program(LIB, request, random.Random(seed))
    if program is not None:  # a dead end is allowed, an ill-typed program is not
        check_type(program, request, LIB.env())


def _family(name, fn, n, seed):
    rng = random.Random(seed)
    tasks = []
    for k in range(n):
        inputs = [[rng.randrange(10) for _ in range(rng.randrange(2, 7))] for _ in range(6)]
        tasks.append(Task.from_examples(f"{name}-{k}", [((xs,), fn(xs)) for xs in inputs]))
    return tasks


def test_dreams_are_programs_that_reproduce_their_examples():
    from neurosym.lang.compiler import compile_program

    templates = _family("t", sorted, 3, 0)
    dreams = dream_tasks(LIB, templates, 25, seed=1)
    assert 0 < len(dreams) <= 25
    assert len({p for _, p in dreams}) == len(dreams)  # no program twice
    for task, program in dreams:
        compiled = compile_program(program)
        assert all(compiled.run(*ex.inputs).value == ex.output for ex in task.examples)


def test_dreams_are_the_same_in_worker_processes():
    """Units of dreams carry their own seeds: a pool of two processes dreams exactly
    what this process dreams, duplicates across units dropped."""
    from neurosym.search.dreams import UNIT
    from neurosym.search.executors import PoolExecutor

    templates = _family("t", sorted, 3, 0) + _family("s", sum, 3, 1)
    count = UNIT + 40
    here = dream_tasks(LIB, templates, count, seed=3)
    with PoolExecutor(2) as pool:
        there = dream_tasks(LIB, templates, count, seed=3, executor=pool)
    assert [(t.name, p) for t, p in here] == [(t.name, p) for t, p in there]
    assert len({p for _, p in here}) == len(here) > UNIT // 2
    assert {t.name.split("-")[1] for t, _ in here} == {"0", "1"}  # both units contributed


@pytest.fixture(scope="module")
def trained():
    solution = parse(r"\x -> reverse (sort x)")
    other = parse(r"\x -> fold (+) 0 x")
    pairs = [(t, solution) for t in _family("rs", lambda xs: sorted(xs)[::-1], 12, 0)]
    pairs += [(t, other) for t in _family("sum", sum, 12, 1)]
    model = RecognitionModel(LIB.names(), hidden=32, embedding=16, context=16)
    report = train_recognition(model, pairs, LIB, epochs=60, batch_size=8, lr=1e-2, seed=0)
    return model, report, solution


def test_training_ranks_the_solutions_productions_above_uniform(trained):
    model, report, solution = trained
    assert report.epochs == 60 and report.device == "cpu"
    task = _family("rs", lambda xs: sorted(xs)[::-1], 1, 99)[0]  # unseen inputs
    guidance = model.predict(task)
    uniform = -math.log(len(model.names))
    for name in ("reverse", "sort"):
        assert guidance.unigram[name] > uniform + 1.0
        assert guidance.unigram[name] > guidance.unigram["fold"] + 5.0  # the other family's head
    choices = production_choices(solution, LIB)
    assert guidance.log_probability(choices) > len(choices) * uniform + 3.0
    # the contextual head learned that sort is reverse's argument
    assert guidance.contextual[("reverse", 0)]["sort"] > guidance.contextual[("reverse", 0)]["fold"]


@pytest.mark.parametrize("contextual", [False, True])
def test_guided_search_needs_fewer_candidates(trained, contextual):
    model, _, _ = trained
    task = _family("rs", lambda xs: sorted(xs)[::-1], 1, 123)[0]
    budget = Budget(seconds=20)
    plain = EnumerativeSearcher().search(task, LIB, budget)
    guided = GuidedSearcher(model, contextual=contextual).search(task, LIB, budget)
    assert plain.solved and guided.solved and guided.method == "neural"
    assert guided.program_text == r"\x -> reverse (sort x)"
    assert guided.candidates < plain.candidates / 3


@pytest.mark.parametrize("prior", [-0.1, 1.5])
def test_a_guided_searcher_refuses_a_prior_outside_zero_to_one(trained, prior):
    from neurosym.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match=f"prior: a share of the library's own weights between 0 and 1, "
                                              f"got {prior}"):
        GuidedSearcher(trained[0], prior=prior)


class _MisjudgingModel:
    """A stand-in recognition model whose guidance makes `map` and `zip_with` all but
    unreachable (what a model wrong about a task does)."""

    def predict(self, task, contextual=True):
        return self

    def weighted(self, library, prior, mixing):
        return library.with_weights({"map": -200.0, "zip_with": -200.0})


def test_a_guided_search_leaves_a_share_of_the_budget_to_unguided_search():
    task = Task.from_examples("triple", [([1, 2, 3], [3, 6, 9]), ([4, 0, 5], [12, 0, 15]), ([7], [21])])
    # the whole program searched: a split at map would find `y * 3` whatever map's weight
    plain = EnumerativeSearcher(split_share=0.0).search(task, LIB, Budget(candidates=100_000))
    assert plain.solved and plain.program_text == r"\x -> map (\y -> y * 3) x"
    budget = Budget(candidates=2 * plain.candidates + 2)  # a search stops at its limit's candidate
    misled = GuidedSearcher(_MisjudgingModel(), contextual=False, unguided_share=0, split_share=0.0).search(
        task, LIB, budget)
    assert not misled.solved and misled.candidates == budget.candidates
    hedged = GuidedSearcher(_MisjudgingModel(), contextual=False, split_share=0.0).search(task, LIB, budget)
    assert hedged.solved and hedged.program_text == plain.program_text and hedged.method == "neural"
    assert hedged.candidates == (plain.candidates + 1) + plain.candidates  # guidance's half, then plain's
    assert hedged.trace[0] == (f"guidance: {plain.candidates + 1} candidates, unsolved; "
                               "best program from unguided search")


@pytest.mark.parametrize("share", [-0.1, 1.0])
def test_a_guided_searcher_refuses_an_unguided_share_outside_zero_to_one(share):
    from neurosym.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match=f"unguided_share: a share of the budget, at least 0 and below 1, "
                                              f"got {share}"):
        GuidedSearcher(_MisjudgingModel(), unguided_share=share)


def test_contextual_costs_split_into_a_base_and_extra_units_per_position():
    from neurosym.search.costs import contextual_costs

    log2 = math.log(2)
    rows = {("<root>", 0): {"sort": 0.0, "reverse": -2 * log2, "$var": -8 * log2},
            ("reverse", 0): {"sort": -3 * log2, "reverse": -6 * log2, "$var": 0.0}}
    base, variable, deltas = contextual_costs(rows, {"sort", "reverse", "$var"})
    assert base == {"sort": 1, "reverse": 3} and variable == 1  # the cheapest anywhere
    assert deltas == {("<root>", 0): {"$var": 8}, ("reverse", 0): {"sort": 3, "reverse": 4}}


def test_grow_adds_rows_and_keeps_what_was_learned(trained):
    model, _, _ = trained
    grown = RecognitionModel(LIB.names(), hidden=32, embedding=16, context=16)
    grown.load_state_dict(model.state_dict())
    before = grown.unigram_weight.detach().clone()
    assert grown.grow(["my_routine", "sort"]) == ["my_routine"]
    assert grown.names[-1] == "my_routine" and grown.unigram_weight.shape[0] == before.shape[0] + 1
    assert torch.equal(grown.unigram_weight[:-1], before)


def test_checkpoints_reload_with_identical_predictions(trained, tmp_path):
    model, _, _ = trained
    path = save_model(model, tmp_path / "model" / "recognition.pt")
    again = load_model(path, device="cpu")
    task = _family("inc", lambda xs: [x + 1 for x in xs], 1, 5)[0]
    assert again.predict(task).unigram == model.predict(task).unigram
    (tmp_path / "bad.pt").write_text("not a checkpoint")
    with pytest.raises(ValueError, match="bad.pt: not a recognition model checkpoint"):
        load_model(tmp_path / "bad.pt")
    with pytest.raises(FileNotFoundError, match="missing.pt"):
        load_model(tmp_path / "missing.pt")


def test_training_without_pairs_is_an_error():
    with pytest.raises(ValueError, match="no \\(task, program\\) pairs"):
        train_recognition(RecognitionModel(LIB.names()), [], LIB)


def test_validation_keeps_the_best_epochs_weights():
    from neurosym.neural.recognition import _batch_loss, _targets

    solution = parse(r"\x -> reverse (sort x)")
    pairs = [(t, solution) for t in _family("rs", lambda xs: sorted(xs)[::-1], 8, 3)]
    held = [(t, solution) for t in _family("rs", lambda xs: sorted(xs)[::-1], 3, 4)]
    model = RecognitionModel(LIB.names(), hidden=16, embedding=8, context=8)
    report = train_recognition(model, pairs, LIB, epochs=12, batch_size=4, lr=3e-2, validation=held)
    assert 1 <= report.best_epoch <= 12 and report.validation_loss is not None
    with torch.no_grad():
        batch = [(t, _targets(model, production_choices(p, LIB))) for t, p in held]
        assert _batch_loss(model.eval(), batch).item() == pytest.approx(report.validation_loss, abs=1e-3)


def test_mixing_with_the_library_weights():
    from neurosym.neural.recognition import Guidance

    lib = Library.base().only("reverse", "sort", "map")
    model_p = {"reverse": math.log(0.7), "sort": math.log(0.2), "map": math.log(0.05), "$var": math.log(0.05)}
    guidance = Guidance(model_p, {})
    quarter = math.log(0.25)  # the base library is uniform over 3 productions and "$var"
    geometric = guidance.weighted(lib, prior=0.5, mixing="geometric")
    assert geometric.production("reverse").log_weight == pytest.approx(0.5 * math.log(0.7) + 0.5 * quarter)
    linear = guidance.weighted(lib, prior=0.5, mixing="linear")
    assert linear.production("sort").log_weight == pytest.approx(math.log(0.5 * 0.2 + 0.5 * 0.25))
    assert linear.variable_log_weight == pytest.approx(math.log(0.5 * 0.05 + 0.5 * 0.25))
    with pytest.raises(ValueError, match="unknown mixing 'max'"):
        guidance.weighted(lib, mixing="max")
    with pytest.raises(ValueError, match="without its contextual table"):
        guidance.contextual_weights(lib)


def test_features_let_the_model_tell_sorting_from_adding_one():
    """Two families whose examples look alike as tokens (same items, same lengths):
    with the examples' features the model ranks each family's own heads first, by a
    far wider margin than from the tokens alone."""
    rs_solution, inc_solution = parse(r"\x -> reverse (sort x)"), parse(r"\x -> map (\y -> y + 1) x")
    pairs = [(t, rs_solution) for t in _family("rs", lambda xs: sorted(xs)[::-1], 16, 0)]
    pairs += [(t, inc_solution) for t in _family("inc", lambda xs: [x + 1 for x in xs], 16, 1)]
    margins = {}
    for features in (0, 64):
        model = RecognitionModel(LIB.names(), hidden=32, embedding=16, context=16, features=features)
        train_recognition(model, pairs, LIB, epochs=40, batch_size=8, lr=1e-2, seed=0)
        rs = model.predict(_family("rs", lambda xs: sorted(xs)[::-1], 1, 77)[0]).unigram
        inc = model.predict(_family("inc", lambda xs: [x + 1 for x in xs], 1, 78)[0]).unigram
        margins[features] = (rs["sort"] - rs["+"], inc["+"] - inc["sort"])
    assert all(m > 1.0 for m in margins[64])
    assert margins[64][0] > margins[0][0] + 3 and margins[64][1] > margins[0][1] + 3


def test_a_checkpoint_is_refused_with_another_library(trained, tmp_path):
    from neurosym.errors import NeurosymError
    from neurosym.neural.checkpoints import LibraryMismatchError

    model, _, _ = trained
    mine = LIB.with_routines(r"def twice = \x -> x + x;")
    path = save_model(model, tmp_path / "m.pt", mine)
    assert load_model(path, library=mine.with_weights({"twice": -3.0})).names == model.names  # weights may differ
    with pytest.raises(LibraryMismatchError, match=r"m.pt: trained for another library \(this library defines "
                                                   r"twice as \\x -> x \* x, the model's library as \\x -> x \+ x"):
        load_model(path, library=LIB.with_routines(r"def twice = \x -> x * x;"))
    with pytest.raises(NeurosymError, match="this library lacks the routine twice"):
        load_model(path, library=LIB)
    unbound = save_model(model, tmp_path / "u.pt")
    with pytest.raises(LibraryMismatchError, match="does not say which library it was trained for"):
        load_model(unbound, library=LIB)
