"""Short reprs and notebook views: one line for a Library or a SearchResult, small
escaped HTML tables for notebooks."""

from __future__ import annotations

import neurosym as ns
from neurosym.library.store import default_library_path, load_or_base
from neurosym.search.base import SearchResult


def test_library_repr_is_one_short_line():
    shipped = load_or_base(default_library_path())
    text = repr(shipped)
    assert text == (f"Library({len(shipped.productions)} productions, {len(shipped.routines)} routines, "
                    f"version {shipped.version})")
    assert "\n" not in text and len(text) < 80
    base = ns.Library.base()
    assert repr(base) == f"Library({len(base.productions)} productions, 0 routines, version 0)"


def test_library_html_lists_routines_escaped():
    long = " + ".join(["1"] * 60)
    lib = ns.Library.base().with_routines(f"def less = \\x y -> x < y; def long = \\xs -> {long};")
    page = lib._repr_html_()
    assert "<table>" in page and "less" in page and "&lt;" in page and "x < y" not in page
    assert "int -&gt; int -&gt; bool" in page
    long_row = page.split("long")[-1]
    assert "..." in long_row and "1 + 1 + 1" in long_row and long_row.count("1 + ") < 40  # truncated
    assert "<table>" not in ns.Library.base()._repr_html_()  # no routines, no table


def _result(**changes) -> SearchResult:
    fields = dict(task="a<b>", method="enum", program=ns.parse("\\xs -> map (\\x -> x + 1) xs"), solved=True,
                  examples_passed=3, examples_total=3, held_out_accuracy=1.0, candidates=1234, seconds=0.5)
    fields.update(changes)
    return SearchResult(**fields)


def test_search_result_repr_is_one_line():
    text = repr(_result())
    assert text == ("SearchResult(task='a<b>', solved=True, program='\\x -> map (\\y -> y + 1) x', "
                    "candidates=1234, seconds=0.50)")
    long = _result(program=ns.parse("\\x -> " + " + ".join(["x"] * 50)))
    assert "..." in repr(long) and len(repr(long)) < 160
    assert "program=None" in repr(_result(program=None, solved=False))


def test_search_result_html_is_escaped():
    page = _result(first_failure="expected [1] <got> [2]", program_inlined="\\x -> x < 1")._repr_html_()
    assert page.startswith("<table>") and "a&lt;b&gt;" in page and "&lt;got&gt;" in page
    assert "x &lt; 1" in page and "3 / 3" in page and "1,234" in page and "<got>" not in page
