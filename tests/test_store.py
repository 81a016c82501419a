"""The library store: exact round trips, atomic and locked writes, damage refused by name."""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neurosym.lang.ast import App, Lam, Prim, Var
from neurosym.lang.base import base_dsl
from neurosym.lang.typecheck import infer_type
from neurosym.lang.types import is_arrow
from neurosym.library import Library, Production, Routine
from neurosym.library.store import (
    StoreError,
    copy_library,
    default_library_path,
    load_library,
    load_or_base,
    save_library,
    update_library,
)
from strategies import well_typed_programs

ROUTINES = r"""
def count : int -> list int -> int = \k xs -> length (filter (\y -> y == k) xs);
def twice = \f x -> f (f x);
def count_twice = \k xs -> count k xs + count k xs;
"""

weights = st.floats(allow_nan=False, allow_infinity=False)  # the store refuses NaN and infinities
task_names = st.text(min_size=1, max_size=12)


@st.composite
def libraries(draw) -> Library:
    """Base library plus random routines (random well-typed programs, or routines built on
    earlier ones), random weights, provenance and versions; sometimes productions removed."""
    base = Library.base()
    env = dict(base.env())
    made: list[Routine] = []
    for i in range(draw(st.integers(0, 4))):
        name = f"r{i}_" + draw(st.from_regex(r"[a-z0-9_]{0,6}", fullmatch=True))
        earlier = [r for r in made if is_arrow(r.type)]
        if earlier and draw(st.booleans()):
            body = Lam(App(Prim(draw(st.sampled_from(earlier)).name), Var(0)))
        else:
            body = draw(well_typed_programs(max_depth=3))
        env[name] = t = infer_type(body, env)
        made.append(Routine(name, body, t, doc=draw(st.text(max_size=30)),
                            produced_by=tuple(draw(st.lists(task_names, max_size=3))),
                            used_by=tuple(draw(st.lists(task_names, max_size=3))),
                            created=draw(st.text(max_size=20)), version=draw(st.integers(1, 50))))
    lib = replace(base, productions=base.productions + tuple(Production(r.name, Prim(r.name), r.type) for r in made),
                  routines=tuple(made), version=draw(st.integers(0, 10**6)))
    names = lib.names()
    chosen = draw(st.lists(weights, min_size=len(names), max_size=len(names)))
    lib = lib.with_weights(dict(zip(names, chosen)), variable=draw(weights))
    if draw(st.booleans()):
        lib = lib.without(*draw(st.sets(st.sampled_from(names), max_size=5)))
    return lib


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(libraries())
def test_load_save_round_trips_exactly(lib):
    with tempfile.TemporaryDirectory() as tmp:
        save_library(lib, tmp)
        back = load_library(tmp)
        assert back == lib
        assert [p.log_weight for p in back.productions] == [p.log_weight for p in lib.productions]
        first = {f: (Path(tmp) / f).read_bytes() for f in files_under(Path(tmp))}
        save_library(back, tmp)  # deterministic: saving again changes no byte
        assert {f: (Path(tmp) / f).read_bytes() for f in files_under(Path(tmp))} == first
        assert not [f for f in first if f.endswith(".tmp")]


@pytest.fixture
def lib() -> Library:
    lib = Library.base().with_routines(ROUTINES, log_weight=-1.5)
    first = replace(lib.routines[0], doc="How often k occurs.", produced_by=("count-3", "count-5"),
                    used_by=("count-3",), created="2024-05-01", version=2)
    return replace(lib, routines=(first,) + lib.routines[1:], version=7)


@pytest.fixture
def store(tmp_path, lib) -> Path:
    return save_library(lib, tmp_path / "lib")


def test_files_are_readable(store, lib):
    index = json.loads((store / "index.json").read_text())
    assert index["schema"] == 1 and index["dsl_version"] == base_dsl().version and index["version"] == 7
    assert [p["name"] for p in index["productions"]] == lib.names()
    entry = index["routines"][0]
    assert entry["file"] == "routines/count.ns" and entry["produced_by"] == ["count-3", "count-5"]
    text = (store / "routines" / "count.ns").read_text()
    assert "# produced by: count-3, count-5" in text
    assert text.rstrip().endswith(r"def count : int -> list int -> int = \x y -> length (filter (\z -> z == x) y);")


def test_atomic_write_leaves_no_temp_files_and_keeps_the_old_store_on_failure(store, lib, monkeypatch):
    assert files_under(store) == [".lock", "index.json", "routines/count.ns", "routines/count_twice.ns",
                                  "routines/twice.ns"]
    before = (store / "index.json").read_bytes()
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith("index.json"):
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        save_library(lib.with_weights({"map": -9.0}), store)
    monkeypatch.undo()
    assert (store / "index.json").read_bytes() == before
    assert not [f for f in files_under(store) if f.endswith(".tmp")]
    assert load_library(store) == lib


def test_removed_routines_lose_their_files(store, lib):
    smaller = replace(lib, routines=lib.routines[:1], productions=lib.without("twice", "count_twice").productions)
    save_library(smaller, store)
    assert files_under(store / "routines") == ["count.ns"]
    assert load_library(store) == smaller


def _add_routines(folder: str, writer: int, n: int) -> None:
    for i in range(n):
        update_library(folder, lambda lib: lib.with_routines(f"def w{writer}_{i} = \\x -> x + {i};"))


def test_two_writers_at_once_lose_nothing(tmp_path):
    folder = str(tmp_path / "common")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_routines, args=(folder, w, 20)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=180)
        assert p.exitcode == 0
    names = {r.name for r in load_library(folder).routines}
    assert names == {f"w{w}_{i}" for w in (1, 2) for i in range(20)}


def test_update_library_starts_from_base_and_checks_fn(tmp_path):
    grown = update_library(tmp_path / "new", lambda lib: lib.with_routines(r"def inc = \x -> x + 1;"))
    assert load_library(tmp_path / "new") == grown
    with pytest.raises(TypeError, match="not a Library"):
        update_library(tmp_path / "new", lambda lib: None)  # type: ignore[arg-type,return-value]


def test_empty_folder_is_the_base_library(tmp_path):
    assert load_or_base(tmp_path) == Library.base()
    with pytest.raises(StoreError, match="no index.json"):
        load_library(tmp_path)
    assert default_library_path().name == "library"
    assert isinstance(load_or_base(default_library_path()), Library)


def _edit(path: Path, fn) -> None:
    path.write_text(fn(path.read_text()))


def _set_index(key: str, value):
    def change(text: str) -> str:
        data = json.loads(text)
        data[key] = value
        return json.dumps(data)
    return change


@pytest.mark.parametrize("damage, file, message", [
    (lambda s: _edit(s / "index.json", lambda t: t[: len(t) // 2]), "index.json", "not valid JSON at line"),
    (lambda s: _edit(s / "routines/twice.ns", lambda t: t.replace(" = ", " = = ")), "routines/twice.ns",
     "does not parse: line"),
    (lambda s: _edit(s / "routines/count.ns", lambda t: t.replace("z == x", "z < x")), "routines/count.ns",
     "body differs from the one index.json records"),
    (lambda s: _edit(s / "routines/count.ns", lambda t: t.replace("count : int ->", "count : bool ->")),
     "routines/count.ns", "declares type bool -> list int -> int but index.json says int -> list int -> int"),
    (lambda s: _edit(s / "index.json", _set_index("schema", 2)), "index.json",
     "written with store schema 2, this neurosym reads schema 1"),
    (lambda s: _edit(s / "index.json", _set_index("dsl", "other")), "index.json",
     (f"written for DSL 'other' (version {base_dsl().version}), but the DSL given is 'base' (version "
      f"{base_dsl().version}); load it with that DSL (--dsl module:attr)")),
    (lambda s: _edit(s / "index.json", _set_index("excluded", ["map"])), "index.json",
     "productions[24] (map): primitive 'map' is listed and also under 'excluded'"),
    (lambda s: _edit(s / "index.json", lambda t: t.replace('"value": 3', '"value": true')), "index.json",
     "productions[37] (3): 'value' should be int, found true"),
    (lambda s: (s / "routines/twice.ns").unlink(), "routines/twice.ns", "missing"),
    (lambda s: _edit(s / "index.json", lambda t: t.replace('"log_weight"', '"weight"', 1)), "index.json",
     "productions[0] (+): missing key 'log_weight'"),
    (lambda s: _edit(s / "index.json", _set_index("routines", [])), "index.json",
     "routine 'count' has no entry under 'routines'"),
])
def test_damage_is_refused_naming_the_file(store, damage, file, message):
    damage(store)
    for load in (load_library, load_or_base):
        with pytest.raises(StoreError) as err:
            load(store)
        assert str(err.value).startswith(str(store / file))
        assert message in str(err.value)
        assert "\n" not in str(err.value)


def test_save_refuses_what_would_not_load_back(tmp_path, lib):
    bad_name = replace(lib, routines=(replace(lib.routines[0], name="not a name"),) + lib.routines[1:])
    with pytest.raises(StoreError, match="not a name the language can read"):
        save_library(bad_name, tmp_path / "a")
    wrong_type = replace(lib, routines=(replace(lib.routines[0], type=lib.env()["map"]),) + lib.routines[1:])
    with pytest.raises(StoreError, match="would not load back.*count.ns"):
        save_library(wrong_type, tmp_path / "b")
    assert not (tmp_path / "b" / "index.json").exists()


def test_copy_library(store, lib, tmp_path):
    (store / "NOTES.md").write_text("kept")
    copy = copy_library(store, tmp_path / "copy")
    assert load_library(copy) == lib and (copy / "NOTES.md").read_text() == "kept"
    with pytest.raises(StoreError, match="not empty"):
        copy_library(store, copy)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert load_or_base(copy_library(empty, tmp_path / "copy2")) == Library.base()


# -- stores and DSLs --------------------------------------------------------------------

SHOUTING = r"def loud : str -> str = \s -> shout (shout s);"


def test_the_shipped_library_loads_with_every_primitive_listed():
    index = json.loads((default_library_path() / "index.json").read_text())
    shipped = load_library(default_library_path())
    assert "excluded" not in index and len(shipped.productions) == len(index["productions"])
    assert set(base_dsl().primitive_names) <= set(shipped.names())


def test_a_store_of_another_dsl_round_trips_and_is_refused_under_the_base_dsl(tmp_path):
    from dsl_cli import DSL, OTHER

    lib = Library.base(dsl=DSL).with_routines(SHOUTING, log_weight=-2.0).with_weights({"shout": -0.5})
    folder = save_library(lib, tmp_path / "lib")
    index = json.loads((folder / "index.json").read_text())
    assert index["dsl"] == "cli_test" and index["dsl_version"] == DSL.version
    back = load_library(folder, dsl=DSL)
    assert back == lib and back.dsl == DSL
    literals = [p.expr.value for p in back.productions if p.name in ('"!"', "'x'", "1.5", '@temp"21"')]
    assert literals == [p.expr.value for p in lib.productions if p.name in ('"!"', "'x'", "1.5", '@temp"21"')]
    assert [type(v).__name__ for v in literals] == ["str", "Char", "float", "Temp"]
    for load in (load_library, load_or_base):
        with pytest.raises(StoreError) as err:
            load(folder)
        assert str(err.value) == (
            f"{folder}/index.json: written for DSL 'cli_test' (version {DSL.version}), but the DSL given is "
            f"'base' (version {base_dsl().version}); load it with that DSL (--dsl module:attr)")
    with pytest.raises(StoreError, match=f"written for DSL 'cli_test' .* the DSL given is 'cli_other' "
                                         f"\\(version {OTHER.version}\\)"):
        load_library(folder, dsl=OTHER)
    with pytest.raises(StoreError, match="written for DSL 'base'"):
        load_library(save_library(Library.base(), tmp_path / "base"), dsl=DSL)


def test_a_primitive_added_to_the_dsl_later_appears_with_the_default_weight(tmp_path):
    from dsl_cli import DSL, GROWN

    lib = Library.base(dsl=DSL).with_routines(SHOUTING).with_weights({"map": -3.0, "shout": -1.0})
    folder = save_library(lib, tmp_path / "lib")
    grown = load_library(folder, dsl=GROWN)
    primitives = [p.log_weight for p in lib.productions if p.name in DSL.primitive_names]
    whisper = grown.production("whisper")
    assert whisper.log_weight == pytest.approx(sum(primitives) / len(primitives)) and whisper.log_weight < 0
    names = grown.names()
    assert names.index("whisper") == names.index("warmer") + 1  # with the primitives, before the literals
    assert [p for p in grown.productions if p.name != "whisper"] == list(lib.productions)
    assert grown.routine("loud") == lib.routine("loud") and grown.dsl == GROWN
    save_library(grown, folder)  # saved again, the store is one of the grown language
    assert json.loads((folder / "index.json").read_text())["dsl_version"] == GROWN.version
    assert load_library(folder, dsl=GROWN) == grown
    with pytest.raises(StoreError) as err:  # and the language without whisper no longer fits it
        load_library(folder, dsl=DSL)
    assert str(err.value).endswith(
        f"no primitive 'whisper' in DSL cli_test (version {DSL.version}) (the store was written for DSL "
        f"'cli_test' version {GROWN.version}, the DSL given is version {DSL.version})")


def test_a_store_without_primitives_gives_new_ones_weight_zero(tmp_path):
    from dsl_cli import DSL, GROWN

    folder = save_library(Library.base(dsl=DSL).only("0", "1"), tmp_path / "lib")
    index = json.loads((folder / "index.json").read_text())
    assert index["excluded"] == list(DSL.primitive_names)
    index.pop("excluded")  # as if no primitive had been excluded: all derived, at 0.0
    (folder / "index.json").write_text(json.dumps(index))
    back = load_library(folder, dsl=GROWN)
    assert back.names() == list(GROWN.primitive_names) + ["0", "1"]
    assert {p.log_weight for p in back.productions} == {0.0}


def test_excluded_primitives_stay_excluded(tmp_path):
    from dsl_cli import DSL, GROWN

    lib = Library.base(exclude=["map"], dsl=DSL).without("filter", "3").with_weights({"fold": -2.0})
    folder = save_library(lib, tmp_path / "lib")
    assert json.loads((folder / "index.json").read_text())["excluded"] == ["map", "filter"]  # in DSL order
    assert load_library(folder, dsl=DSL) == lib
    grown = load_library(folder, dsl=GROWN)
    assert "map" not in grown.names() and "filter" not in grown.names() and "3" not in grown.names()
    assert "whisper" in grown.names()
    every = save_library(Library.base(), tmp_path / "every")  # nothing excluded: no key, stores unchanged
    assert "excluded" not in json.loads((every / "index.json").read_text())


def test_a_store_written_before_dsls_had_names_is_the_base_language(store, lib):
    index = json.loads((store / "index.json").read_text())
    del index["dsl"]
    (store / "index.json").write_text(json.dumps(index))
    assert load_library(store) == lib


def test_literals_that_cannot_be_stored_or_read_are_refused(tmp_path):
    from dsl_cli import DSL

    folder = save_library(Library.base(dsl=DSL), tmp_path / "lib")
    _edit(folder / "index.json", lambda t: t.replace('"value": "x"', '"value": "xy"'))
    with pytest.raises(StoreError, match="a char literal is one character"):
        load_library(folder, dsl=DSL)
    _edit(folder / "index.json", lambda t: t.replace('"value": "xy"', '"value": "x"').replace('"21"', '"warm"'))
    with pytest.raises(StoreError, match=r"productions\[\d+\] \(@temp\"21\"\): \"warm\" is not a temp literal"):
        load_library(folder, dsl=DSL)
