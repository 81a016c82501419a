"""The library's file format: index.json and routine files <-> a Library.

`encode_library` gives the files of a store (relative path -> bytes) and
`decode_library` reads them back, checking everything: the schema and DSL, every
production's type and finite weight, each routine's definition against its hash and
declared type, and each neural routine's weights against their sha256. A damaged
store raises `StoreError` naming the file and what is wrong. Reading and writing
folders (atomic writes, the lock) is neurosym.library.store; work units ship these same
files to workers (neurosym.search.work).

A store holds weights for the productions it lists and derives the rest from its DSL.
It is read with a DSL of the name it was written for ("dsl"; another name is refused,
naming both). A DSL of that name whose version ("dsl_version", a hash of its
signatures) differs has grown or changed since: the store still loads if every
production and routine it lists fits the DSL (each failure names both versions), and
a primitive of the DSL that the index does not list gets a default weight, the mean
of the listed primitives' log weights (0.0 when none), so that a primitive added to a
language later is present rather than silently absent. Primitives a library left out
on purpose (`Library.base(exclude=...)`, `without`, `only`) are listed under
"excluded" (absent when none, so that older stores read unchanged) and stay out.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path
from typing import Any, Callable, Mapping

from neurosym.errors import NeurosymError
from neurosym.lang.ast import Expr, Lit, Prim
from neurosym.lang.data import Char
from neurosym.lang.parser import ParseError, parse_module
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL
from neurosym.lang.sexpr import canonical_hash
from neurosym.lang.printer import format_expr
from neurosym.lang.typecheck import TypeCheckError, infer_type
from neurosym.lang.types import TCon, Type, format_type, instance_of
from neurosym.library.library import Library, NeuralRoutine, Production, Routine

SCHEMA = 1
INDEX = "index.json"
ROUTINES = "routines"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_']*\Z")
_TOP_KEYS: dict[str, Any] = {"schema": int, "dsl_version": str, "version": int,
                             "variable_log_weight": (int, float), "productions": list, "routines": list}


class StoreError(NeurosymError, ValueError):
    """A library folder that cannot be read or written faithfully; the message names the file."""


# -- encoding ---------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def routine_text(r: Routine, dsl: DSL | None = None) -> str:
    """The .ns file of a routine: a comment header (informational; index.json holds the
    authoritative metadata) and its definition."""
    header = [f"# routine {r.name} (version {r.version})", f"# type: {format_type(r.type)}"]
    for label, value in (("created", r.created), ("produced by", ", ".join(r.produced_by)),
                         ("used by", ", ".join(r.used_by))):
        if value:
            header.append(f"# {label}: {_one_line(value)}")
    header += [f"# {line}".rstrip() for line in r.doc.splitlines()]
    return "\n".join(header) + f"\ndef {r.name} : {format_type(r.type)} = {format_expr(r.body, dsl=dsl)};\n"


def _literal_value(p: Production, dsl: DSL) -> Any:
    """A literal's value as JSON: ints, bools, strings and finite floats as they are, a
    char as its one-character string, a value of a user type in its literal syntax (the
    production's type says which on load; Lit refuses non-finite floats)."""
    v = p.expr.value  # type: ignore[attr-defined]
    if isinstance(v, (bool, int, float, str)):
        return str(v) if isinstance(v, Char) else v
    vt = dsl.type_of_value_class(type(v))
    if vt is None or vt.literal is None:
        raise StoreError(f"production {p.name!r}: DSL {dsl.name!r} has no literal syntax for "
                         f"{type(v).__name__} values")
    return vt.literal.show(v)


def _production_entry(p: Production, routine_names: set[str], neural_names: set[str], dsl: DSL) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": p.name}
    if isinstance(p.expr, Lit):
        entry.update(kind="literal", value=_literal_value(p, dsl))
    elif p.expr == Prim(p.name):
        entry["kind"] = "routine" if p.name in routine_names else "neural" if p.name in neural_names else "primitive"
    else:
        raise StoreError(f"production {p.name!r} is {p.expr!r}; the store holds only primitives, "
                         "routines and literals")
    entry.update(type=format_type(p.type), log_weight=p.log_weight)
    return entry


def _routine_entry(r: Routine) -> dict[str, Any]:
    return {"name": r.name, "type": format_type(r.type), "file": f"{ROUTINES}/{r.name}.ns", "doc": r.doc,
            "produced_by": list(r.produced_by), "used_by": list(r.used_by), "created": r.created,
            "version": r.version, "hash": canonical_hash(r.body)}


def _neural_entry(n: NeuralRoutine) -> dict[str, Any]:
    return {"name": n.name, "type": format_type(n.type), "file": f"{ROUTINES}/{n.name}.pt", "factory": n.factory,
            "config": n.config, "val_accuracy": n.val_accuracy, "doc": n.doc, "produced_by": list(n.produced_by),
            "used_by": list(n.used_by), "created": n.created, "version": n.version,
            "sha256": hashlib.sha256(n.weights).hexdigest()}


def encode_library(lib: Library) -> dict[str, bytes]:
    """Relative path -> file content for `lib` (index.json, one .ns per routine, one .pt
    per neural routine)."""
    for r in lib.routines + lib.neural:
        if not _NAME.match(r.name):
            raise StoreError(f"routine name {r.name!r} is not a name the language can read")
    names = {r.name for r in lib.routines}
    neural_names = {n.name for n in lib.neural}
    if len(names) != len(lib.routines) or len(neural_names) != len(lib.neural) or names & neural_names:
        raise StoreError("two routines share a name")
    index = {"schema": SCHEMA, "dsl": lib.dsl.name, "dsl_version": lib.dsl.version, "version": lib.version,
             "variable_log_weight": lib.variable_log_weight,
             "productions": [_production_entry(p, names, neural_names, lib.dsl) for p in lib.productions],
             "routines": [_routine_entry(r) for r in lib.routines]}
    listed = set(lib.names())
    excluded = [name for name in lib.dsl.primitive_names if name not in listed]
    if excluded:  # absent otherwise, so that stores of every primitive are unchanged
        index["excluded"] = excluded
    if lib.neural:  # absent otherwise, so that stores without neural routines are unchanged
        index["neural_routines"] = [_neural_entry(n) for n in lib.neural]
    files = {INDEX: (json.dumps(index, indent=1) + "\n").encode()}
    for r in lib.routines:
        files[f"{ROUTINES}/{r.name}.ns"] = routine_text(r, lib.dsl).encode("utf-8", "backslashreplace")
    for n in lib.neural:
        files[f"{ROUTINES}/{n.name}.pt"] = n.weights
    return files


# -- decoding ---------------------------------------------------------------------------


def _get(entry: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(entry, dict):
        raise StoreError(f"{where}: expected an object, found {type(entry).__name__}")
    if key not in entry:
        raise StoreError(f"{where}: missing key {key!r}")
    value = entry[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        wanted = " or ".join(k.__name__ for k in kinds)
        raise StoreError(f"{where}: {key!r} should be {wanted}, found {json.dumps(value)[:60]}")
    return value


def _strings(entry: dict, key: str, where: str) -> tuple[str, ...]:
    items = _get(entry, key, list, where)
    if not all(isinstance(x, str) for x in items):
        raise StoreError(f"{where}: {key!r} should be a list of strings")
    return tuple(items)


def _type(text: str, where: str, dsl: DSL) -> Type:
    try:
        return dsl.parse_type(text)
    except ParseError as err:
        raise StoreError(f"{where}: type {text!r} does not parse ({err.reason})") from None


def _read_index(index_text: str, where: str, dsl: DSL) -> dict:
    try:
        data = json.loads(index_text)
    except json.JSONDecodeError as err:
        raise StoreError(f"{where}: not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    except ValueError as err:  # an integer past Python's 4,300-digit conversion limit
        raise StoreError(f"{where}: a number too long to read ({str(err).split(';')[0]})") from None
    except RecursionError:
        raise StoreError(f"{where}: nested too deeply to read") from None
    schema = _get(data, "schema", int, where)
    if schema > SCHEMA:
        raise StoreError(f"{where}: written with store schema {schema}, this neurosym reads schema {SCHEMA} "
                         "at most; upgrade neurosym")
    if schema < 1:
        raise StoreError(f"{where}: unknown store schema {schema}")
    theirs = _get(data, "dsl_version", str, where)
    their_name = data.get("dsl", "base")  # stores written before DSLs had names: the base language
    if not isinstance(their_name, str):
        raise StoreError(f"{where}: 'dsl' should be str, found {json.dumps(their_name)[:60]}")
    if their_name != dsl.name:
        raise StoreError(f"{where}: written for DSL {their_name!r} (version {theirs}), but the DSL given is "
                         f"{dsl.name!r} (version {dsl.version}); load it with that DSL (--dsl module:attr)")
    for key, kind in _TOP_KEYS.items():
        _get(data, key, kind, where)
    data["variable_log_weight"] = _finite(data["variable_log_weight"], f"{where}: 'variable_log_weight'")
    return data


def _finite(value: int | float, what: str) -> float:
    """A weight as a float; NaN, an infinity or an int beyond float range breaks every
    searcher's costs, so it is refused here, naming the file, the entry and the value."""
    try:
        weight = float(value)
    except OverflowError:
        weight = math.inf
    if not math.isfinite(weight):
        shown = str(value) if isinstance(value, float) else f"{str(value)[:20]}... ({len(str(value))} digits)"
        raise StoreError(f"{what} is {shown}, not a finite number")
    return weight


def _check_name(name: str, where: str) -> str:
    """Routine names become file names (routines/NAME.ns, .pt): only plain identifiers,
    so that a store cannot name a file outside its folder (`../../evil`)."""
    if not _NAME.match(name):
        raise StoreError(f"{where}: routine name {name!r} is not a plain identifier")
    return name


def _decode_routine(entry: Any, where: str, folder: str, read: Callable[[str], str | None],
                    env: Mapping[str, Type], dsl: DSL) -> Routine:
    values = {k: _get(entry, k, str, where) for k in ("name", "type", "file", "doc", "created", "hash")}
    name, rel = _check_name(values["name"], where), values["file"]
    version = _get(entry, "version", int, where)
    produced_by, used_by = _strings(entry, "produced_by", where), _strings(entry, "used_by", where)
    declared = _type(values["type"], where, dsl)
    if Path(rel).is_absolute() or ".." in Path(rel).parts:
        raise StoreError(f"{where}: file {rel!r} lies outside the library folder")
    text = read(rel)
    path = f"{folder}/{rel}"
    if text is None:
        raise StoreError(f"{path}: missing (index.json lists routine {name!r} there)")
    try:
        module = parse_module(text, dsl)
    except ParseError as err:
        raise StoreError(f"{path}: does not parse: line {err.line}, column {err.column}: {err.reason}") from None
    if module.main is not None or len(module.definitions) != 1:
        raise StoreError(f"{path}: should hold exactly one definition (`def {name} : type = body;`)")
    d = module.definitions[0]
    if d.name != name:
        raise StoreError(f"{path}: defines {d.name!r} but index.json expects {name!r}")
    if d.type is None or d.type != declared:
        found = "no type" if d.type is None else f"type {format_type(d.type)}"  # type: ignore[arg-type]
        raise StoreError(f"{path}: declares {found} but index.json says {values['type']}")
    if canonical_hash(d.body) != values["hash"]:
        raise StoreError(f"{path}: the body differs from the one index.json records (hash "
                         f"{canonical_hash(d.body)[:12]} != {values['hash'][:12]}); edited by hand?")
    try:
        inferred = infer_type(d.body, env, dsl)
    except TypeCheckError as err:
        raise StoreError(f"{path}: does not type-check: {err}") from None
    if not instance_of(inferred, declared):
        raise StoreError(f"{path}: declared {values['type']} but the body has type {format_type(inferred)}")
    return Routine(name, d.body, declared, values["doc"], produced_by, used_by, values["created"], version)


def _decode_neural(entry: Any, where: str, folder: str, read_bytes: Callable[[str], bytes | None],
                   dsl: DSL) -> NeuralRoutine:
    values = {k: _get(entry, k, str, where) for k in ("name", "type", "file", "factory", "config", "doc",
                                                       "created", "sha256")}
    rel = values["file"]
    _check_name(values["name"], where)
    if Path(rel).is_absolute() or ".." in Path(rel).parts:
        raise StoreError(f"{where}: file {rel!r} lies outside the library folder")
    accuracy = entry.get("val_accuracy")
    if accuracy is not None and (isinstance(accuracy, bool) or not isinstance(accuracy, (int, float))):
        raise StoreError(f"{where}: 'val_accuracy' should be a number or null, found {json.dumps(accuracy)[:60]}")
    weights = read_bytes(rel)
    if weights is None:
        raise StoreError(f"{folder}/{rel}: missing (index.json lists neural routine {values['name']!r} there)")
    if hashlib.sha256(weights).hexdigest() != values["sha256"]:
        raise StoreError(f"{folder}/{rel}: the weights differ from the ones index.json records (sha256 "
                         f"{hashlib.sha256(weights).hexdigest()[:12]} != {values['sha256'][:12]})")
    return NeuralRoutine(values["name"], _type(values["type"], where, dsl), values["factory"], values["config"], weights,
                         None if accuracy is None else float(accuracy), values["doc"],
                         _strings(entry, "produced_by", where), _strings(entry, "used_by", where),
                         values["created"], _get(entry, "version", int, where))


def _decode_literal(entry: dict, t: Type, at: str, dsl: DSL) -> Lit:
    """A literal production's value, read as its declared type says (see _literal_value)."""
    name = t.name if isinstance(t, TCon) and not t.args else ""
    if name in ("int", "bool", "str"):
        return Lit(_get(entry, "value", {"int": int, "bool": bool, "str": str}[name], at))
    if name == "float":
        return Lit(_finite(_get(entry, "value", (int, float), at), f"{at}: value"))
    if name == "char":
        text = _get(entry, "value", str, at)
        if len(text) != 1:
            raise StoreError(f"{at}: a char literal is one character, found {json.dumps(text)[:60]}")
        return Lit(Char(text))
    vt = dsl.value_type_named(name) if name else None
    if vt is None or vt.literal is None:
        raise StoreError(f"{at}: DSL {dsl.name!r} has no literals of type {format_type(t)}")
    text = _get(entry, "value", str, at)
    try:
        return Lit(vt.literal.read(text))
    except Exception as err:  # noqa: BLE001 - a user type's reader: any failure is damage, named
        raise StoreError(f"{at}: {json.dumps(text)[:60]} is not a {name} literal ({err})") from None


def _derived_primitives(productions: list[Production], excluded: tuple[str, ...], listed_primitives: list[float],
                        language: DSL) -> list[Production]:
    """`productions` with every primitive of the DSL that the index neither lists nor
    excludes added, after the last listed primitive (in DSL order), at the mean weight
    of the listed primitives (0.0 when none)."""
    names = {p.name for p in productions} | set(excluded)
    missing = [p for p in language.primitives if p.name not in names]
    if not missing:
        return productions
    weight = sum(listed_primitives) / len(listed_primitives) if listed_primitives else 0.0
    added = [Production(p.name, Prim(p.name), p.type, weight) for p in missing]
    primitive_names = set(language.primitive_names)
    last = max((i for i, p in enumerate(productions) if p.name in primitive_names and p.expr == Prim(p.name)),
               default=-1)
    return productions[: last + 1] + added + productions[last + 1:]


def decode_library(index_text: str, read: Callable[[str], str | None], folder: str = ".",
                   read_bytes: Callable[[str], bytes | None] | None = None, dsl: DSL | None = None) -> Library:
    """The Library held by an index and its routine files (`read(relative path)` gives a
    file's text, `read_bytes` a weights file's bytes, or None when it is missing), in
    `dsl` (the base language by default; the store must have been written for a DSL of
    that name). Primitives of the DSL that the index neither lists nor excludes are
    added with a default weight (see the module doc). Raises StoreError on any damage."""
    where = f"{folder}/{INDEX}"
    language = dsl if dsl is not None else base_dsl()
    data = _read_index(index_text, where, language)
    try:
        return _decode(data, where, read, folder, read_bytes, language)
    except StoreError as err:
        if data["dsl_version"] == language.version:
            raise
        # the DSL has changed since the store was written: say so beside what no longer fits
        raise StoreError(f"{err} (the store was written for DSL {language.name!r} version {data['dsl_version']}, "
                         f"the DSL given is version {language.version})") from None


def _decode(data: dict, where: str, read: Callable[[str], str | None], folder: str,
            read_bytes: Callable[[str], bytes | None] | None, language: DSL) -> Library:
    excluded = _strings(data, "excluded", where) if "excluded" in data else ()
    dsl_types = language.env()
    neural_entries = data.get("neural_routines", [])
    if not isinstance(neural_entries, list):
        raise StoreError(f"{where}: 'neural_routines' should be list")
    neural = tuple(_decode_neural(e, f"{where}: neural_routines[{i}]", folder, read_bytes or (lambda rel: None),
                                  language) for i, e in enumerate(neural_entries))
    entries = data["routines"]
    names = [_get(e, "name", str, f"{where}: routines[{i}]") for i, e in enumerate(entries)]
    if len(set(names)) != len(names):
        raise StoreError(f"{where}: two routines share a name")
    env = dict(dsl_types)
    env.update({n.name: n.type for n in neural})
    for i, e in enumerate(entries):
        env[names[i]] = _type(_get(e, "type", str, f"{where}: routines[{i}]"), f"{where}: routines[{i}]", language)
    routines = tuple(_decode_routine(e, f"{where}: routines[{i}] ({names[i]})", folder, read, env, language)
                     for i, e in enumerate(entries))
    productions: list[Production] = []
    listed_primitives: list[float] = []
    for i, e in enumerate(data["productions"]):
        at = f"{where}: productions[{i}]"
        name, kind, text = (_get(e, k, str, at) for k in ("name", "kind", "type"))
        at = f"{at} ({name})"
        t, weight = _type(text, at, language), _finite(_get(e, "log_weight", (int, float), at), f"{at}: log_weight")
        expr: Expr
        if kind == "literal":
            expr = _decode_literal(e, t, at, language)
        elif kind == "primitive":
            if name not in dsl_types:
                raise StoreError(f"{at}: no primitive {name!r} in DSL {language.describe()}")
            if dsl_types[name] != t:
                raise StoreError(f"{at}: type {text} but the DSL declares {format_type(dsl_types[name])}")
            if name in excluded:
                raise StoreError(f"{at}: primitive {name!r} is listed and also under 'excluded'")
            expr = Prim(name)
            listed_primitives.append(weight)
        elif kind == "routine":
            if name not in names:
                raise StoreError(f"{at}: routine {name!r} has no entry under 'routines'")
            expr = Prim(name)
        elif kind == "neural":
            if name not in {n.name for n in neural}:
                raise StoreError(f"{at}: neural routine {name!r} has no entry under 'neural_routines'")
            expr = Prim(name)
        else:
            raise StoreError(f"{at}: unknown kind {kind!r} (primitive, literal, routine or neural)")
        productions.append(Production(name, expr, t, weight))
    if len({p.name for p in productions}) != len(productions):
        raise StoreError(f"{where}: two productions share a name")
    productions = _derived_primitives(productions, excluded, listed_primitives, language)
    return Library(tuple(productions), float(data["variable_log_weight"]), routines, data["version"], neural,
                   dsl=language)
