"""Every reference solution parses, has its task's type and passes all its examples.

This keeps dsl/reference/dreamcoder_lists.toml honest as the DSL evolves, and checks
that the language can express (nearly) the whole DreamCoder list benchmark.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from conftest import DREAMCODER_TASKS as LIST_TASKS
from neurosym.domains.reference import (
    family_of,
    instantiate,
    load_reference_solutions,
    reference_program,
    unsolved_families,
)
from neurosym.lang.compiler import compile_program
from neurosym.lang.parser import parse
from neurosym.lang.base import base_dsl
from neurosym.lang.typecheck import check_type
from neurosym.task import Task
from neurosym.task_io import load_tasks



@lru_cache(maxsize=1)
def _tasks() -> dict[str, Task]:
    return {t.name: t for t in load_tasks(LIST_TASKS)}


def _covered_names() -> list[str]:
    if not LIST_TASKS.is_file():
        return []
    return [name for name in _tasks() if reference_program(name) is not None]


def test_family_of() -> None:
    assert family_of("add-k with k=3") == ("add-k", {"k": 3})
    assert family_of("slice-k-n with k=2 and n=5") == ("slice-k-n", {"k": 2, "n": 5})
    assert family_of("sort") == ("sort", {})
    assert family_of("add-k with k=-2") == ("add-k", {"k": -2})


def test_negative_parameters_use_literal_form() -> None:
    text = instantiate(load_reference_solutions()["add-k"], {"k": -3})
    assert "(-3)" in text
    assert parse(text) == parse("map (\\x -> x + (-3))")


def test_unknown_family_has_no_reference() -> None:
    assert reference_program("no-such-family with k=1") is None


def test_solved_and_unsolved_are_disjoint() -> None:
    assert not set(load_reference_solutions()) & set(unsolved_families())


def test_enough_families_covered() -> None:
    families = {family_of(name)[0] for name in _tasks()}
    solved = set(load_reference_solutions())
    assert not solved - families, f"reference solutions for unknown families: {sorted(solved - families)}"
    assert not set(unsolved_families()) - families
    covered = families & solved
    assert len(covered) >= 45, f"only {len(covered)} families covered"
    assert families <= solved | set(unsolved_families()), "every family is either solved or listed as unsolved"


@pytest.mark.parametrize("name", _covered_names())
def test_reference_solves_task(name: str) -> None:
    task = _tasks()[name]
    text = reference_program(name)
    assert text is not None
    expr = parse(text)
    check_type(expr, task.type, base_dsl().env())
    score = task.score(compile_program(expr))
    assert score.passed == score.total, f"{name}: `{text}` passes {score.passed}/{score.total}; {score.first_failure}"
