"""Task files: neurosym's JSON format and DreamCoder's list_tasks.json, read as they are.

neurosym format::

    {"dsl": "mypackage.langs:MY_DSL",                                  (optional: base)
     "tasks": [{"name": "double", "type": "list int -> list int",      (type optional)
                "examples": [{"input": [[1, 2]], "output": [2, 4]}],   (input: the arguments)
                "held_out": [{"input": [[5, 6, 7]], "output": [10, 12, 14]}]}]}

Values are JSON as `to_python` writes them: stacks and pairs as lists, chars as
one-character strings, a user type's values in its `to_user` form; the declared type
reads them back (`from_user`). A file over another language than the base one names it
by its import path (`dsl`), which `load_dsl` imports.

DreamCoder format (EC2's data/list_tasks.json): a JSON array of
`{"name", "type": {"input": "list-of-int", "output": "int"}, "examples": [{"i", "o"}]}`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL, DSLError, load_dsl
from neurosym.task import Task, TaskError

_DREAMCODER_TYPES = {"int": "int", "bool": "bool", "list-of-int": "list int", "list-of-bool": "list bool"}


def read_text_file(path: str | Path, what: str, error: type[Exception] = TaskError) -> str:
    """The UTF-8 text of a file the user named; every way of failing (missing, a folder,
    unreadable, not UTF-8) is `error` with one line naming the file, never an OSError
    or UnicodeDecodeError with a traceback."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not a {what}") from None
    except PermissionError:
        raise error(f"{path}: permission denied (cannot read the {what})") from None
    except OSError as err:
        raise error(f"{path}: cannot read the {what} ({err.strerror or err})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise error(f"{path}: not UTF-8 text ({err.reason} at byte {err.start}); save the {what} as UTF-8") from None


def decode_json(text: str, where: str, error: type[Exception] = TaskError) -> Any:
    """json.loads, with what it refuses as `error` naming `where`: bad syntax, integers
    past Python's 4,300-digit conversion limit (ValueError) and nesting too deep for
    the decoder (RecursionError)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise error(f"{where}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except ValueError as err:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise error(f"{where}: a number too long to read ({str(err).split(';')[0]})") from None
    except RecursionError:
        raise error(f"{where}: nested too deeply to read") from None


def load_tasks(path: str | Path, dsl: DSL | None = None) -> list[Task]:
    """Read a task file in either format; errors name the file, task and example. A file
    without tasks is an error too: every check on it would pass vacuously.

    The tasks are over the DSL the file names (`"dsl"`; the base language when it names
    none) unless `dsl` is given, and a file that names another DSL than the one given
    is refused (naming both)."""
    path = Path(path)
    data = decode_json(read_text_file(path, "task file"), str(path))
    try:
        tasks = tasks_from_json(data, dsl)
    except TaskError as err:
        raise TaskError(f"{path}: {err}") from None
    except RecursionError:  # values nested deeper than the checks below can walk
        raise TaskError(f"{path}: values nested too deeply") from None
    if not tasks:
        raise TaskError(f"{path}: holds no tasks")
    return tasks


def tasks_from_json(data: Any, dsl: DSL | None = None) -> list[Task]:
    """Tasks from already-decoded JSON in either format, over the DSL the data names,
    else `dsl`, else the base language (see `load_tasks`)."""
    if isinstance(data, dict) and "tasks" in data:
        entries = data["tasks"]
        if not isinstance(entries, list):
            raise TaskError("'tasks' must be a list")
        language = _file_dsl(data.get("dsl"), dsl)
        tasks = [_neurosym_task(i, e, language) for i, e in enumerate(entries)]
    elif isinstance(data, list):
        tasks = [_dreamcoder_task(i, e, dsl or base_dsl()) for i, e in enumerate(data)]
    else:
        raise TaskError("expected {\"tasks\": [...]} (neurosym format) or a list of tasks (DreamCoder format)")
    seen: set[str] = set()
    for t in tasks:
        if t.name in seen:
            raise TaskError(f"task '{t.name}' appears twice")
        seen.add(t.name)
    return tasks


def _file_dsl(reference: Any, given: DSL | None) -> DSL:
    """The DSL of a neurosym-format file that names `reference` (or none), given `given`."""
    if reference is None:
        return given if given is not None else base_dsl()
    if not isinstance(reference, str):
        raise TaskError(f"'dsl' must be an import path such as \"mypackage.langs:MY_DSL\", "
                        f"got {type(reference).__name__}")
    if given is not None and given.reference == reference:
        return given
    try:
        named = load_dsl(reference)
    except DSLError as err:
        reason = str(err).removeprefix(f"DSL reference {reference!r}: ")
        raise TaskError(f"the file's DSL {reference!r} cannot be loaded: {reason}") from None
    if given is not None and named != given:
        given_path = f" at {given.reference!r}" if given.reference else ""
        raise TaskError(f"the tasks are over DSL {reference!r}, {named.describe()}, but DSL {given.describe()}"
                        f"{given_path} was given")
    return given if given is not None else named


def save_tasks(tasks: list[Task], path: str | Path) -> None:
    """Write tasks in neurosym's format; tasks over another DSL than the base one must
    share it, and it must have an import path (`reference`) for the file to name."""
    dsls = {t.dsl: t.name for t in tasks}  # a task of each DSL, to name
    if len(dsls) > 1:
        names = ", ".join(f"{d.describe()} (task '{name}')" for d, name in dsls.items())
        raise TaskError(f"{path}: a task file holds tasks of one DSL; these are over {names}")
    data: dict = {}
    dsl = tasks[0].dsl if tasks else base_dsl()
    if dsl != base_dsl():
        if dsl.reference is None:
            raise TaskError(f"{path}: the tasks are over DSL {dsl.describe()}, which has no import path, so the "
                            "file cannot name it; define the DSL at module level of an importable module and give "
                            "it reference='package.module:attr' (or call with_reference)")
        data["dsl"] = dsl.reference
    entries = []
    for t in tasks:
        entry = t.to_json()
        try:
            json.dumps(entry, allow_nan=False)
        except (TypeError, ValueError) as err:
            raise TaskError(f"{path}: task '{t.name}' has a value JSON cannot hold ({err}); give its value type a "
                            "`to_user` that returns JSON (numbers, strings, lists, objects)") from None
        entries.append(entry)
    data["tasks"] = entries
    Path(path).write_text(json.dumps(data, indent=1) + "\n")


def _require(entry: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(entry, dict):
        raise TaskError(f"{where}: expected an object, got {type(entry).__name__}")
    if key not in entry:
        raise TaskError(f"{where}: missing '{key}'")
    if not isinstance(entry[key], kind):
        raise TaskError(f"{where}: '{key}' must be a {kind.__name__}, got {type(entry[key]).__name__}")
    return entry[key]


def _neurosym_task(index: int, entry: Any, dsl: DSL) -> Task:
    name = _require(entry, "name", str, f"task #{index}")
    where = f"task '{name}'"
    unknown = set(entry) - {"name", "type", "examples", "held_out"}
    if unknown:
        raise TaskError(f"{where}: unknown field(s) {sorted(unknown)}")

    def pairs(key: str, label: str) -> list[tuple[tuple, Any]]:
        out = []
        for i, ex in enumerate(entry.get(key, []) if key == "held_out" else _require(entry, key, list, where)):
            at = f"{where}, {label} {i}"
            inputs = _require(ex, "input", list, at)
            if "output" not in ex:
                raise TaskError(f"{at}: missing 'output'")
            out.append((tuple(inputs), ex["output"]))
        return out

    if not isinstance(entry.get("held_out", []), list):
        raise TaskError(f"{where}: 'held_out' must be a list")
    type_ = entry.get("type")
    if type_ is not None and not isinstance(type_, str):
        raise TaskError(f"{where}: 'type' must be a string such as \"list int -> int\"")
    return Task.from_examples(name, pairs("examples", "example"), pairs("held_out", "held-out example"), type=type_,
                              dsl=dsl)


def _dreamcoder_task(index: int, entry: Any, dsl: DSL) -> Task:
    name = _require(entry, "name", str, f"task #{index}")
    where = f"task '{name}'"
    type_ = _require(entry, "type", dict, where)
    try:
        text = f"{_DREAMCODER_TYPES[type_['input']]} -> {_DREAMCODER_TYPES[type_['output']]}"
    except KeyError as err:
        raise TaskError(f"{where}: unsupported DreamCoder type {type_!r} (missing or unknown {err})") from None
    examples = []
    for i, ex in enumerate(_require(entry, "examples", list, where)):
        at = f"{where}, example {i}"
        if not isinstance(ex, dict) or "i" not in ex or "o" not in ex:
            raise TaskError(f"{at}: expected an object with 'i' and 'o'")
        examples.append(((ex["i"],), ex["o"]))
    return Task.from_examples(name, examples, type=text, dsl=dsl)
