"""Base primitives vs a library on collections it never saw (neurosym.curriculum.transfer)."""

from neurosym.curriculum.transfer import CollectionFigures, compare_on_collections, fewer_than_base, figures_line
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.task import Task

LIBRARY = Library.base().with_routines(r"def count_eq = \k xs -> length (filter (\y -> y == k) xs);")
LISTS = [[3, 1, 3], [3, 3, 3, 0], [], [5, 2], [3, 4, 5, 3, 3]]
COLLECTIONS = {
    "counts": [Task.from_examples("count-3", [(xs, xs.count(3)) for xs in LISTS]),
               Task.from_examples("count-5", [(xs, xs.count(5)) for xs in LISTS])],
    "plain": [Task.from_examples("length", [(xs, len(xs)) for xs in LISTS])],
}


def test_the_library_gains_what_its_routine_makes_cheap_and_the_line_says_so():
    messages = []
    figures = compare_on_collections(LIBRARY, COLLECTIONS, Budget(seconds=None, candidates=2000),
                                     on_event=messages.append)
    assert figures == {"counts": CollectionFigures(2, 0, 2, (), ("count-3", "count-5")),
                       "plain": CollectionFigures(1, 1, 1, (), ())}
    assert messages == ["counts: base 0/2, library 2/2; lost [], gained ['count-3', 'count-5']",
                        "plain: base 1/1, library 1/1; lost [], gained []"]
    assert figures_line(figures, "unseen") == ("unseen_solved_base=1/3 unseen_solved_library=3/3 "
                                               "(counts 0->2/2, plain 1->1/1)")
    assert fewer_than_base(figures) == []
    assert figures["counts"].to_json() == {"tasks": 2, "base": 0, "library": 2, "lost": [],
                                           "gained": ["count-3", "count-5"], "failed": []}


def test_a_collection_the_library_solves_less_of_is_named():
    figures = {"a": CollectionFigures(3, 2, 2, ("x",), ("y",)), "b": CollectionFigures(3, 2, 1, ("x",), ())}
    assert fewer_than_base(figures) == ["b"]


def test_searches_without_a_result_are_named_and_marked_in_the_line(monkeypatch):
    import neurosym.curriculum.transfer as transfer
    from neurosym.search.base import SearchResult

    real_solve = transfer.solve

    def solve_with_a_dead_worker(tasks, library, **kw):
        out = real_solve(tasks, library=library, **kw)
        if library.routines:  # the library side: its count-5 worker "died"
            out = [SearchResult(r.task, r.method, None, False, 0, r.examples_total, None, 0, 0.0,
                                ("no result: worker died (exit code -9)",)) if r.task == "count-5" else r for r in out]
        return out

    monkeypatch.setattr(transfer, "solve", solve_with_a_dead_worker)
    messages = []
    figures = compare_on_collections(LIBRARY, {"counts": COLLECTIONS["counts"]}, Budget(seconds=None, candidates=2000),
                                     on_event=messages.append)
    assert figures["counts"] == CollectionFigures(2, 0, 1, (), ("count-3",), ("library:count-5",))
    assert messages == ["counts: base 0/2, library 1/2; lost [], gained ['count-3']; "
                        "no result (counted unsolved) ['library:count-5']"]
    assert figures_line(figures, "unseen") == ("unseen_solved_base=0/2 unseen_solved_library=1/2 "
                                               "(counts 0->1/2, 1 without result)")
    assert figures["counts"].to_json()["failed"] == ["library:count-5"]
