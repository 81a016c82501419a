"""Built-in domains: every task builds, its reference solution type-checks and passes all
training and held-out examples, held-out inputs are longer (or larger), and everything
is reproducible from a seed."""

from __future__ import annotations

import itertools
import random
from functools import lru_cache

import pytest

from neurosym.domains import formal
from neurosym.domains.formal import JOULIN_MIKOLOV, RECOGNIZERS, formal_language_task, is_member
from neurosym.domains.lists import dreamcoder_list_tasks
from neurosym.domains.registry import DOMAINS, get_domain, reference_solutions
from neurosym.lang.program import load_program
from neurosym.task import Task

BUILT_IN = ("lists", "formal", "integers")


@lru_cache(maxsize=None)
def _tasks(domain: str, seed: int = 0) -> tuple[Task, ...]:
    return tuple(get_domain(domain, seed=seed))


def _cases() -> list[tuple[str, str]]:
    return [(d, t.name) for d in BUILT_IN for t in _tasks(d)]


def _size(value: object) -> int:
    """A list's length, an int's magnitude."""
    return len(value) if isinstance(value, tuple) else abs(value)  # type: ignore[arg-type]


def test_domains_build_with_unique_names() -> None:
    assert set(DOMAINS) == {"lists", "dreamcoder", "formal", "integers", "text"}  # text: tests/test_text_domain.py
    counts = {d: len(_tasks(d)) for d in BUILT_IN}
    assert counts["lists"] >= 80
    assert counts["formal"] == 8
    assert counts["integers"] >= 8
    for d in BUILT_IN:
        names = [t.name for t in _tasks(d)]
        assert len(names) == len(set(names))
        assert set(names) == set(reference_solutions(d))


def test_unknown_domain_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="lists.*dreamcoder.*formal.*integers.*text"):
        get_domain("nope")
    with pytest.raises(ValueError, match="valid domains"):
        reference_solutions("nope")


@pytest.mark.parametrize("domain,name", _cases())
def test_reference_solution_passes_everything(domain: str, name: str) -> None:
    task = next(t for t in _tasks(domain) if t.name == name)
    text = reference_solutions(domain)[name]
    program = load_program(text)
    program.check(task.type)
    score = task.score(program.compile())
    assert task.held_out, f"{name} has no held-out examples"
    assert score.passed == score.total and score.held_out_passed == score.held_out_total, (
        f"{domain}/{name}: `{text}`: {score.first_failure}"
    )


@pytest.mark.parametrize("domain", BUILT_IN)
def test_held_out_inputs_are_longer(domain: str) -> None:
    for task in _tasks(domain):
        train = [max(_size(v) for v in e.inputs) for e in task.examples]
        held = [max(_size(v) for v in e.inputs) for e in task.held_out]
        if domain == "formal":  # near misses may lose a symbol: compare sizes, not every word
            assert min(held) >= max(train) and max(held) > max(train), task.name
        else:
            assert min(held) > max(train), task.name


def test_training_sets_are_small() -> None:
    for task in _tasks("lists"):
        assert 8 <= len(task.examples) <= 12 and 5 <= len(task.held_out) <= 10, task.name
        assert all(len(e.inputs[0]) <= 6 for e in task.examples), task.name
        assert all(10 <= len(e.inputs[0]) <= 30 for e in task.held_out), task.name
    for task in _tasks("formal"):
        assert len(task.examples) <= 20, task.name


@pytest.mark.parametrize("domain", BUILT_IN)
def test_same_seed_same_tasks_other_seed_other_examples(domain: str) -> None:
    again = tuple(get_domain(domain, seed=0))
    assert again == _tasks(domain, 0)
    other = _tasks(domain, 1)
    assert [t.name for t in other] == [t.name for t in again]
    differ = sum(a.examples != b.examples for a, b in zip(again, other))
    assert differ >= len(again) * 0.9


def test_boolean_tasks_have_both_answers() -> None:
    for domain in BUILT_IN:
        for task in _tasks(domain):
            outputs = {e.output for e in task.examples}
            if isinstance(next(iter(outputs)), bool):
                assert outputs == {True, False}, task.name


def test_recognisers_train_on_small_n_with_positives_and_negatives() -> None:
    for task in _tasks("formal"):
        if task.name in RECOGNIZERS:
            assert any(e.output is True for e in task.examples)
            assert any(e.output is False for e in task.examples)


@pytest.mark.parametrize("name", RECOGNIZERS)
def test_recogniser_examples_agree_with_membership(name: str) -> None:
    rng = random.Random(0)
    for n in range(1, 12):
        assert is_member(name, formal.recognizer_examples(name, n, True, rng))
        assert not is_member(name, formal.recognizer_examples(name, n, False, rng))


def _exhaustive(name: str, max_len: int) -> None:
    """The reference recogniser agrees with the Python definition on every short word."""
    program = load_program(formal.PROGRAMS[name]).compile()
    alphabet = range(2 if name == "dyck" else 4)
    for length in range(max_len + 1):
        for word in itertools.product(alphabet, repeat=length):
            result = program.run(word)
            assert result.ok and result.value == is_member(name, list(word)), (name, word)


@pytest.mark.parametrize("name", RECOGNIZERS)
def test_recogniser_exhaustive_on_short_words(name: str) -> None:
    _exhaustive(name, 10 if name == "dyck" else 5)


def test_rpn_encoding() -> None:
    tokens = [3, 4, formal.PLUS, 2, formal.TIMES, 1, formal.MINUS]  # (3 + 4) * 2 - 1
    assert formal.evaluate_rpn(tokens) == 13
    program = load_program(formal.PROGRAMS["rpn-eval"]).compile()
    assert program.run(tuple(tokens)).value == 13


def test_formal_task_sizes_follow_arguments() -> None:
    task = formal_language_task("anbn", max_train_n=3, test_ns=[7], n_train=10, seed=4)
    assert len(task.examples) <= 10
    assert all(len(e.inputs[0]) <= 7 for e in task.examples)
    assert sorted(len(e.inputs[0]) for e in task.held_out)[-1] >= 14
    with pytest.raises(ValueError, match="anbn"):
        formal_language_task("no-such-language")


def test_dreamcoder_domain_loads_as_is() -> None:
    tasks = get_domain("dreamcoder")
    assert len(tasks) > 100 and not any(t.held_out for t in tasks)
    refs = reference_solutions("dreamcoder")
    assert len(refs) >= 0.9 * len(tasks)


def test_dreamcoder_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="list_tasks.json"):
        dreamcoder_list_tasks(tmp_path / "list_tasks.json")


@pytest.mark.slow
@pytest.mark.parametrize("name", JOULIN_MIKOLOV)
def test_joulin_mikolov_recognisers_up_to_100(name: str) -> None:
    task = formal_language_task(name, test_ns=range(1, 101))
    score = task.score(load_program(formal.PROGRAMS[name]).compile())
    assert score.solved and score.held_out_passed == score.held_out_total == 200, score.first_failure
    _exhaustive(name, 7)
