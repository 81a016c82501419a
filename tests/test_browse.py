"""Browsing: find by type, show a routine, the dependency graph, diffs, the drawn graph."""

from __future__ import annotations

from dataclasses import replace

import pytest

from neurosym.lang.parser import parse, parse_type
from neurosym.library import Library
from neurosym.library.browse import diff, draw_graph, find, graph, routines, show
from neurosym.library.compression import learn_abstractions

CORPUS = {
    "add1-rev": r"\xs -> map (\x -> x + 1) (reverse xs)",
    "add2-rev": r"\xs -> map (\x -> x + 2) (reverse xs)",
    "add3-rev": r"\xs -> map (\x -> x + 3) (reverse xs)",
    "sum-add3-rev": r"\xs -> fold (+) 0 (map (\x -> x + 3) (reverse xs))",
}


@pytest.fixture(scope="module")
def learned() -> Library:
    """Two routines learned by compression (the second built on the first), plus `twice`,
    with provenance filled in as a curriculum would."""
    start = Library.base().with_routines(r"def twice = \f x -> f (f x);")
    lib, _, report = learn_abstractions(start, {k: parse(v) for k, v in CORPUS.items()})
    assert report.routines == ("map_add_reverse", "map_add_reverse_by")
    first = replace(lib.routine("map_add_reverse"), produced_by=tuple(CORPUS), used_by=("sum-add3-rev",))
    return replace(lib, routines=tuple(first if r.name == first.name else r for r in lib.routines))


def names(rs) -> list[str]:
    return [r.name for r in rs]


def test_routines_in_library_order(learned):
    assert names(routines(learned)) == ["twice", "map_add_reverse", "map_add_reverse_by"]


def test_find_by_type(learned):
    assert names(find(learned, "(int -> int) -> int -> int")) == ["twice"]  # an instance of twice's type
    assert names(find(learned, "int -> list int -> list int")) == ["map_add_reverse_by"]
    assert names(find(learned, parse_type("list int -> int -> list int"))) == ["map_add_reverse"]
    assert names(find(learned, "a -> a")) == []  # query variables stay fixed
    assert names(find(learned, "list a -> b", match="unifies")) == ["map_add_reverse"]
    assert names(find(learned, "a -> b", match="unifies")) == names(routines(learned))
    with pytest.raises(ValueError, match="match must be"):
        find(learned, "int", match="roughly")  # type: ignore[arg-type]


def test_show_a_learned_routine(learned):
    view = show(learned, "map_add_reverse")
    assert view.definition == ("def map_add_reverse : list int -> int -> list int = "
                               r"\x y -> map (\z -> z + y) (reverse x);")
    assert view.type == "list int -> int -> list int"
    assert view.log_weight == learned.production("map_add_reverse").log_weight
    assert view.uses == ("+", "map", "reverse")
    assert view.dependents == ("map_add_reverse_by",)
    assert view.usage == "map_add_reverse <list int> <int>"
    assert view.example_task == "sum-add3-rev"
    assert view.produced_by == tuple(CORPUS)
    assert show(learned, "twice").example_task is None and show(learned, "twice").dependents == ()
    with pytest.raises(KeyError, match="no routine named 'nope'"):
        show(learned, "nope")


def test_graph_edges_and_kinds(learned):
    g = graph(learned)
    assert set(g.edges) == {("map_add_reverse", "+"), ("map_add_reverse", "map"), ("map_add_reverse", "reverse"),
                            ("map_add_reverse_by", "map_add_reverse")}
    assert g.nodes["twice"]["kind"] == "routine" and g.nodes["map"]["kind"] == "primitive"
    assert g.nodes["map_add_reverse"]["type"] == "list int -> int -> list int"
    assert "fold" not in g  # used by no routine


def test_diff(learned):
    base = Library.base()
    d = diff(base, learned)
    assert d.added == ("twice", "map_add_reverse", "map_add_reverse_by") and d.removed == () and d.changed == ()
    assert {w.name for w in d.reweighted} >= {"map", "+", "$var"}
    assert diff(learned, learned).empty
    redefined = learned.without("twice")
    twice = replace(learned.routine("twice"), body=parse(r"\f x -> f x"))
    redefined = replace(redefined, routines=(twice,) + learned.routines[1:])
    back = diff(learned, redefined)
    assert [c.name for c in back.changed] == ["twice"] and back.productions_removed == ("twice",)
    assert back.changed[0].new_definition == r"def twice : (a -> a) -> a -> a = \x y -> x y;"
    assert diff(learned, base).removed == ("twice", "map_add_reverse", "map_add_reverse_by")
    tiny = learned.with_weights({"map": learned.production("map").log_weight + 1e-9})
    assert [w.name for w in diff(learned, tiny).reweighted] == ["map"]
    assert diff(learned, tiny, tolerance=1e-6).empty


def test_draw_graph_writes_png(learned, tmp_path):
    out = draw_graph(learned, tmp_path / "graph.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    empty = draw_graph(Library.base(), tmp_path / "empty.png")
    assert empty.read_bytes()[:4] == b"\x89PNG"
