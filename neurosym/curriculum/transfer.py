"""Does a learned library help on tasks it never saw? Base primitives and the library,
side by side, on collections outside its curriculum, at one budget.

A library adds productions, so a program of primitives alone comes later with it than
without: on unlike tasks it can cost. This comparison is how that is measured (by
bench_library.py's --transfer and by the shipped library's rebuild, which refuses to
install a library that solves fewer than the base primitives).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.solve import solve
from neurosym.task import Task


@dataclass(frozen=True)
class CollectionFigures:
    """One collection: how many tasks each side solved, which the library lost or gained,
    and which searches gave no result at all (a worker killed or timed out: counted as
    unsolved, so a figure with any is not clean)."""

    tasks: int
    base: int
    library: int
    lost: tuple[str, ...]
    gained: tuple[str, ...]
    #: "base:<task>" or "library:<task>" for each search that gave no result
    failed: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"tasks": self.tasks, "base": self.base, "library": self.library, "lost": list(self.lost),
                "gained": list(self.gained), "failed": list(self.failed)}


def compare_on_collections(library: Library, collections: Mapping[str, Sequence[Task]], budget: Budget,
                           method: object = "enum", seed: int = 0, jobs: int = 1,
                           on_event: Callable[[str], None] = lambda message: None) -> dict[str, CollectionFigures]:
    """Each collection searched with `library`'s DSL's base primitives and with `library`,
    same method, budget and seed; a line per collection goes to `on_event`."""
    base = Library.base(dsl=library.dsl)
    figures = {}
    for name, tasks in collections.items():
        solved, failed = {}, []
        for label, lib in (("base", base), ("library", library)):
            out = solve(list(tasks), method=method, budget=budget, seed=seed, library=lib, jobs=jobs)  # type: ignore[arg-type]
            solved[label] = {r.task for r in out if r.solved}
            failed += [f"{label}:{r.task}" for r in out if r.trace[:1] and r.trace[0].startswith("no result:")]
        figures[name] = CollectionFigures(len(tasks), len(solved["base"]), len(solved["library"]),
                                          tuple(sorted(solved["base"] - solved["library"])),
                                          tuple(sorted(solved["library"] - solved["base"])), tuple(failed))
        f = figures[name]
        on_event(f"{name}: base {f.base}/{f.tasks}, library {f.library}/{f.tasks}; lost {list(f.lost)}, "
                 f"gained {list(f.gained)}" + (f"; no result (counted unsolved) {list(f.failed)}" if f.failed else ""))
    return figures


def figures_line(figures: Mapping[str, CollectionFigures], prefix: str) -> str:
    """`<prefix>_solved_base=<n>/<N> <prefix>_solved_library=<n>/<N> (name a->b/N, ...)`,
    with `, k without result` after a collection where searches gave none."""
    total = sum(f.tasks for f in figures.values())
    detail = ", ".join(f"{n} {f.base}->{f.library}/{f.tasks}" + (f", {len(f.failed)} without result" if f.failed else "")
                       for n, f in figures.items())
    return (f"{prefix}_solved_base={sum(f.base for f in figures.values())}/{total} "
            f"{prefix}_solved_library={sum(f.library for f in figures.values())}/{total} ({detail})")


def fewer_than_base(figures: Mapping[str, CollectionFigures]) -> list[str]:
    """The collections on which the library solves fewer tasks than the base primitives."""
    return [name for name, f in figures.items() if f.library < f.base]
