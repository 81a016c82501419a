"""Task files: neurosym's JSON format and DreamCoder's list_tasks.json, read as they are.

neurosym format::

    {"tasks": [{"name": "double", "type": "list int -> list int",      (type optional)
                "examples": [{"input": [[1, 2]], "output": [2, 4]}],   (input: the arguments)
                "held_out": [{"input": [[5, 6, 7]], "output": [10, 12, 14]}]}]}

DreamCoder format (EC2's data/list_tasks.json): a JSON array of
`{"name", "type": {"input": "list-of-int", "output": "int"}, "examples": [{"i", "o"}]}`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def load_tasks(path: str | Path) -> list[Task]:
    """Read a task file in either format; errors name the file, task and example. A file
    without tasks is an error too: every check on it would pass vacuously."""
    path = Path(path)
    data = decode_json(read_text_file(path, "task file"), str(path))
    try:
        tasks = tasks_from_json(data)
    except TaskError as err:
        raise TaskError(f"{path}: {err}") from None
    except RecursionError:  # values nested deeper than the checks below can walk
        raise TaskError(f"{path}: values nested too deeply") from None
    if not tasks:
        raise TaskError(f"{path}: holds no tasks")
    return tasks


def tasks_from_json(data: Any) -> list[Task]:
    """Tasks from already-decoded JSON in either format."""
    if isinstance(data, dict) and "tasks" in data:
        entries = data["tasks"]
        if not isinstance(entries, list):
            raise TaskError("'tasks' must be a list")
        tasks = [_neurosym_task(i, e) for i, e in enumerate(entries)]
    elif isinstance(data, list):
        tasks = [_dreamcoder_task(i, e) for i, e in enumerate(data)]
    else:
        raise TaskError("expected {\"tasks\": [...]} (neurosym format) or a list of tasks (DreamCoder format)")
    seen: set[str] = set()
    for t in tasks:
        if t.name in seen:
            raise TaskError(f"task '{t.name}' appears twice")
        seen.add(t.name)
    return tasks


def save_tasks(tasks: list[Task], path: str | Path) -> None:
    Path(path).write_text(json.dumps({"tasks": [t.to_json() for t in tasks]}, indent=1) + "\n")


def _require(entry: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(entry, dict):
        raise TaskError(f"{where}: expected an object, got {type(entry).__name__}")
    if key not in entry:
        raise TaskError(f"{where}: missing '{key}'")
    if not isinstance(entry[key], kind):
        raise TaskError(f"{where}: '{key}' must be a {kind.__name__}, got {type(entry[key]).__name__}")
    return entry[key]


def _neurosym_task(index: int, entry: Any) -> Task:
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
    return Task.from_examples(name, pairs("examples", "example"), pairs("held_out", "held-out example"), type=type_)


def _dreamcoder_task(index: int, entry: Any) -> Task:
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
    return Task.from_examples(name, examples, type=text)
