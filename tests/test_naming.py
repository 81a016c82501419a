"""Routines named and documented from what they compute (neurosym.library.naming).

Abstraction learning names a routine after its primitives (`fold_add_0`); these tests
pin the docs (a few sample runs in the language's notation) and the behaviour names
(`sum`, `count_eq`, ...) that replace structural names where a routine computes a
known function, that a routine whose runs fail still gets a doc, that names stay
unique, and that `redocument` renames a library's routines consistently.
"""

from __future__ import annotations

import argparse
import io
from dataclasses import replace
from types import SimpleNamespace

import pytest
from rich.console import Console

from neurosym.curriculum.html_report import _library
from neurosym.lang.base import base_dsl
from neurosym.lang.compiler import compile_program
from neurosym.lang.parser import parse
from neurosym.lang.primitives import Limits
from neurosym.lang.printer import format_expr
from neurosym.lang.typecheck import infer_type
from neurosym.library import Library
from neurosym.library.compression import learn_abstractions
from neurosym.library.naming import (
    Sample,
    behaviour_examples,
    behaviour_name,
    describe,
    doc_line,
    redocument,
    unique_name,
)
from neurosym.library.store import default_library_path, load_library, save_library
from neurosym.library_cli import add_library_commands

DSL = base_dsl()
PRIMITIVES = set(Library.base().names())


def named(text: str, taken=PRIMITIVES, library=None) -> tuple[str | None, str]:
    """(behaviour name, doc) of the routine `text`, typed in the base language."""
    body = parse(text)
    env = library.env() if library is not None else DSL.env()
    return describe(body, infer_type(body, env), DSL, library, taken)


@pytest.mark.parametrize("text, name, doc", [
    (r"\xs -> fold (+) 0 xs", "sum", "[3, 1, 2] -> 6; [5, 0, 4, 4] -> 13; [] -> 0"),
    (r"\xs -> fold (\x acc -> x * acc) 1 xs", "product", "[3, 1, 2] -> 6; [5, 0, 4, 4] -> 0; [] -> 1"),
    (r"\k xs -> length (filter (\y -> y == k) xs)", "count_eq", "2 [3, 1, 2] -> 1; 4 [5, 0, 4, 4] -> 2; 0 [] -> 0"),
    (r"\k xs -> filter (\y -> not (y < k)) xs", "filter_ge",
     "2 [3, 1, 2] -> [3, 2]; 4 [5, 0, 4, 4] -> [5, 4, 4]; 0 [] -> []"),
    (r"\k -> filter ((<) k)", "filter_gt", "2 [3, 1, 2] -> [3]; 4 [5, 0, 4, 4] -> [5]; 0 [] -> []"),
    (r"\k xs -> filter (\y -> y % k == 0) xs", "filter_mod_eq",
     "2 [3, 1, 2] -> [2]; 4 [5, 0, 4, 4] -> [0, 4, 4]; 0 [] -> []"),
    (r"\k xs -> map (\y -> y + k) xs", "map_add", "2 [3, 1, 2] -> [5, 3, 4]; 4 [5, 0, 4, 4] -> [9, 4, 8, 8]; 0 [] -> []"),
    (r"\xs -> zip_with (*) xs xs", "square_each", "[3, 1, 2] -> [9, 1, 4]; [5, 0, 4, 4] -> [25, 0, 16, 16]; [] -> []"),
    # [] faults: not shown; a third distinct output before a repeated one
    (r"\xs -> head (sort xs)", "min", "[3, 1, 2] -> 1; [5, 0, 4, 4] -> 0; [2, 7, 6, 3, 6] -> 2"),
    # learned by bench_library as `filter_lt_0`, `eq_mod` and `filter_eq_mod_2`
    (r"\x -> filter (\y -> 0 < y % x)", "filter_mod_ne",
     "2 [3, 1, 2] -> [3, 1]; 4 [5, 0, 4, 4] -> [5]; 0 [] -> []"),
    (r"\x y z -> y == z % x", "mod_eq", "2 2 2 -> false; 4 4 4 -> false; 2 0 2 -> true"),
    (r"\x -> filter (\y -> y % 2 == x)", "filter_parity",
     "2 [3, 1, 2] -> []; 1 [1] -> [1]; 0 [3, 1, 2] -> [2]"),
    (r"\f xs -> length (filter f xs)", "count_if",
     r"(\x -> 2 < x) [3, 1, 2] -> 1; (\x -> x % 2 == 0) [5, 0, 4, 4] -> 3; (\x -> x == 1) [] -> 0"),
    (r"\f y -> f (head y) (head (reverse y))", "combine_first_last",
     r"(\x y -> x + y) [3, 1, 2] -> 5; (\x y -> x - y) [5, 0, 4, 4] -> 1; (\x y -> x + y) [1] -> 2"),
    (r"\x y -> 1 == length (filter (\z -> z == x) y)", "occurs_once",
     "2 [3, 1, 2] -> true; 4 [5, 0, 4, 4] -> false; 0 [] -> false"),
])
def test_a_routine_that_computes_a_known_function_is_named_after_it(text, name, doc):
    assert named(text) == (name, doc)


def test_a_routine_that_matches_nothing_has_no_behaviour_name_but_a_doc():
    assert named(r"\xs -> map (\x -> x + 1) (reverse xs)") == (
        None, "[3, 1, 2] -> [3, 2, 4]; [5, 0, 4, 4] -> [5, 5, 1, 6]; [] -> []")
    assert named(r"\x y -> x 1 y") == (None, r"(\x y -> x + y) 2 -> 3; (\x y -> x - y) 4 -> -3; (\x y -> x * y) 0 -> 0")


def test_the_three_functions_agree_with_describe():
    body = parse(r"\xs -> fold (+) 0 xs")
    t = infer_type(body, DSL.env())
    assert behaviour_name(body, t, DSL) == "sum"
    assert doc_line(body, t, DSL, n=2) == "[3, 1, 2] -> 6; [5, 0, 4, 4] -> 13"
    assert behaviour_examples(body, t, DSL, n=2) == [(((3, 1, 2),), 6), (((5, 0, 4, 4),), 13)]
    (inputs, output), = behaviour_examples(parse(r"\f xs -> map f xs"), infer_type(parse(r"\f xs -> map f xs"),
                                                                                  DSL.env()), DSL, n=1)
    assert isinstance(inputs[0], Sample) and inputs[0].text == r"\x -> x + 1" and output == (4, 2, 3)


@pytest.mark.parametrize("text, doc", [
    (r"\xs -> head (tail (tail (tail (tail (tail (tail xs))))))", "fails on every sample input (tail of the empty list)"),
    (r"\n -> loop 1000000 (\x -> x + 1) n", "fails on every sample input (step budget of 10000 exceeded)"),
    (r"\k -> 1 / (k - k)", "fails on every sample input (division by zero)"),
])
def test_a_routine_whose_runs_all_fail_gets_a_doc_saying_so(text, doc):
    assert named(text) == (None, doc)


def test_no_exception_escapes_where_nothing_can_be_run():
    image_type = DSL.parse_type("image -> int")
    assert describe(parse(r"\x -> 1"), image_type, DSL) == (None, "no sample inputs of type image")
    name, doc = describe(parse("missing_routine 1"), DSL.parse_type("int"), DSL)  # names no known routine
    assert name is None and doc.startswith("cannot be run: ")
    assert describe(parse("3"), DSL.parse_type("int"), DSL) == (None, "= 3")  # no parameters: its value


def test_names_stay_unique():
    assert unique_name("sum", set()) == "sum"
    assert unique_name("sum", {"sum"}) == "sum_by" and unique_name("sum", {"sum", "sum_by"}) == "sum_by_2"
    assert named(r"\xs -> fold (+) 0 xs", taken={"sum"})[0] == "sum_by"
    # computes the primitive `reverse`: named as a variant of it, as the structural names are
    assert named(r"\xs -> fold (\x acc -> append acc [x]) [] xs")[0] == "reverse_by"


def test_abstraction_learning_names_by_behaviour_and_documents_every_routine():
    corpus = {"c1": r"\xs -> length (filter (\x -> x == 1) xs)", "c2": r"\xs -> length (filter (\x -> x == 2) xs)",
              "c3": r"\xs -> length (filter (\x -> x == 3) xs)", "g1": r"\xs -> length (filter (\x -> 1 < x) xs)",
              "g2": r"\xs -> length (filter (\x -> 2 < x) xs)"}
    lib, rewritten, report = learn_abstractions(Library.base(), {k: parse(v) for k, v in corpus.items()})
    assert report.routines == ("count_if", "count_eq")
    assert format_expr(lib.routine("count_eq").body) == r"\x -> count_if (\y -> y == x)"  # uses the new name
    assert lib.routine("count_eq").doc == "2 [3, 1, 2] -> 1; 4 [5, 0, 4, 4] -> 2; 0 [] -> 0"
    assert format_expr(rewritten["c3"]) == "count_eq 3"


def test_abstraction_learning_keeps_structural_names_where_nothing_matches():
    corpus = {"add1-rev": r"\xs -> map (\x -> x + 1) (reverse xs)", "add2-rev": r"\xs -> map (\x -> x + 2) (reverse xs)",
              "add3-rev": r"\xs -> map (\x -> x + 3) (reverse xs)"}
    lib, _, report = learn_abstractions(Library.base(), {k: parse(v) for k, v in corpus.items()})
    assert report.routines == ("map_add_reverse",)
    assert lib.routine("map_add_reverse").doc == "2 [3, 1, 2] -> [4, 3, 5]; 4 [5, 0, 4, 4] -> [8, 8, 4, 9]; 0 [] -> []"


ROUTINES = r"""
def length_filter = \f xs -> length (filter f xs);
def length_filter_eq = \k -> length_filter (\y -> y == k);
def length_filter_plus = \f xs -> length_filter f xs + 1;
def twice = \f x -> f (f x);
"""


def test_redocument_renames_a_routine_and_its_users():
    lib = Library.base().with_routines(ROUTINES, log_weight=-2.5)
    lib = replace(lib, routines=tuple(replace(r, used_by=("count-3",), produced_by=("count-3", "count-4"))
                                      for r in lib.routines), version=7)
    new = redocument(lib)
    assert [r.name for r in new.routines] == ["count_if", "count_eq", "count_if_plus", "twice"]
    # bodies follow the renames; a structural name that mentions a renamed routine follows it
    assert format_expr(new.routine("count_eq").body) == r"\x -> count_if (\y -> y == x)"
    assert format_expr(new.routine("count_if_plus").body) == r"\x y -> count_if x y + 1"
    assert new.routine("twice").doc == r"(\x -> x + 1) 2 -> 4; (\x -> x * 2) 4 -> 16; (\x -> x) 0 -> 0"
    assert new.routine("count_eq").doc == "2 [3, 1, 2] -> 1; 4 [5, 0, 4, 4] -> 2; 0 [] -> 0"
    # productions, weights, types and provenance are kept under the new names
    assert new.production("count_eq").log_weight == -2.5 and "length_filter" not in new.names()
    assert all(r.used_by == ("count-3",) and r.produced_by == ("count-3", "count-4") for r in new.routines)
    assert [r.type for r in new.routines] == [r.type for r in lib.routines] and new.version == 7
    run = compile_program(parse("count_eq 4"), Limits(), new.routine_values(Limits())).run((4, 1, 4))
    assert run.value == 2
    assert redocument(new) == new  # already named and documented: nothing changes


def test_redocument_the_shipped_library_round_trips_through_the_store(tmp_path):
    shipped = load_library(default_library_path())
    new = redocument(shipped)
    assert {"contains", "count_eq", "snoc", "sort_desc", "sum", "take_drop"} <= {r.name for r in new.routines}
    assert all(r.doc for r in new.routines) and len(new.routines) == len(shipped.routines)
    assert redocument(new) == new
    back = load_library(save_library(new, tmp_path / "lib"))
    assert back == new and back.routine("snoc").doc == "2 [3, 1, 2] -> [3, 1, 2, 2]; 4 [5, 0, 4, 4] -> [5, 0, 4, 4, 4]; 0 [] -> [0]"
    assert back.routine("reverse_fold_cons").doc.startswith(
        "(\\x -> length x) (\\x y -> x + y) [3, 1, 2] -> [3, 2, 4]; ")


def test_the_doc_is_shown_by_library_list_show_and_the_report(tmp_path):
    lib = redocument(Library.base().with_routines(ROUTINES))
    store = save_library(lib, tmp_path / "lib")
    parser = argparse.ArgumentParser(prog="neurosym")
    add_library_commands(parser.add_subparsers(dest="command", required=True))
    for argv in (["library", "list"], ["library", "show", "count_eq"]):
        args = parser.parse_args(argv + ["--library", str(store)])
        out = io.StringIO()
        assert args.run(args, Console(file=out, width=300, color_system=None)) == 0
        assert "2 [3, 1, 2] -> 1; 4 [5, 0, 4, 4] -> 2; 0 [] -> 0" in out.getvalue()
    page = _library(SimpleNamespace(library=lib))  # type: ignore[arg-type]
    assert "<th>what it does</th>" in page and "2 [3, 1, 2] -&gt; 1; 4 [5, 0, 4, 4] -&gt; 2; 0 [] -&gt; 0" in page
