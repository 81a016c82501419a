"""The built-in task sets by name, and their reference solutions.

An explicit table rather than a global registry that modules add themselves to: the
set of domains is visible in one place and importing a module has no side effects.
"""

from __future__ import annotations

from typing import Callable

from neurosym.errors import NotFound
from neurosym.domains import formal, integers, lists, text_tasks
from neurosym.domains.reference import reference_program
from neurosym.domains.text import text_dsl
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL
from neurosym.task import Task


def _dreamcoder(seed: int = 0) -> list[Task]:
    """DreamCoder's tasks are fixed data; the seed is accepted for a uniform signature."""
    return lists.dreamcoder_list_tasks()


DOMAINS: dict[str, Callable[..., list[Task]]] = {
    "lists": lists.list_tasks,
    "dreamcoder": _dreamcoder,
    "formal": formal.formal_tasks,
    "integers": integers.integer_tasks,
    "text": text_tasks.text_tasks,
}

#: the language of each domain that is not the base language (a library for its
#: tasks must be built over it: `Library.base(dsl=domain_dsl(name))`)
DOMAIN_DSLS: dict[str, Callable[[], DSL]] = {
    "text": text_dsl,
}


def get_domain(name: str, seed: int = 0) -> list[Task]:
    """The tasks of a built-in domain, reproducible from `seed`."""
    if name not in DOMAINS:
        raise NotFound(f"unknown domain {name!r}; valid domains: {', '.join(DOMAINS)}")
    return DOMAINS[name](seed=seed)


def domain_dsl(name: str) -> DSL:
    """The language a domain's tasks and reference solutions are written in."""
    if name not in DOMAINS:
        raise NotFound(f"unknown domain {name!r}; valid domains: {', '.join(DOMAINS)}")
    return DOMAIN_DSLS.get(name, base_dsl)()


def reference_solutions(domain: str) -> dict[str, str]:
    """Task name -> reference program text, for every task of `domain` that has one."""
    if domain == "lists":
        return lists.reference_solutions()
    if domain == "formal":
        return formal.reference_solutions()
    if domain == "integers":
        return integers.reference_solutions()
    if domain == "text":
        return text_tasks.reference_solutions()
    if domain == "dreamcoder":
        programs = {task.name: reference_program(task.name) for task in _dreamcoder()}
        return {name: text for name, text in programs.items() if text is not None}
    raise NotFound(f"unknown domain {domain!r}; valid domains: {', '.join(DOMAINS)}")
